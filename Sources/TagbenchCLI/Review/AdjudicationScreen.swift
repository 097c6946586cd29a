import TagbenchCore

/// One frame of `adjudicate`: the conflict in focus, its sentence once per annotator with their
/// spans marked, the picked span (as moved), the keys and what the last key did.
struct AdjudicationScreen {
    let state: AdjudicationState
    let colour: Bool
    let width: Int

    /// The frame's lines.
    func lines() -> [String] {
        let text = ScreenText(colour: colour)
        let session = state.session
        let conflict = state.conflict
        let document = session.documents[conflict.document]
        let place =
            conflict.unit.map { "\($0.rawValue) \(conflict.index) (\(conflict.range))" } ?? conflict.range.description
        var lines = [
            text.bold("adjudicate \(state.done)/\(state.total) done")
                + " · \(conflict.id) · \(document.id) \(place) · \(Format.count(conflict.versions.count, "version"))",
            ""
        ]
        // A unit's conflict shows the unit; a span's, the sentences around every version.
        let shown = ScreenText.context(of: conflict.range, in: document, paragraph: conflict.unit != nil)
        let width = conflict.versions.map { Format.displayWidth($0.annotator) }.max() ?? 0
        for (k, version) in conflict.versions.enumerated() {
            let mark = k == state.picked && state.span != nil ? "›" : " "
            let spans = version.spans.map { conflict.unit == nil ? "\($0.label) \($0.range)" : $0.label }
            lines.append(
                "\(mark)\(k + 1) \(Format.padded(version.annotator, to: width))  "
                    + (spans.isEmpty ? "—" : spans.joined(separator: " · ")))
            let marked = conflict.unit == nil ? version.spans.map(\.range) : []
            for line in text.wrap(runs(document, shown, marked), width: max(10, self.width - 4)) {
                lines.append("    " + line)
            }
        }
        lines.append("")
        if let span = state.span, conflict.unit == nil {
            let own = conflict.versions[state.picked].spans.first?.range
            let moved = own.map { $0 != span.range ? " (moved from \($0))" : "" } ?? ""
            lines.append(
                "picked: \(state.picked + 1) " + text.bold(span.label) + " \(span.range)\(moved)  \""
                    + ScreenText.flat(document.text(span.range)) + "\"")
            lines.append("")
        }
        for line in text.wrap(
            [
                (
                    "1-9 pick  a all  x none  Tab next version  h/← l/→ start  H/L end  Enter resolve as moved  "
                        + "s skip  u undo  q quit  ? keys", false
                )
            ], width: max(10, self.width))
        {
            lines.append(line)
        }
        let shortcuts = session.tagSet.labels.filter {
            !$0.shortcut.isEmpty && !TerminalReviewDriver.adjudicationKeys.contains($0.shortcut)
        }.map { "\($0.shortcut) \($0.name)" }
        if !shortcuts.isEmpty {
            for line in text.wrap(
                [("resolve as: " + shortcuts.joined(separator: "  "), false)], width: max(10, self.width))
            {
                lines.append(text.dim(line))
            }
        }
        lines.append("")
        lines.append(state.status)
        return lines
    }

    /// The stretch `shown` as runs, the `marked` ranges highlighted (overlapping ones as one).
    private func runs(_ document: Document, _ shown: TextRange, _ marked: [TextRange]) -> [(String, Bool)] {
        var runs: [(String, Bool)] = []
        var at = shown.start
        for range in marked.sorted() where range.end > at && range.start < shown.end {
            let start = max(at, range.start)
            let end = min(shown.end, range.end)
            if start > at { runs.append((ScreenText.flat(document.text(TextRange(at, start))), false)) }
            runs.append((ScreenText.flat(document.text(TextRange(start, end))), true))
            at = end
        }
        if at < shown.end { runs.append((ScreenText.flat(document.text(TextRange(at, shown.end))), false)) }
        return runs
    }
}
