/// Span agreement of two annotators, micro-averaged over the common documents: exact matches
/// over (document, start, end, label), and matches by overlap (one code point or more) with the
/// same label, each overall and per label.
enum SpanAgreement {
    /// The counts of `b` against `a` (the reference), per label (`labels` of them) and overall.
    static func compare(_ a: AgreementSpanTable, _ b: AgreementSpanTable, documents: Int, labels: Int) -> (
        overall: SpanMatch, byLabel: [SpanMatch]
    ) {
        var exactBoth = [Int](repeating: 0, count: labels)
        var countA = [Int](repeating: 0, count: labels)
        var countB = [Int](repeating: 0, count: labels)
        var overlapA = [Int](repeating: 0, count: labels)
        var overlapB = [Int](repeating: 0, count: labels)
        for d in 0..<documents {
            let ra = a.range(of: d)
            let rb = b.range(of: d)
            for i in ra { countA[Int(a.byPosition[i].label)] += 1 }
            for j in rb { countB[Int(b.byPosition[j].label)] += 1 }
            if ra.isEmpty || rb.isEmpty { continue }
            // Both sorted by (start, end, label): one merge finds the spans they share.
            var i = ra.lowerBound
            var j = rb.lowerBound
            while i < ra.upperBound && j < rb.upperBound {
                let x = a.byPosition[i]
                let y = b.byPosition[j]
                if x == y {
                    exactBoth[Int(x.label)] += 1
                    i += 1
                    j += 1
                } else if x < y {
                    i += 1
                } else {
                    j += 1
                }
            }
            countOverlapping(a, ra, in: b, rb, into: &overlapA)
            countOverlapping(b, rb, in: a, ra, into: &overlapB)
        }
        var byLabel: [SpanMatch] = []
        var overall = SpanMatch()
        for l in 0..<labels {
            var m = SpanMatch()
            m.exact = SpanCounts(
                tp: exactBoth[l], fp: countB[l] - exactBoth[l], fn: countA[l] - exactBoth[l], tpB: exactBoth[l])
            m.overlap = SpanCounts(
                tp: overlapA[l], fp: countB[l] - overlapB[l], fn: countA[l] - overlapA[l], tpB: overlapB[l])
            overall.exact += m.exact
            overall.overlap += m.overlap
            byLabel.append(m)
        }
        return (overall, byLabel)
    }

    /// Counts, per label, the spans of `x` in `rx` that overlap a span of `y` in `ry` with their
    /// label: in each label's run of `y` (by start), the spans starting before this one ends are
    /// a prefix, found by binary search, and one of them overlaps it when the largest end among
    /// them is past its start.
    private static func countOverlapping(
        _ x: AgreementSpanTable, _ rx: Range<Int>, in y: AgreementSpanTable, _ ry: Range<Int>, into counts: inout [Int]
    ) {
        var j = ry.lowerBound
        var i = rx.lowerBound
        while i < rx.upperBound {
            let label = x.byLabel[i].label
            var runEndX = i
            while runEndX < rx.upperBound && x.byLabel[runEndX].label == label { runEndX += 1 }
            while j < ry.upperBound && y.byLabel[j].label < label { j += 1 }
            var runEndY = j
            while runEndY < ry.upperBound && y.byLabel[runEndY].label == label { runEndY += 1 }
            if runEndY > j {
                for k in i..<runEndX {
                    let span = x.byLabel[k]
                    // The first of the run that starts at or after `span.end`.
                    var low = j
                    var high = runEndY
                    while low < high {
                        let mid = (low + high) / 2
                        if y.byLabel[mid].start < span.end { low = mid + 1 } else { high = mid }
                    }
                    if low > j && y.runningEnd[low - 1] > span.start { counts[Int(label)] += 1 }
                }
            }
            i = runEndX
            j = runEndY
        }
    }
}
