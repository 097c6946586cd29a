/// The first page of a report: the figures, the label distribution as an inline SVG bar chart,
/// the annotators' agreement as a heatmap when the report has several sessions, and a table of
/// the documents linking to their pages.
struct ReportIndex {
    /// A document's row.
    struct Row {
        /// Its number in the session, from 1 (its page is `docs/N.html`).
        var number: Int
        /// Its id.
        var id: String
        /// Its length in code points.
        var characters: Int
        /// Spans in the report, by label index.
        var spans: [Int: Int]
        /// Its category labels in the report: unit and label index.
        var categories: [(unit: String, label: Int)]
    }

    /// The session's name as the user gave it (empty for a session never saved).
    let session: String
    /// The tag set's labels.
    let labels: [Label]
    /// The labels the report shows.
    let chosenLabels: Set<Int>
    /// The documents' rows, in session order.
    let rows: [Row]
    /// The agreement of the report's sessions, when it was given several (nil: one).
    let agreement: AgreementReport?

    /// Writes the page.
    func write(_ w: inout JSONWriter) {
        var totals = Array(repeating: 0, count: labels.count)
        for row in rows {
            for (label, count) in row.spans { totals[label] += count }
            for category in row.categories { totals[category.label] += 1 }
        }
        let shown = StatsFigures.hierarchyOrder(labels).filter { chosenLabels.contains($0.index) }
        ReportStyle.head(&w, title: (session.isEmpty ? "" : session + " · ") + "tagbench report")
        ReportStyle.labelRules(&w, labels, shown.map(\.index))
        if agreement != nil { w.raw(ReportHeatmap.css) }
        w.raw("</style></head>\n<body>\n<h1>tagbench report")
        if !session.isEmpty {
            w.raw(": ")
            w.html(session)
        }
        let spans = rows.reduce(0) { $0 + $1.spans.values.reduce(0, +) }
        let categories = rows.reduce(0) { $0 + $1.categories.count }
        w.raw("</h1>\n<p class=\"facts\">")
        w.raw(Format.count(rows.count, "document"))
        w.raw(" · ")
        w.raw(Format.count(rows.reduce(0) { $0 + $1.characters }, "character"))
        w.raw(" · ")
        w.raw(Format.count(spans, "span"))
        w.raw(" · ")
        w.raw(Format.count(categories, "category", plural: "categories"))
        w.raw("</p>\n<h2>Labels</h2>\n")
        chart(&w, shown, totals)
        if let agreement { ReportHeatmap(report: agreement).write(&w) }
        // The table: a column for each span label in use.
        let columns = shown.map(\.index).filter { labels[$0].kind == .span && totals[$0] > 0 }
        w.raw("<h2>Documents</h2>\n<table>\n<thead><tr><th class=\"n\">#</th><th>document</th>")
        w.raw("<th class=\"n\">characters</th><th class=\"n\">spans</th>")
        for label in columns {
            let name = JSONWriter.escapedHTML(labels[label].name)
            w.raw("<th class=\"n l\(label)\"><span class=\"sw\"></span>\(name)</th>")
        }
        w.raw("<th>categories</th></tr></thead>\n<tbody>\n")
        for row in rows {
            let id = JSONWriter.escapedHTML(row.id)
            w.raw(
                "<tr><td class=\"n\">\(row.number)</td><td><a href=\"docs/\(row.number).html\">\(id)</a></td>"
                    + "<td class=\"n\">\(row.characters)</td><td class=\"n\">\(row.spans.values.reduce(0, +))</td>")
            for label in columns { w.raw("<td class=\"n\">\(row.spans[label].map(String.init) ?? "")</td>") }
            w.raw("<td>")
            for category in row.categories {
                ReportStyle.chip(&w, unit: category.unit, label: category.label, name: labels[category.label].name)
            }
            w.raw("</td></tr>\n")
        }
        w.raw("</tbody></table>\n<div id=\"detail\" role=\"status\"></div>\n</body></html>\n")
    }

    /// The label distribution: a bar a label, in the tag set's hierarchy (children indented).
    private func chart(_ w: inout JSONWriter, _ shown: [(index: Int, depth: Int)], _ totals: [Int]) {
        guard !shown.isEmpty else {
            w.raw("<p>no labels</p>\n")
            return
        }
        let rowHeight = 24, nameWidth = 220, barWidth = 440
        let maximum = max(1, shown.map { totals[$0.index] }.max() ?? 1)
        w.raw(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"spans by label\" "
                + "width=\"\(nameWidth + barWidth + 80)\" height=\"\(shown.count * rowHeight + 8)\">\n")
        for (row, entry) in shown.enumerated() {
            let y = row * rowHeight + 4
            let count = totals[entry.index]
            let width = count == 0 ? 0 : max(1, count * barWidth / maximum)
            let name = JSONWriter.escapedHTML(labels[entry.index].name)
            let unit = labels[entry.index].kind == .category ? "units" : "spans"
            w.raw(
                "<g class=\"l\(entry.index)\"><title>\(name): \(count) \(unit)</title>"
                    + "<text x=\"\(4 + entry.depth * 14)\" y=\"\(y + 16)\">\(name)</text>"
                    + "<rect x=\"\(nameWidth)\" y=\"\(y + 3)\" width=\"\(width)\" height=\"16\" rx=\"2\" style=\"fill:var(--c)\"/>"
                    + "<text x=\"\(nameWidth + width + 6)\" y=\"\(y + 16)\">\(count)</text></g>\n")
        }
        w.raw("</svg>\n")
    }
}
