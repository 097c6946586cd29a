/// HTML through the same byte builder as JSON (`raw` for markup, `int` for numbers): text and
/// attribute values escaped, with the runs that need no escape copied whole (a report holds the
/// whole corpus; a String built a character at a time was far too slow for it).
extension JSONWriter {
    /// Appends `text` escaped, fit for element content and for a quoted attribute value.
    public mutating func html(_ text: String) {
        var text = text
        text.withUTF8 { html(utf8: $0) }
    }

    /// Appends UTF-8 bytes escaped: `&`, `<`, `>`, `"` and `'` as character references, and a
    /// carriage return as `&#13;` (the parser turns a literal one into a line feed, and a span's
    /// text must come out of the page exactly as it is in the document).
    public mutating func html(utf8 source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress else { return }
        let n = source.count
        var runStart = 0
        for i in 0..<n {
            let b = base[i]
            // Every byte that needs an escape is below 0x3F: one compare lets CJK text through.
            guard b < 0x3F && (b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0x0D) else {
                continue
            }
            if i > runStart { raw(UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
            switch b {
            case 0x26: raw("&amp;")
            case 0x3C: raw("&lt;")
            case 0x3E: raw("&gt;")
            case 0x22: raw("&quot;")
            case 0x27: raw("&#39;")
            default: raw("&#13;")
            }
            runStart = i + 1
        }
        if n > runStart { raw(UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
    }

    /// `text` escaped as `html(_:)` escapes it, for markup built by interpolation.
    public static func escapedHTML(_ text: String) -> String {
        var w = JSONWriter(capacity: text.utf8.count + 16)
        w.html(text)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// A tag-set colour fit for CSS: `#rrggbb` as it is, anything else grey (a colour is copied
    /// into a style sheet, where escaping would not make it safe).
    public static func cssColour(_ text: String) -> String {
        let digits = text.utf8.dropFirst()
        guard text.utf8.first == UInt8(ascii: "#"), digits.count == 6,
            digits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
        else { return "#888888" }
        return text
    }
}
