#define _GNU_SOURCE
#include <string.h>
#include "CTagbenchShims.h"

long tb_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    const void *found = memmem(haystack, haystack_len, needle, needle_len);
    return found ? (long)((const char *)found - (const char *)haystack) : -1;
}

long tb_memrchr(const void *haystack, int byte, size_t haystack_len) {
    const void *found = memrchr(haystack, byte, haystack_len);
    return found ? (long)((const char *)found - (const char *)haystack) : -1;
}

#include <sys/mman.h>

void tb_advise_huge_pages(void *p, size_t n) {
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + n) & ~(huge - 1);
#ifdef MADV_HUGEPAGE
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)start;
    (void)end;
#endif
}
