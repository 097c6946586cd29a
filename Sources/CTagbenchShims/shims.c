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

#include <limits.h>
#include <malloc.h>
#include <unistd.h>

int tb_prepare_heap(size_t reserve) {
#if defined(M_ARENA_MAX) && defined(MADV_HUGEPAGE)
    // glibc grows its heap a few pages at a time and advises nothing, so the heap of a process
    // that allocates a hundred megabytes in small pieces takes a page fault per 4 KB. Grown here
    // once by `reserve` (address space only: a page is backed when first written), the heap is
    // advised into huge pages as one region; one arena makes every thread allocate from it; no
    // trimming keeps it grown. Blocks of 16 MB stay under the mmap threshold, so they come
    // from the heap; freed, they join into its free top.
    const size_t step = 16 << 20;
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (mallopt(M_ARENA_MAX, 1) != 1 || mallopt(M_TRIM_THRESHOLD, INT_MAX) != 1 || mallopt(M_MMAP_THRESHOLD, (int)(2 * step)) != 1) return -1;
    char *start = sbrk(0);
    enum { most = 256 };
    void *blocks[most];
    int n = 0;
    while ((size_t)n * step < reserve && n < most) {
        void *p = malloc(step - 64);
        if (!p) break;
        blocks[n++] = p;
    }
    for (int k = n - 1; k >= 0; k--) free(blocks[k]);
    char *end = sbrk(0);
    uintptr_t from = ((uintptr_t)start + huge - 1) & ~(huge - 1);
    uintptr_t to = (uintptr_t)end & ~(huge - 1);
    return to > from ? madvise((void *)from, to - from, MADV_HUGEPAGE) : -1;
#else
    (void)reserve;
    return -1;
#endif
}

#include <fcntl.h>

void tb_start_writeback(int fd, long long offset, long long length) {
#ifdef SYNC_FILE_RANGE_WRITE
    (void)sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    (void)offset;
    (void)length;
#endif
}
