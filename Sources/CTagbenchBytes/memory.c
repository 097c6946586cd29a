// memmem and memrchr with byte offsets (Swift's Glibc module exposes neither).
#define _GNU_SOURCE
#include <string.h>
#include "CTagbenchBytes.h"

long tb_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    const void *found = memmem(haystack, haystack_len, needle, needle_len);
    return found ? (long)((const char *)found - (const char *)haystack) : -1;
}

long tb_memrchr(const void *haystack, int byte, size_t haystack_len) {
    const void *found = memrchr(haystack, byte, haystack_len);
    return found ? (long)((const char *)found - (const char *)haystack) : -1;
}
