#ifndef CTAGBENCH_BYTES_H
#define CTAGBENCH_BYTES_H
// Byte algorithms, portable C with AVX2 paths chosen at run time (none with TB_PORTABLE).
#include <stddef.h>
#include <stdint.h>

/// Finds the first occurrence of `needle` in `haystack`; returns its byte offset or -1.
long tb_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// Finds the last `byte` in `haystack`; returns its byte offset or -1.
long tb_memrchr(const void *haystack, int byte, size_t haystack_len);

/// Bytes per block of the code-point index (`blocks[k]`: code points before byte k * TB_SCAN_BLOCK).
#define TB_SCAN_BLOCK 128
/// `tb_text_scan` result flag: the bytes are not well-formed UTF-8.
#define TB_SCAN_INVALID 1
/// `tb_text_scan` result flag: the bytes hold a NUL.
#define TB_SCAN_NUL 2

/// One pass over `n` bytes: returns TB_SCAN_* flags, sets `*code_points` (bytes that are not
/// UTF-8 continuation bytes) and, when `blocks` is not NULL, fills its (n + TB_SCAN_BLOCK - 1) /
/// TB_SCAN_BLOCK entries. Uses AVX2 when the processor has it.
int tb_text_scan(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points);

/// The same, a byte at a time (what `tb_text_scan` does without AVX2; tests compare the two).
int tb_text_scan_portable(const uint8_t *p, size_t n, int32_t *blocks, size_t *code_points);

/// The byte offset where code point `want` starts in well-formed UTF-8 `p[0..<n]`, counting on
/// from byte `byte`, where code point `code_point` (≤ `want`) starts; `want` must start before `n`.
size_t tb_code_point_start(const uint8_t *p, size_t n, size_t byte, size_t code_point, size_t want);

/// The number of code points in well-formed UTF-8 `p[0..<n]` that are whitespace as Python's
/// `str.isspace` sees them (the characters `agree` and the `bio` export leave out).
/// Uses AVX2 when the processor has it.
size_t tb_count_whitespace(const uint8_t *p, size_t n);

/// The same, a byte at a time (what `tb_count_whitespace` does without AVX2; tests compare the two).
size_t tb_count_whitespace_portable(const uint8_t *p, size_t n);

/// The length of the longest prefix of `p` that a JSON string holds as it is: no byte below
/// 0x20, no quote, no backslash. Uses AVX2 when the processor has it.
size_t tb_json_plain_prefix(const uint8_t *p, size_t n);

/// The same, 8 bytes at a time (what `tb_json_plain_prefix` does without AVX2; tests compare the two).
size_t tb_json_plain_prefix_portable(const uint8_t *p, size_t n);

/// The length of the longest prefix of `p` that HTML text or a quoted attribute value holds as
/// it is: no `&`, `<`, `>`, `"`, `'` or carriage return. Uses AVX2 when the processor has it.
size_t tb_html_plain_prefix(const uint8_t *p, size_t n);

/// The same, a byte at a time (what `tb_html_plain_prefix` does without AVX2; tests compare the two).
size_t tb_html_plain_prefix_portable(const uint8_t *p, size_t n);

/// Which of the fields that repeat from one annotation to the next hold an escape.
enum { TB_ESCAPED_DOC = 1, TB_ESCAPED_LABEL = 2, TB_ESCAPED_SOURCE = 4, TB_ESCAPED_ANNOTATOR = 8, TB_ESCAPED_TIME = 16 };

/// The keys of an annotation object, each with what goes before it, in the order the session
/// writer writes them (`AnnotationLayout`, which fills this): the reader takes them from there.
enum { TB_KEY_ID, TB_KEY_DOC, TB_KEY_START, TB_KEY_END, TB_KEY_LABEL, TB_KEY_TEXT, TB_KEY_PREFIX, TB_KEY_SUFFIX,
       TB_KEY_NOTE, TB_KEY_SOURCE, TB_KEY_ANNOTATOR, TB_KEY_TIME, TB_KEY_CLOSE, TB_KEY_COUNT };
typedef struct {
    const uint8_t *text[TB_KEY_COUNT];
    size_t length[TB_KEY_COUNT];
} tb_annotation_keys;

/// Sets key `index` (`TB_KEY_…`) of `keys`.
static inline void tb_annotation_keys_set(tb_annotation_keys *keys, int index, const uint8_t *text, size_t length) {
    keys->text[index] = text;
    keys->length[index] = length;
}

/// Where the fields of one annotation object are in a session file's bytes: strings as the
/// byte range of their contents (`prefix` and `suffix` as whole tokens, quotes included).
typedef struct {
    int64_t start, end;
    int64_t id[2], doc[2], label[2], text[2], prefix[2], suffix[2], note[2], source[2], annotator[2], time[2];
    int32_t has_note;
    /// `TB_ESCAPED_…` flags.
    int32_t escaped;
    /// The offset just after the object's closing brace.
    int64_t next;
} tb_annotation_line;

/// Reads the annotation object at `at` in `p[0..<n]` (spaces and line breaks before its `{`
/// skipped) when it is laid out exactly as tagbench writes it, with `keys`; returns 1 and fills
/// `out`, else 0. The id is given as the range of its string (its form is checked by the caller).
int tb_parse_annotation(const uint8_t *p, size_t n, size_t at, const tb_annotation_keys *keys, tb_annotation_line *out);

/// Most distinct first characters `tb_find_terms` compares 32 places at a time (more: one at a time).
#define TB_TERMS_SIMD_GROUPS 16

/// One occurrence found by `tb_find_terms`: which term, and the code-point offset it starts at.
typedef struct { int32_t term; int64_t start; } tb_term_hit;

/// Finds the terms (term t is bytes[offsets[t] ..< offsets[t + 1]]; empty ones never match) in
/// text[0 ..< n], resuming at byte *position with *code_point code points before it. Writes at
/// most `capacity` hits (at least `count` is needed), in order of their starts and, at one start,
/// in the terms' order; returns how many, leaving *position and *code_point where to go on
/// (*position == n when the text is done). `portable`: without SIMD, for tests.
size_t tb_find_terms(const uint8_t *text, size_t n, const uint8_t *bytes, const size_t *offsets, size_t count,
                     tb_term_hit *hits, size_t capacity, size_t *position, size_t *code_point, int portable);

/// Asks the processor to bring the cache line at `p` in for writing (a hint; never faults).
static inline void tb_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }
/// Asks the processor to bring `n` bytes from `p` into the cache for reading (hints; never faults).
static inline void tb_prefetch_range(const void *p, size_t n) {
    for (size_t i = 0; i < n; i += 64) __builtin_prefetch((const char *)p + i, 0, 3);
}

#endif
