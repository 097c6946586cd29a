#ifndef CTAGBENCH_CPU_H
#define CTAGBENCH_CPU_H
// TB_X86_SIMD: the AVX2 (and POPCNT) paths are compiled, to be chosen at run time. Not with
// -DTB_PORTABLE (make test-portable): then only the portable code is built and run.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(TB_PORTABLE)
#define TB_X86_SIMD 1
#endif
// Whether the processor and the OS support AVX2 (and POPCNT), decided once. Internal to CTagbenchBytes.
int tb_cpu_has_avx2(void);
// `tb_json_plain_prefix` with AVX2 taken as known (else portable), for callers that check once
// for many calls. Internal to CTagbenchBytes.
#include <stddef.h>
#include <stdint.h>
size_t tb_json_plain_prefix_avx2_internal(const uint8_t *p, size_t n);
#endif
