// How far a run of bytes can be copied into HTML text or a quoted attribute value as it is: up
// to the first byte the report escapes (& < > " ' and a carriage return). A report holds the
// whole corpus, mostly CJK text that needs no escape, so this decides the speed of writing its
// pages: 32 bytes at a time with AVX2, else a byte at a time.
#include <stdint.h>
#include "CTagbenchBytes.h"
#include "cpu.h"

static inline int html_needs_escape(uint8_t b) {
    return b == '&' || b == '<' || b == '>' || b == '"' || b == '\'' || b == '\r';
}

size_t tb_html_plain_prefix_portable(const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n && !html_needs_escape(p[i])) i++;
    return i;
}

#ifdef TB_X86_SIMD
#include <immintrin.h>

__attribute__((target("avx2")))
static size_t html_plain_prefix_avx2(const uint8_t *p, size_t n) {
    size_t i = 0;
    const __m256i amp = _mm256_set1_epi8('&'), lt = _mm256_set1_epi8('<'), gt = _mm256_set1_epi8('>'),
                  quot = _mm256_set1_epi8('"'), apos = _mm256_set1_epi8('\''), cr = _mm256_set1_epi8('\r');
    while (i + 32 <= n) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i hit = _mm256_or_si256(
            _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, amp), _mm256_cmpeq_epi8(v, lt)),
                            _mm256_or_si256(_mm256_cmpeq_epi8(v, gt), _mm256_cmpeq_epi8(v, quot))),
            _mm256_or_si256(_mm256_cmpeq_epi8(v, apos), _mm256_cmpeq_epi8(v, cr)));
        unsigned mask = (unsigned)_mm256_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz(mask);
        i += 32;
    }
    return i + tb_html_plain_prefix_portable(p + i, n - i);
}
#endif

size_t tb_html_plain_prefix(const uint8_t *p, size_t n) {
#ifdef TB_X86_SIMD
    if (tb_cpu_has_avx2()) return html_plain_prefix_avx2(p, n);
#endif
    return tb_html_plain_prefix_portable(p, n);
}
