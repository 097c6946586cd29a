/// A half-open range `[start, end)` of code-point offsets in one document.
public struct TextRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first code point in the range.
    public var start: Int
    /// The code point after the last one in the range.
    public var end: Int

    /// Makes a range; `start <= end` is the caller's promise.
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// The number of code points covered.
    public var length: Int { end - start }

    /// Whether the two ranges share at least one code point.
    public func overlaps(_ other: TextRange) -> Bool { start < other.end && other.start < end }

    /// `S:E`, the form users type.
    public var description: String { "\(start):\(end)" }

    /// By start, then by end: the order spans are listed and exported in.
    public static func < (a: TextRange, b: TextRange) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }
}
