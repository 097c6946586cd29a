#if canImport(Glibc)
    import Glibc
#endif

/// One document's page of a report: its text with every span a `<mark>` (label, code-point
/// offsets, note), overlapping spans in lanes, category labels beside their paragraphs, and a
/// legend that filters labels.
struct ReportPage {
    /// The document.
    let document: Document
    /// Its number in the session, from 1.
    let number: Int
    /// Its spans, by start, the longer first among equal starts.
    let spans: [Mark]
    /// Its category labels, in unit order.
    let categories: [CategoryAnnotation]
    /// The tag set's labels.
    let labels: [Label]

    /// What a page shows of a span. Holding copies of whole `Annotation`s (and sorting them)
    /// retained and released every string of each of a large report's spans.
    struct Mark {
        var range: TextRange
        var label: Int
        var number: Int
        var note: String

        init(_ annotation: Annotation) {
            (range, label, number, note) = (annotation.range, annotation.label, annotation.number, annotation.note)
        }
    }

    /// A run of paragraphs no span crosses out of, drawn as one block, and its spans in lanes.
    private struct Block {
        var range: TextRange
        var firstParagraph: Int
        var lastParagraph: Int
        /// Indices into `spans`, with the lane of each.
        var spans: [(span: Int, lane: Int)] = []
        var lanes = 1
        /// Where its text ends: the whitespace after it (the blank lines before the next block)
        /// is not drawn, in every lane alike.
        var textEnd = 0
    }

    /// Writes the page.
    func write(_ w: inout JSONWriter) {
        ReportStyle.head(&w, title: document.id + " · tagbench report")
        var used = Set(spans.map(\.label))
        used.formUnion(categories.map(\.label))
        let usedLabels = used.sorted()
        ReportStyle.labelRules(&w, labels, usedLabels)
        let blocks = document.bytes.withUnsafeBufferPointer { self.blocks($0) }
        let lanes = blocks.map(\.lanes).max() ?? 1
        // Lanes past those the shared style sheet knows.
        if lanes > ReportStyle.sharedLanes {
            for k in ReportStyle.sharedLanes..<lanes {
                w.raw(".k\(k){--k:\(k)}.z\(k){z-index:\(40 - min(k, 39))}")
            }
            w.raw("\n")
        }
        let id = JSONWriter.escapedHTML(document.id)
        w.raw(
            "</style></head>\n<body>\n<nav><a href=\"../index.html\">report</a> › \(id)</nav>\n<h1>\(id)</h1>\n"
                + "<p class=\"facts\">document \(number) of the session · \(Format.count(document.length, "character")) · "
                + "\(Format.count(spans.count, "span")) · offsets are code points, as in the exports; "
                + "hover over a span for its offsets</p>\n")
        legend(&w)
        let documentCategories = categories.filter { $0.unit == .doc }
        if !documentCategories.isEmpty {
            w.raw("<p class=\"doccats\">")
            for category in documentCategories {
                ReportStyle.chip(&w, unit: "document", label: category.label, name: labels[category.label].name)
            }
            w.raw("</p>\n")
        }
        w.raw("<main>\n")
        // By where their unit starts: a block takes those that start in it.
        let unitCategories = categories.filter { $0.unit != .doc }.sorted {
            ($0.range.start, $0.unit == .para ? 0 : 1, $0.index, $0.label) < (
                $1.range.start, $1.unit == .para ? 0 : 1, $1.index, $1.label
            )
        }
        var nextCategory = 0
        document.bytes.withUnsafeBufferPointer { bytes in
            for block in blocks {
                w.raw("<section class=\"block\" id=\"p")
                w.int(block.firstParagraph)
                w.raw("\" title=\"")
                w.raw(
                    block.firstParagraph == block.lastParagraph
                        ? "¶\(block.firstParagraph)" : "¶\(block.firstParagraph)–\(block.lastParagraph)")
                w.raw(" · \(block.range.start):\(block.range.end)\"><div class=\"cats\">")
                // Category labels of the paragraphs and sentences that start in the block.
                while nextCategory < unitCategories.count, unitCategories[nextCategory].range.start < block.range.end {
                    let category = unitCategories[nextCategory]
                    ReportStyle.chip(
                        &w, unit: category.unit == .para ? "¶\(category.index)" : "s\(category.index)",
                        label: category.label, name: labels[category.label].name)
                    nextCategory += 1
                }
                w.raw("</div><div class=\"stack\" style=\"--n:")
                w.int(block.lanes)
                w.raw("\">")
                for lane in 0..<block.lanes {
                    w.raw(
                        lane == 0 ? "<div class=\"layer z0\">" : "<div class=\"layer o z\(lane)\" aria-hidden=\"true\">"
                    )
                    var at = block.range.start
                    for (index, spanLane) in block.spans where spanLane == lane {
                        let span = spans[index]
                        text(&w, bytes, from: at, to: span.range.start)
                        mark(&w, span, lane: lane)
                        text(&w, bytes, from: span.range.start, to: span.range.end)
                        w.raw("</mark>")
                        at = span.range.end
                    }
                    // The blank lines after the block's last paragraph are the gap between
                    // blocks: kept in the page, not drawn (at the block's tall line height).
                    let gap = max(at, block.textEnd)
                    text(&w, bytes, from: at, to: gap)
                    if gap < block.range.end {
                        w.raw("<span class=\"ws\">")
                        text(&w, bytes, from: gap, to: block.range.end)
                        w.raw("</span>")
                    }
                    w.raw("</div>")
                }
                w.raw("</div></section>\n")
            }
        }
        w.raw("</main>\n<div id=\"detail\" role=\"status\"></div>\n<script>\n")
        w.raw(ReportStyle.script)
        w.raw("</script>\n</body></html>\n")
    }

