#ifndef CTAGBENCH_CPU_H
#define CTAGBENCH_CPU_H
// Whether the processor and the OS support AVX2 (and POPCNT), decided once. Internal to the shims.
int tb_cpu_has_avx2(void);
// Whether the processor has the SHA extensions (and SSSE3, SSE4.1), decided once. Internal to the shims.
int tb_cpu_has_sha(void);
#endif
