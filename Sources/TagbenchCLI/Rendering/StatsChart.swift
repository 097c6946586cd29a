import TagbenchCore

/// Draws `stats` figures: each chart a heading and rows of a name, a count and a bar scaled to
/// the console's width; bars in the tag set's colours when the console has colour. With
/// `--json`, the figures as JSON instead.
struct StatsChart {
    let console: Console

    /// One row of a chart: what is counted, the count as shown, its bar, and a colour for it.
    private struct Row {
        var name: String
        var count: String
        var value: Int
        var colour: String?
        /// Text after the bar (a share).
        var tail = ""
        /// The whole the bar is a share of, drawn as a track behind it; nil: bars scaled to the
        /// chart's largest value.
        var whole: Int?
    }

    func render(_ figures: StatsFigures, _ options: StatsOptions) {
        if options.json {
            var bytes = figures.json()
            if bytes.last == 0x0A { bytes.removeLast() }
            console.out(String(decoding: bytes, as: UTF8.self))
            return
        }
        console.out(figures.summary)
        var sections: [Section] = []
        // By label, the tag set's hierarchy indented.
        sections.append(
            Section(
                heading: "spans by label",
                rows: figures.labels.map { label in
                    Row(
                        name: String(repeating: "  ", count: label.depth) + flat(label.name)
                            + (label.kind == .category ? " (category)" : ""),
                        count: Format.grouped(label.count), value: label.count, colour: label.colour,
                        tail: label.units == 0 ? "" : "  + " + Format.count(label.units, "unit"))
                }, empty: "no labels (label add NAME, or schema FILE)"))
        // By document, the most annotated first.
        if !figures.byDocument.isEmpty {
            let shown = figures.documentsShown(options)
            sections.append(
                Section(
                    heading: shown.count < figures.byDocument.count
                        ? "spans by document: the \(Format.grouped(shown.count)) most annotated of \(Format.grouped(figures.byDocument.count)) (--all for every one)"
                        : "spans by document",
                    rows: shown.map {
                        Row(name: flat($0.id), count: Format.grouped($0.spans), value: $0.spans, colour: nil)
                    }))
        }
        // Span lengths.
        if !figures.lengths.isEmpty {
            sections.append(
                Section(
                    heading: "span lengths (characters)",
                    rows: figures.lengths.map { bucket in
                        let name =
                            bucket.to == nil
                            ? "\(bucket.from)+"
                            : bucket.to == bucket.from ? "\(bucket.from)" : "\(bucket.from)–\(bucket.to!)"
                        return Row(name: name, count: Format.grouped(bucket.spans), value: bucket.spans, colour: nil)
                    }))
        }
        sections.append(progress(figures))
        // One set of columns for every chart: the bars all start in the same column.
        let nameLimit = max(12, console.width / 3)
        let rows = sections.flatMap(\.rows)
        let nameWidth = rows.map { Format.displayWidth(Format.truncated($0.name, toWidth: nameLimit)) }.max() ?? 0
        let countWidth = rows.map { Format.displayWidth($0.count) }.max() ?? 0
        let tailWidth = rows.map { Format.displayWidth($0.tail) }.max() ?? 0
        let barWidth = BarChart.barWidth(
            lineWidth: console.width, used: 2 + nameWidth + 2 + countWidth + 2 + tailWidth)
        for section in sections {
            console.out("")
            console.out(console.styled(section.heading, .bold))
            if section.rows.isEmpty, let empty = section.empty { console.out("  " + empty) }
            let maximum = section.rows.map(\.value).max() ?? 0
            for row in section.rows {
                var bar = BarChart.bar(row.value, of: row.whole ?? maximum, width: barWidth)
                let columns = BarChart.columns(of: bar)
                if let colour = row.colour, !bar.isEmpty { bar = console.styled(bar, .foreground(colour)) }
                if row.whole != nil {
                    bar += console.styled(String(repeating: BarChart.track, count: max(0, barWidth - columns)), .dim)
                    bar += row.tail
                } else if !row.tail.isEmpty {
                    bar += String(repeating: " ", count: max(0, barWidth - columns)) + row.tail
                }
                var line =
                    "  " + Format.padded(Format.truncated(row.name, toWidth: nameLimit), to: nameWidth) + "  "
                    + Format.leftPadded(row.count, to: countWidth) + "  " + bar
                while line.hasSuffix(" ") { line.removeLast() }
                console.out(line)
            }
        }
    }

    /// A chart: its heading, its rows, and what to say when it has none.
    private struct Section {
        var heading: String
        var rows: [Row]
        var empty: String?
    }

    /// Progress: shares of a whole, each drawn over a track of the whole.
    private func progress(_ figures: StatsFigures) -> Section {
        func share(_ part: Int, _ whole: Int) -> String { whole == 0 ? "" : "  \(part * 100 / whole)%" }
        var rows = [
            Row(
                name: "documents annotated",
                count: "\(Format.grouped(figures.annotatedDocuments))/\(Format.grouped(figures.documents))",
                value: figures.annotatedDocuments, colour: nil,
                tail: share(figures.annotatedDocuments, figures.documents), whole: figures.documents)
        ]
        let suggestions = figures.acceptedSuggestions + figures.rejectedSuggestions + figures.waitingSuggestions
        if suggestions > 0 {
            for (name, value) in [
                ("suggestions accepted", figures.acceptedSuggestions),
                ("suggestions rejected", figures.rejectedSuggestions),
                ("suggestions waiting", figures.waitingSuggestions)
            ] {
                rows.append(
                    Row(
                        name: name, count: Format.grouped(value), value: value, colour: nil,
                        tail: share(value, suggestions), whole: suggestions))
            }
        }
        if let conflicts = figures.conflicts {
            let all = conflicts.resolved + conflicts.open
            for (name, value) in [("conflicts resolved", conflicts.resolved), ("conflicts open", conflicts.open)] {
                rows.append(
                    Row(
                        name: name, count: Format.grouped(value), value: value, colour: nil, tail: share(value, all),
                        whole: all))
            }
        }
        return Section(heading: "progress" + (suggestions == 0 ? " (no suggestions yet)" : ""), rows: rows)
    }

    /// Names and ids on one line: a line end or tab in one would break the columns.
    private func flat(_ text: String) -> String {
        Names.visible(String(text.unicodeScalars.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : Character($0) }))
    }
}
