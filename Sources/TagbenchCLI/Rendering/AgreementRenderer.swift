import TagbenchCore

/// Renders `agree`'s figures as tables aligned by display width (CJK labels take two columns),
/// its disagreements as a list, and `show dN` as the text with each annotator's spans marked.
struct AgreementRenderer {
    let console: Console

    /// The report: what was compared, spans, characters, categories, then the disagreements.
    func render(_ report: AgreementReport, listing: Bool) {
        let m = report.annotators.count
        let names = report.annotators.map(Self.oneLine)
        console.out(
            "agreement of \(Format.count(m, "annotator")) over \(Format.count(report.common.count, "common document")) "
                + "(\(Format.count(report.characters, "character")), whitespace left out)")
        for (k, name) in names.enumerated() { console.out("  \(name): \(Self.oneLine(report.sessions[k]))") }
        if !report.leftOut.isEmpty {
            console.out("\(Format.count(report.leftOut.count, "document")) left out:")
            for document in report.leftOut {
                console.out(
                    "  \(Self.oneLine(document.annotator)): \(Names.visible(document.id)) (\(document.reason))")
            }
        }
        if report.notChosen > 0 {
            console.out("\(Format.count(report.notChosen, "document")) not chosen by --docs (counted in every session)")
        }
        func pair(_ p: PairAgreement) -> String { names[p.a] + " – " + names[p.b] }

        console.out("")
        console.out("spans (b against a: P = share of b's spans a has, R = share of a's spans b has)")
        var rows = [["a – b", "label", "exact F1", "tp", "fp", "fn", "overlap F1", "tp", "tp b", "fp", "fn"]]
        for p in report.pairs {
            rows.append([pair(p), "all"] + cells(p.spans))
            for (l, label) in report.labels.enumerated() {
                rows.append(["", Names.visible(label)] + cells(p.byLabel[l]))
            }
        }
        table(rows, leftColumns: 2)

        console.out("")
        console.out("characters (each one's labels, or O; κ tagged: over the characters a or b tagged)")
        rows = [["a – b", "κ", "p_o", "p_e", "κ tagged", "characters", "tagged"]]
        for p in report.pairs {
            rows.append([
                pair(p), number(p.characters.kappa), number(p.characters.observed), number(p.characters.expected),
                number(p.taggedCharacters.kappa), Format.grouped(p.characters.units),
                Format.grouped(p.taggedCharacters.units)
            ])
        }
        table(rows, leftColumns: 1)
        console.out(
            "all annotators: Krippendorff's α \(number(report.krippendorffAlpha)), Fleiss' κ \(number(report.fleissKappa))"
        )

        if !report.categories.isEmpty {
            console.out("")
            console.out("category labels (present or not on each unit)")
            rows = [["label", "units", "a – b", "κ", "p_o", "p_e", "α"]]
            for category in report.categories {
                let units =
                    category.units.map(\.rawValue).joined(separator: "+") + " " + Format.grouped(category.unitCount)
                for (k, figures) in category.pairs.enumerated() {
                    rows.append(
                        [
                            k == 0 ? Names.visible(category.label) : "", k == 0 ? units : "", pair(report.pairs[k]),
                            number(figures.kappa), number(figures.observed), number(figures.expected),
                            k == 0 ? number(category.krippendorffAlpha) : ""
                        ])
                }
            }
            table(rows, leftColumns: 3)
        }

        console.out("")
        let count = report.disagreements.count
        if listing {
            renderDisagreements(report)
            console.out(Format.count(count, "disagreement"))
        } else {
            console.out(
                Format.count(count, "disagreement")
                    + (count == 0 ? "" : " (--diff lists them; show dN shows one in the REPL)"))
        }
        if report.krippendorffAlpha == nil || report.pairs.contains(where: { $0.characters.kappa == nil }) {
            console.out("—: undefined (every character has one and the same value, so chance agreement is 1)")
        }
    }

    /// `agree --against`: one row per annotator (their spans against the curated ones: P, the
    /// share of theirs kept; R, the share of the curated they had), then each one's differences.
    func render(_ feedback: CurationFeedback, listing: Bool) {
        guard let first = feedback.comparisons.first else { return }
        console.out(
            "against the curated session \(Self.oneLine(feedback.reference)) (\(Self.oneLine(first.sessions[0]))): "
                + Format.count(feedback.comparisons.count, "annotator"))
        var rows = [
            ["annotator", "documents", "exact F1", "P", "R", "tp", "fp", "fn", "overlap F1", "κ", "differences"]
        ]
        for report in feedback.comparisons {
            let pair = report.pairs[0]
            rows.append([
                Self.oneLine(report.annotators[1]), Format.grouped(report.common.count), number(pair.spans.exact.f1),
                number(pair.spans.exact.precision), number(pair.spans.exact.recall),
                Format.grouped(pair.spans.exact.tp), Format.grouped(pair.spans.exact.fp),
                Format.grouped(pair.spans.exact.fn), number(pair.spans.overlap.f1), number(pair.characters.kappa),
                Format.grouped(report.disagreements.count)
            ])
        }
        table(rows, leftColumns: 1)
        for report in feedback.comparisons where !report.leftOut.isEmpty {
            console.out(
                "\(Self.oneLine(report.annotators[1])): \(Format.count(report.leftOut.count, "document")) left out "
                    + "(agree \(Self.oneLine(report.sessions[1])) --against … --json - lists them)")
        }
        guard listing else {
            if feedback.comparisons.contains(where: { !$0.disagreements.isEmpty }) {
                console.out("--diff lists each annotator's differences from the curated session")
            }
            return
        }
        for report in feedback.comparisons {
            console.out("")
            console.out(
                "\(Self.oneLine(report.annotators[1])): \(Format.count(report.disagreements.count, "difference"))")
            renderDisagreements(report)
        }
    }

