import TagbenchCore

/// Turns output values into lines on the console: aligned by display width (CJK = 2 columns),
/// wrapped to the console width, spans in their label's colour only when the console has colour.
public struct OutputRenderer {
    /// The console written to.
    public let console: Console

    /// Makes a renderer.
    public init(console: Console) { self.console = console }

    /// Writes one output item.
    public func render(_ item: OutputItem) {
        switch item {
        // Names and texts from files are made safe for the terminal (`Names.visible`).
        case .message(let text): console.out(Names.visible(text))
        case .warning(let text): console.err(console.styled("warning:", .yellow) + " " + Names.visible(text))
        case .status(let text): console.err(Names.visible(text))
        case .lines(let lines): lines.forEach { console.out(Names.visible($0)) }
        case .json(var bytes):
            if bytes.last == 0x0A { bytes.removeLast() }
            console.out(String(decoding: bytes, as: UTF8.self))
        case .documents(let rows): renderDocuments(rows)
        case .text(let view): renderText(view)
        case .hits(let rows, let total): renderHits(rows, total: total)
        case .spans(let rows): renderSpans(rows)
        case .labels(let rows): renderLabels(rows)
        case .stats(let figures, let options): StatsChart(console: console).render(figures, options)
        case .paragraphs(let rows): renderParagraphs(rows)
        case .agreement(let report, let listing): AgreementRenderer(console: console).render(report, listing: listing)
        case .disagreement(let view): AgreementRenderer(console: console).render(view)
        case .curation(let feedback, let listing):
            AgreementRenderer(console: console).render(feedback, listing: listing)
        }
    }

    /// Writes an error as `file:line[:column]: error: message`, then its hint.
    public func render(_ error: LocatedError, showLocation: Bool = true) {
        var location = ""
        // One line, whatever a file name holds (a line break, a terminal control).
        func shown(_ text: String) -> String { Format.oneLine(Names.visible(text)) }
        var message = shown(error.error.message)
        if case .malformedJSON(let path, let line, let column, let reason) = error.error {
            // The place in the JSON file says more than the command that opened it.
            location = "\(shown(path)):\(line):\(column): "
            message = "malformed JSON: \(shown(reason))"
        } else if showLocation && !error.file.isEmpty {
            location = "\(shown(error.file)):\(error.line):" + (error.column.map { "\($0):" } ?? "") + " "
        }
        console.err(location + console.styled("error:", .red) + " " + message)
        if let hint = error.error.hint { console.err("  " + console.styled("hint:", .dim) + " " + shown(hint)) }
    }

    private func renderDocuments(_ rows: [DocumentRow]) {
        guard !rows.isEmpty else {
            console.out("no documents (load PATH adds some)")
            return
        }
        let idWidth = rows.map { Format.displayWidth($0.id) }.max() ?? 0
        let numberWidth = String(rows.count).count
        for row in rows {
            console.out(
                (row.isCurrent ? "*" : " ") + Format.leftPadded(String(row.number), to: numberWidth) + "  "
                    + Format.padded(row.id, to: idWidth) + "  "
                    + Format.leftPadded(Format.grouped(row.characters), to: 9) + " chars  "
                    + Format.leftPadded(Format.grouped(row.annotations), to: 7) + " annotations"
                    // A part is missing when its file no longer has that many parts, not only
                    // when the file is gone.
                    + (row.isMissing ? (row.part == nil ? "  (file missing)" : "  (not in its file now)") : "")
                    + (row.part.map { part in
                        "  part \(part.number) of \(row.source ?? ""), line \(Format.grouped(part.line)), at \(Format.grouped(part.start))"
                    } ?? ""))
        }
    }

    private func renderHits(_ rows: [HitRow], total: Int) {
        guard total > 0 else {
            console.out("no matches")
            return
        }
        let idWidth = rows.map { Format.displayWidth($0.document) }.max() ?? 0
        let rangeWidth = rows.map { $0.range.description.count }.max() ?? 0
        let placeWidth = UnitPlace.columnWidth(rows.map(\.place))
        let numberWidth = String(rows.count).count + 1
        for row in rows {
            let match =
                console.colour
                ? console.styled(Names.visible(Format.oneLine(row.match)), .reverse)
                : "【" + Names.visible(Format.oneLine(row.match)) + "】"
            console.out(
                Format.padded("h\(row.number)", to: numberWidth) + "  " + Format.padded(row.document, to: idWidth)
                    + "  "
                    + Format.padded(row.range.description, to: rangeWidth) + "  "
                    + UnitPlace.column(row.place, width: placeWidth) + "…" + Names.visible(row.before) + match
                    + Names.visible(row.after) + "…")
        }
        if total > rows.count {
            console.out(
                "… \(Format.grouped(total - rows.count)) more (h\(rows.count + 1)–h\(total)); tag LABEL h1-h\(total) tags every hit"
            )
        }
        console.out("\(Format.count(total, "match", plural: "matches"))")
    }

