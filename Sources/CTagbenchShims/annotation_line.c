// One annotation object of a session file, laid out exactly as tagbench writes it, found in
// one call: the keys in their order with one space after each colon and comma, integers without
// signs, escapes only in the fields that repeat from one annotation to the next. Opening a
// session is mostly this, for every annotation; in Swift each literal, string and integer was a
// call of its own. Anything laid out otherwise returns 0, and the Swift side's general reader
// takes the object.
#include <stdint.h>
#include <string.h>
#include "CTagbenchShims.h"
#include "cpu.h"

typedef struct {
    const uint8_t *p;
    size_t n;
    size_t at;
    int avx2;
} cursor;

static int literal(cursor *c, const char *text, size_t length) {
    if (c->at + length > c->n || memcmp(c->p + c->at, text, length) != 0) return 0;
    c->at += length;
    return 1;
}
#define LITERAL(c, s) literal((c), (s), sizeof(s) - 1)

size_t tb_json_plain_prefix_avx2_internal(const uint8_t *p, size_t n);

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

int tb_parse_annotation(const uint8_t *p, size_t n, size_t at, tb_annotation_line *out) {
    cursor c = { p, n, at, tb_cpu_has_avx2() };
    while (c.at < n && (p[c.at] == ' ' || p[c.at] == '\n')) c.at++;
    int escaped = 0;
    out->escaped = 0;
    // The id: "a" and digits, no leading zero, 1 to 18 digits.
    int64_t id[2];
    if (!LITERAL(&c, "{\"id\": ") || !plain_string(&c, id)) return 0;
    size_t length = (size_t)(id[1] - id[0]);
    if (length < 2 || length > 19 || p[id[0]] != 'a' || p[id[0] + 1] == '0') return 0;
    int64_t number = 0;
    for (size_t k = (size_t)id[0] + 1; k < (size_t)id[1]; k++) {
        if (p[k] < '0' || p[k] > '9') return 0;
        number = number * 10 + (p[k] - '0');
    }
    out->number = number;
    if (!LITERAL(&c, ", \"doc\": ") || !any_string(&c, out->doc, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_DOC : 0;
    if (!LITERAL(&c, ", \"start\": ") || !integer(&c, &out->start)) return 0;
    if (!LITERAL(&c, ", \"end\": ") || !integer(&c, &out->end)) return 0;
    if (!LITERAL(&c, ", \"label\": ") || !any_string(&c, out->label, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_LABEL : 0;
    if (!LITERAL(&c, ", \"text\": ") || !plain_string(&c, out->text)) return 0;
    // The context strings as whole tokens, quotes included (decoded only if ever needed).
    if (!LITERAL(&c, ", \"prefix\": ") || !plain_string(&c, out->prefix)) return 0;
    out->prefix[0]--, out->prefix[1]++;
    if (!LITERAL(&c, ", \"suffix\": ") || !plain_string(&c, out->suffix)) return 0;
    out->suffix[0]--, out->suffix[1]++;
    out->has_note = 0;
    if (LITERAL(&c, ", \"note\": ")) {
        if (!plain_string(&c, out->note)) return 0;
        out->has_note = 1;
    }
    if (!LITERAL(&c, ", \"source\": ") || !any_string(&c, out->source, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_SOURCE : 0;
    if (!LITERAL(&c, ", \"annotator\": ") || !any_string(&c, out->annotator, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_ANNOTATOR : 0;
    if (!LITERAL(&c, ", \"time\": ") || !any_string(&c, out->time, &escaped)) return 0;
    out->escaped |= escaped ? TB_ESCAPED_TIME : 0;
    if (!LITERAL(&c, "}")) return 0;
    out->next = (int64_t)c.at;
    return 1;
}
