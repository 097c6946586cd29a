import CTagbenchBytes

/// Finds every occurrence of many literal texts in one pass over a document's UTF-8, counting
/// code points on the way, so matches come out in code points with no index lookups.
///
/// The pass is `tb_find_terms` (C): candidates are the places where some text's first character
/// starts, found 32 bytes at a time with AVX2 (with more than two CJK first characters, by the
/// nibbles of their three bytes, Hyperscan's "Teddy" method), and only there are the texts
/// compared whole (the alternatives measured against it are in docs/performance.md).
public struct TermMatcher: Sendable {
    /// The terms' bytes one after another; term `t` is `bytes[offsets[t]..<offsets[t + 1]]`.
    private let bytes: [UInt8]
    private let offsets: [Int]
    private let codePointLengths: [Int]
    /// Without SIMD (tests compare both ways).
    private let portable: Bool

    /// Prepares `terms` (empty ones never match).
    public init(_ terms: [[UInt8]], portable: Bool = false) {
        bytes = terms.flatMap { $0 }
        offsets = terms.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        codePointLengths = terms.map { t in t.withUnsafeBufferPointer { UTF8Bytes.countCodePoints($0) } }
        self.portable = portable
    }

    /// Calls `found(term, start, end)` (code points) for every occurrence, overlapping ones
    /// included, in order of their starts (terms starting together in the order given).
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int, Int, Int) -> Void) {
        guard let base = text.baseAddress, !codePointLengths.isEmpty else { return }
        let capacity = Swift.max(256, codePointLengths.count)
        withUnsafeTemporaryAllocation(of: tb_term_hit.self, capacity: capacity) { hits in
            bytes.withUnsafeBufferPointer { terms in
                offsets.withUnsafeBufferPointer { offsets in
                    var position = 0
                    var codePoint = 0
                    while position < text.count {
                        let n = tb_find_terms(
                            base, text.count, terms.baseAddress, offsets.baseAddress, codePointLengths.count,
                            hits.baseAddress, capacity, &position, &codePoint, portable ? 1 : 0)
                        for hit in hits[..<n] {
                            let t = Int(hit.term)
                            let start = Int(hit.start)
                            found(t, start, start + codePointLengths[t])
                        }
                    }
                }
            }
        }
    }
}
