import CTagbenchBytes

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
        var i = 0
        while i < n {
            // The runs that need no escape are found 32 bytes a step (`html_plain.c`).
            let run = tb_html_plain_prefix(base + i, n - i)
            if run > 0 { raw(UnsafeBufferPointer(start: base + i, count: run)) }
            i += run
            guard i < n else { return }
            switch base[i] {
            case 0x26: raw("&amp;")
            case 0x3C: raw("&lt;")
            case 0x3E: raw("&gt;")
            case 0x22: raw("&quot;")
            case 0x27: raw("&#39;")
            default: raw("&#13;")
            }
            i += 1
        }
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