    /// The text between two code-point offsets, escaped.
    private func text(_ w: inout JSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        guard to > from else { return }
        let start = document.byteOffset(from)
        let end = document.byteOffset(to)
        w.html(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    /// A span's opening tag: its label (name and colour class), offsets and id, and its note as
    /// a title (a tooltip). The offsets show on hover from the data attributes (the style sheet),
    /// not from a title repeating them: a tenth of a page's bytes at 46 spans a document.
    private func mark(_ w: inout JSONWriter, _ span: Mark, lane: Int) {
        let name = labels[span.label].name
        w.raw("<mark id=\"a")
        w.int(span.number)
        w.raw("\" class=\"l")
        w.int(span.label)
        w.raw(" k")
        w.int(lane)
        w.raw("\" data-label=\"")
        w.html(name)
        w.raw("\" data-start=\"")
        w.int(span.range.start)
        w.raw("\" data-end=\"")
        w.int(span.range.end)
        if !span.note.isEmpty {
            w.raw("\" title=\"")
            w.html(span.note)
        }
        w.raw("\">")
    }

    /// The labels on the page with their counts; each a button that hides and shows its marks.
    private func legend(_ w: inout JSONWriter) {
        var counts: [Int: Int] = [:]
        for span in spans { counts[span.label, default: 0] += 1 }
        for category in categories { counts[category.label, default: 0] += 1 }
        guard !counts.isEmpty else { return }
        w.raw("<ul class=\"legend\">")
        for label in counts.keys.sorted() {
            let name = JSONWriter.escapedHTML(labels[label].name)
            // A span label's entry is a button (the script hides and shows its marks).
            let (open, close) =
                labels[label].kind == .span
                ? ("<button type=\"button\" aria-pressed=\"true\" data-l=\"l\(label)\">", "</button>")
                : ("<span>", "</span>")
            w.raw(
                "<li class=\"l\(label)\">\(open)<span class=\"sw\"></span>\(name)<b>\(counts[label]!)</b>\(close)</li>")
        }
        w.raw("</ul>\n")
    }

    /// The blocks: runs of whole paragraphs (lines holding more than whitespace), cut at a
    /// line's start only where no span crosses (a span across paragraphs keeps them in one
    /// block, so it stays one mark), with each block's spans put in lanes (the first lane free
    /// where a span starts). Lines are found with `memchr` and a line is blank only while its
    /// first characters are whitespace: segmenting every character into paragraphs took a
    /// seventh of the whole report.
    private func blocks(_ bytes: UnsafeBufferPointer<UInt8>) -> [Block] {
        var blocks: [Block] = []
        var blockStart = 0
        var firstParagraph = 1
        var paragraph = 0
        var reach = 0  // the furthest end of the spans that start before the candidate cut
        var next = 0
        var line = 0
        while let base = bytes.baseAddress, line < bytes.count {
            let newline = memchr(base + line, 0x0A, bytes.count - line).map {
                UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base
            }
            let lineEnd = newline ?? bytes.count
            var at = line
            var blank = true
            while at < lineEnd {
                let (scalar, length) = UTF8Bytes.decode(base, at)
                if !UTF8Bytes.isWhitespace(scalar) {
                    blank = false
                    break
                }
                at += length
            }
            if !blank {
                paragraph += 1
                if paragraph > 1 {
                    let cut = document.codePointOffset(ofByte: line)
                    while next < spans.count && spans[next].range.start < cut {
                        reach = max(reach, spans[next].range.end)
                        next += 1
                    }
                    if reach <= cut && cut > blockStart {
                        blocks.append(
                            Block(
                                range: TextRange(blockStart, cut), firstParagraph: firstParagraph,
                                lastParagraph: paragraph - 1))
                        blockStart = cut
                        firstParagraph = paragraph
                    }
                }
            }
            guard let newline else { break }
            line = newline + 1
        }
        if blockStart < document.length || blocks.isEmpty {
            blocks.append(
                Block(
                    range: TextRange(blockStart, document.length), firstParagraph: firstParagraph,
                    lastParagraph: max(firstParagraph, paragraph)))
        }
        // Where each block's trailing whitespace starts (from the end, a character at a time).
        for k in blocks.indices {
            var byte = document.byteOffset(blocks[k].range.end)
            let first = document.byteOffset(blocks[k].range.start)
            while byte > first {
                var start = byte - 1
                while start > first && bytes[start] & 0xC0 == 0x80 { start -= 1 }
                guard UTF8Bytes.isWhitespace(UTF8Bytes.decode(bytes.baseAddress!, start).0) else { break }
                byte = start
            }
            blocks[k].textEnd = document.codePointOffset(ofByte: byte)
        }
        // Spans into their blocks and lanes; a block's hidden gap starts after its last span.
        var b = 0
        var laneEnds: [Int] = []
        for (index, span) in spans.enumerated() {
            while b + 1 < blocks.count && span.range.start >= blocks[b].range.end {
                b += 1
                laneEnds = []
            }
            let lane = laneEnds.firstIndex { $0 <= span.range.start } ?? laneEnds.count
            if lane == laneEnds.count { laneEnds.append(span.range.end) } else { laneEnds[lane] = span.range.end }
            blocks[b].spans.append((index, lane))
            blocks[b].lanes = max(blocks[b].lanes, lane + 1)
            blocks[b].textEnd = max(blocks[b].textEnd, span.range.end)
        }
        return blocks
    }
}
