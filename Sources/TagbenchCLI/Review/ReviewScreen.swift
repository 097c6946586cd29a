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
        let shown = ScreenText.context(of: range, in: document, paragraph: paragraph)
        let flat = ScreenText.flat
        return [
            (flat(document.text(TextRange(shown.start, range.start))), false),
            (flat(document.text(range)), true),
            (flat(document.text(TextRange(range.end, shown.end))), false)
        ]
    }

    private func wrap(_ runs: [(String, Bool)], width: Int) -> [String] {
        ScreenText(colour: colour).wrap(runs, width: width)
    }

    private func bold(_ s: String) -> String { ScreenText(colour: colour).bold(s) }
    private func dim(_ s: String) -> String { ScreenText(colour: colour).dim(s) }
}
