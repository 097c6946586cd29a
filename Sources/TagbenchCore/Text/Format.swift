/// Number and column formatting shared by the engine's reports and the CLI's renderer.
public enum Format {
    /// `12345` → `12,345`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `n` and the noun it counts, singular for one: `1 document`, `3,500 documents`,
    /// `2 matches` (with `plural: "matches"`). Every count in a message goes through it.
    public static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        grouped(n) + " " + agreeing(n, singular, plural)
    }

    /// The form of a word that agrees with `n`: `singular` for one, else `plural` (the singular
    /// and an s when not given); a verb too: `agreeing(n, "names", "name")`. The one place a
    /// message chooses between singular and plural.
    public static func agreeing(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        n == 1 ? singular : plural ?? singular + "s"
    }

    /// Whether East Asian Ambiguous characters (“ ” · — … │ °; `EastAsianWidth`) take two
    /// columns, as in terminals set to draw them wide, in every measure here: wrapping, padding,
    /// truncation. The CLI sets it once, at the start of the process and before any other thread
    /// measures text, from `TAGBENCH_AMBIGUOUS_WIDTH=2`; nothing changes it after.
    nonisolated(unsafe) public static var ambiguousIsWide = false

    /// Terminal columns a scalar takes: 2 for East Asian wide and fullwidth (and ambiguous, when
    /// `ambiguousWide`), 0 for combining marks and controls, else 1.
    public static func columns(_ scalar: Unicode.Scalar, ambiguousWide: Bool = ambiguousIsWide) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0xA1 { return 1 }
        // The common ideographs first: they are neither marks nor ambiguous.
        if v >= 0x4E00 && v <= 0x9FFF { return 2 }
        if v < 0x300 { return ambiguousWide && EastAsianWidth.isAmbiguous(v) ? 2 : 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x2E80...0x303E, 0x3041...0x33FF,
            0x3400...0x4DBF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD,
            0x30000...0x3FFFD:
            return 2
        default:
            return ambiguousWide && EastAsianWidth.isAmbiguous(v) ? 2 : 1
        }
    }

    /// Terminal columns a string takes.
    public static func displayWidth(_ s: String, ambiguousWide: Bool = ambiguousIsWide) -> Int {
        s.unicodeScalars.reduce(0) { $0 + columns($1, ambiguousWide: ambiguousWide) }
    }
    /// `text` on one line, each line break (`\r\n`, `\n`, `\r`) drawn as `⏎`: for listings that
    /// give an item one row (a hit or a span may hold a line break; the data keeps it).
    public static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? "⏎" : $0 })
    }

    /// `s` cut to at most `width` columns, ending in `…` when cut (`…` is ambiguous: it takes
    /// two columns where those are wide).
    public static func truncated(_ s: String, toWidth width: Int, ambiguousWide: Bool = ambiguousIsWide) -> String {
        guard displayWidth(s, ambiguousWide: ambiguousWide) > width else { return s }
        let room = width - displayWidth("…", ambiguousWide: ambiguousWide)
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in s.unicodeScalars {
            let w = columns(scalar, ambiguousWide: ambiguousWide)
            if used + w > room { break }
            out.append(scalar)
            used += w
        }
        return String(out) + "…"
    }

    /// `s` followed by spaces up to `width` columns.
    public static func padded(_ s: String, to width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - displayWidth(s)))
    }

    /// Spaces then `s`, up to `width` columns.
    public static func leftPadded(_ s: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - displayWidth(s))) + s
    }
}
