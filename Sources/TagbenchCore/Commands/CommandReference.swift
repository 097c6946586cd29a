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
            name: "load", usage: "load [--encoding utf-8|gb18030|utf-16le|utf-16be|auto] [--split-at /RE/] PATH...",
            summary:
                "add documents: files, directories (their *.txt, sorted), globs; the id is the file name without extension, made unique",
            details: [
                "--split-at /RE/ cuts each text file into documents STEM-1, STEM-2, … at the lines RE matches (each line",
                "  matched alone: ^ and $ are its start and end), the text before the first one a part when not blank;",
                "  each part keeps its file, number, start and line (docs shows them) and is cut from the file again on open",
                "annotated data is imported with its spans (source import; new labels are added to the tag set):",
                "  *.jsonl   spans or doccano records ({\"text\", \"id\"?, \"spans\"|\"label\"|\"entities\", \"meta\"?})",
                "  *.json    a Label Studio task list (data.text, annotations[].result[] labels and choices)",
                "  DIR       a brat directory when it holds *.ann files (ID.txt with ID.ann)"
            ]),
        .init(
            name: "docs", usage: "docs",
            summary: "list documents: number, id, characters, annotations (and where a part of a file lies in it)"),
        .init(name: "open", usage: "open DOC", summary: "make a document current, by number or id"),
        .init(
            name: "next", usage: "next [para [LABEL] [--untagged]]",
            summary:
                "open the next document; next para shows the next paragraph (with LABEL; --untagged: with none, or without LABEL)",
            details: [
                "next para moves from the paragraph last shown (show para/sent/S:E) or annotated (tag, classify) in the",
                "current document; opening a document starts before its first. At the last it says so and stays."
            ]),
        .init(
            name: "prev", usage: "prev [para [LABEL] [--untagged]]",
            summary: "open the previous document; prev para shows the previous paragraph (as next para)"),
        .init(
            name: "paras", usage: "paras [--untagged] [LABEL]",
            summary:
                "list the current document's paragraphs: ¶N, S:E, labels, text; --untagged: those with no annotation (or without LABEL)"
        ),
        .init(
            name: "show", usage: "show [para N[-M] | sent N[-M] | S:E | dN]",
            summary:
                "print text with offsets in the margin and spans highlighted; dN: a disagreement of the last agree, each annotator's version marked"
        ),
        .init(
            name: "find", usage: "find TEXT|/RE/ [--corpus]",
            summary: "list matches as h1, h2, … with document, S:E, ¶N sent N and context"),
        .init(
            name: "tag", usage: "tag LABEL S:E | hN[-hM] | \"text\"[#K] | sent N | para N | all TEXT|/RE/ [--corpus]",
            summary: "add a span (or one per hit or match)"),
        .init(name: "untag", usage: "untag ID...", summary: "remove annotations (ids are a1, a2, … and never reused)"),
        .init(name: "relabel", usage: "relabel ID LABEL", summary: "change an annotation's label"),
        .init(
            name: "note", usage: "note ID TEXT", summary: "attach a note to an annotation (an empty text removes it)"),
        .init(
            name: "classify", usage: "classify LABEL doc|para N|sent N",
            summary: "put a label (span or category) on a unit of the current document"),
        .init(
            name: "unclassify", usage: "unclassify LABEL doc|para N|sent N",
            summary: "remove a label from a unit"),
        .init(
            name: "spans", usage: "spans [LABEL [TEXT|/RE/]] [--corpus]",
            summary:
                "list annotations: id, label, document, S:E, ¶N sent N, text; TEXT or /RE/: those whose text holds it"),
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
            summary: "list the queue: id, label, document, S:E, ¶N sent N, context, rule"),
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
                "walk the queue full screen: y accept, n reject, s skip, a label's shortcut, h/l start, H/L end, p paragraph, u undo, q quit",
            details: [
                "keys: y accept · n reject · s skip · SHORTCUT accept under that label · h/← l/→ move the start · H/L (shift-←/→) move the end",
                "      p the paragraph around the candidate, or its sentence · u undo the last decision · q leave · ? the keys",
                "      every decision is one undo step and goes to the log as accept/reject"
            ]),
        .init(
            name: "merge", usage: "merge SESSION... [--strategy unanimous|majority|min=K]",
            summary:
                "merge annotators' sessions into this one: identical spans the strategy accepts kept (source merge), the rest conflicts c1, c2, …",
            details: [
                "documents are matched by the SHA-256 of their text; merging again keeps every decision and accepted span",
                "a decision that new input contradicts is kept and reported"
            ]),
        .init(
            name: "conflicts", usage: "conflicts [LABEL]",
            summary: "list the open conflicts: id, document, S:E, context, each annotator's version"),
        .init(
            name: "conflict", usage: "conflict DOC S:E --version NAME [LABEL S:E]... --version NAME ...",
            summary: "state a conflict with each version (the git merge driver logs the conflicts it makes so)"),
        .init(
            name: "resolve", usage: "resolve cN --pick K | --all | --none | --as LABEL [--at S:E]",
            summary: "decide a conflict: the K-th version, every version, none, or one span of your own"),
        .init(
            name: "adjudicate", usage: "adjudicate [LABEL]",
            summary:
                "walk the open conflicts full screen: 1-9 pick a version, a all, x none, h/l H/L move, a label's shortcut, s skip, u undo, q quit",
            details: [
                "keys: 1-9 resolve with that version · a all · x none · Tab pick the next version's span",
                "      h/← l/→ move its start · H/L (shift-←/→) its end · Enter resolve with it as moved (--as LABEL --at S:E)",
                "      SHORTCUT resolve with it under that label · s skip · u undo the last decision · q leave · ? the keys",
                "      every decision is one undo step and goes to the log as resolve"
            ]),
        .init(name: "labels", usage: "labels", summary: "the tag set with counts, shortcuts and parents"),
        .init(
            name: "label", usage: "label add NAME [--alias A]... [--category] [--colour RRGGBB] [--description TEXT]",
            summary: "add a span label, for spans and units (or a category label, for units only)"),
        .init(name: "schema", usage: "schema PATH", summary: "merge a tag-set file (JSON) into the tag set"),
        .init(
            name: "undo", usage: "undo [N]",
            summary:
                "undo the last N state-changing commands (a bulk tag is one); a save keeps the last 100 for after reopening"
        ),
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
                "                 labels: those on the unit; --from-spans adds the spans' labels; --negatives keeps units with none",
                "  bio            character IOB2, whitespace left out: CoNLL (字<TAB>B-LABEL, blank line between units, --unit sent|para|doc)",
                "                 --jsonl: {id, doc, unit, index, offset, tokens, ner_tags} and PATH's .labels.json; --overlap longest|first",
                "  brat           a directory of ID.txt and ID.ann (T lines, AnnotatorNotes) with annotation.conf",
                "  label-studio   a JSON task list with labels results (and choices for document categories)",
                "options for every format:",
                "  --labels L1,L2   only these labels        --docs D1,D2   only these documents (ids, numbers, globs)",
                "  --split train=8,dev=1,test=1 --seed N   PATH-train.EXT …; a document is in one split only",
                "  --split-by para|sent   split paragraphs or sentences instead of documents (records per unit at least;",
                "                   spans, doccano, classify and bio; each record names its doc, unit, index and offset)",
                "  --shard-size N   a new numbered file every N records"
            ]),
        .init(
            name: "stats", usage: "stats [--all] [--top N] [--json]",
            summary: "charts: spans by label and by document, span lengths, progress; --json for machines",
            details: [
                "bars scaled to the terminal's width, in the tag set's colours on a terminal only",
                "by document: the N most annotated (10 unless --top N), or every one with --all",
                "--json: the same figures as one JSON object, every document included"
            ]),
        .init(
            name: "report", usage: "report OUT [--docs D1,D2] [--labels L1,L2] [--with SESSION]...",
            summary:
                "write an HTML report: OUT/index.html (label chart, documents) and a page a document with its spans marked",
            details: [
                "self-contained pages (no network): spans as marks with their labels and offsets, overlapping spans in lanes,",
                "notes on hover, categories beside their paragraphs, a legend that hides and shows labels",
                "OUT is a new or empty folder, or an earlier report (replaced whole); Ctrl-C leaves it as it was",
                "--with SESSION (again for more): other annotators; the index adds agree's figures as a heatmap (span F1 exact)"
            ]),
        .init(
            name: "agree",
            usage: "agree [SESSION...] [--against CURATED] [--labels L1,L2] [--docs D1,D2] [--json PATH|-] [--diff]",
            summary:
                "inter-annotator agreement of this session with others: span F1 (exact, overlap), character κ and α, category κ and α; --against: each against a curated session",
            details: [
                "documents are matched by the SHA-256 of their text; each session is one annotator (its annotations' annotator)",
                "  --labels L1,L2   only these labels        --docs D1,D2   only these documents (ids, globs)",
                "  --json PATH|-    the figures as JSON      --diff         list every disagreement as d1, d2, …; show dN shows one",
                "  --against CURATED  each annotator (this session unless it is CURATED, and those named) against the",
                "                   curated session: F1, P, R, κ and their differences from it"
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
