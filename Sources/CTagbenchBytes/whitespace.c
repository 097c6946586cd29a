// Counting whitespace code points as Python's `str.isspace` sees them (Unicode White_Space plus
// U+001C–U+001F), in well-formed UTF-8: `agree` weighs every character but whitespace, over
// whole corpora, so this runs over every byte of every common document.
//
// A byte counts when it is an ASCII whitespace byte, or the lead byte of a multi-byte whitespace
// sequence followed by its bytes: U+0085 and U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80),
// U+2000–U+200A (E2 80 80–8A), U+2028, U+2029, U+202F (E2 80 A8, A9, AF), U+205F (E2 81 9F),
// U+3000 (E3 80 80). The AVX2 path tests 32 positions at a time with the same conditions.
#include "CTagbenchBytes.h"
#include "cpu.h"

static inline size_t whitespace_at(const uint8_t *p, size_t i, size_t n) {
    uint8_t b = p[i];
    uint8_t b1 = i + 1 < n ? p[i + 1] : 0;
    uint8_t b2 = i + 2 < n ? p[i + 2] : 0;
    size_t ascii = (uint8_t)(b - 0x09) < 5 || (uint8_t)(b - 0x1C) < 5;
    size_t c2 = b == 0xC2 && (b1 == 0x85 || b1 == 0xA0);
    size_t e1 = b == 0xE1 && b1 == 0x9A && b2 == 0x80;
    size_t e2 = b == 0xE2 && ((b1 == 0x80 && ((uint8_t)(b2 - 0x80) <= 0x0A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF))
                              || (b1 == 0x81 && b2 == 0x9F));
    size_t e3 = b == 0xE3 && b1 == 0x80 && b2 == 0x80;
    return ascii + c2 + e1 + e2 + e3;
}

size_t tb_count_whitespace_portable(const uint8_t *p, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        // Most bytes of Chinese text are continuation bytes or leads above E3: no whitespace.
        uint8_t b = p[i];
        if (b > 0x20 && b != 0xC2 && (b < 0xE1 || b > 0xE3)) continue;
        count += whitespace_at(p, i, n);
    }
    return count;
}

#ifdef TB_X86_SIMD
#include <immintrin.h>

__attribute__((target("avx2,popcnt")))
static size_t count_whitespace_avx2(const uint8_t *p, size_t n) {
    size_t count = 0;
    size_t i = 0;
#define EQ(v, c) _mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)(c)))
// v - low ≤ span, unsigned: the byte is in [low, low + span].
#define IN(v, low, span)                                                                                              \
    ({                                                                                                                \
        __m256i shifted = _mm256_sub_epi8(v, _mm256_set1_epi8((char)(low)));                                         \
        _mm256_cmpeq_epi8(_mm256_min_epu8(shifted, _mm256_set1_epi8((char)(span))), shifted);                       \
    })
    // Each step reads the 32 bytes at i, i + 1 and i + 2.
    for (; i + 34 <= n; i += 32) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(p + i + 1));
        __m256i b2 = _mm256_loadu_si256((const __m256i *)(p + i + 2));
        __m256i ascii = _mm256_or_si256(IN(b0, 0x09, 4), IN(b0, 0x1C, 4));
        __m256i c2 = _mm256_and_si256(EQ(b0, 0xC2), _mm256_or_si256(EQ(b1, 0x85), EQ(b1, 0xA0)));
        __m256i e1 = _mm256_and_si256(EQ(b0, 0xE1), _mm256_and_si256(EQ(b1, 0x9A), EQ(b2, 0x80)));
        __m256i e2_80 = _mm256_and_si256(
            EQ(b1, 0x80), _mm256_or_si256(_mm256_or_si256(IN(b2, 0x80, 0x0A), EQ(b2, 0xA8)),
                                          _mm256_or_si256(EQ(b2, 0xA9), EQ(b2, 0xAF))));
        __m256i e2_81 = _mm256_and_si256(EQ(b1, 0x81), EQ(b2, 0x9F));
        __m256i e2 = _mm256_and_si256(EQ(b0, 0xE2), _mm256_or_si256(e2_80, e2_81));
        __m256i e3 = _mm256_and_si256(EQ(b0, 0xE3), _mm256_and_si256(EQ(b1, 0x80), EQ(b2, 0x80)));
        __m256i any = _mm256_or_si256(_mm256_or_si256(ascii, c2), _mm256_or_si256(_mm256_or_si256(e1, e2), e3));
        count += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(any));
    }
#undef EQ
#undef IN
    for (; i < n; i++) count += whitespace_at(p, i, n);
    return count;
}
#endif

size_t tb_count_whitespace(const uint8_t *p, size_t n) {
#ifdef TB_X86_SIMD
    if (tb_cpu_has_avx2()) return count_whitespace_avx2(p, n);
#endif
    return tb_count_whitespace_portable(p, n);
}
