/// A row of `docs`.
public struct DocumentRow: Sendable, Equatable {
    /// 1-based number.
    public var number: Int
    /// Document id.
    public var id: String
    /// Length in code points.
    public var characters: Int
    /// Live annotations in it.
    public var annotations: Int
    /// Whether it is the current document.
    public var isCurrent: Bool
    /// Whether its file is missing.
    public var isMissing: Bool
}

/// A span as lists and views show it.
public struct SpanRow: Sendable, Equatable {
    /// `aN`.
    public var id: String
    /// Label name.
    public var label: String
    /// Label colour (`#rrggbb`).
    public var colour: String
    /// Document id.
    public var document: String
    /// Code-point range.
    public var range: TextRange
    /// Covered text.
    public var text: String
    /// Note, empty when none.
    public var note: String
}

/// A hit of `find`.
public struct HitRow: Sendable, Equatable {
    /// N in `hN`.
    public var number: Int
    /// Document id.
    public var document: String
    /// Code-point range.
    public var range: TextRange
    /// Up to a few characters before the match (line ends shown as spaces).
    public var before: String
    /// The matched text.
    public var match: String
    /// Up to a few characters after the match.
    public var after: String
}

/// A row of `labels`.
public struct LabelRow: Sendable, Equatable {
    /// The label.
    public var label: Label
    /// Spans (or categorised units) using it.
    public var count: Int
}

/// One line of a `show` view: its start offset and text.
public struct TextLine: Sendable, Equatable {
    /// Offset of the first code point of `text`.
    public var start: Int
    /// The text (no line end).
    public var text: String
    /// The paragraph it belongs to.
    public var paragraph: Int?
}

/// What `show` prints: lines of text and the spans over them.
public struct TextView: Sendable, Equatable {
    /// Document id.
    public var document: String
    /// The lines, in order.
    public var lines: [TextLine]
    /// Spans overlapping the lines.
    public var spans: [SpanRow]
    /// Category labels on the document or on the paragraphs and sentences shown.
    public var categories: [String]
}

/// One piece of a command's output; the CLI renders each (with colour on a terminal).
public enum OutputItem: Sendable, Equatable {
    /// A result line.
    case message(String)
    /// Something the user should know that is not an error (goes to stderr).
    case warning(String)
    /// A result line that must stay off stdout because data went there (an export to
    /// `/dev/stdout`): goes to stderr, as it is.
    case status(String)
    /// `docs`.
    case documents([DocumentRow])
    /// `show`.
    case text(TextView)
    /// `find`: the first hits and how many there are in all.
    case hits([HitRow], total: Int)
    /// `spans`, or what a tag added.
    case spans([SpanRow])
    /// `labels`.
    case labels([LabelRow])
    /// Plain lines: `stats`, `history`, `help`.
    case lines([String])
    /// `agree`: the figures, with the disagreements listed when `listing`.
    case agreement(AgreementReport, listing: Bool)
    /// `show dN`: one disagreement in context.
    case disagreement(DisagreementView)
}
