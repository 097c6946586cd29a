import TagbenchCore

/// The text of a full-screen frame (`review`, `adjudicate`): runs wrapped by display width
/// (CJK = 2) with the highlighted ones reversed, or in 【】 without colour; bold and dim.
struct ScreenText {
    let colour: Bool

    /// Runs of text wrapped to `width` columns; the highlighted runs reversed (or in 【】).
    func wrap(_ runs: [(String, Bool)], width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = 0
        var inHighlight = false
        func put(_ c: Character) {
            let w = Format.displayWidth(String(c))
            if used + w > width && used > 0 {
                if inHighlight && colour { line += "\u{1B}[0m" }
                lines.append(line)
                line = inHighlight && colour ? "\u{1B}[7m" : ""
                used = 0
            }
            line.append(c)
            used += w
        }
        for (text, highlighted) in runs {
            if highlighted {
                if colour {
                    line += "\u{1B}[7m"
                    inHighlight = true
                } else {
                    put("【")
                }
            }
            for c in text { put(c) }
            if highlighted {
                if colour {
                    line += "\u{1B}[0m"
                    inHighlight = false
                } else {
                    put("】")
                }
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The sentences (or paragraphs) `range` touches, or a stretch around it; a very long one
    /// cut around it.
    static func context(of range: TextRange, in document: Document, paragraph: Bool) -> TextRange {
        let units = paragraph ? document.paragraphs : document.sentences.map(\.range)
        let touching = units.filter { $0.start < range.end && range.start < $0.end }
        var shown =
            touching.isEmpty
            ? TextRange(max(0, range.start - 40), min(document.length, range.end + 40))
            : TextRange(min(touching[0].start, range.start), max(touching[touching.count - 1].end, range.end))
        let (longest, around) = paragraph ? (1_200, 500) : (400, 150)
        if shown.length > longest {
            shown = TextRange(max(shown.start, range.start - around), min(shown.end, range.end + around))
        }
        return shown
    }

    /// The text with line breaks as spaces (a frame's context is one run of lines).
    static func flat(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
    }

    func bold(_ s: String) -> String { colour ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }
    func dim(_ s: String) -> String { colour ? "\u{1B}[2m" + s + "\u{1B}[0m" : s }
}
