/// What a name — a document id, a label or an alias — may hold: any text but control characters
/// (C0, DEL, C1: NUL corrupts files named after an id, ESC and BEL drive the terminal), line and
/// paragraph separators, and bidirectional formatting characters (U+202E shows a name reversed,
/// hiding what it is). Labels hold no whitespace either (`TagSet.add`). Names come in from file
/// names, imports, tag sets and session files, and are checked there; anything shown to the
/// terminal goes through `visible`, which also covers a refused name echoed by its error.
public enum Names {
    /// Whether a name may hold `scalar`.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return false
        case 0x2028, 0x2029: return false
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return false
        default: return true
        }
    }

    /// The first character `name` may not hold, nil when it may be a name.
    public static func firstForbidden(in name: String) -> Unicode.Scalar? {
        name.unicodeScalars.first { !isAllowed($0) }
    }

    /// Refuses a name that holds a forbidden character, as `invalidName(what:…)`.
    public static func check(_ name: String, as what: String) throws(TagbenchError) {
        if let bad = firstForbidden(in: name) { throw .invalidName(what: what, name: name, character: bad.value) }
    }

    /// Refuses a name that cannot be a label or alias: one holding a forbidden character
    /// (`invalidName`), an empty one or one with whitespace (`invalidLabelName`).
    public static func checkLabel(_ name: String) throws(TagbenchError) {
        try check(name, as: "label")
        if name.isEmpty || name.unicodeScalars.contains(where: { UTF8Bytes.isWhitespace($0.value) }) {
            throw .invalidLabelName(name)
        }
    }

    /// `text` safe to print on a terminal: every forbidden character but line feed and tab
    /// written as `\u{XX}`. Text with none is returned as it is (one pass, no copy).
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) && $0 != "\n" && $0 != "\t" }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isAllowed(s) || s == "\n" || s == "\t" {
                out.append(s)
                continue
            }
            out.append(contentsOf: escaped(s).unicodeScalars)
        }
        return String(out)
    }

    /// One scalar as views that place marks under the text character by character (`show`,
    /// `show dN`) draw it, and the columns that takes: a forbidden one as its escape, a tab as
    /// one space (a terminal would move it to a tab stop, and the marks after it with it).
    public static func visible(_ scalar: Unicode.Scalar) -> (text: String, columns: Int) {
        if scalar == "\t" { return (" ", 1) }
        if isAllowed(scalar) || scalar == "\n" { return (String(scalar), Format.columns(scalar)) }
        let text = escaped(scalar)
        return (text, text.utf8.count)
    }

    private static func escaped(_ s: Unicode.Scalar) -> String {
        "\\u{\(String(s.value, radix: 16, uppercase: true))}"
    }
}
