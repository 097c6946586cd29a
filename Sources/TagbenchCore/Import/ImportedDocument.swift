/// A document read from annotated data, with the annotations it carried (checked against its text).
public struct ImportedDocument {
    /// A span as the data gave it.
    public struct Span: Equatable, Sendable {
        /// Code-point range.
        public var range: TextRange
        /// Label name.
        public var label: String
        /// Note, empty when none.
        public var note: String
    }

    /// A category label on a unit.
    public struct Category: Equatable, Sendable {
        /// Label name.
        public var label: String
        /// Document, paragraph or sentence.
        public var unit: UnitKind
        /// 1-based unit number.
        public var index: Int
    }

    /// The id the data gave (made unique when added).
    public var id: String
    /// The text, as a document (its path is the file read).
    public var document: Document
    /// Spans, in the data's order.
    public var spans: [Span]
    /// Category labels.
    public var categories: [Category]
    /// Spans known to be wrong (a spans export's `rejected`), kept as rejected suggestions.
    public var rejected: [Span] = []
}
