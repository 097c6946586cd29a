/// What `stats` counts, computed by the engine and drawn by the CLI (bars on a terminal, or JSON):
/// spans per label in the tag set's hierarchy, per document, a histogram of span lengths, and
/// progress.
public struct StatsFigures: Sendable, Equatable {
    /// One label's row, in hierarchy order (a parent before its children).
    public struct LabelFigure: Sendable, Equatable {
        /// The label's name.
        public var name: String
        /// Span or category.
        public var kind: LabelKind
        /// Its parent's name; empty for a top-level label.
        public var parent: String
        /// How deep it sits under top-level labels (0 for one of them).
        public var depth: Int
        /// `#rrggbb`.
        public var colour: String
        /// Spans with it (for a category label: units classified with it).
        public var count: Int
        /// For a span label, the units (doc, para, sent) it is put on besides; 0 for a category
        /// label, whose units are its `count`.
        public var units = 0
    }

    /// One document's row.
    public struct DocumentFigure: Sendable, Equatable {
        /// The document's id.
        public var id: String
        /// Its length in code points.
        public var characters: Int
        /// Spans in it.
        public var spans: Int
        /// Category labels on it or its units.
        public var categories: Int
    }

    /// A bucket of the span-length histogram: spans of `from` to `to` code points (`to` nil: no
    /// upper bound).
    public struct LengthBucket: Sendable, Equatable {
        /// The shortest length counted.
        public var from: Int
        /// The longest length counted; nil for the last, open bucket.
        public var to: Int?
        /// Spans with a length in the bucket.
        public var spans: Int
    }

    /// Conflicts of a merged session, resolved and still open.
    public struct ConflictFigures: Sendable, Equatable {
        /// Conflicts settled.
        public var resolved: Int
        /// Conflicts waiting.
        public var open: Int
    }

    /// Documents in the session.
    public var documents = 0
    /// Characters (code points) in them.
    public var characters = 0
    /// Spans.
    public var spans = 0
    /// Category labels given to units.
    public var categories = 0
    /// Every label, in hierarchy order.
    public var labels: [LabelFigure] = []
    /// Every document, in session order.
    public var byDocument: [DocumentFigure] = []
    /// Span lengths, up to the last bucket that holds a span.
    public var lengths: [LengthBucket] = []
    /// Documents with at least one annotation (a span or a category).
    public var annotatedDocuments = 0
    /// Spans made from accepted suggestions (their source is the rule that proposed them).
    public var acceptedSuggestions = 0
    /// Suggestions rejected.
    public var rejectedSuggestions = 0
    /// Suggestions still waiting.
    public var waitingSuggestions = 0
    /// For a merged session, its conflicts; nil for any other session (see `Engine.mergeConflicts`).
    public var conflicts: ConflictFigures?

    /// Makes empty figures.
    public init() {}

    /// The upper bounds of the length buckets: 1, 2, 3–4, 5–8, … 129–256, then 257 and longer.
    public static let lengthBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    /// The first line: `4 documents, 6,050 characters, 45 spans, 2 categories`.
    public var summary: String {
        Wording.statsSummary(documents: documents, characters: characters, spans: spans, categories: categories)
    }

    /// The documents the per-document chart shows: the most spans first (session order among
    /// equals), the first `top` unless `all`.
    public func documentsShown(_ options: StatsOptions) -> [DocumentFigure] {
        let ranked = byDocument.enumerated().sorted { ($1.element.spans, $0.offset) < ($0.element.spans, $1.offset) }
            .map(\.element)
        return options.all ? ranked : Array(ranked.prefix(max(0, options.top)))
    }

    /// The figures as one JSON object (every document, in session order), with a line end.
    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 4096 + byDocument.count * 64)
        // `"key": value` pairs, each after a comma but the first of its object.
        func pairs(_ fields: [(StaticString, Any?)]) {
            for (i, (key, value)) in fields.enumerated() {
                w.key(key, comma: i > 0)
                switch value {
                case let number as Int: w.int(number)
                case let text as String: w.string(text)
                default: w.raw("null")
                }
            }
        }
        func list<T>(_ key: StaticString, _ items: [T], _ fields: (T) -> [(StaticString, Any?)]) {
            w.raw(",\n ")
            w.key(key, comma: false)
            w.raw("[")
            for (i, item) in items.enumerated() {
                w.raw(i == 0 ? "\n  {" : ",\n  {")
                pairs(fields(item))
                w.raw("}")
            }
            w.raw("]")
        }
        w.raw("{")
        pairs([("documents", documents), ("characters", characters), ("spans", spans), ("categories", categories)])
        list("labels", labels) {
            [
                ("name", $0.name), ("kind", $0.kind.rawValue), ("parent", $0.parent), ("depth", $0.depth),
                ("colour", $0.colour), ("count", $0.count), ("units", $0.units)
            ]
        }
        list("by_document", byDocument) {
            [("id", $0.id), ("characters", $0.characters), ("spans", $0.spans), ("categories", $0.categories)]
        }
        list("span_lengths", lengths) { [("from", $0.from), ("to", $0.to), ("spans", $0.spans)] }
        w.raw(",\n ")
        w.key("progress", comma: false)
        w.raw("{")
        pairs([("annotated_documents", annotatedDocuments), ("documents", documents)])
        w.key("suggestions")
        w.raw("{")
        pairs([("accepted", acceptedSuggestions), ("rejected", rejectedSuggestions), ("waiting", waitingSuggestions)])
        w.raw("}")
        w.key("conflicts")
        if let conflicts {
            w.raw("{")
            pairs([("resolved", conflicts.resolved), ("open", conflicts.open)])
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw("}}\n")
        return w.bytes
    }
}
