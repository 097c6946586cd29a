#ifndef CTAGBENCH_CPU_H
#define CTAGBENCH_CPU_H
// Whether the processor and the OS support AVX2 (and POPCNT), decided once. Internal to the shims.
int tb_cpu_has_avx2(void);
#endif
