// SHA-256 (FIPS 180-4): the processor's SHA extensions where it has them, else portable C.
#include <string.h>
#include "CTagbenchSHA256.h"

// TB_SHA_NI: the SHA-extensions path is compiled, to be chosen at run time. Not with -DTB_PORTABLE
// (make test-portable): then only the portable code is built and run.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(TB_PORTABLE)
#define TB_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void blocks_portable(uint32_t state[8], const uint8_t *p, size_t blocks) {
    for (; blocks > 0; blocks--, p += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++)
            w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#ifdef TB_SHA_NI
#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// The state as the SHA instructions hold it: ABEF and CDGH.
typedef struct { __m128i abef, cdgh; } ni_state;

SHA_TARGET static inline ni_state ni_load(const uint32_t s[8]) {
    __m128i dcba = _mm_loadu_si128((const __m128i *)&s[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&s[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    ni_state n = { _mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0) };
    return n;
}

SHA_TARGET static inline void ni_store(uint32_t s[8], ni_state n) {
    __m128i feba = _mm_shuffle_epi32(n.abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(n.cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&s[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&s[4], _mm_alignr_epi8(dchg, feba, 8));
}

SHA_TARGET static void blocks_ni(uint32_t state[8], const uint8_t *p, size_t blocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    ni_state st = ni_load(state);
    for (; blocks > 0; blocks--, p += 64) {
        // The message schedule four words at a time, in a window of the last four groups.
        __m128i w[4];
        ni_state saved = st;
        _Pragma("clang loop unroll(full)")
        for (int i = 0; i < 16; i++) {
            __m128i x;
            if (i < 4) {
                x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), swap);
            } else {
                // w[t-16] + s0(w[t-15]), + w[t-7], then + s1(w[t-2]).
                x = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
                x = _mm_sha256msg2_epu32(x, w[(i + 3) & 3]);
            }
            w[i & 3] = x;
            __m128i wk = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)&K[4 * i]));
            st.cdgh = _mm_sha256rnds2_epu32(st.cdgh, st.abef, wk);
            st.abef = _mm_sha256rnds2_epu32(st.abef, st.cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
        st.abef = _mm_add_epi32(st.abef, saved.abef);
        st.cdgh = _mm_add_epi32(st.cdgh, saved.cdgh);
    }
    ni_store(state, st);
}

#endif

#ifdef TB_SHA_NI
static int detect_sha(void) {
    unsigned int a, b, c, d;
    // The SHA round code also uses SSSE3 and SSE4.1 shuffles and blends.
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3)) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_SHA) != 0;
}

// Decided once; threads that race here all store the same answer.
int tb_sha256_hardware(void) {
    static int sha = -1;
    int answer = __atomic_load_n(&sha, __ATOMIC_RELAXED);
    if (answer < 0) {
        answer = detect_sha();
        __atomic_store_n(&sha, answer, __ATOMIC_RELAXED);
    }
    return answer;
}
#else
int tb_sha256_hardware(void) { return 0; }
#endif

static void blocks(const tb_sha256 *h, uint32_t state[8], const uint8_t *p, size_t n) {
    if (n == 0) return;
#ifdef TB_SHA_NI
    if (!h->portable && tb_sha256_hardware()) { blocks_ni(state, p, n); return; }
#endif
    blocks_portable(state, p, n);
}

void tb_sha256_init(tb_sha256 *h) {
    memcpy(h->state, H0, sizeof H0);
    h->length = 0;
    h->buffered = 0;
    h->portable = 0;
}

void tb_sha256_init_portable(tb_sha256 *h) {
    tb_sha256_init(h);
    h->portable = 1;
}

void tb_sha256_update(tb_sha256 *h, const void *data, size_t n) {
    const uint8_t *p = data;
    h->length += n;
    if (h->buffered > 0) {
        size_t take = 64 - h->buffered < n ? 64 - h->buffered : n;
        memcpy(h->buffer + h->buffered, p, take);
        h->buffered += take;
        p += take;
        n -= take;
        if (h->buffered < 64) return;
        blocks(h, h->state, h->buffer, 1);
        h->buffered = 0;
    }
    blocks(h, h->state, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    memcpy(h->buffer, p, n);
    h->buffered = n;
}

void tb_sha256_final(tb_sha256 *h, uint8_t digest[32]) {
    uint64_t bits = h->length * 8;
    uint8_t pad[72] = { 0x80 };
    // Up to 56 mod 64, then the length in bits, big-endian.
    size_t padding = (h->buffered < 56 ? 56 : 120) - h->buffered;
    for (int i = 0; i < 8; i++) pad[padding + i] = (uint8_t)(bits >> (56 - 8 * i));
    uint64_t length = h->length;
    tb_sha256_update(h, pad, padding + 8);
    h->length = length;
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(h->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(h->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(h->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)h->state[i];
    }
}

void tb_sha256_digest(const void *data, size_t n, uint8_t digest[32]) {
    tb_sha256 h;
    tb_sha256_init(&h);
    tb_sha256_update(&h, data, n);
    tb_sha256_final(&h, digest);
}
