import CTagbenchBytes
#if canImport(Glibc)
    import Glibc
#endif

/// Reads an annotation object laid out exactly as `SessionFileWriter` writes it, straight from
/// the file's bytes (invariants: `AnnotationLayout`); anything else is left to the general reader.
struct AnnotationLayoutReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The writer's keys, for the C part of the reader.
    private var keys = AnnotationLayout.cKeys()
    /// For the general reader, when it takes an object.
    private var repeated = RepeatedStrings()
    /// A field that usually repeats: its last value and where it was written.
    private struct Repeated {
        var token = 0..<0
        var value = ""
    }
    private var doc = Repeated(), label = Repeated(), source = Repeated(), annotator = Repeated(), time = Repeated()

    /// A reader over a whole session file (which outlives it: `bytes` is not copied).
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The annotation object at the reader: as written, straight from the bytes, else by the
    /// general reader; the reader is left after it.
    mutating func readOrFallBack(_ reader: inout JSONReader, orphan: Bool) throws(TagbenchError) -> RawAnnotation {
        if let (annotation, end) = read(at: reader.offset, orphan: orphan) {
            reader.seek(to: end)
            return annotation
        }
        return try SessionFileReader.readAnnotation(&reader, orphan: orphan, repeated: &repeated)
    }

    /// The annotation whose object starts at `start` (spaces and line breaks before its `{` are
    /// skipped), and the offset after its `}`; nil when it is not in the written layout.
    /// The fields are found by `tb_parse_annotation` (C) in one call.
    mutating func read(at start: Int, orphan: Bool) -> (annotation: RawAnnotation, end: Int)? {
        var line = tb_annotation_line()
        guard let base = bytes.baseAddress, tb_parse_annotation(base, bytes.count, start, &keys, &line) == 1 else {
            return nil
        }
        func range(_ token: (Int64, Int64)) -> Range<Int> { Int(token.0)..<Int(token.1) }
        var annotation = RawAnnotation()
        annotation.orphan = orphan
        annotation.number = annotationNumber(UnsafeBufferPointer(rebasing: bytes[range(line.id)]))
        if annotation.number == nil { return nil }
        annotation.start = Int(line.start)
        annotation.end = Int(line.end)
        let escaped = Int(line.escaped)
        guard Self.reuse(&doc, range(line.doc), escaped: escaped & Int(TB_ESCAPED_DOC) != 0, in: bytes),
            Self.reuse(&label, range(line.label), escaped: escaped & Int(TB_ESCAPED_LABEL) != 0, in: bytes),
            Self.reuse(&source, range(line.source), escaped: escaped & Int(TB_ESCAPED_SOURCE) != 0, in: bytes),
            Self.reuse(&annotator, range(line.annotator), escaped: escaped & Int(TB_ESCAPED_ANNOTATOR) != 0, in: bytes),
            Self.reuse(&time, range(line.time), escaped: escaped & Int(TB_ESCAPED_TIME) != 0, in: bytes)
        else { return nil }
        annotation.doc = doc.value
        annotation.label = label.value
        annotation.source = source.value
        annotation.annotator = annotator.value
        annotation.time = time.value
        annotation.text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range(line.text)]), as: UTF8.self)
        if line.has_note != 0 {
            annotation.note = String(decoding: UnsafeBufferPointer(rebasing: bytes[range(line.note)]), as: UTF8.self)
        }
        annotation.prefix = range(line.prefix)
        annotation.suffix = range(line.suffix)
        return (annotation, Int(line.next))
    }

    /// The value of a string field that usually repeats, whose contents are at `token`: the value
    /// before when the written bytes are the same (no new string), else decoded. Static, with
    /// `bytes` passed: a method of `self` changing a field of `self` would make Swift copy the
    /// whole reader on every call.
    private static func reuse(
        _ field: inout Repeated, _ token: Range<Int>, escaped: Bool, in bytes: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let count = token.count
        let same =
            field.token.count == count
            && (count == 0
                || memcmp(bytes.baseAddress! + field.token.lowerBound, bytes.baseAddress! + token.lowerBound, count)
                    == 0)
        if !same {
            if escaped {
                // Rare (a value seen for the first time): the general reader decodes the escapes.
                guard
                    var reader = try? JSONReader(
                        bytes: Array(bytes[(token.lowerBound - 1)...token.upperBound]), path: ""),
                    let value = try? reader.readString()
                else { return false }
                field.value = value
            } else {
                field.value = String(decoding: UnsafeBufferPointer(rebasing: bytes[token]), as: UTF8.self)
            }
            field.token = token
        }
        return true
    }
}