    private func renderSpans(_ rows: [SpanRow]) {
        guard !rows.isEmpty else {
            console.out("no annotations")
            return
        }
        let idWidth = rows.map { $0.id.count }.max() ?? 0
        let labelWidth = rows.map { Format.displayWidth($0.label) }.max() ?? 0
        let docWidth = rows.map { Format.displayWidth($0.document) }.max() ?? 0
        let rangeWidth = rows.map { $0.range.description.count }.max() ?? 0
        let placeWidth = UnitPlace.columnWidth(rows.map(\.place))
        // On a terminal a row keeps to one line: a long span's text (a paragraph's, say) is cut to
        // the width left, with `…`; pipes and scripts get every character.
        let fixed = idWidth + labelWidth + docWidth + rangeWidth + 8 + (placeWidth == 0 ? 0 : placeWidth + 2)
        for row in rows {
            let label = console.styled(Format.padded(row.label, to: labelWidth), .foreground(row.colour))
            var tail =
                Names.visible(Format.oneLine(row.text))
                + (row.note.isEmpty ? "" : "  # " + Names.visible(Format.oneLine(row.note)))
            if console.isTerminal { tail = Format.truncated(tail, toWidth: max(10, console.width - fixed)) }
            console.out(
                Format.padded(row.id, to: idWidth) + "  " + label + "  " + Format.padded(row.document, to: docWidth)
                    + "  "
                    + Format.padded(row.range.description, to: rangeWidth) + "  "
                    + UnitPlace.column(row.place, width: placeWidth) + tail)
        }
    }

    /// `paras`: number, offsets, labels (`-` for none) and the start of the text, a row a line:
    /// the text is cut to the width left, with `…` (pipes too: the list is an overview).
    private func renderParagraphs(_ rows: [ParagraphRow]) {
        let numberWidth = rows.map { Format.displayWidth("¶\($0.number)") }.max() ?? 0
        let rangeWidth = rows.map { $0.range.description.count }.max() ?? 0
        // A row with many labels runs past the column rather than widen it for every row.
        let labelCells = rows.map { $0.labels.isEmpty ? "-" : Names.visible($0.labels.joined(separator: ", ")) }
        let labelWidth = min(36, labelCells.map { Format.displayWidth($0) }.max() ?? 0)
        for (row, labels) in zip(rows, labelCells) {
            let head =
                Format.leftPadded("¶\(row.number)", to: numberWidth) + "  "
                + Format.padded(row.range.description, to: rangeWidth) + "  " + Format.padded(labels, to: labelWidth)
                + "  "
            let text = Names.visible(row.text)
            console.out(head + Format.truncated(text, toWidth: max(10, console.width - Format.displayWidth(head))))
        }
    }

    private func renderLabels(_ rows: [LabelRow]) {
        guard !rows.isEmpty else {
            console.out("no labels (label add NAME, or schema FILE)")
            return
        }
        let nameWidth = rows.map { Format.displayWidth($0.label.name) }.max() ?? 0
        let aliasWidth = rows.map { Format.displayWidth($0.label.aliases.joined(separator: ",")) }.max() ?? 0
        let hasKeys = rows.contains { !$0.label.shortcut.isEmpty }
        let parentWidth =
            rows.map { $0.label.parent.isEmpty ? 0 : Format.displayWidth("› " + $0.label.parent) }.max() ?? 0
        // Units a span label marks as well, in a column of their own when any does.
        let unitsWidth = rows.map { Format.displayWidth($0.unitsNote) }.max() ?? 0
        for row in rows {
            let swatch = console.colour ? console.styled("  ", .background(row.label.colour)) + " " : ""
            let key = hasKeys ? "  " + (row.label.shortcut.isEmpty ? "   " : "[\(row.label.shortcut)]") : ""
            let parent =
                parentWidth > 0
                ? "  " + Format.padded(row.label.parent.isEmpty ? "" : "› " + row.label.parent, to: parentWidth) : ""
            console.out(
                swatch + Format.padded(row.label.name, to: nameWidth) + "  "
                    + Format.padded(row.label.aliases.joined(separator: ","), to: aliasWidth)
                    + "  " + Format.padded(row.label.kind.rawValue, to: 8)
                    + Format.leftPadded(Format.grouped(row.count), to: 8)
                    + (unitsWidth > 0 ? "  " + Format.padded(row.unitsNote, to: unitsWidth) : "") + key + parent
                    + (row.label.description.isEmpty ? "" : "  " + row.label.description))
        }
    }

