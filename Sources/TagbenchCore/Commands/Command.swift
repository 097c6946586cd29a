/// Which document `open` makes current.
public enum DocumentSelector: Hashable, Sendable {
    /// A document id or its number in `docs`.
    case name(String)
    /// The one after the current document.
    case next
    /// The one before the current document.
    case previous
}

/// What `show` prints.
public enum ShowTarget: Hashable, Sendable {
    /// The whole current document.
    case document
    /// Paragraph N.
    case paragraph(Int)
    /// Sentence N.
    case sentence(Int)
    /// Paragraphs N through M (N < M).
    case paragraphs(Int, Int)
    /// Sentences N through M (N < M).
    case sentences(Int, Int)
    /// A code-point range.
    case range(TextRange)
    /// `dN`: a disagreement the last `agree` found, in context.
    case disagreement(Int)
}

/// What `tag LABEL TARGET` tags.
public enum TagTarget: Hashable, Sendable {
    /// `S:E` in the current document.
    case range(TextRange)
    /// `hN` or `hN-hM`: hits of the last find, each its own span.
    case hits(Int, Int)
    /// `"text"` (occurring once) or `"text"#K` (the K-th occurrence).
    case text(String, occurrence: Int?)
    /// `sent N`.
    case sentence(Int)
    /// `para N`.
    case paragraph(Int)
}

/// A unit a category label applies to.
public enum UnitSelector: Hashable, Sendable {
    /// The current document.
    case document
    /// Paragraph N of the current document.
    case paragraph(Int)
    /// Sentence N of the current document.
    case sentence(Int)
}

/// Which paragraphs `paras`, `next para` and `prev para` take.
public enum ParagraphFilter: Hashable, Sendable {
    /// Every paragraph.
    case any
    /// Those with no annotation at all: no span over them, no category label on them or their sentences.
    case untagged
    /// Those with the label (a span of it over them, or it on them or their sentences).
    case labelled(String)
    /// Those without the label (`--untagged LABEL`).
    case unlabelled(String)

    /// The filter's words as a script writes them (empty for `any`).
    public var words: [String] {
        switch self {
        case .any: return []
        case .untagged: return ["--untagged"]
        case .labelled(let label): return [CommandRenderer.quoteIfNeeded(label)]
        case .unlabelled(let label): return ["--untagged", CommandRenderer.quoteIfNeeded(label)]
        }
    }
}

/// Which suggestions `accept` and `reject` take.
public enum SuggestionTarget: Hashable, Sendable {
    /// `sN` or `sN-sM`.
    case numbers(Int, Int)
    /// `all`.
    case all
}

/// One parsed line of the command language.
public enum Command: Hashable, Sendable {
    /// `load [--encoding NAME] [--split-at /RE/] PATH...`: with `splitAt`, each file is cut into
    /// documents at the lines the expression matches.
    case load([String], encoding: TextEncoding = .utf8, splitAt: String? = nil)
    /// `docs`
    case docs
    /// `open DOC`, `next`, `prev`
    case open(DocumentSelector)
    /// `next para [LABEL] [--untagged]`, `prev para …`: show the next (previous) paragraph of the
    /// current document that the filter takes.
    case stepParagraph(forward: Bool, ParagraphFilter)
    /// `paras [--untagged] [LABEL]`: list the current document's paragraphs with their labels.
    case paras(ParagraphFilter)
    /// `show [para N | sent N | S:E]`
    case show(ShowTarget)
    /// `find TEXT|/RE/ [--corpus]`
    case find(Pattern, corpus: Bool)
    /// `tag LABEL TARGET`
    case tag(label: String, target: TagTarget)
    /// `tag LABEL all TEXT|/RE/ [--corpus]`
    case tagAll(label: String, pattern: Pattern, corpus: Bool)
    /// `untag ID...`
    case untag([Int])
    /// `relabel ID LABEL`
    case relabel(Int, label: String)
    /// `note ID TEXT`
    case note(Int, text: String)
    /// `classify LABEL doc|para N|sent N`
    case classify(label: String, unit: UnitSelector)
    /// `unclassify LABEL doc|para N|sent N`
    case unclassify(label: String, unit: UnitSelector)
    /// `spans [LABEL [TEXT|/RE/]] [--corpus]`: `matching` keeps the spans whose text holds a match.
    case spans(label: String?, matching: Pattern? = nil, corpus: Bool)
    /// `orphans`: spans whose changed document no longer holds their text.
    case orphans
    /// `suggest [LABEL...] [--corpus]`: queue what the tag set's patterns match.
    case suggest(labels: [String], corpus: Bool)
    /// `suggestions [LABEL]`: list the queue.
    case suggestions(label: String?)
    /// `accept sN|sN-sM|all [LABEL] [--as LABEL] [--at S:E]`
    case accept(SuggestionTarget, label: String?, asLabel: String?, at: TextRange?)
    /// `reject sN|sN-sM|all [LABEL]`
    case reject(SuggestionTarget, label: String?)
    /// `review [LABEL]`: the full-screen queue (a terminal only).
    case review(label: String?)
    /// `merge SESSION... [--strategy unanimous|majority|min=K]`: merge annotators' sessions into this one.
    case merge([String], strategy: MergeStrategy)
    /// `conflicts [LABEL]`: list the open conflicts of merged sessions.
    case conflicts(label: String?)
    /// `resolve cN --pick K | --all | --none | --as LABEL [--at S:E]`
    case resolve(Int, ConflictDecision)
    /// `conflict DOC S:E --version NAME [LABEL S:E]... ...`: a conflict stated whole, as the git
    /// merge driver records the ones it makes (so the log replays to them).
    case conflict(document: String, range: TextRange, versions: [ConflictVersion])
    /// `adjudicate [LABEL]`: the open conflicts full screen (a terminal only).
    case adjudicate(label: String?)
    /// `labels`
    case labels
    /// `label add NAME [--alias A]... [--category] [--colour #rrggbb] [--description TEXT]`
    case labelAdd(Label)
    /// `schema PATH`: merge a tag-set file.
    case schema(String)
    /// `undo [N]`
    case undo(Int)
    /// `redo [N]`
    case redo(Int)
    /// `save [PATH]`
    case save(String?)
    /// `export FORMAT PATH [options]`
    case export(ExportOptions)
    /// `stats [--all] [--top N] [--json]`
    case stats(StatsOptions)
    /// `report OUT [--docs D1,D2] [--labels L1,L2] [--with SESSION]...`
    case report(ReportOptions)
    /// `agree SESSION... [options]`: inter-annotator agreement of the open session with others.
    case agree(AgreeRequest)
    /// `history`
    case history
    /// `run SCRIPT`
    case run(String)
    /// `help [COMMAND]`
    case help(String?)
    /// `quit`
    case quit

    /// Whether the command may stand in a journal or a session log: a state change, or the
    /// `open`/`find` a later one depends on.
    public var belongsInJournal: Bool {
        switch self {
        case .open, .find: return true
        default: return changesSession
        }
    }

    /// Whether the command changes the session (and so goes to its log and undo stack).
    public var changesSession: Bool {
        switch self {
        case .load, .tag, .tagAll, .untag, .relabel, .note, .classify, .unclassify, .labelAdd, .schema, .undo, .redo,
            .suggest, .accept, .reject, .merge, .resolve, .conflict:
            return true
        default:
            return false
        }
    }
}
