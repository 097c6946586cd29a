// One pass over a text's bytes: is it well-formed UTF-8, does it hold a NUL, how many code points,
// and the code points before every block of TB_SCAN_BLOCK bytes (the code-point index).
//
// Every document is read through this on load and on opening a session, so it runs at memory
// speed: 32 bytes at a time with AVX2 where the processor has it (the UTF-8 check is the lookup
// algorithm of Keiser and Lemire, "Validating UTF-8 in less than one instruction per byte",
// 2021), else a byte at a time. Only the verdict comes from here: where a text is wrong, the
// caller finds the exact offset with its own byte-at-a-time check.
#include <stdint.h>
#include <string.h>
#include "CTagbenchBytes.h"
#include "cpu.h"

#ifdef TB_X86_SIMD
#include <immintrin.h>
#endif

// Code points start at every byte that is not a continuation byte (10xxxxxx).
static inline int is_start(uint8_t b) { return (b & 0xC0) != 0x80; }

int tb_text_scan_portable(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points) {
    int flags = 0;
    size_t count = 0;
    size_t i = 0;
    while (i < n) {
        if (blocks && (i % TB_SCAN_BLOCK) == 0) blocks[i / TB_SCAN_BLOCK] = (int32_t)count;
        uint8_t b0 = p[i];
        if (b0 < 0x80) {
            if (b0 == 0) flags |= TB_SCAN_NUL;
            count++;
            i++;
            continue;
        }
        size_t length;
        uint8_t lower = 0x80, upper = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
        else if (b0 == 0xE0) { length = 3; lower = 0xA0; }
        else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) length = 3;
        else if (b0 == 0xED) { length = 3; upper = 0x9F; }
        else if (b0 == 0xF0) { length = 4; lower = 0x90; }
        else if (b0 >= 0xF1 && b0 <= 0xF3) length = 4;
        else if (b0 == 0xF4) { length = 4; upper = 0x8F; }
        else length = 0;
        int ok = length > 0 && i + length <= n && p[i + 1] >= lower && p[i + 1] <= upper;
        for (size_t k = 2; ok && k < length; k++) ok = (p[i + k] & 0xC0) == 0x80;
        if (!ok) {
            // Ill-formed: keep counting as the index would (every non-continuation byte starts a
            // code point) so the counts stay defined, and say so.
            flags |= TB_SCAN_INVALID;
            if (is_start(b0)) count++;
            i++;
            continue;
        }
        count++;
        // The continuation bytes may cross into the next block: record that block's start too.
        for (size_t k = 1; k < length; k++) {
            if (blocks && ((i + k) % TB_SCAN_BLOCK) == 0) blocks[(i + k) / TB_SCAN_BLOCK] = (int32_t)count;
        }
        i += length;
    }
    *code_points = count;
    return flags;
}

#ifdef TB_X86_SIMD

__attribute__((target("avx2")))
static inline __m256i lookup16(__m256i nibbles, const int8_t table[16]) {
    __m128i t = _mm_loadu_si128((const __m128i *)table);
    return _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t), nibbles);
}

// The bytes of `input` shifted by N positions, the first N taken from the end of `previous`.
#define TB_PREV(input, previous, N) \
    _mm256_alignr_epi8(input, _mm256_permute2x128_si256(previous, input, 0x21), 16 - (N))

enum {
    TOO_SHORT = 1 << 0,  // a lead byte or ASCII followed by a lead byte or ASCII where a continuation belongs
    TOO_LONG = 1 << 1,   // ASCII followed by a continuation
    OVERLONG_3 = 1 << 2, // 11100000 100xxxxx
    TOO_LARGE = 1 << 3,  // 11110100 1001xxxx or above U+10FFFF
    SURROGATE = 1 << 4,  // 11101101 101xxxxx
    OVERLONG_2 = 1 << 5, // 1100000x 10xxxxxx
    TOO_LARGE_1000 = 1 << 6,
    OVERLONG_4 = 1 << 6, // 11110000 1000xxxx
    TWO_CONTS = 1 << 7,  // a continuation after a continuation, where a lead belongs
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
};

static const int8_t byte_1_high[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
    TOO_SHORT | OVERLONG_2,
    TOO_SHORT,
    TOO_SHORT | OVERLONG_3 | SURROGATE,
    (int8_t)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4),
};
static const int8_t byte_1_low[16] = {
    (int8_t)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4),
    (int8_t)(CARRY | OVERLONG_2),
    (int8_t)CARRY,
    (int8_t)CARRY,
    (int8_t)(CARRY | TOO_LARGE),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
    (int8_t)(CARRY | TOO_LARGE | TOO_LARGE_1000),
};
static const int8_t byte_2_high[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    (int8_t)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
    (int8_t)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
    (int8_t)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    (int8_t)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
};

