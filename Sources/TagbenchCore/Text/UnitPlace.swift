/// Where a range lies among its document's paragraphs and sentences, in the numbers `show para N`,
/// `show sent N` and `classify … para N` take: written `¶16 sent 87`, or `¶16-17 sent 87-90` for
/// a range over several (the same `N-M` that `show para N-M` takes).
public struct UnitPlace: Hashable, Sendable, CustomStringConvertible {
    /// The paragraphs the range overlaps (numbered from 1); nil when it lies in none (blank lines).
    public var paragraphs: ClosedRange<Int>?
    /// The sentences the range overlaps (numbered from 1 through the document); nil when none.
    public var sentences: ClosedRange<Int>?

    /// The units `range` overlaps in `document`, found by binary search over the units' ranges
    /// (they are in order and do not overlap). An empty range counts the unit holding its offset.
    public init(of range: TextRange, in document: Document) {
        paragraphs = Self.paragraphs(of: range, in: document)
        sentences = Self.overlapping(range, document.sentences) { $0.range }
    }

    /// The paragraphs `range` overlaps in `document` (the `paragraphs` of its place).
    public static func paragraphs(of range: TextRange, in document: Document) -> ClosedRange<Int>? {
        overlapping(range, document.paragraphs) { $0 }
    }

    /// A place with these numbers.
    public init(paragraphs: ClosedRange<Int>?, sentences: ClosedRange<Int>?) {
        self.paragraphs = paragraphs
        self.sentences = sentences
    }

    /// The 1-based numbers of the units (ranges in order, apart) that share a code point with `range`.
    private static func overlapping<Unit>(_ range: TextRange, _ units: [Unit], _ unitRange: (Unit) -> TextRange)
        -> ClosedRange<Int>?
    {
        // An empty range is a point: the unit that holds the character at it.
        let range = range.end > range.start ? range : TextRange(range.start, range.start + 1)
        // The first unit ending after the range starts, and the first starting at or after its end.
        let first = units.partitioningIndex { unitRange($0).end > range.start }
        let past = units.partitioningIndex { unitRange($0).start >= range.end }
        return first < past ? (first + 1)...past : nil
    }

    /// The columns a listing gives its places: the widest one's.
    public static func columnWidth(_ places: [UnitPlace?]) -> Int {
        places.map { Format.displayWidth($0?.description ?? "") }.max() ?? 0
    }

    /// A place as a listing's column of `width` (from `columnWidth`) and the gap after it; no
    /// column at all when no row has a place.
    public static func column(_ place: UnitPlace?, width: Int) -> String {
        width == 0 ? "" : Format.padded(place?.description ?? "", to: width) + "  "
    }

    /// `¶16 sent 87`, `¶16-17 sent 87-90`; empty when the range lies in no paragraph.
    public var description: String {
        func numbers(_ r: ClosedRange<Int>) -> String {
            r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)-\(r.upperBound)"
        }
        var parts: [String] = []
        if let paragraphs { parts.append("¶" + numbers(paragraphs)) }
        if let sentences { parts.append("sent " + numbers(sentences)) }
        return parts.joined(separator: " ")
    }
}
