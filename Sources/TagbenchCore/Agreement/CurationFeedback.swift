/// `agree --against CURATED`: each annotator measured against the curated session (a merge,
/// adjudicated): one two-way comparison each, the curated session as `a`, the reference, so an
/// annotator's precision is the share of their spans the curation kept and their recall the
/// share of the curated spans they had; with every difference, for feedback.
public struct CurationFeedback: Sendable, Equatable {
    /// Each annotator's comparison with the curated session: annotators `[curated, annotator]`.
    public var comparisons: [AgreementReport]

    /// Makes the feedback.
    public init(comparisons: [AgreementReport]) {
        self.comparisons = comparisons
    }

    /// The curated session's name, as the comparisons give it.
    public var reference: String { comparisons.first?.annotators[0] ?? "" }

    /// The feedback as one JSON object (`Schemas/agreement.schema.json`, `$defs/against`):
    /// `reference`, `session` and `comparisons` (an agreement object each).
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.raw("{")
        w.key("reference", comma: false)
        w.string(reference)
        w.key("session")
        w.string(comparisons.first?.sessions[0] ?? "")
        w.key("comparisons")
        w.raw("[\n")
        for (k, comparison) in comparisons.enumerated() {
            if k > 0 { w.raw(",\n") }
            var bytes = comparison.json()
            if bytes.last == 0x0A { bytes.removeLast() }
            w.bytes += bytes
        }
        w.raw("]}\n")
        return w.bytes
    }
}
