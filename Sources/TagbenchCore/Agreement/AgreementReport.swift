/// What `agree` found: every figure, with the counts behind it, over the documents that every
/// session has (matched by the SHA-256 of their text). The CLI renders it as a table; `json()`
/// writes it as `Schemas/agreement.schema.json` describes.
public struct AgreementReport: Sendable, Equatable {
    /// The annotators, one a session, in the order given (the REPL's open session first).
    public var annotators: [String]
    /// Each session's path as given.
    public var sessions: [String]
    /// The documents every session has, in the first session's order.
    public var common: [CommonDocument]
    /// The documents some session has and another has not (or whose text cannot be read).
    public var leftOut: [LeftOutDocument]
    /// How many documents `--docs` did not choose, counted in every session (0 without it).
    public var notChosen: Int
    /// The span labels compared (those of `--labels`, else every span label a session uses), by
    /// name in code-point order.
    public var labels: [String]
    /// Span and character figures for every pair of annotators (i < j).
    public var pairs: [PairAgreement]
    /// Characters compared (whitespace left out), over the common documents.
    public var characters: Int
    /// Krippendorff's α (nominal) over every annotator's character values; nil when undefined
    /// (every character has one and the same value).
    public var krippendorffAlpha: Double?
    /// Fleiss' κ over every annotator's character values; nil when undefined (as α).
    public var fleissKappa: Double?
    /// Agreement on each category label (those used on the common documents), by name.
    public var categories: [CategoryLabelAgreement]
    /// Every place the annotators disagree, numbered from 1 (`dN`), by document then position.
    public var disagreements: [Disagreement]

    /// Makes a report.
    public init(
        annotators: [String], sessions: [String], common: [CommonDocument], leftOut: [LeftOutDocument],
        notChosen: Int = 0, labels: [String], pairs: [PairAgreement], characters: Int, krippendorffAlpha: Double?,
        fleissKappa: Double?,
        categories: [CategoryLabelAgreement], disagreements: [Disagreement]
    ) {
        self.annotators = annotators
        self.sessions = sessions
        self.common = common
        self.leftOut = leftOut
        self.notChosen = notChosen
        self.labels = labels
        self.pairs = pairs
        self.characters = characters
        self.krippendorffAlpha = krippendorffAlpha
        self.fleissKappa = fleissKappa
        self.categories = categories
        self.disagreements = disagreements
    }
}

/// A document every session has.
public struct CommonDocument: Sendable, Equatable {
    /// The SHA-256 of its text.
    public var sha256: String
    /// Its id in each session, in the order of the annotators.
    public var ids: [String]
    /// Its characters that are compared (whitespace left out).
    public var characters: Int
}

/// A document left out of every figure.
public struct LeftOutDocument: Sendable, Equatable {
    /// The annotator whose session has it.
    public var annotator: String
    /// Its id there.
    public var id: String
    /// The SHA-256 of its text as the session records it.
    public var sha256: String
    /// Why: one of `absent`, `unreadable`, `unreadableElsewhere`.
    public var reason: String

    /// The reason for a text some session does not have.
    public static let absent = "not in every session"
    /// The reason for a text whose file cannot be read here.
    public static let unreadable = "text not readable"
    /// The reason for a text every session has, readable here but not in another session.
    public static let unreadableElsewhere = "not readable in every session"
}

/// Span counts of annotator `b` against annotator `a` (taken as the reference), micro-averaged.
public struct SpanCounts: Sendable, Equatable {
    /// Exact: spans of both. Overlap: spans of `a` that overlap a span of `b` with the same label.
    public var tp = 0
    /// Spans of `b` that `a` has not (exact), or that overlap none of `a`'s with their label.
    public var fp = 0
    /// Spans of `a` that `b` has not (exact), or that overlap none of `b`'s with their label.
    public var fn = 0
    /// Spans of `b` that overlap a span of `a` with the same label (exact: `tp`); it differs from
    /// `tp` where one span overlaps several.
    public var tpB = 0

    /// Makes counts.
    public init(tp: Int = 0, fp: Int = 0, fn: Int = 0, tpB: Int = 0) {
        self.tp = tp
        self.fp = fp
        self.fn = fn
        self.tpB = tpB
    }

    /// P = tp_b / (tp_b + fp): the share of `b`'s spans that `a` confirms; nil with no span of `b`.
    public var precision: Double? { tpB + fp == 0 ? nil : Double(tpB) / Double(tpB + fp) }
    /// R = tp / (tp + fn): the share of `a`'s spans that `b` finds; nil with no span of `a`.
    public var recall: Double? { tp + fn == 0 ? nil : Double(tp) / Double(tp + fn) }
    /// F1 = 2PR / (P + R) (for exact matches 2·tp / (|A| + |B|)); nil when neither has a span,
    /// 0 when one has none.
    public var f1: Double? {
        if tp + fn + tpB + fp == 0 { return nil }
        guard let p = precision, let r = recall, p + r > 0 else { return 0 }
        return 2 * p * r / (p + r)
    }

