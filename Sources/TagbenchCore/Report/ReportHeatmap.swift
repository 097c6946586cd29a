/// The index's "Agreement" section when a report is given several sessions: the figures `agree`
/// computed (never computed again here), as an inline SVG heatmap of annotators × annotators
/// coloured by the pair's span F1 (exact), with overlap F1 and character κ in each cell, the
/// overall Krippendorff's α and Fleiss' κ, and the documents in common and left out.
struct ReportHeatmap {
    /// What `agree` found for the report's sessions.
    let report: AgreementReport

    /// The section's own rules, added to the index's style sheet only when it has the section
    /// (a one-session report stays as it was, byte for byte).
    static let css: StaticString = """
        .heat text{font-size:11px}.heat .v{font-size:14px;font-weight:600}.heat .self rect{fill:#f6f8fa}
        .heat .dark text{fill:#fff}details{margin:.6em 0;font-size:.9em}

        """

    /// Cell size and the room given to the names.
    private static let cellWidth = 136, cellHeight = 46, scaleHeight = 44

    /// Writes the section.
    func write(_ w: inout JSONWriter) {
        let n = report.annotators.count
        w.raw("<h2>Agreement</h2>\n<p class=\"facts\">")
        w.raw(Format.count(n, "annotator"))
        w.raw(" · ")
        w.raw(Format.count(report.common.count, "document") + " in common")
        w.raw(" · ")
        w.raw(Format.count(report.leftOut.count, "document") + " left out")
        w.raw(" · ")
        w.raw(Format.count(report.characters, "character") + " compared (whitespace left out)")
        w.raw("<br>Krippendorff&#39;s α <b class=\"alpha\">")
        w.raw(AgreementReport.figure(report.krippendorffAlpha))
        w.raw("</b> · Fleiss&#39; κ <b class=\"fleiss\">")
        w.raw(AgreementReport.figure(report.fleissKappa))
        w.raw("</b> (characters, all annotators)</p>\n<p class=\"facts\">Colour: span F1 (exact) of each pair. ")
        w.raw(
            "Each cell: F1 exact, then F1 by overlap and the character Cohen&#39;s κ; its tooltip has the counts.</p>\n"
        )
        heatmap(&w)
        w.raw("<details><summary>")
        w.raw(Format.count(report.common.count, "document") + " in common")
        w.raw("</summary><ul>\n")
        for document in report.common {
            w.raw("<li>")
            w.html(document.ids.joined(separator: " · "))
            w.raw(" (")
            w.raw(Format.count(document.characters, "character"))
            w.raw(")</li>\n")
        }
        w.raw("</ul></details>\n")
        if !report.leftOut.isEmpty {
            w.raw("<details><summary>")
            w.raw(Format.count(report.leftOut.count, "document") + " left out")
            w.raw("</summary><ul>\n")
            for document in report.leftOut {
                w.raw("<li>")
                w.html(document.annotator)
                w.raw(": ")
                w.html(document.id)
                w.raw(" (")
                w.html(document.reason)
                w.raw(")</li>\n")
            }
            w.raw("</ul></details>\n")
        }
    }

    /// The SVG: a row and a column an annotator, a cell a pair (the diagonal, an annotator with
    /// itself, left blank), then the colour scale.
    private func heatmap(_ w: inout JSONWriter) {
        let names = report.annotators
        let n = names.count
        var pairOf: [Int: PairAgreement] = [:]
        for pair in report.pairs { pairOf[pair.a * n + pair.b] = pair }
        // Room for the longest name (a CJK character is about two Latin letters wide).
        let longest =
            names.map { name in name.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }.max() ?? 0
        let nameWidth = min(260, max(60, longest * 7 + 12))
        let top = min(160, max(40, longest * 4 + 20))
        let width = nameWidth + n * Self.cellWidth + min(220, longest * 6) + 8
        let height = top + n * Self.cellHeight + Self.scaleHeight
        w.raw(
            "<svg class=\"heat\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                + "aria-label=\"span F1 (exact) by pair of annotators\" width=\"\(width)\" height=\"\(height)\">\n")
        for (k, name) in names.enumerated() {
            let x = nameWidth + k * Self.cellWidth + Self.cellWidth / 2
            w.raw("<text class=\"col\" text-anchor=\"start\" transform=\"translate(\(x),\(top - 6)) rotate(-35)\">")
            w.html(name)
            w.raw("</text>\n<text class=\"row\" text-anchor=\"end\" x=\"\(nameWidth - 8)\" ")
            w.raw("y=\"\(top + k * Self.cellHeight + Self.cellHeight / 2 + 5)\">")
            w.html(name)
            w.raw("</text>\n")
        }
        for i in 0..<n {
            for j in 0..<n {
                let x = nameWidth + j * Self.cellWidth, y = top + i * Self.cellHeight
                let pair = i == j ? nil : pairOf[min(i, j) * n + max(i, j)]
                cell(&w, row: names[i], column: names[j], pair: pair, x: x, y: y)
            }
        }
        // The scale: F1 from 0 to 1 in fifths.
        let y = top + n * Self.cellHeight + 14
        w.raw("<g class=\"scale\"><text x=\"\(nameWidth - 8)\" y=\"\(y + 13)\" text-anchor=\"end\">F1 exact</text>")
        for step in 0...5 {
            let value = Double(step) / 5
            w.raw("<rect x=\"\(nameWidth + step * 40)\" y=\"\(y)\" width=\"40\" height=\"16\" ")
            w.raw("style=\"fill:\(Self.colour(value))\"/>")
            w.raw("<text x=\"\(nameWidth + step * 40 + 20)\" y=\"\(y + 29)\" text-anchor=\"middle\">")
            w.raw(step == 0 ? "0" : step == 5 ? "1" : "0.\(step * 2)")
            w.raw("</text>")
        }
        w.raw("</g>\n</svg>\n")
    }

