#ifndef CTAGBENCH_SHIMS_H
#define CTAGBENCH_SHIMS_H
#include <stddef.h>
#include <stdint.h>

/// Finds the first occurrence of `needle` in `haystack`; returns its byte offset or -1.
long tb_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// Bytes per block of the code-point index (`blocks[k]`: code points before byte k * TB_SCAN_BLOCK).
#define TB_SCAN_BLOCK 128
/// `tb_text_scan` result flag: the bytes are not well-formed UTF-8.
#define TB_SCAN_INVALID 1
/// `tb_text_scan` result flag: the bytes hold a NUL.
#define TB_SCAN_NUL 2

/// One pass over `n` bytes: returns TB_SCAN_* flags, sets `*code_points` (bytes that are not
/// UTF-8 continuation bytes) and, when `blocks` is not NULL, fills its (n + TB_SCAN_BLOCK - 1) /
/// TB_SCAN_BLOCK entries. Uses AVX2 when the processor has it.
int tb_text_scan(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points);

/// The same, a byte at a time (what `tb_text_scan` does without AVX2; tests compare the two).
int tb_text_scan_portable(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points);

/// The length of the longest prefix of `p` that a JSON string holds as it is: no byte below
/// 0x20, no quote, no backslash. Uses AVX2 when the processor has it.
size_t tb_json_plain_prefix(const uint8_t *p, size_t n);

/// The same, 8 bytes at a time (what `tb_json_plain_prefix` does without AVX2; tests compare the two).
size_t tb_json_plain_prefix_portable(const uint8_t *p, size_t n);

#endif
