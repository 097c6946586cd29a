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
        case .documents(let rows): renderDocuments(rows)
        case .text(let view): renderText(view)
        case .hits(let rows, let total): renderHits(rows, total: total)
        case .spans(let rows): renderSpans(rows)
        case .labels(let rows): renderLabels(rows)
        case .agreement(let report, let listing): AgreementRenderer(console: console).render(report, listing: listing)
        case .disagreement(let view): AgreementRenderer(console: console).render(view)
        }
    }

    /// Writes an error as `file:line[:column]: error: message`, then its hint.
    public func render(_ error: LocatedError, showLocation: Bool = true) {
        var location = ""
        var message = Names.visible(error.error.message)
        if case .malformedJSON(let path, let line, let column, let reason) = error.error {
            // The place in the JSON file says more than the command that opened it.
            location = "\(path):\(line):\(column): "
            message = "malformed JSON: \(reason)"
        } else if showLocation && !error.file.isEmpty {
            location = "\(error.file):\(error.line):" + (error.column.map { "\($0):" } ?? "") + " "
        }
        console.err(location + console.styled("error:", .red) + " " + message)
        if let hint = error.error.hint { console.err("  " + console.styled("hint:", .dim) + " " + hint) }
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
                    + (row.isMissing ? "  (file missing)" : ""))
        }
    }

    private func renderHits(_ rows: [HitRow], total: Int) {
        guard total > 0 else {
            console.out("no matches")
            return
        }
        let idWidth = rows.map { Format.displayWidth($0.document) }.max() ?? 0
        let rangeWidth = rows.map { $0.range.description.count }.max() ?? 0
        let numberWidth = String(rows.count).count + 1
        for row in rows {
            let match =
                console.colour
                ? console.styled(Names.visible(row.match), .reverse) : "【" + Names.visible(row.match) + "】"
            console.out(
                Format.padded("h\(row.number)", to: numberWidth) + "  " + Format.padded(row.document, to: idWidth)
                    + "  "
                    + Format.padded(row.range.description, to: rangeWidth) + "  …" + Names.visible(row.before) + match
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
        // On a terminal a row keeps to one line: a long span's text (a paragraph's, say) is cut to
        // the width left, with `…`; pipes and scripts get every character.
        let fixed = idWidth + labelWidth + docWidth + rangeWidth + 8
        for row in rows {
            let label = console.styled(Format.padded(row.label, to: labelWidth), .foreground(row.colour))
            var tail = Names.visible(row.text) + (row.note.isEmpty ? "" : "  # " + Names.visible(row.note))
            if console.isTerminal { tail = Format.truncated(tail, toWidth: max(10, console.width - fixed)) }
            console.out(
                Format.padded(row.id, to: idWidth) + "  " + label + "  " + Format.padded(row.document, to: docWidth)
                    + "  "
                    + Format.padded(row.range.description, to: rangeWidth) + "  " + tail)
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
                    + Format.leftPadded(Format.grouped(row.count), to: 8) + key + parent
                    + (row.label.description.isEmpty ? "" : "  " + row.label.description))
        }
    }

    /// The text with each wrapped line's first offset in the margin; spans coloured, or marked
    /// with `^` under them when there is no colour; then the list of spans shown.
    private func renderText(_ view: TextView) {
        let margin = 8
        let textWidth = max(10, console.width - margin - 1)
        var paragraph: Int?
        for line in view.lines {
            if line.paragraph != paragraph, let p = line.paragraph {
                console.out(console.styled(Format.leftPadded("¶\(p)", to: margin - 1), .dim))
                paragraph = p
            }
            let scalars = Array(line.text.unicodeScalars)
            // Which span (if any) colours each scalar; the last span listed wins where spans overlap.
            var cover = [Int?](repeating: nil, count: scalars.count)
            let lineEnd = line.start + scalars.count
            for (index, span) in view.spans.enumerated() where span.range.start < lineEnd && span.range.end > line.start
            {
                for k in max(span.range.start, line.start)..<min(span.range.end, lineEnd) {
                    cover[k - line.start] = index
                }
            }
            var i = 0
            while i < scalars.count || (scalars.isEmpty && i == 0) {
                // One visual line: as many scalars as fit in the text width.
                var width = 0
                var j = i
                while j < scalars.count {
                    let w = Format.columns(scalars[j])
                    if width + w > textWidth && j > i { break }
                    width += w
                    j += 1
                }
                let start = line.start + i
                var text = ""
                var marks = ""
                var anyMark = false
                for k in i..<j {
                    let covering = cover[k].map { view.spans[$0] }
                    let piece = String(scalars[k])
                    if let covering, console.colour {
                        text += console.styled(piece, .background(covering.colour))
                    } else {
                        text += piece
                    }
                    let w = Format.columns(scalars[k])
                    if covering != nil {
                        anyMark = true
                        marks += String(repeating: "^", count: w)
                    } else {
                        marks += String(repeating: " ", count: w)
                    }
                }
                console.out(console.styled(Format.leftPadded(String(start), to: margin - 2), .dim) + " │" + text)
                if anyMark && !console.colour {
                    var trimmed = marks
                    while trimmed.hasSuffix(" ") { trimmed.removeLast() }
                    console.out(String(repeating: " ", count: margin - 2) + " │" + trimmed)
                }
                if scalars.isEmpty { break }
                i = j
            }
        }
        if view.lines.isEmpty { console.out("(nothing to show)") }
        if !view.spans.isEmpty { renderSpans(view.spans) }
        for category in view.categories { console.out("category " + category) }
    }
}
