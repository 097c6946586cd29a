import CTagbenchBytes

/// How an annotation object is laid out in a session file: `SessionFileWriter` writes exactly
/// these pieces, and the fast path in this folder reads exactly them.
///
/// The fast path's invariants (everything else is the general reader's, which takes any JSON):
/// - `AnnotationLayoutReader` with `tb_parse_annotation` (`CTagbenchBytes/FastPath`) accepts an
///   object only with these keys, in this order, spaced as here; the id `aN`; integers unsigned,
///   at most 18 digits, no leading zero; no escape in text, prefix, suffix or note. It returns
///   nil for any other object, which the general reader then reads.
/// - `AnnotationSplitter` cuts only an annotations list of over 1 MB, and only at `,\n    {`:
///   a raw line break is never inside a JSON string, so as written that is always between two
///   elements. If any piece fails, or the list does not close where it ends, the whole list is
///   read again in order (so that an error names its exact line and column).
/// - Both give exactly what the general reader gives, field for field, or decline:
///   `FastPathEqualityTests` proves it on sessions as written and laid out otherwise.
enum AnnotationLayout {
    static let id: StaticString = "{\"id\": "
    static let doc: StaticString = ", \"doc\": "
    static let start: StaticString = ", \"start\": "
    static let end: StaticString = ", \"end\": "
    static let label: StaticString = ", \"label\": "
    static let text: StaticString = ", \"text\": "
    static let prefix: StaticString = ", \"prefix\": "
    static let suffix: StaticString = ", \"suffix\": "
    static let note: StaticString = ", \"note\": "
    static let source: StaticString = ", \"source\": "
    static let annotator: StaticString = ", \"annotator\": "
    static let time: StaticString = ", \"time\": "
    static let close: StaticString = "}"

    /// The keys as `tb_parse_annotation` (the layout reader's C part) takes them.
    static func cKeys() -> tb_annotation_keys {
        var keys = tb_annotation_keys()
        let ordered: [(Int32, StaticString)] = [
            (Int32(TB_KEY_ID), id), (Int32(TB_KEY_DOC), doc), (Int32(TB_KEY_START), start), (Int32(TB_KEY_END), end),
            (Int32(TB_KEY_LABEL), label), (Int32(TB_KEY_TEXT), text), (Int32(TB_KEY_PREFIX), prefix),
            (Int32(TB_KEY_SUFFIX), suffix),
            (Int32(TB_KEY_NOTE), note), (Int32(TB_KEY_SOURCE), source), (Int32(TB_KEY_ANNOTATOR), annotator),
            (Int32(TB_KEY_TIME), time), (Int32(TB_KEY_CLOSE), close)
        ]
        precondition(ordered.count == Int(TB_KEY_COUNT), "every key of the layout given to the reader")
        for (index, key) in ordered { tb_annotation_keys_set(&keys, index, key.utf8Start, key.utf8CodeUnitCount) }
        return keys
    }
}
