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
    /// For a part of a larger file (`load --split-at`): where it lies in it.
    public var part: DocumentPart? = nil
    /// For a part, the file it was cut from (its name).
    public var source: String? = nil
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
    /// The paragraphs and sentences it lies in (nil where they would mislead: an orphan's).
    public var place: UnitPlace? = nil
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
    /// The paragraphs and sentences the match lies in.
    public var place: UnitPlace? = nil
}

/// A row of `paras`: a paragraph of the current document and what labels it.
public struct ParagraphRow: Sendable, Equatable {
    /// N in `para N`.
    public var number: Int
    /// Its code-point range.
    public var range: TextRange
    /// The labels on it, in the tag set's order, each `LABEL COUNT`: spans overlapping it, category
    /// labels on it and on its sentences.
    public var labels: [String]
    /// Its text, whole (the renderer cuts it to the width it has).
    public var text: String
}

/// A row of `labels`.
public struct LabelRow: Sendable, Equatable {
    /// The label.
    public var label: Label
    /// Spans using a span label, units using a category label.
    public var count: Int
    /// Units a span label marks as well (`classify 主题教育 para 12`); 0 for a category label,
    /// whose units are its `count`.
    public var units = 0

    /// Makes a row.
    public init(label: Label, count: Int, units: Int = 0) {
        self.label = label
        self.count = count
        self.units = units
    }

    /// The units a span label marks, as the listings add them after its spans (`+ 2 units`), or
    /// empty when it marks none.
    public var unitsNote: String { units == 0 ? "" : "+ " + Format.count(units, "unit") }
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
    /// `stats`: the figures, and how to show them.
    case stats(StatsFigures, StatsOptions)
    /// `paras`: paragraphs of the current document (its summary follows as a message).
    case paragraphs([ParagraphRow])
    /// Plain lines: `history`, `help`.
    case lines([String])
    /// A JSON document for machines (`agree --json -`): written to stdout byte for byte, never
    /// made terminal-safe (that would turn U+2028 into `\u{2028}`, which is not JSON).
    case json([UInt8])
    /// `agree`: the figures, with the disagreements listed when `listing`.
    case agreement(AgreementReport, listing: Bool)
    /// `agree --against`: each annotator against the curated session, with the differences
    /// listed when `listing`.
    case curation(CurationFeedback, listing: Bool)
    /// `show dN`: one disagreement in context.
    case disagreement(DisagreementView)
}
