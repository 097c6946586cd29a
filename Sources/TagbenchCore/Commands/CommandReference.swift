/// The command language's reference: one entry a command, used by `help`, errors and completion.
public struct CommandReference: Sendable {
    /// The command's name as typed.
    public var name: String
    /// Its usage line.
    public var usage: String
    /// What it does.
    public var summary: String

    /// Every command, in the order `help` lists them.
    public static let all: [CommandReference] = [
        .init(name: "load", usage: "load [--encoding utf-8|gb18030|utf-16le|utf-16be|auto] PATH...", summary: "add documents: files, directories (their *.txt, sorted), globs; the id is the file name without extension, made unique"),
        .init(name: "docs", usage: "docs", summary: "list documents: number, id, characters, annotations"),
        .init(name: "open", usage: "open DOC", summary: "make a document current, by number or id"),
        .init(name: "next", usage: "next", summary: "open the next document"),
        .init(name: "prev", usage: "prev", summary: "open the previous document"),
        .init(name: "show", usage: "show [para N | sent N | S:E]", summary: "print text with offsets in the margin and spans highlighted"),
        .init(name: "find", usage: "find TEXT|/RE/ [--corpus]", summary: "list matches as h1, h2, … with document, S:E and context"),
        .init(name: "tag", usage: "tag LABEL S:E | hN[-hM] | \"text\"[#K] | sent N | para N | all TEXT|/RE/ [--corpus]", summary: "add a span (or one per hit or match)"),
        .init(name: "untag", usage: "untag ID...", summary: "remove annotations (ids are a1, a2, … and never reused)"),
        .init(name: "relabel", usage: "relabel ID LABEL", summary: "change an annotation's label"),
        .init(name: "note", usage: "note ID TEXT", summary: "attach a note to an annotation (an empty text removes it)"),
        .init(name: "classify", usage: "classify LABEL doc|para N|sent N", summary: "put a category label on a unit of the current document"),
        .init(name: "unclassify", usage: "unclassify LABEL doc|para N|sent N", summary: "remove a category label from a unit"),
        .init(name: "spans", usage: "spans [LABEL] [--corpus]", summary: "list annotations: id, label, document, S:E, text"),
        .init(name: "orphans", usage: "orphans", summary: "spans whose document changed and no longer holds their text (kept, never exported)"),
        .init(name: "labels", usage: "labels", summary: "the tag set with counts"),
        .init(name: "label", usage: "label add NAME [--alias A]... [--category] [--colour RRGGBB] [--description TEXT]", summary: "add a span label (or a category label)"),
        .init(name: "schema", usage: "schema PATH", summary: "merge a tag-set file (JSON) into the tag set"),
        .init(name: "undo", usage: "undo [N]", summary: "undo the last N state-changing commands (a bulk tag is one)"),
        .init(name: "redo", usage: "redo [N]", summary: "redo what undo undid"),
        .init(name: "save", usage: "save [PATH]", summary: "write the session (to PATH, which becomes the session file)"),
        .init(name: "export", usage: "export spans PATH", summary: "write a JSONL training set: one line per document with its spans"),
        .init(name: "stats", usage: "stats", summary: "counts by label and by document"),
        .init(name: "history", usage: "history", summary: "the session's state-changing commands, as a replayable script"),
        .init(name: "run", usage: "run SCRIPT", summary: "execute a script file here"),
        .init(name: "help", usage: "help [COMMAND]", summary: "this list, or one command's usage"),
        .init(name: "quit", usage: "quit", summary: "leave (warns once about unsaved changes)"),
    ]

    /// Every command name.
    public static let names: [String] = all.map(\.name)

    /// The entry for a command name.
    public static func named(_ name: String) -> CommandReference? { all.first { $0.name == name } }
}
