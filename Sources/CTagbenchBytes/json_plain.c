// How far a run of bytes can be copied into a JSON string as it is: up to the first byte that
// must be escaped (a control byte below 0x20, a quote or a backslash). Sessions and exports are
// mostly document text with a line break every paragraph, so the runs are long and this decides
// the speed of writing them: 32 bytes at a time with AVX2, else 8 at a time.
#include <stdint.h>
#include <string.h>
#include "CTagbenchBytes.h"
#include "cpu.h"

static inline int needs_escape(uint8_t b) { return b < 0x20 || b == '"' || b == '\\'; }

size_t tb_json_plain_prefix_portable(const uint8_t *p, size_t n) {
    size_t i = 0;
    // A byte is zero in x ^ repeated(c) where it equals c; below 0x20 by the borrow of x - 0x20.
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (i + 8 <= n) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        uint64_t q = x ^ (ones * '"'), s = x ^ (ones * '\\');
        uint64_t hit = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((s - ones) & ~s);
        if (hit & highs) break;
        i += 8;
    }
    while (i < n && !needs_escape(p[i])) i++;
    return i;
}

#ifdef TB_X86_SIMD
#include <immintrin.h>

__attribute__((target("avx2")))
static size_t json_plain_prefix_avx2(const uint8_t *p, size_t n) {
    size_t i = 0;
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\');
    // Unsigned b < 0x20 as max(b, 0x1F) == 0x1F.
    const __m256i below = _mm256_set1_epi8(0x1F);
    while (i + 32 <= n) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i hit = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash)),
                                      _mm256_cmpeq_epi8(_mm256_max_epu8(v, below), below));
        unsigned mask = (unsigned)_mm256_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz(mask);
        i += 32;
    }
    return i + tb_json_plain_prefix_portable(p + i, n - i);
}

// For the other files of the shims, which check AVX2 once for many calls.
size_t tb_json_plain_prefix_avx2_internal(const uint8_t *p, size_t n) { return json_plain_prefix_avx2(p, n); }
#else
size_t tb_json_plain_prefix_avx2_internal(const uint8_t *p, size_t n) { return tb_json_plain_prefix_portable(p, n); }
#endif

size_t tb_json_plain_prefix(const uint8_t *p, size_t n) {
#ifdef TB_X86_SIMD
    if (tb_cpu_has_avx2()) return json_plain_prefix_avx2(p, n);
#endif
    return tb_json_plain_prefix_portable(p, n);
}
