#ifndef CTAGBENCH_SHIMS_H
#define CTAGBENCH_SHIMS_H
#include <stddef.h>

/// Finds the first occurrence of `needle` in `haystack`; returns its byte offset or -1.
long tb_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

#endif