// Error bits for the 32 bytes of `input` given the 32 before them (`previous`).
__attribute__((target("avx2")))
static inline __m256i block_errors(__m256i input, __m256i previous) {
    const __m256i low_nibble = _mm256_set1_epi8(0x0F);
    __m256i prev1 = TB_PREV(input, previous, 1);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(lookup16(_mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble), byte_1_high),
                         lookup16(_mm256_and_si256(prev1, low_nibble), byte_1_low)),
        lookup16(_mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble), byte_2_high));
    // Third and fourth bytes of a sequence must be continuations: only they may carry TWO_CONTS.
    __m256i prev2 = TB_PREV(input, previous, 2);
    __m256i prev3 = TB_PREV(input, previous, 3);
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must_continue = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must_continue, special);
}

// Nonzero where the block ends inside a sequence (a lead byte too near its end).
__attribute__((target("avx2")))
static inline __m256i incomplete_at_end(__m256i input) {
    const __m256i max_value = _mm256_setr_epi8(
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255,
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255,
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255,
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    return _mm256_subs_epu8(input, max_value);
}

__attribute__((target("avx2,popcnt")))
static int text_scan_avx2(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points) {
    __m256i previous = _mm256_setzero_si256();
    __m256i error = _mm256_setzero_si256();
    __m256i incomplete = _mm256_setzero_si256();
    __m256i nul = _mm256_setzero_si256();
    const __m256i zero = _mm256_setzero_si256();
    // Signed, a byte is above -65 (0xBF) exactly when it is not a continuation byte.
    const __m256i last_continuation = _mm256_set1_epi8((char)0xBF);
    size_t count = 0;
    size_t i = 0;
    uint8_t tail[32];
    while (i < n) {
        __m256i input;
        if (i + 32 <= n) {
            input = _mm256_loadu_si256((const __m256i *)(p + i));
        } else {
            // The last bytes, padded with ASCII spaces (which end no sequence and start none).
            memset(tail, ' ', sizeof tail);
            memcpy(tail, p + i, n - i);
            input = _mm256_loadu_si256((const __m256i *)tail);
        }
        if (blocks && (i % TB_SCAN_BLOCK) == 0) blocks[i / TB_SCAN_BLOCK] = (int32_t)count;
        uint32_t starts = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(input, last_continuation));
        if (i + 32 > n) starts &= (uint32_t)((1ull << (n - i)) - 1);
        count += (size_t)__builtin_popcount(starts);
        nul = _mm256_or_si256(nul, _mm256_cmpeq_epi8(input, zero));
        if (_mm256_movemask_epi8(input) == 0) {
            // All ASCII: only a sequence left open by the block before can be wrong here.
            error = _mm256_or_si256(error, incomplete);
        } else {
            error = _mm256_or_si256(error, block_errors(input, previous));
            incomplete = incomplete_at_end(input);
        }
        previous = input;
        i += 32;
    }
    error = _mm256_or_si256(error, incomplete);
    int flags = 0;
    if (!_mm256_testz_si256(error, error)) flags |= TB_SCAN_INVALID;
    // Padding bytes are spaces, never NUL, so any NUL seen is the text's.
    if (_mm256_movemask_epi8(nul) != 0) flags |= TB_SCAN_NUL;
    *code_points = count;
    return flags;
}

#endif

int tb_text_scan(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points) {
#ifdef TB_X86_SIMD
    if (tb_cpu_has_avx2()) return text_scan_avx2(p, n, blocks, code_points);
#endif
    return tb_text_scan_portable(p, n, blocks, code_points);
}

// Where code point `want` starts, counting from `byte`, where code point `code_point` starts:
// eight bytes a step while it is further on, then byte by byte. The text must hold it.
static inline size_t code_point_start(const uint8_t *p, size_t n, size_t byte, size_t code_point, size_t want) {
    while (byte + 8 <= n) {
        uint64_t word;
        memcpy(&word, p + byte, 8);
        size_t starts = 8 - (size_t)__builtin_popcountll(word & 0x8080808080808080ULL & ((~word & 0x4040404040404040ULL) << 1));
        if (code_point + starts > want) break;
        code_point += starts;
        byte += 8;
    }
    for (;; byte++) {
        if (!is_start(p[byte])) continue;
        if (code_point == want) return byte;
        code_point++;
    }
}

#ifdef TB_X86_SIMD
// The same with the POPCNT instruction (without it, each count is a dozen instructions).
__attribute__((target("popcnt")))
static size_t code_point_start_popcnt(const uint8_t *p, size_t n, size_t byte, size_t code_point, size_t want) {
    return code_point_start(p, n, byte, code_point, want);
}
#endif

size_t tb_code_point_start(const uint8_t *p, size_t n, size_t byte, size_t code_point, size_t want) {
#ifdef TB_X86_SIMD
    if (tb_cpu_has_avx2()) return code_point_start_popcnt(p, n, byte, code_point, want);
#endif
    return code_point_start(p, n, byte, code_point, want);
}
