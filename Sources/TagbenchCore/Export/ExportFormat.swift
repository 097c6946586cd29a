/// A training-set format tagbench writes.
public enum ExportFormat: String, CaseIterable, Hashable, Sendable {
    /// tagbench's own JSONL: text, spans, categories and provenance per record.
    case spans
    /// doccano's sequence-labelling JSONL: `{"id", "text", "label": [[start, end, "LABEL"]]}`.
    case doccano
    /// Text classification JSONL: one record per unit with its labels.
    case classify
    /// Character-level IOB2 tags (CoNLL text, or JSONL with `--jsonl`).
    case bio
    /// A brat directory: `ID.txt` and `ID.ann` per document.
    case brat
    /// A Label Studio JSON task list.
    case labelStudio = "label-studio"

    /// The names users type, for help and hints.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The units a record may be; the first is the default.
    var units: [UnitKind] {
        switch self {
        case .spans, .doccano, .classify: return [.doc, .para, .sent]
        case .bio: return [.sent, .para, .doc]
        case .brat, .labelStudio: return [.doc]
        }
    }

    /// Whether a load of this format's output gives back everything it holds (so export → load →
    /// export is byte-identical).
    public var isImportable: Bool {
        switch self {
        case .spans, .doccano, .brat, .labelStudio: return true
        case .classify, .bio: return false
        }
    }
}

/// What `bio` does with spans that overlap (IOB2 cannot encode them).
public enum OverlapResolution: String, CaseIterable, Hashable, Sendable {
    /// Keep the longest of overlapping spans (the earliest when as long).
    case longest
    /// Keep the one that starts first (the longer when they start together).
    case first
}
