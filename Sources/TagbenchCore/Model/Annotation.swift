/// A labelled character span in one document.
public struct Annotation: Sendable, Equatable {
    /// The number in the id `aN`; ids are never reused.
    public var number: Int
    /// Index of the document in the session.
    public var document: Int
    /// The code-point range.
    public var range: TextRange
    /// Index of the label in the tag set.
    public var label: Int
    /// The text covered when it was tagged (kept so drift can be detected).
    public var text: String
    /// A free-text note, empty when none.
    public var note: String
    /// `manual`, or the bulk pattern that made it (`all:"巡察"`, `all:/…/`).
    public var source: String
    /// Who made it.
    public var annotator: String
    /// When, as ISO 8601 UTC.
    public var time: String
    /// For a span `merge` accepted, the annotators of the merged sessions who made it (empty otherwise).
    public var annotators: [String] = []

    /// `aN`, the id users type.
    public var id: String { "a\(number)" }

    /// Makes an annotation.
    public init(
        number: Int, document: Int, range: TextRange, label: Int, text: String, note: String = "",
        source: String = "manual", annotator: String, time: String, annotators: [String] = []
    ) {
        self.annotators = annotators
        self.number = number
        self.document = document
        self.range = range
        self.label = label
        self.text = text
        self.note = note
        self.source = source
        self.annotator = annotator
        self.time = time
    }
}

/// Which unit a category label classifies.
public enum UnitKind: String, Sendable, Hashable, CaseIterable {
    /// The whole document.
    case doc
    /// A paragraph, numbered from 1.
    case para
    /// A sentence, numbered from 1 through the document.
    case sent
}

/// A category label on a unit of a document.
public struct CategoryAnnotation: Sendable, Equatable, Hashable {
    /// Index of the document in the session.
    public var document: Int
    /// The kind of unit.
    public var unit: UnitKind
    /// The unit's number (1 for a document).
    public var index: Int
    /// The unit's code-point range.
    public var range: TextRange
    /// Index of the label in the tag set.
    public var label: Int
    /// Who made it.
    public var annotator: String
    /// When, as ISO 8601 UTC.
    public var time: String
    /// For a label `merge` accepted, the annotators of the merged sessions who put it there.
    public var annotators: [String] = []

    /// Makes a category annotation.
    public init(
        document: Int, unit: UnitKind, index: Int, range: TextRange, label: Int, annotator: String, time: String,
        annotators: [String] = []
    ) {
        self.annotators = annotators
        self.document = document
        self.unit = unit
        self.index = index
        self.range = range
        self.label = label
        self.annotator = annotator
        self.time = time
    }

    /// The order category labels are listed and exported in: document, paragraphs, sentences, by
    /// number, then by label.
    static func inUnitOrder(_ a: CategoryAnnotation, _ b: CategoryAnnotation) -> Bool {
        (a.unit.order, a.index, a.label) < (b.unit.order, b.index, b.label)
    }

    /// Whether two entries classify the same unit with the same label.
    func sameTarget(_ other: CategoryAnnotation) -> Bool {
        document == other.document && unit == other.unit && index == other.index && label == other.label
    }
}
