/// A rule that suggests spans for a label: a literal or a regular expression, optionally limited
/// by the text around a match.
public struct LabelPattern: Hashable, Sendable {
    /// What to match.
    public var pattern: Pattern
    /// A match that lies inside an occurrence of one of these texts is not suggested
    /// (巡察 `not_inside` 巡视巡察).
    public var notInside: [String]
    /// When not empty, a match must lie inside an occurrence of one of these texts.
    public var inside: [String]

    /// Makes a pattern.
    public init(_ pattern: Pattern, notInside: [String] = [], inside: [String] = []) {
        self.pattern = pattern
        self.notInside = notInside
        self.inside = inside
    }

    /// The `source` of the annotations it makes: `rule:"巡察"` or `rule:/…/`.
    public var source: String { "rule:" + pattern.description }

    /// How a tag-set file writes the pattern alone: the text, or `/regex/`.
    public var fileText: String {
        switch pattern {
        case .literal(let text): return text
        case .regex(let source): return "/" + source + "/"
        }
    }

    /// Reads the file form: `/…/` is a regular expression, anything else literal text.
    public static func pattern(fromFileText text: String) -> Pattern {
        text.count >= 2 && text.hasPrefix("/") && text.hasSuffix("/")
            ? .regex(String(text.dropFirst().dropLast())) : .literal(text)
    }
}

/// Whether spans of a tag set may overlap.
public enum OverlapPolicy: String, Sendable, CaseIterable {
    /// Any spans may overlap.
    case allow
    /// Spans may nest (one inside another) but not cross.
    case nest
    /// Spans may not overlap at all.
    case none

    /// Whether two ranges may both be spans under this policy.
    public func permits(_ a: TextRange, _ b: TextRange) -> Bool {
        guard a.start < b.end && b.start < a.end else { return true }
        switch self {
        case .allow: return true
        case .nest: return (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end)
        case .none: return false
        }
    }
}
