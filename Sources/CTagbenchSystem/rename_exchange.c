// Swapping two names in one step: Linux's `renameat2` with RENAME_EXCHANGE (glibc 2.28, Linux
// 3.15; ext4, xfs, btrfs, tmpfs). ENOSYS elsewhere and in the portable build (TB_PORTABLE): the
// caller then renames twice.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include "CTagbenchSystem.h"

int tb_exchange_names(const char *a, const char *b) {
#if defined(__linux__) && defined(RENAME_EXCHANGE) && !defined(TB_PORTABLE)
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0) return 0;
    // A file system that cannot swap says so in one of these: the same as no call at all.
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) return ENOSYS;
    return errno;
#else
    (void)a;
    (void)b;
    return ENOSYS;
#endif
}
