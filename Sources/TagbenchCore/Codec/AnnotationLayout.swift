import CTagbenchShims

/// How an annotation object is laid out in a session file: the writer writes these and the
/// layout reader recognises exactly these, so the two cannot drift apart. Each is written whole
/// (one copy, not a key built a byte at a time), and a value follows each.
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
            (Int32(TB_KEY_LABEL), label), (Int32(TB_KEY_TEXT), text), (Int32(TB_KEY_PREFIX), prefix), (Int32(TB_KEY_SUFFIX), suffix),
            (Int32(TB_KEY_NOTE), note), (Int32(TB_KEY_SOURCE), source), (Int32(TB_KEY_ANNOTATOR), annotator),
            (Int32(TB_KEY_TIME), time), (Int32(TB_KEY_CLOSE), close),
        ]
        precondition(ordered.count == Int(TB_KEY_COUNT), "every key of the layout given to the reader")
        for (index, key) in ordered { tb_annotation_keys_set(&keys, index, key.utf8Start, key.utf8CodeUnitCount) }
        return keys
    }
}
