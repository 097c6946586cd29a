import TagbenchCore

/// One frame of `review`: where the suggestion is in the queue, the sentence (or paragraph, on
/// `p`) around it with the candidate highlighted, its label, and the keys; lines wrapped by
/// display width (CJK = 2).
struct ReviewScreen {
    let session: Session
    let suggestion: Suggestion
    /// The candidate range after moving its start or end.
    let range: TextRange
    /// Suggestions decided in this review, of all it has had (decided and waiting).
    let done: Int
    let total: Int
    let status: String
    let colour: Bool
    let width: Int
    /// Whether the context is the paragraphs the candidate touches rather than its sentences.
    let paragraph: Bool

    /// The frame's lines.
    func lines() -> [String] {
        let labels = session.tagSet.labels
        let document = session.documents[suggestion.document]
        let label = labels[suggestion.label]
        var lines: [String] = []
        let moved = range != suggestion.range ? " (moved from \(suggestion.range))" : ""
        lines.append(
            bold("review \(done)/\(total) done")
                + " · \(suggestion.id) · \(document.id) \(range)\(moved) · \(suggestion.source)")
        lines.append("")
        for line in wrap(context(in: document), width: max(10, width)) { lines.append(line) }
        lines.append("")
        lines.append(
            bold(label.name) + (label.shortcut.isEmpty ? "" : " [\(label.shortcut)]")
                + (label.parent.isEmpty
                    ? "" : "  " + session.tagSet.path(of: suggestion.label).joined(separator: " › "))
                + "  \"" + document.text(range) + "\"")
        lines.append("")
        let shortcuts = labels.filter { !$0.shortcut.isEmpty && $0.kind == .span }.map { "\($0.shortcut) \($0.name)" }
        for line in wrap(
            [
                (
                    "y accept  n reject  s skip  h/← l/→ start  H/L end  p \(paragraph ? "sentence" : "paragraph")  "
                        + "u undo  q quit  ? keys", false
                )
            ],
            width: max(10, width))
        { lines.append(line) }
        if !shortcuts.isEmpty {
            for line in wrap([("accept as: " + shortcuts.joined(separator: "  "), false)], width: max(10, width)) {
                lines.append(dim(line))
            }
        }
        lines.append("")
        lines.append(status)
        return lines
    }

    /// The sentences (or paragraphs) the candidate touches, or a stretch around it, as
    /// (text, highlighted) runs.
    private func context(in document: Document) -> [(String, Bool)] {
        let units = paragraph ? document.paragraphs : document.sentences.map(\.range)
        let touching = units.filter { $0.start < range.end && range.start < $0.end }
        var shown =
            touching.isEmpty
            ? TextRange(max(0, range.start - 40), min(document.length, range.end + 40))
            : TextRange(min(touching[0].start, range.start), max(touching[touching.count - 1].end, range.end))
        // A very long sentence or paragraph is cut around the candidate.
        let (longest, around) = paragraph ? (1_200, 500) : (400, 150)
        if shown.length > longest {
            shown = TextRange(max(shown.start, range.start - around), min(shown.end, range.end + around))
        }
        func flat(_ s: String) -> String { String(s.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 }) }
        return [
            (flat(document.text(TextRange(shown.start, range.start))), false),
            (flat(document.text(range)), true),
            (flat(document.text(TextRange(range.end, shown.end))), false)
        ]
    }

    /// Runs of text wrapped to `width` columns; the highlighted run reversed (or in 【】 without colour).
    private func wrap(_ runs: [(String, Bool)], width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = 0
        var inHighlight = false
        func put(_ c: Character, highlighted: Bool) {
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
                    put("【", highlighted: false)
                }
            }
            for c in text { put(c, highlighted: highlighted) }
            if highlighted {
                if colour {
                    line += "\u{1B}[0m"
                    inHighlight = false
                } else {
                    put("】", highlighted: false)
                }
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private func bold(_ s: String) -> String { colour ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }
    private func dim(_ s: String) -> String { colour ? "\u{1B}[2m" + s + "\u{1B}[0m" : s }
}
