/// The command language's reference: one entry a command, used by `help`, errors and completion.
public struct CommandReference: Sendable {
    /// The command's name as typed.
    public var name: String
    /// Its usage line.
    public var usage: String
    /// What it does.
    public var summary: String
    /// More lines for `help COMMAND`.
    public var details: [String] = []

    /// Every command, in the order `help` lists them.
    public static let all: [CommandReference] = [
        .init(
            name: "load", usage: "load [--encoding utf-8|gb18030|utf-16le|utf-16be|auto] PATH...",
            summary:
                "add documents: files, directories (their *.txt, sorted), globs; the id is the file name without extension, made unique",
            details: [
                "annotated data is imported with its spans (source import; new labels are added to the tag set):",
                "  *.jsonl   spans or doccano records ({\"text\", \"id\"?, \"spans\"|\"label\"|\"entities\", \"meta\"?})",
                "  *.json    a Label Studio task list (data.text, annotations[].result[] labels and choices)",
                "  DIR       a brat directory when it holds *.ann files (ID.txt with ID.ann)"
            ]),
        .init(name: "docs", usage: "docs", summary: "list documents: number, id, characters, annotations"),
        .init(name: "open", usage: "open DOC", summary: "make a document current, by number or id"),
        .init(name: "next", usage: "next", summary: "open the next document"),
        .init(name: "prev", usage: "prev", summary: "open the previous document"),
        .init(
            name: "show", usage: "show [para N[-M] | sent N[-M] | S:E | dN]",
            summary:
                "print text with offsets in the margin and spans highlighted; dN: a disagreement of the last agree, each annotator's version marked"
        ),
        .init(
            name: "find", usage: "find TEXT|/RE/ [--corpus]",
            summary: "list matches as h1, h2, … with document, S:E and context"),
        .init(
            name: "tag", usage: "tag LABEL S:E | hN[-hM] | \"text\"[#K] | sent N | para N | all TEXT|/RE/ [--corpus]",
            summary: "add a span (or one per hit or match)"),
        .init(name: "untag", usage: "untag ID...", summary: "remove annotations (ids are a1, a2, … and never reused)"),
        .init(name: "relabel", usage: "relabel ID LABEL", summary: "change an annotation's label"),
        .init(
            name: "note", usage: "note ID TEXT", summary: "attach a note to an annotation (an empty text removes it)"),
        .init(
            name: "classify", usage: "classify LABEL doc|para N|sent N",
            summary: "put a category label on a unit of the current document"),
        .init(
            name: "unclassify", usage: "unclassify LABEL doc|para N|sent N",
            summary: "remove a category label from a unit"),
        .init(
            name: "spans", usage: "spans [LABEL] [--corpus]",
            summary: "list annotations: id, label, document, S:E, text"),
        .init(
            name: "orphans", usage: "orphans",
            summary: "spans whose document changed and no longer holds their text (kept, never exported)"),
        .init(
            name: "suggest", usage: "suggest [LABEL...] [--corpus]",
            summary:
                "queue suggestions s1, s2, … from the tag set's patterns (one pass per document); known spans and rejected ones are not queued again"
        ),
        .init(
            name: "suggestions", usage: "suggestions [LABEL]",
            summary: "list the queue: id, label, document, S:E, context, rule"),
        .init(
            name: "accept", usage: "accept sN|sN-sM|all [LABEL] [--as LABEL] [--at S:E]",
            summary:
                "make suggestions annotations (source rule:PATTERN); LABEL keeps only that label's; --as and --at change label or offsets of one"
        ),
        .init(
            name: "reject", usage: "reject sN|sN-sM|all [LABEL]",
            summary: "drop suggestions; rejected ones are kept and never suggested again"),
        .init(
            name: "review", usage: "review [LABEL]",
            summary:
                "walk the queue full screen: y accept, n reject, s skip, a label's shortcut, h/l start, H/L end, u undo, q quit",
            details: [
                "keys: y accept · n reject · s skip · SHORTCUT accept under that label · h/← l/→ move the start · H/L (shift-←/→) move the end",
                "      u undo the last decision · q leave · ? the keys; every decision is one undo step and goes to the log as accept/reject"
            ]),
        .init(name: "labels", usage: "labels", summary: "the tag set with counts, shortcuts and parents"),
        .init(
            name: "label", usage: "label add NAME [--alias A]... [--category] [--colour RRGGBB] [--description TEXT]",
            summary: "add a span label (or a category label)"),
        .init(name: "schema", usage: "schema PATH", summary: "merge a tag-set file (JSON) into the tag set"),
        .init(name: "undo", usage: "undo [N]", summary: "undo the last N state-changing commands (a bulk tag is one)"),
        .init(name: "redo", usage: "redo [N]", summary: "redo what undo undid"),
        .init(
            name: "save", usage: "save [PATH]", summary: "write the session (to PATH, which becomes the session file)"),
        .init(
            name: "export", usage: "export spans|doccano|classify|bio|brat|label-studio PATH [options]",
            summary: "write a training set and PATH.manifest.json (offsets are code points, end exclusive)",
            details: [
                "formats:",
                "  spans          JSONL {id, text, spans, categories, meta}; --unit para|sent: one record per unit, offsets relative to it",
                "  doccano        JSONL {id, text, label: [[start, end, LABEL]]}",
                "  classify       JSONL {id, doc, unit, index, offset, text, labels} per --unit doc|para|sent",
                "                 labels from category labels; --from-spans adds the spans' labels; --negatives keeps units with none",
                "  bio            character IOB2, whitespace left out: CoNLL (字<TAB>B-LABEL, blank line between units, --unit sent|para|doc)",
                "                 --jsonl: {id, doc, unit, index, offset, tokens, ner_tags} and PATH's .labels.json; --overlap longest|first",
                "  brat           a directory of ID.txt and ID.ann (T lines, AnnotatorNotes) with annotation.conf",
                "  label-studio   a JSON task list with labels results (and choices for document categories)",
                "options for every format:",
                "  --labels L1,L2   only these labels        --docs D1,D2   only these documents (ids, numbers, globs)",
                "  --split train=8,dev=1,test=1 --seed N   PATH-train.EXT …; a document is in one split only",
                "  --shard-size N   a new numbered file every N records"
            ]),
        .init(name: "stats", usage: "stats", summary: "counts by label and by document"),
        .init(
            name: "agree", usage: "agree SESSION... [--labels L1,L2] [--docs D1,D2] [--json PATH|-] [--diff]",
            summary:
                "inter-annotator agreement of this session with others: span F1 (exact, overlap), character κ and α, category κ and α",
            details: [
                "documents are matched by the SHA-256 of their text; each session is one annotator (its annotations' annotator)",
                "  --labels L1,L2   only these labels        --docs D1,D2   only these documents (ids, globs)",
                "  --json PATH|-    the figures as JSON      --diff         list every disagreement as d1, d2, …; show dN shows one"
            ]),
        .init(
            name: "history", usage: "history", summary: "the session's state-changing commands, as a replayable script"),
        .init(name: "run", usage: "run SCRIPT", summary: "execute a script file here"),
        .init(name: "help", usage: "help [COMMAND]", summary: "this list, or one command's usage"),
        .init(name: "quit", usage: "quit", summary: "leave (warns once about unsaved changes)")
    ]

    /// Every command name.
    public static let names: [String] = all.map(\.name)

    /// The entry for a command name.
    public static func named(_ name: String) -> CommandReference? { all.first { $0.name == name } }
}
