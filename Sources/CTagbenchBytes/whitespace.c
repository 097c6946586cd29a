// Counting whitespace code points as Python's `str.isspace` sees them (Unicode White_Space plus
// U+001C–U+001F), in well-formed UTF-8: `agree` weighs every character but whitespace, over
// whole corpora, so this runs over every byte of every common document.
//
// Branch-free per byte so that the compiler vectorises it: a byte counts when it is an ASCII
// whitespace byte, or the lead byte of a multi-byte whitespace sequence followed by its bytes.
// The multi-byte ones are U+0085 and U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000–U+200A
// (E2 80 80–8A), U+2028, U+2029, U+202F (E2 80 A8, A9, AF), U+205F (E2 81 9F), U+3000 (E3 80 80).
#include "CTagbenchBytes.h"

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

size_t tb_count_whitespace(const uint8_t *p, size_t n) {
    size_t count = 0;
    size_t i = 0;
    // The body reads two bytes ahead with no bounds checks; the last two bytes are checked.
    if (n > 2) {
        for (; i < n - 2; i++) {
            uint8_t b = p[i], b1 = p[i + 1], b2 = p[i + 2];
            count += ((uint8_t)(b - 0x09) < 5) | ((uint8_t)(b - 0x1C) < 5);
            count += (b == 0xC2) & ((b1 == 0x85) | (b1 == 0xA0));
            count += (b == 0xE1) & (b1 == 0x9A) & (b2 == 0x80);
            count += (b == 0xE2) & (((b1 == 0x80) & (((uint8_t)(b2 - 0x80) <= 0x0A) | (b2 == 0xA8) | (b2 == 0xA9) | (b2 == 0xAF)))
                                    | ((b1 == 0x81) & (b2 == 0x9F)));
            count += (b == 0xE3) & (b1 == 0x80) & (b2 == 0x80);
        }
    }
    for (; i < n; i++) count += whitespace_at(p, i, n);
    return count;
}