    /// Adds other counts.
    static func += (a: inout SpanCounts, b: SpanCounts) {
        a.tp += b.tp
        a.fp += b.fp
        a.fn += b.fn
        a.tpB += b.tpB
    }
}

/// Exact and overlapping span counts side by side.
public struct SpanMatch: Sendable, Equatable {
    /// Over (document, start, end, label).
    public var exact = SpanCounts()
    /// A span matches when it overlaps (one code point or more) one of the other's with its label.
    public var overlap = SpanCounts()
}

/// Cohen's κ of two annotators, with what it is made of.
public struct KappaFigures: Sendable, Equatable {
    /// Units (characters, or units of a category label) compared.
    public var units: Int
    /// Observed agreement: the share of units with the same value.
    public var observed: Double?
    /// Agreement expected by chance from each annotator's shares of the values.
    public var expected: Double?
    /// κ = (p_o − p_e) / (1 − p_e); nil when p_e = 1 (both gave every unit one and the same value).
    public var kappa: Double?

    /// The figures of a table of agreeing units and each annotator's count of each value.
    static func of(units: Int, agreeing: Int, marginsA: [Int], marginsB: [Int]) -> KappaFigures {
        guard units > 0 else { return KappaFigures(units: 0, observed: nil, expected: nil, kappa: nil) }
        let n = Double(units)
        let observed = Double(agreeing) / n
        var chance = 0.0
        for v in 0..<min(marginsA.count, marginsB.count) { chance += Double(marginsA[v]) * Double(marginsB[v]) }
        let expected = chance / (n * n)
        // sklearn's form, 1 − (disagreeing) / (disagreeing by chance): the same value, to the bit
        // where the references are compared.
        let chanceDisagreeing = n - chance / n
        let kappa = chanceDisagreeing == 0 ? nil : 1 - (n - Double(agreeing)) / chanceDisagreeing
        return KappaFigures(units: units, observed: observed, expected: expected, kappa: kappa)
    }
}

/// Figures of one pair of annotators.
public struct PairAgreement: Sendable, Equatable {
    /// Index of the reference annotator in `annotators`.
    public var a: Int
    /// Index of the other annotator.
    public var b: Int
    /// Spans over every label.
    public var spans = SpanMatch()
    /// Spans per label, in the order of `AgreementReport.labels`.
    public var byLabel: [SpanMatch] = []
    /// Character κ over every compared character.
    public var characters = KappaFigures(units: 0)
    /// Character κ over the characters that `a` or `b` tagged.
    public var taggedCharacters = KappaFigures(units: 0)
}

/// Agreement on one category label: its presence on each unit of the kinds it is used on.
public struct CategoryLabelAgreement: Sendable, Equatable {
    /// The label.
    public var label: String
    /// The kinds of unit it is used on (by any annotator).
    public var units: [UnitKind]
    /// Units of those kinds in the common documents.
    public var unitCount: Int
    /// Units each annotator gave it, in the order of the annotators.
    public var marked: [Int]
    /// Cohen's κ for every pair (i < j), in the order of `AgreementReport.pairs`.
    public var pairs: [KappaFigures]
    /// Krippendorff's α (nominal) over every annotator; nil when undefined.
    public var krippendorffAlpha: Double?
}

/// One place annotators disagree: overlapping spans that not every annotator has, or a unit
/// whose category labels differ.
public struct Disagreement: Sendable, Equatable {
    /// N in `dN`.
    public var number: Int
    /// The document's index in each session, in the order of the annotators.
    public var documents: [Int]
    /// The document's id in the first session.
    public var document: String
    /// From the first span's start to the last one's end (a category's unit: the unit's range).
    public var range: TextRange
    /// The unit a category disagreement is about; nil for spans.
    public var unit: (kind: UnitKind, index: Int)?
    /// The text in `range`.
    public var text: String
    /// What each annotator has there, in the order of the annotators (empty: nothing).
    public var versions: [[DisagreementMark]]

    /// Compares everything (`unit` is a tuple).
    public static func == (x: Disagreement, y: Disagreement) -> Bool {
        x.number == y.number && x.documents == y.documents && x.document == y.document && x.range == y.range
            && x.unit?.kind == y.unit?.kind && x.unit?.index == y.unit?.index && x.text == y.text
            && x.versions == y.versions
    }
}

/// A span or a category label one annotator has at a disagreement.
public struct DisagreementMark: Sendable, Equatable {
    /// The span's range (for a category label: the unit's).
    public var range: TextRange
    /// The label.
    public var label: String
}
