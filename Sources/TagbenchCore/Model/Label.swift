/// Whether a label marks character spans or whole units (document, paragraph, sentence).
public enum LabelKind: String, Sendable, CaseIterable {
    /// Tags a character span with `tag`.
    case span
    /// Classifies a unit with `classify`.
    case category
}

/// One entry of the tag set.
public struct Label: Hashable, Sendable {
    /// The label's name: any Unicode text without spaces.
    public var name: String
    /// Span or category.
    public var kind: LabelKind
    /// Other names that resolve to this label (ASCII or pinyin such as `ztjy`).
    public var aliases: [String]
    /// A `#rrggbb` colour for highlighting.
    public var colour: String
    /// What the label means, for analysts.
    public var description: String
    /// The one key that accepts a suggestion under this label in `review`; empty for none.
    public var shortcut: String
    /// The label this one belongs under (全面从严治党 › 巡察); empty for a top-level label.
    public var parent: String
    /// The rules `suggest` runs for this label.
    public var patterns: [LabelPattern]

    /// Makes a label.
    public init(
        name: String, kind: LabelKind = .span, aliases: [String] = [], colour: String = "", description: String = "",
        shortcut: String = "", parent: String = "", patterns: [LabelPattern] = []
    ) {
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.colour = colour
        self.description = description
        self.shortcut = shortcut
        self.parent = parent
        self.patterns = patterns
    }

    /// Keys `review` keeps for itself, so no label may take them as a shortcut.
    public static let reviewKeys: Set<String> = ["y", "n", "s", "u", "q", "h", "l", "H", "L", "p", "?", " "]

    /// Keys `review` took for itself after sessions could give them to labels (`p`, the
    /// paragraph): a session's label with one of them as its shortcut is read without it.
    public static let reviewKeysTakenLater: Set<String> = ["p"]

    /// Colours handed out in turn to labels that do not name one.
    public static let palette = [
        "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0",
        "#f032e6", "#bcf60c", "#008080", "#9a6324", "#800000", "#808000",
        "#000075", "#ffe119", "#fabebe", "#aaffc3"
    ]
}
