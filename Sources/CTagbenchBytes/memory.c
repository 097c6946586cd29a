// memmem and memrchr with byte offsets (Swift's Glibc module exposes neither). memmem is POSIX;
// memrchr is glibc's (vectorised for the processor at load time), so elsewhere and in the
// portable build (TB_PORTABLE) a plain loop stands in for it.
#define _GNU_SOURCE
#include <string.h>
#include "CTagbenchBytes.h"

long tb_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    const void *found = memmem(haystack, haystack_len, needle, needle_len);
    return found ? (long)((const char *)found - (const char *)haystack) : -1;
}

long tb_memrchr(const void *haystack, int byte, size_t haystack_len) {
#if defined(__GLIBC__) && !defined(TB_PORTABLE)
    const void *found = memrchr(haystack, byte, haystack_len);
    return found ? (long)((const char *)found - (const char *)haystack) : -1;
#else
    const unsigned char *bytes = haystack;
    for (size_t i = haystack_len; i > 0; i--) {
        if (bytes[i - 1] == (unsigned char)byte) return (long)(i - 1);
    }
    return -1;
#endif
}