    /// The text with each wrapped line's first offset in the margin, under a legend of the labels
    /// of the spans shown. Spans are coloured, or, without colour, marked with `^` under them; each
    /// run of marks has its span's id and label beside it where they fit (`SpanMarkers`). Spans that overlap get
    /// marker lines of their own, with colour too (a character has one colour, not two labels'),
    /// and so do touching spans without colour. Then the list of spans shown.
    private func renderText(_ view: TextView) {
        let margin = 8
        let rule = " │"
        // The rule is East Asian ambiguous: 2 columns where the terminal draws those wide.
        let textWidth = max(10, console.width - (margin - 2 + Format.displayWidth(rule)) - 1)
        if !view.spans.isEmpty { renderLegend(view.spans, width: console.width) }
        var paragraph: Int?
        for line in view.lines {
            if line.paragraph != paragraph, let p = line.paragraph {
                console.out(console.styled(Format.leftPadded("¶\(p)", to: margin - 1), .dim))
                paragraph = p
            }
            let scalars = Array(line.text.unicodeScalars)
            let lineEnd = line.start + scalars.count
            let onLine = view.spans.indices.filter {
                view.spans[$0].range.start < lineEnd && view.spans[$0].range.end > line.start
            }
            // Which span (if any) colours each scalar; the last span listed wins where spans overlap.
            var cover = [Int?](repeating: nil, count: scalars.count)
            for index in onLine {
                let span = view.spans[index]
                for k in max(span.range.start, line.start)..<min(span.range.end, lineEnd) {
                    cover[k - line.start] = index
                }
            }
            var i = 0
            while i < scalars.count || (scalars.isEmpty && i == 0) {
                // One visual line: as many scalars as fit in the text width.
                var width = 0
                var j = i
                var columnAt: [Int] = [0]
                while j < scalars.count {
                    let w = Names.visible(scalars[j]).columns
                    if width + w > textWidth && j > i { break }
                    width += w
                    j += 1
                    columnAt.append(width)
                }
                let start = line.start + i
                var text = ""
                for k in i..<j {
                    // Text from a file: a control character is drawn as its escape, never sent.
                    let piece = Names.visible(scalars[k]).text
                    if let covering = cover[k], console.colour {
                        text += console.styled(piece, .background(view.spans[covering].colour))
                    } else {
                        text += piece
                    }
                }
                console.out(console.styled(Format.leftPadded(String(start), to: margin - 2), .dim) + rule + text)
                let segmentEnd = line.start + j
                let here = onLine.filter {
                    view.spans[$0].range.start < segmentEnd && view.spans[$0].range.end > start
                }
                let overlapping = SpanMarkers.overlapping(here.map { view.spans[$0].range }, within: start, segmentEnd)
                // With colour, only spans that overlap need marks: colour shows the others.
                let marked = here.indices.filter { !console.colour || overlapping.contains($0) }.map { h in
                    let range = view.spans[here[h]].range
                    return SpanMarkers.Mark(
                        span: here[h], from: columnAt[max(range.start, start) - start],
                        to: columnAt[min(range.end, segmentEnd) - start])
                }
                let markers = SpanMarkers(marked, width: textWidth) { index in
                    let span = view.spans[index]
                    return ["\(span.id) \(Names.visible(span.label))", span.id]
                }
                for row in markers.rows {
                    var out = String(repeating: " ", count: margin - 2) + rule
                    var column = 0
                    for mark in row {
                        out += String(repeating: " ", count: mark.start - column)
                        out += console.styled(mark.drawn, .foreground(view.spans[mark.span].colour))
                        column = mark.start + Format.displayWidth(mark.drawn)
                    }
                    console.out(out)
                }
                if scalars.isEmpty { break }
                i = j
            }
        }
        if view.lines.isEmpty { console.out("(nothing to show)") }
        if !view.spans.isEmpty { renderSpans(view.spans) }
        for category in view.categories { console.out("category " + category) }
    }

    /// One line (wrapped if long) naming the labels of `spans`, each after a swatch of its colour
    /// when there is colour.
    private func renderLegend(_ spans: [SpanRow], width: Int) {
        var seen = Set<String>()
        var line = "labels:"
        var used = Format.displayWidth(line)
        for span in spans where seen.insert(span.label).inserted {
            let name = Names.visible(span.label)
            let swatch = console.colour ? 3 : 0
            let itemWidth = 2 + swatch + Format.displayWidth(name)
            if used + itemWidth > width - 1 && used > 0 {
                console.out(line)
                line = "       "
                used = 7
            }
            line += "  " + (console.colour ? console.styled("  ", .background(span.colour)) + " " : "") + name
            used += itemWidth
        }
        console.out(line)
    }
}
