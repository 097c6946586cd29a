// Every occurrence of several literal terms in a text's UTF-8, with code-point offsets, in one
// pass: the bulk tags of a script and the dictionary suggestions search the whole corpus for a
// handful of terms at once.
//
// A candidate is a place where the first character of some term starts (32 places at a time
// with AVX2, one at a time otherwise); only there are the terms compared whole. Code points are
// counted on the way (bytes that are not 10xxxxxx).
#include <stdint.h>
#include <string.h>
#include "CTagbenchBytes.h"
#include "cpu.h"

/// Terms grouped by their first character, in the order given.
typedef struct {
    int count;
    uint8_t first[TB_TERMS_SIMD_GROUPS][4];
    int first_length[TB_TERMS_SIMD_GROUPS];
    uint8_t is_lead[256];
} groups_t;

static int char_length(uint8_t lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// Returns 0 when there are more distinct first characters than the SIMD path takes (the lead
// table is filled either way).
static int make_groups(const uint8_t *bytes, const size_t *offsets, size_t count, groups_t *g) {
    memset(g, 0, sizeof *g);
    int fits = 1;
    for (size_t t = 0; t < count; t++) {
        size_t length = offsets[t + 1] - offsets[t];
        if (length == 0) continue;
        const uint8_t *term = bytes + offsets[t];
        g->is_lead[term[0]] = 1;
        int n = char_length(term[0]);
        if ((size_t)n > length) n = (int)length;
        int known = 0;
        for (int k = 0; k < g->count && !known; k++) {
            known = g->first_length[k] == n && memcmp(g->first[k], term, (size_t)n) == 0;
        }
        if (known) continue;
        if (g->count == TB_TERMS_SIMD_GROUPS) { fits = 0; continue; }
        memcpy(g->first[g->count], term, (size_t)n);
        g->first_length[g->count] = n;
        g->count++;
    }
    return fits;
}

// Whether term t starts at byte p. Compared here rather than by memcmp: most CJK terms share a
// lead byte, the candidates are millions, and nearly every comparison ends within the first
// character.
static inline int term_at(const uint8_t *text, size_t n, size_t p, const uint8_t *bytes, const size_t *offsets, size_t t) {
    size_t length = offsets[t + 1] - offsets[t];
    if (length == 0 || length > n - p) return 0;
    const uint8_t *term = bytes + offsets[t];
    size_t k = 0;
    while (k < length && text[p + k] == term[k]) k++;
    return k == length;
}

// The terms that start at byte p, in the order given; returns how many hits were written.
static size_t hits_at(const uint8_t *text, size_t n, size_t p, size_t code_point, const uint8_t *bytes,
                      const size_t *offsets, size_t count, tb_term_hit *hits) {
    size_t found = 0;
    for (size_t t = 0; t < count; t++) {
        if (!term_at(text, n, p, bytes, offsets, t)) continue;
        hits[found].term = (int32_t)t;
        hits[found].start = (int64_t)code_point;
        found++;
    }
    return found;
}

// `hits_at` for the terms in `terms` only (bit t: term t), lowest first, so in the order given.
static size_t hits_of(const uint8_t *text, size_t n, size_t p, size_t code_point, const uint8_t *bytes,
                      const size_t *offsets, uint64_t terms, tb_term_hit *hits) {
    size_t found = 0;
    for (; terms; terms &= terms - 1) {
        size_t t = (size_t)__builtin_ctzll(terms);
        if (!term_at(text, n, p, bytes, offsets, t)) continue;
        hits[found].term = (int32_t)t;
        hits[found].start = (int64_t)code_point;
        found++;
    }
    return found;
}

static size_t find_scalar(const uint8_t *text, size_t n, const uint8_t *bytes, const size_t *offsets, size_t count,
                          const groups_t *g, tb_term_hit *hits, size_t capacity, size_t *position, size_t *code_point) {
    size_t i = *position, cp = *code_point, found = 0;
    for (; i < n; i++) {
        uint8_t b = text[i];
        if ((b & 0xC0) == 0x80) continue;
        if (g->is_lead[b]) {
            if (capacity - found < count) break;
            found += hits_at(text, n, i, cp, bytes, offsets, count, hits + found);
        }
        cp++;
    }
    *position = i;
    *code_point = cp;
    return found;
}

#ifdef TB_X86_SIMD
#include <immintrin.h>

__attribute__((target("avx2,popcnt")))
static size_t find_avx2(const uint8_t *text, size_t n, const uint8_t *bytes, const size_t *offsets, size_t count,
                        const groups_t *g, tb_term_hit *hits, size_t capacity, size_t *position, size_t *code_point) {
    size_t i = *position, cp = *code_point, found = 0;
    // Three-byte first characters (all of CJK) in a loop of their own with a fixed body; the
    // rest with their length looked up.
    __m256i three[TB_TERMS_SIMD_GROUPS][3], other[TB_TERMS_SIMD_GROUPS][4];
    int other_length[TB_TERMS_SIMD_GROUPS];
    int threes = 0, others = 0;
    for (int k = 0; k < g->count; k++) {
        if (g->first_length[k] == 3) {
            for (int b = 0; b < 3; b++) three[threes][b] = _mm256_set1_epi8((char)g->first[k][b]);
            threes++;
        } else {
            for (int b = 0; b < g->first_length[k]; b++) other[others][b] = _mm256_set1_epi8((char)g->first[k][b]);
            other_length[others++] = g->first_length[k];
        }
    }
    // With more than two three-byte first characters, they are found by their nibbles (the
    // "Teddy" method of Hyperscan): each character gets a bucket bit, and tables of each of its
    // three bytes' low and high nibble give the buckets a byte may belong to; a place whose three
    // bytes share a bucket is a candidate. One shuffle per nibble and byte, whatever the number of
    // characters (comparing with each took six instructions per character). Two characters
    // sharing a bucket let through some places that neither starts, which the comparison of
    // whole terms rejects.
    int teddy = threes > 2;
    __m256i low_nibbles[3], high_nibbles[3];
    // With at most 64 terms, a candidate is checked only against the terms of its buckets (and
    // those whose first character is not of three bytes): bit t of a mask is term t.
    int masks = teddy && count <= 64;
    uint64_t bucket_terms[8] = {0}, other_terms = 0;
    if (teddy) {
        uint8_t low[3][16] = {{0}}, high[3][16] = {{0}};
        for (int k = 0, t = 0; k < g->count; k++) {
            if (g->first_length[k] != 3) continue;
            int slot = t++ % 8;
            uint8_t bucket = (uint8_t)(1u << slot);
            for (int b = 0; b < 3; b++) {
                low[b][g->first[k][b] & 0x0F] |= bucket;
                high[b][g->first[k][b] >> 4] |= bucket;
            }
            for (size_t term = 0; masks && term < count; term++) {
                size_t length = offsets[term + 1] - offsets[term];
                if (length >= 3 && memcmp(bytes + offsets[term], g->first[k], 3) == 0) bucket_terms[slot] |= 1ull << term;
            }
        }
        for (size_t term = 0; masks && term < count; term++) {
            size_t length = offsets[term + 1] - offsets[term];
            if (length > 0 && (length < 3 || char_length(bytes[offsets[term]]) != 3)) other_terms |= 1ull << term;
        }
        for (int b = 0; b < 3; b++) {
            low_nibbles[b] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)low[b]));
            high_nibbles[b] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)high[b]));
        }
    }
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    uint8_t block_buckets[32];
    const __m256i top = _mm256_set1_epi8((char)0xC0), continuation = _mm256_set1_epi8((char)0x80);
    // Loads reach 3 bytes past the block (the rest of a 4-byte first character).
    while (i + 35 <= n) {
        __m256i v[4];
        for (int b = 0; b < 4; b++) v[b] = _mm256_loadu_si256((const __m256i *)(text + i + b));
        __m256i candidate = _mm256_setzero_si256();
        if (teddy) {
            __m256i buckets = _mm256_set1_epi8((char)0xFF);
            for (int b = 0; b < 3; b++) {
                __m256i low = _mm256_shuffle_epi8(low_nibbles[b], _mm256_and_si256(v[b], nibble));
                __m256i high = _mm256_shuffle_epi8(high_nibbles[b], _mm256_and_si256(_mm256_srli_epi16(v[b], 4), nibble));
                buckets = _mm256_and_si256(buckets, _mm256_and_si256(low, high));
            }
            candidate = _mm256_xor_si256(_mm256_cmpeq_epi8(buckets, _mm256_setzero_si256()), _mm256_set1_epi8((char)0xFF));
            if (masks) _mm256_storeu_si256((__m256i *)block_buckets, buckets);
        } else {
            for (int k = 0; k < threes; k++) {
                __m256i m = _mm256_and_si256(_mm256_cmpeq_epi8(v[0], three[k][0]), _mm256_cmpeq_epi8(v[1], three[k][1]));
                candidate = _mm256_or_si256(candidate, _mm256_and_si256(m, _mm256_cmpeq_epi8(v[2], three[k][2])));
            }
        }
        for (int k = 0; k < others; k++) {
            __m256i m = _mm256_cmpeq_epi8(v[0], other[k][0]);
            for (int b = 1; b < other_length[k]; b++) m = _mm256_and_si256(m, _mm256_cmpeq_epi8(v[b], other[k][b]));
            candidate = _mm256_or_si256(candidate, m);
        }
        uint32_t starts = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(v[0], top), continuation));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(candidate);
        while (mask) {
            unsigned j = (unsigned)__builtin_ctz(mask);
            size_t here = cp + (size_t)__builtin_popcount(starts & ((1u << j) - 1u));
            if (capacity - found < count) {
                *position = i + j;
                *code_point = here;
                return found;
            }
            if (masks) {
                uint64_t terms = other_terms;
                for (unsigned b = block_buckets[j]; b; b &= b - 1) terms |= bucket_terms[__builtin_ctz(b)];
                found += hits_of(text, n, i + j, here, bytes, offsets, terms, hits + found);
            } else {
                found += hits_at(text, n, i + j, here, bytes, offsets, count, hits + found);
            }
            mask &= mask - 1;
        }
        cp += (size_t)__builtin_popcount(starts);
        i += 32;
    }
    *position = i;
    *code_point = cp;
    return found + find_scalar(text, n, bytes, offsets, count, g, hits + found, capacity - found, position, code_point);
}
#endif

size_t tb_find_terms(const uint8_t *text, size_t n, const uint8_t *bytes, const size_t *offsets, size_t count,
                     tb_term_hit *hits, size_t capacity, size_t *position, size_t *code_point, int portable) {
    if (capacity < count || *position >= n) return 0;
    groups_t g;
    int fits = make_groups(bytes, offsets, count, &g);
#ifdef TB_X86_SIMD
    if (fits && !portable && tb_cpu_has_avx2()) return find_avx2(text, n, bytes, offsets, count, &g, hits, capacity, position, code_point);
#else
    (void)fits;
    (void)portable;
#endif
    return find_scalar(text, n, bytes, offsets, count, &g, hits, capacity, position, code_point);
}
