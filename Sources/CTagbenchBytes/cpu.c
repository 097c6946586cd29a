// Runtime CPU feature detection for the AVX2 paths of the byte algorithms. Built with
// -DTB_PORTABLE (make test-portable), no processor-specific path is compiled (`cpu.h`).
#include "cpu.h"

#ifdef TB_X86_SIMD
#include <cpuid.h>

static int detect_avx2(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    // The OS must save the YMM registers (OSXSAVE, then XCR0 bits 1 and 2).
    if (!(c & bit_OSXSAVE) || !(c & bit_POPCNT)) return 0;
    unsigned int xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX2) != 0;
}

// Decided once; threads that race here all store the same answer.
static int decided(int *known, int (*detect)(void)) {
    int answer = __atomic_load_n(known, __ATOMIC_RELAXED);
    if (answer < 0) {
        answer = detect();
        __atomic_store_n(known, answer, __ATOMIC_RELAXED);
    }
    return answer;
}

int tb_cpu_has_avx2(void) {
    static int avx2 = -1;
    return decided(&avx2, detect_avx2);
}
#else
int tb_cpu_has_avx2(void) { return 0; }
#endif
