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
}