    /// A name (an annotator's, a file's) safe on one table line: it may hold a line break.
    static func oneLine(_ name: String) -> String { Format.oneLine(Names.visible(name)) }

    /// Columns of a unit's text in the list of disagreements.
    static let unitTextWidth = 60

    /// Every disagreement: number, document, where, text, then each annotator's labels there.
    private func renderDisagreements(_ report: AgreementReport) {
        let names = report.annotators.map(Self.oneLine)
        let nameWidth = names.map { Format.displayWidth($0) }.max() ?? 0
        for item in report.disagreements {
            var head = "d\(item.number)  \(Names.visible(item.document))  "
            if let unit = item.unit {
                head += unit.kind == .doc ? "doc" : "\(unit.kind.rawValue) \(unit.index)"
            } else {
                head += item.range.description
            }
            // One line, line breaks drawn as ⏎ (as every listing draws them); a unit (a paragraph,
            // the whole document) named by its start, not quoted whole.
            var text = Names.visible(Format.oneLine(item.text)).replacingTabs()
            if item.unit != nil {
                text = Format.truncated(text, toWidth: Self.unitTextWidth)
            }
            if console.isTerminal {
                text = Format.truncated(text, toWidth: max(10, console.width - Format.displayWidth(head) - 2))
            }
            console.out(head + "  " + text)
            for (a, marks) in item.versions.enumerated() {
                console.out(
                    "    " + Format.padded(names[a], to: nameWidth) + "  " + describe(marks, unit: item.unit != nil))
            }
        }
    }

    /// `show dN`: the text with each annotator's spans marked under it, then what each has.
    func render(_ view: DisagreementView) {
        let item = view.disagreement
        let names = view.annotators.map(Self.oneLine)
        let margin = max(8, (names.map { Format.displayWidth($0) }.max() ?? 0) + 2)
        console.out(
            "d\(item.number)  \(Names.visible(item.document))  "
                + (item.unit.map { $0.kind == .doc ? "doc" : "\($0.kind.rawValue) \($0.index)" }
                    ?? item.range.description))
        let scalars = Array(view.text.unicodeScalars)
        let textWidth = max(10, console.width - margin - 2)
        var i = 0
        while i < scalars.count {
            var width = 0
            var j = i
            while j < scalars.count && (width + Names.visible(scalars[j]).columns <= textWidth || j == i) {
                width += Names.visible(scalars[j]).columns
                j += 1
            }
            let piece = String(String.UnicodeScalarView(scalars[i..<j]))
            console.out(Format.leftPadded(String(view.start + i), to: margin) + " │" + Names.visible(piece))
            // One line per annotator under the text, where any of them has a span in it.
            let markLines = item.versions.map { marks in
                var line = ""
                for k in i..<j {
                    let offset = view.start + k
                    let covered = marks.contains { $0.range.start <= offset && offset < $0.range.end }
                    line += String(repeating: covered ? "^" : " ", count: Names.visible(scalars[k]).columns)
                }
                while line.hasSuffix(" ") { line.removeLast() }
                return line
            }
            if markLines.contains(where: { !$0.isEmpty }) {
                for (a, line) in markLines.enumerated() {
                    console.out(Format.leftPadded(names[a], to: margin) + " │" + line)
                }
            }
            i = j
        }
        let nameWidth = names.map { Format.displayWidth($0) }.max() ?? 0
        for (a, marks) in item.versions.enumerated() {
            console.out(Format.padded(names[a], to: nameWidth) + "  " + describe(marks, unit: item.unit != nil))
        }
    }

    /// `LABEL S:E, …` (a category's labels without offsets), or `—` for nothing.
    private func describe(_ marks: [DisagreementMark], unit: Bool) -> String {
        if marks.isEmpty { return "—" }
        return marks.map { Names.visible($0.label) + (unit ? "" : " \($0.range)") }.joined(separator: ", ")
    }

    private func cells(_ match: SpanMatch) -> [String] {
        [
            number(match.exact.f1), Format.grouped(match.exact.tp), Format.grouped(match.exact.fp),
            Format.grouped(match.exact.fn), number(match.overlap.f1), Format.grouped(match.overlap.tp),
            Format.grouped(match.overlap.tpB), Format.grouped(match.overlap.fp), Format.grouped(match.overlap.fn)
        ]
    }

    /// Four decimals, or `—` when undefined.
    private func number(_ value: Double?) -> String { AgreementReport.figure(value) }

    /// Rows in columns two spaces apart: the first `leftColumns` aligned left, the rest right.
    private func table(_ rows: [[String]], leftColumns: Int) {
        guard let columns = rows.map(\.count).max() else { return }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], Format.displayWidth(cell)) } }
        for row in rows {
            var line = ""
            for (c, cell) in row.enumerated() {
                if c > 0 { line += "  " }
                line += c < leftColumns ? Format.padded(cell, to: widths[c]) : Format.leftPadded(cell, to: widths[c])
            }
            while line.hasSuffix(" ") { line.removeLast() }
            console.out("  " + line)
        }
    }
}

extension String {
    /// Tabs as single spaces: a tab in a table row would move everything after it to a tab stop.
    fileprivate func replacingTabs() -> String {
        guard utf8.contains(0x09) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\t" ? " " : $0 }))
    }
}
