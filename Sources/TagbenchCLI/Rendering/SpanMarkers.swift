import TagbenchCore

/// The marker lines under one wrapped line of `show`: each span's characters marked with `^`,
/// with the span's id and label beside the marks where they fit, else its id alone: after them
/// (two columns clear of the next marks, so that it reads as theirs), before them when they are
/// first on their line, or inside a long run (`^^ a1 主题教育 ^^^^`). Spans that overlap, or touch,
/// cannot share a line (their marks would run together into one), so each of them gets a line of
/// its own; spans apart from each other share one.
struct SpanMarkers {
    /// One span's marks on a wrapped line: which span (its index in the view) and its columns
    /// `from..<to`; once laid out, what is drawn (`drawn`, from column `start`).
    struct Mark: Equatable {
        let span: Int
        let from: Int
        let to: Int
        var start = 0
        var drawn = ""

        init(span: Int, from: Int, to: Int) {
            self.span = span
            self.from = from
            self.to = to
        }
    }

    /// The marker lines, top first, each with its marks left to right.
    private(set) var rows: [[Mark]] = []

    /// Lays out `marks` (columns within a line of `width` columns; `captions` gives each span's
    /// possible captions, longest first): the first line whose last marks end at least one
    /// column before takes a span, so that apart spans stay on one line.
    init(_ marks: [Mark], width: Int, captions: (Int) -> [String]) {
        let ordered = marks.filter { $0.to > $0.from }.sorted {
            $0.from != $1.from ? $0.from < $1.from : $0.to != $1.to ? $0.to > $1.to : $0.span < $1.span
        }
        var ends: [Int] = []
        for mark in ordered {
            if let row = ends.firstIndex(where: { $0 < mark.from }) {
                rows[row].append(mark)
                ends[row] = mark.to
            } else {
                rows.append([mark])
                ends.append(mark.to)
            }
        }
        for r in rows.indices {
            for m in rows[r].indices {
                let right = m + 1 < rows[r].count ? rows[r][m + 1].from - 2 : width
                rows[r][m].place(captions(rows[r][m].span), first: m == 0, before: right)
            }
        }
    }

    /// The spans (indices into `spans`) that overlap another of them within `from..<to`.
    static func overlapping(_ spans: [TextRange], within from: Int, _ to: Int) -> Set<Int> {
        var found = Set<Int>()
        for a in spans.indices {
            for b in spans.indices where a < b {
                let start = max(spans[a].start, spans[b].start, from)
                let end = min(spans[a].end, spans[b].end, to)
                if start < end {
                    found.insert(a)
                    found.insert(b)
                }
            }
        }
        return found
    }
}

extension SpanMarkers.Mark {
    /// Chooses what to draw before column `right`: the marks with the first caption that fits
    /// after them, before them (when `first` on the line) or inside them; else the marks alone.
    fileprivate mutating func place(_ captions: [String], first: Bool, before right: Int) {
        let length = to - from
        func marks(_ n: Int) -> String { String(repeating: "^", count: n) }
        for caption in captions {
            let width = Format.displayWidth(caption)
            if to + 1 + width <= right {
                (start, drawn) = (from, marks(length) + " " + caption)
                return
            }
            if first && from - width - 1 >= 0 {
                (start, drawn) = (from - width - 1, caption + " " + marks(length))
                return
            }
            if length >= width + 6 {
                (start, drawn) = (from, marks(2) + " " + caption + " " + marks(length - width - 4))
                return
            }
        }
        (start, drawn) = (from, marks(length))
    }
}
