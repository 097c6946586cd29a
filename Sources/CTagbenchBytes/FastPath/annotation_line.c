// One annotation object of a session file, laid out exactly as tagbench writes it, found in
// one call; 0 for anything else. Its invariants, and the test that proves it reads what the
// general reader reads: `AnnotationLayout` (Sources/TagbenchCore/Codec/FastPath).
#include <stdint.h>
#include <string.h>
#include "CTagbenchBytes.h"
#include "../cpu.h"

typedef struct {
    const uint8_t *p;
    size_t n;
    size_t at;
    int avx2;
    const tb_annotation_keys *keys;
} cursor;

// Consumes key `k` (`TB_KEY_…`) if the bytes at the cursor are exactly it.
static int key(cursor *c, int k) {
    size_t length = c->keys->length[k];
    if (c->at + length > c->n || memcmp(c->p + c->at, c->keys->text[k], length) != 0) return 0;
    c->at += length;
    return 1;
}

// The offset of the closing quote of a string whose contents start at `from`, when no escape or
// control byte comes first; (size_t)-1 otherwise.
static size_t plain_end(const cursor *c, size_t from) {
    if (from >= c->n) return (size_t)-1;
    size_t run = c->avx2 ? tb_json_plain_prefix_avx2_internal(c->p + from, c->n - from)
                         : tb_json_plain_prefix_portable(c->p + from, c->n - from);
    size_t q = from + run;
    return q < c->n && c->p[q] == '"' ? q : (size_t)-1;
}

// A string after its opening quote, with no escape: its contents' range.
static int plain_string(cursor *c, int64_t range[2]) {
    if (c->at >= c->n || c->p[c->at] != '"') return 0;
    size_t end = plain_end(c, c->at + 1);
    if (end == (size_t)-1) return 0;
    range[0] = (int64_t)(c->at + 1);
    range[1] = (int64_t)end;
    c->at = end + 1;
    return 1;
}

// A string that may hold escapes (its bytes all at least 0x20): its contents' range; `escaped`
// set when it holds one.
static int any_string(cursor *c, int64_t range[2], int *escaped) {
    if (c->at >= c->n || c->p[c->at] != '"') return 0;
    size_t from = c->at + 1, end = plain_end(c, from);
    *escaped = 0;
    if (end == (size_t)-1) {
        end = from;
        for (;;) {
            if (end >= c->n || c->p[end] < 0x20) return 0;
            if (c->p[end] == '"') break;
            if (c->p[end] == '\\') { *escaped = 1; end++; }
            end++;
        }
    }
    range[0] = (int64_t)from;
    range[1] = (int64_t)end;
    c->at = end + 1;
    return 1;
}

// A non-negative integer of at most 18 digits, followed by ',' or '}', without a leading zero.
static int integer(cursor *c, int64_t *value) {
    size_t q = c->at;
    int64_t v = 0;
    while (q < c->n && q - c->at < 18 && c->p[q] >= '0' && c->p[q] <= '9') v = v * 10 + (c->p[q++] - '0');
    if (q == c->at || q >= c->n || (c->p[q] != ',' && c->p[q] != '}') || (c->p[c->at] == '0' && q - c->at > 1)) return 0;
    c->at = q;
    *value = v;
    return 1;
}

int tb_parse_annotation(const uint8_t *p, size_t n, size_t at, const tb_annotation_keys *keys, tb_annotation_line *out) {
    cursor c = { p, n, at, tb_cpu_has_avx2(), keys };
    while (c.at < n && (p[c.at] == ' ' || p[c.at] == '\n')) c.at++;
    int escaped = 0;
    out->escaped = 0;
    if (!key(&c, TB_KEY_ID) || !plain_string(&c, out->id)) return 0;
    if (!key(&c, TB_KEY_DOC) || !any_string(&c, out->doc, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_DOC : 0;
    if (!key(&c, TB_KEY_START) || !integer(&c, &out->start)) return 0;
    if (!key(&c, TB_KEY_END) || !integer(&c, &out->end)) return 0;
    if (!key(&c, TB_KEY_LABEL) || !any_string(&c, out->label, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_LABEL : 0;
    if (!key(&c, TB_KEY_TEXT) || !plain_string(&c, out->text)) return 0;
    // The context strings as whole tokens, quotes included (decoded only if ever needed).
    if (!key(&c, TB_KEY_PREFIX) || !plain_string(&c, out->prefix)) return 0;
    out->prefix[0]--, out->prefix[1]++;
    if (!key(&c, TB_KEY_SUFFIX) || !plain_string(&c, out->suffix)) return 0;
    out->suffix[0]--, out->suffix[1]++;
    out->has_note = 0;
    if (key(&c, TB_KEY_NOTE)) {
        if (!plain_string(&c, out->note)) return 0;
        out->has_note = 1;
    }
    if (!key(&c, TB_KEY_SOURCE) || !any_string(&c, out->source, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_SOURCE : 0;
    if (!key(&c, TB_KEY_ANNOTATOR) || !any_string(&c, out->annotator, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_ANNOTATOR : 0;
    if (!key(&c, TB_KEY_TIME) || !any_string(&c, out->time, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_TIME : 0;
    if (!key(&c, TB_KEY_CLOSE)) return 0;
    out->next = (int64_t)c.at;
    return 1;
}
