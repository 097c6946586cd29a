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

#include <fcntl.h>

void tb_start_writeback(int fd, long long offset, long long length) {
#if defined(SYNC_FILE_RANGE_WRITE) && !defined(TB_PORTABLE)
    (void)sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    (void)offset;
    (void)length;
#endif
}
