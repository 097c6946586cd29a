/// A span as `agree` compares it: offsets and a label shared by every session (`Agreement`'s
/// label numbering, by name), 12 bytes with no strings.
struct PackedSpan: Comparable, Sendable {
    var start: Int32
    var end: Int32
    var label: Int32

    static func < (x: PackedSpan, y: PackedSpan) -> Bool {
        x.start != y.start ? x.start < y.start : x.end != y.end ? x.end < y.end : x.label < y.label
    }
}

/// One annotator's spans on the common documents, grouped by document: by position (start,
/// end, label) for exact matching and the character sweep, and by label then start, with the
/// running largest end of each label's run, to find overlaps by binary search.
struct AgreementSpanTable: Sendable {
    /// Document k's spans are at `offsets[k]..<offsets[k + 1]` in both orders.
    private(set) var offsets: [Int]
    /// By (start, end, label) within each document.
    private(set) var byPosition: [PackedSpan]
    /// By (label, start, end) within each document.
    private(set) var byLabel: [PackedSpan]
    /// For `byLabel[i]`: the largest end among the spans of its label and document up to `i`.
    private(set) var runningEnd: [Int32]

    /// The spans of one session whose document is common (`commonIndex[d]`, -1 when not) and
    /// whose label is compared (`labelNumber[l]`, -1 when not).
    init(_ session: Session, commonIndex: [Int], commonCount: Int, labelNumber: [Int32]) {
        var counts = [Int](repeating: 0, count: commonCount + 1)
        var staged: [(document: Int32, span: PackedSpan)] = []
        staged.reserveCapacity(session.annotationCount)
        // Fields read in place: copying each annotation out would retain and release its strings.
        session.annotationSlots.withUnsafeBufferPointer { slots in
            for i in slots.indices {
                guard let document = slots[i]?.document else { continue }
                let common = commonIndex[document]
                guard common >= 0 else { continue }
                let label = slots[i]!.label
                let number = label < labelNumber.count ? labelNumber[label] : -1
                guard number >= 0 else { continue }
                let range = slots[i]!.range
                staged.append(
                    (Int32(common), PackedSpan(start: Int32(range.start), end: Int32(range.end), label: number)))
                counts[common + 1] += 1
            }
        }
        for k in 0..<commonCount { counts[k + 1] += counts[k] }
        offsets = counts
        var next = counts
        var placed = [PackedSpan](repeating: PackedSpan(start: 0, end: 0, label: 0), count: staged.count)
        for entry in staged {
            placed[next[Int(entry.document)]] = entry.span
            next[Int(entry.document)] += 1
        }
        staged = []
        var byLabel = placed
        var runningEnd = [Int32](repeating: 0, count: placed.count)
        for k in 0..<commonCount where counts[k + 1] - counts[k] > 1 {
            placed[counts[k]..<counts[k + 1]].sort()
            byLabel[counts[k]..<counts[k + 1]].sort {
                $0.label != $1.label
                    ? $0.label < $1.label : $0.start != $1.start ? $0.start < $1.start : $0.end < $1.end
            }
        }
        for k in 0..<commonCount {
            for i in counts[k]..<counts[k + 1] {
                let continues = i > counts[k] && byLabel[i - 1].label == byLabel[i].label
                runningEnd[i] = continues ? max(runningEnd[i - 1], byLabel[i].end) : byLabel[i].end
            }
        }
        byPosition = placed
        self.byLabel = byLabel
        self.runningEnd = runningEnd
    }

    /// The positions of document k's spans.
    func range(of document: Int) -> Range<Int> { offsets[document]..<offsets[document + 1] }

    /// How many spans there are.
    var count: Int { byPosition.count }
}
