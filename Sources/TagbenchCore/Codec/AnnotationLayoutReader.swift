import CTagbenchShims
#if canImport(Glibc)
import Glibc
#endif

/// Reads an annotation object laid out exactly as `SessionCodec` writes it, straight from the
/// file's bytes: the keys in their order with one space after each colon and comma, integers
/// without signs, and escapes only in the fields that repeat from one annotation to the next.
///
/// Opening a session is mostly reading its annotations, and a general reader spends its time
/// turning every key into a string and comparing it with each field's name. Anything laid out
/// otherwise (a hand-edited file, an escape in a string) makes `read` return nil, and the general
/// reader takes that object: both give the same annotation for the same object.
struct AnnotationLayoutReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// For the general reader, when it takes an object.
    var repeated = RepeatedStrings()
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

    /// The annotation whose object starts at `start` (spaces and line breaks before its `{` are
    /// skipped), and the offset after its `}`; nil when it is not in the written layout.
    mutating func read(at start: Int, orphan: Bool) -> (annotation: RawAnnotation, end: Int)? {
        var p = start
        while p < bytes.count, bytes[p] == 0x20 || bytes[p] == 0x0A { p += 1 }
        var a = RawAnnotation()
        a.orphan = orphan
        guard literal(AnnotationLayout.id, at: &p), quote(at: &p), let idEnd = plainEnd(from: p) else { return nil }
        a.number = annotationNumber(UnsafeBufferPointer(rebasing: bytes[p..<idEnd]))
        if a.number == nil { return nil }
        p = idEnd + 1
        guard literal(AnnotationLayout.doc, at: &p), quote(at: &p), Self.reuse(&doc, in: bytes, at: &p) else { return nil }
        a.doc = doc.value
        guard literal(AnnotationLayout.start, at: &p), let start = integer(at: &p) else { return nil }
        a.start = start
        guard literal(AnnotationLayout.end, at: &p), let end = integer(at: &p) else { return nil }
        a.end = end
        guard literal(AnnotationLayout.label, at: &p), quote(at: &p), Self.reuse(&label, in: bytes, at: &p) else { return nil }
        a.label = label.value
        guard literal(AnnotationLayout.text, at: &p), quote(at: &p), let text = string(at: &p) else { return nil }
        a.text = text
        guard literal(AnnotationLayout.prefix, at: &p), let prefix = token(at: &p) else { return nil }
        a.prefix = prefix
        guard literal(AnnotationLayout.suffix, at: &p), let suffix = token(at: &p) else { return nil }
        a.suffix = suffix
        if literal(AnnotationLayout.note, at: &p) {
            guard quote(at: &p), let note = string(at: &p) else { return nil }
            a.note = note
        }
        guard literal(AnnotationLayout.source, at: &p), quote(at: &p), Self.reuse(&source, in: bytes, at: &p) else { return nil }
        a.source = source.value
        guard literal(AnnotationLayout.annotator, at: &p), quote(at: &p), Self.reuse(&annotator, in: bytes, at: &p) else { return nil }
        a.annotator = annotator.value
        guard literal(AnnotationLayout.time, at: &p), quote(at: &p), Self.reuse(&time, in: bytes, at: &p) else { return nil }
        a.time = time.value
        guard literal(AnnotationLayout.close, at: &p) else { return nil }
        return (a, p)
    }

    /// Consumes `text` if the bytes at `p` are exactly it.
    private func literal(_ text: StaticString, at p: inout Int) -> Bool {
        let n = text.utf8CodeUnitCount
        guard p + n <= bytes.count, memcmp(bytes.baseAddress! + p, text.utf8Start, n) == 0 else { return false }
        p += n
        return true
    }

    /// Consumes the opening quote of a string.
    private func quote(at p: inout Int) -> Bool {
        guard p < bytes.count, bytes[p] == 0x22 else { return false }
        p += 1
        return true
    }

    /// The offset of the closing quote of a string whose contents start at `p`, when no escape
    /// or control byte comes first.
    private func plainEnd(from p: Int) -> Int? {
        Self.plainEnd(in: bytes, from: p)
    }

    /// `plainEnd(from:)`, 32 bytes a step (`tb_json_plain_prefix`): the context strings and the
    /// fields that repeat are most of an annotation's bytes.
    private static func plainEnd(in bytes: UnsafeBufferPointer<UInt8>, from p: Int) -> Int? {
        guard p < bytes.count else { return nil }
        let q = p + tb_json_plain_prefix(bytes.baseAddress! + p, bytes.count - p)
        return q < bytes.count && bytes[q] == 0x22 ? q : nil
    }

    /// The string whose contents start at `p`; `p` moves past its closing quote.
    private func string(at p: inout Int) -> String? {
        guard let end = plainEnd(from: p) else { return nil }
        let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[p..<end]), as: UTF8.self)
        p = end + 1
        return s
    }

    /// The string whose contents start at `p`, escapes allowed: the value before when the
    /// written bytes are the same (no new string), else decoded; `p` moves past its closing quote.
    /// Static, with `bytes` passed: a method of `self` changing a field of `self` would make
    /// Swift copy the whole reader on every call.
    private static func reuse(_ field: inout Repeated, in bytes: UnsafeBufferPointer<UInt8>, at p: inout Int) -> Bool {
        var end = p
        var escaped = false
        if let plain = plainEnd(in: bytes, from: p) {
            end = plain
        } else {
            while true {
                guard end < bytes.count, bytes[end] >= 0x20 else { return false }
                if bytes[end] == 0x22 { break }
                if bytes[end] == 0x5C { escaped = true; end += 1 }
                end += 1
            }
        }
        let count = end - p
        let same = field.token.count == count && (count == 0 || memcmp(bytes.baseAddress! + field.token.lowerBound, bytes.baseAddress! + p, count) == 0)
        if !same {
            if escaped {
                // Rare (a value seen for the first time): the general reader decodes the escapes.
                guard var reader = try? JSONReader(bytes: Array(bytes[(p - 1)...end]), path: ""), let value = try? reader.readString() else { return false }
                field.value = value
            } else {
                field.value = String(decoding: UnsafeBufferPointer(rebasing: bytes[p..<end]), as: UTF8.self)
            }
            field.token = p..<end
        }
        p = end + 1
        return true
    }

    /// A whole string token, quotes included (context, decoded only if it is ever needed).
    private func token(at p: inout Int) -> Range<Int>? {
        guard p < bytes.count, bytes[p] == 0x22, let end = plainEnd(from: p + 1) else { return nil }
        defer { p = end + 1 }
        return p..<(end + 1)
    }

    /// A non-negative integer of at most 18 digits.
    private func integer(at p: inout Int) -> Int? {
        var value = 0
        var q = p
        while q < bytes.count, q - p < 18, bytes[q] >= 0x30, bytes[q] <= 0x39 {
            value = value * 10 + Int(bytes[q] - 0x30)
            q += 1
        }
        // A leading zero, a sign, a fraction or more digits: the general reader decides.
        guard q > p, q < bytes.count, bytes[q] == 0x2C || bytes[q] == 0x7D, !(bytes[p] == 0x30 && q - p > 1) else { return nil }
        p = q
        return value
    }
}