    /// A cell: the pair's figures in `data-` attributes in the JSON's words (for machines and
    /// tests), in its text rounded, and in its tooltip with the counts behind them.
    private func cell(_ w: inout JSONWriter, row: String, column: String, pair: PairAgreement?, x: Int, y: Int) {
        let exact = pair?.spans.exact.f1
        let fill = pair == nil ? "#f6f8fa" : exact.map(Self.colour) ?? "#d0d7de"
        let dark = exact.map { $0 > 0.55 } ?? false
        w.raw("<g class=\"cell\(pair == nil ? " self" : dark ? " dark" : "")\" data-a=\"")
        w.html(row)
        w.raw("\" data-b=\"")
        w.html(column)
        w.raw("\"")
        if let pair {
            w.raw(" data-f1-exact=\"\(AgreementReport.numberText(exact))\"")
            w.raw(" data-f1-overlap=\"\(AgreementReport.numberText(pair.spans.overlap.f1))\"")
            w.raw(" data-kappa=\"\(AgreementReport.numberText(pair.characters.kappa))\"")
        }
        w.raw("><title>")
        w.html(row)
        w.raw(" × ")
        w.html(column)
        if let pair {
            let e = pair.spans.exact, o = pair.spans.overlap
            w.raw(
                "\nspan F1 exact \(AgreementReport.figure(e.f1)) (tp \(e.tp), fp \(e.fp), fn \(e.fn))"
                    + "\nspan F1 overlap \(AgreementReport.figure(o.f1)) (tp \(o.tp), fp \(o.fp), fn \(o.fn))"
                    + "\ncharacter κ \(AgreementReport.figure(pair.characters.kappa))"
                    + " (p_o \(AgreementReport.figure(pair.characters.observed)),"
                    + " p_e \(AgreementReport.figure(pair.characters.expected)))")
        } else {
            w.raw(": the same annotator")
        }
        w.raw("</title><rect x=\"\(x + 1)\" y=\"\(y + 1)\" width=\"\(Self.cellWidth - 2)\" ")
        w.raw("height=\"\(Self.cellHeight - 2)\" style=\"fill:\(fill)\"/>")
        let middle = x + Self.cellWidth / 2
        if let pair {
            w.raw("<text class=\"v\" x=\"\(middle)\" y=\"\(y + 20)\" text-anchor=\"middle\">")
            w.raw(AgreementReport.figure(exact))
            w.raw("</text><text x=\"\(middle)\" y=\"\(y + 37)\" text-anchor=\"middle\">ov ")
            w.raw(AgreementReport.figure(pair.spans.overlap.f1))
            w.raw(" · κ ")
            w.raw(AgreementReport.figure(pair.characters.kappa))
            w.raw("</text>")
        } else {
            w.raw("<text x=\"\(middle)\" y=\"\(y + 28)\" text-anchor=\"middle\">—</text>")
        }
        w.raw("</g>\n")
    }

    /// F1 from 0 (pale) to 1 (deep blue), by lightness.
    static func colour(_ value: Double) -> String {
        let lightness = 96 - Int((min(1, max(0, value)) * 62).rounded())
        return "hsl(212,70%,\(lightness)%)"
    }
}
