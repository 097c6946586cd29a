// Early writeback of a file being saved: Linux's `sync_file_range`, a tuning (the later `fsync`
// is what makes the file durable); nothing elsewhere or in the portable build (TB_PORTABLE).
#define _GNU_SOURCE
#include <fcntl.h>
#include "CTagbenchSystem.h"

void tb_start_writeback(int fd, long long offset, long long length) {
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE) && !defined(TB_PORTABLE)
    (void)sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    (void)offset;
    (void)length;
#endif
}
