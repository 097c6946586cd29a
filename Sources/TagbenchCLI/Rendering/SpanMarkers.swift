import TagbenchCore

/// The marker lines under one wrapped line of `show`: each span's characters marked with an
/// unbroken run of `^`, with the span's id and label after the run where they fit on the line,
/// else its id alone, else before the run; never inside it (a caption inside reads as two spans).
/// A span goes on the first marker line where its marks and caption stay two columns clear of
/// the others; spans that overlap or sit too close for their captions get lines of their own, so
/// that every span is named.
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
    /// possible captions, longest first).
    init(_ marks: [Mark], width: Int, captions: (Int) -> [String]) {
        let ordered = marks.filter { $0.to > $0.from }.sorted {
            $0.from != $1.from ? $0.from < $1.from : $0.to != $1.to ? $0.to > $1.to : $0.span < $1.span
        }
        // The column after the last thing drawn on each row.
        var ends: [Int] = []
        for var mark in ordered {
            mark.place(captions(mark.span), width: width)
            let row =
                ends.firstIndex { $0 + 2 <= mark.start }
                ?? {
                    rows.append([])
                    ends.append(0)
                    return rows.count - 1
                }()
            rows[row].append(mark)
            ends[row] = mark.start + Format.displayWidth(mark.drawn)
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
    /// Chooses what to draw within `width` columns: the marks with the first caption that fits
    /// after them, else before them; else the marks alone.
    fileprivate mutating func place(_ captions: [String], width: Int) {
        let marks = String(repeating: "^", count: to - from)
        for caption in captions where to + 1 + Format.displayWidth(caption) <= width {
            (start, drawn) = (from, marks + " " + caption)
            return
        }
        for caption in captions where from - Format.displayWidth(caption) - 1 >= 0 {
            (start, drawn) = (from - Format.displayWidth(caption) - 1, caption + " " + marks)
            return
        }
        (start, drawn) = (from, marks)
    }
}
