/// Everything a user can get wrong, as data; rendered in one place (`message`, `hint`).
public enum TagbenchError: Error, Equatable, Sendable {
    // Command language
    /// A command name that does not exist.
    case unknownCommand(String, suggestion: String?)
    /// An option a command does not take.
    case unknownOption(String, command: String)
    /// A `"…"` without its closing quote, at a 1-based column.
    case unterminatedQuote(column: Int)
    /// A `/…/` without its closing slash, at a 1-based column.
    case unterminatedRegex(column: Int)
    /// A required argument is missing.
    case missingArgument(command: String, what: String)
    /// More arguments than the command takes.
    case unexpectedArgument(command: String, argument: String)
    /// An argument that is not of the expected form.
    case invalidArgument(command: String, argument: String, expected: String)
    /// A regular expression that does not compile.
    case invalidRegex(pattern: String, reason: String)
    /// An empty text to search for.
    case emptyPattern

    // Names
    /// A label that is neither a name nor an alias.
    case unknownLabel(String, suggestion: String?)
    /// A document id or number that does not exist.
    case unknownDocument(String, suggestion: String?)
    /// An annotation id that does not exist (or was removed).
    case unknownAnnotation(String)
    /// A label name or alias that another label already uses.
    case labelNameInUse(String, by: String)
    /// A label name that is empty or holds whitespace.
    case invalidLabelName(String)
    /// A name (`what`: a document id, a label) holding a character names may not hold (`Names`).
    case invalidName(what: String, name: String, character: UInt32)
    /// A category label used where a span is made (`tag`, `relabel`, `accept`, a span in `load`'s
    /// data): category labels mark units only, span labels spans and units. `command` is the one
    /// run; `expected` is `.span` (any label classifies a unit).
    case wrongLabelKind(label: String, expected: LabelKind, command: String)

    // Targets
    /// A command that needs a current document, with none open.
    case noCurrentDocument
    /// `open`, `next` or `prev` with no documents loaded.
    case noDocuments
    /// Offsets outside the document or not increasing.
    case offsetsOutOfRange(start: Int, end: Int, length: Int)
    /// A paragraph or sentence number out of range.
    case unitOutOfRange(unit: UnitKind, number: Int, count: Int)
    /// `hN` with no `find` before it.
    case noFindResults
    /// `hN` beyond the last find's hits.
    case hitOutOfRange(number: Int, count: Int)
    /// `"text"` that does not occur exactly once (`occurrences` is how often it does).
    case textNotUnique(String, occurrences: Int)
    /// `"text"#K` with K beyond the occurrences.
    case occurrenceOutOfRange(String, occurrence: Int, occurrences: Int)
    /// A document whose file could not be read when the session was opened.
    case documentMissing(id: String, path: String)
    /// Nothing to undo.
    case nothingToUndo
    /// Nothing to redo.
    case nothingToRedo
    /// An undo (or redo) reaching a step of an earlier sitting whose undo the session file did
    /// not keep.
    case undoStepNotKept(command: String, undoing: Bool)
    /// An undo (or redo) of a step read back from the session file that no longer fits the
    /// session (edited by hand, or a document changed): refused, nothing changed.
    case undoStepNoLongerApplies(command: String, undoing: Bool, reason: String)
    /// A relabel that would make a span identical to an existing one.
    case duplicateSpan(String)
    /// A category that is not on that unit.
    case categoryNotFound(label: String, unit: String)

    // Files
    /// A path that does not exist (nothing matched, for a glob).
    case fileNotFound(String)
    /// A file that exists but cannot be read.
    case unreadable(String, reason: String)
    /// Bytes that are not UTF-8, at a byte offset.
    case invalidUTF8(path: String, byteOffset: Int)
    /// Bytes that are not valid in the encoding given with `--encoding`, at a byte offset.
    case invalidEncoding(path: String, encoding: String, byteOffset: Int)
    /// An encoding name tagbench does not know.
    case unknownEncoding(String)
    /// A file with NUL bytes.
    case binaryFile(path: String, byteOffset: Int)
    /// A directory with no `.txt` file in it.
    case noTextFiles(directory: String)
    /// `load --split-at`: no line of the file matches the expression.
    case noSplitLines(path: String, pattern: String)
    /// A file that could not be written.
    case writeFailed(String, reason: String)
    /// `save` with no path and no session file.
    case noSessionPath
    /// The process may hold fewer files open at once (`ulimit -n`) than tagbench needs, counting
    /// those it was started with open (`inherited`, past the standard three).
    case tooFewOpenFiles(allowed: Int, needed: Int, inherited: Int)
    /// A command-line argument (number `index`, from 1) that is not UTF-8, shown with U+FFFD in
    /// place of the bytes that are not.
    case argumentNotUTF8(index: Int, shown: String)
    /// A session another tagbench process has open.
    case sessionLocked(path: String, pid: Int32)
    /// `save` in a session opened with `--read-only`.
    case readOnlySession
    /// A file whose owner may not write it (mode 0444): never replaced behind the owner's back.
    case readOnlyFile(String, mode: Int)
    /// `save OTHER` over a session whose journal holds changes not saved into it yet.
    case unsavedJournal(session: String)
    /// The lock file was removed or replaced while this process held it, and another took it.
    case lockLost(path: String)
    /// A side file of the session (lock, journal) that is a link or not a regular file.
    case unsafeSideFile(String)
    /// A session path that names something tagbench must not write over: a device, FIFO,
    /// socket or folder (`what`), or a file with other names (hard links) its lock would not cover.
    case unsafeSessionFile(String, what: String)
    /// A session that would be written but could not be opened again.
    case unopenableSession(path: String, reason: String)
    /// A command would give an annotation an id past the largest a session may hold.
    case idsExhausted(largest: Int)
    /// An export that would overwrite the session or a source document.
    case exportOverInput(String)
    /// An export format tagbench does not write.
    case unknownExportFormat(String)
    /// A review shortcut that is not one free key.
    case invalidShortcut(String, label: String, reason: String)
    /// A tag-set file that is not consistent (a parent that does not exist, a cycle, a bad pattern).
    case invalidTagSet(path: String, reason: String)
    /// Labels a new tag set leaves out while annotations still use them.
    case labelsInUse(String)
    /// A span the tag set's overlap policy does not allow beside another.
    case overlapNotAllowed(policy: OverlapPolicy, span: String)
    /// No suggestion has that number (or none is queued).
    case unknownSuggestion(String)
    /// A command that needs a terminal, run without one.
    case needsTerminal(String)
    /// An export option that does not apply or has a bad value.
    case invalidExportOption(String, reason: String)
    /// Spans that overlap where the format cannot hold both (IOB2).
    case overlappingSpans(document: String, first: String, second: String)
    /// A record of annotated data that cannot be imported, at a 1-based line (0 when not known).
    case invalidImport(path: String, line: Int, reason: String)
    /// A corpus-wide command stopped by the user (Ctrl-C) before it changed anything.
    case interrupted(String)
    /// A regular-expression search stopped after `seconds` where nothing could interrupt it.
    case regexTooSlow(pattern: String, seconds: Double)
    /// The processes a regular-expression search ran in ended before it did (killed from outside).
    case searchProcessEnded(pattern: String)
    /// A script that runs itself, directly or through others.
    case scriptRecursion(String)
    /// `agree` given sessions that have no document (no text) in common.
    case noCommonDocument(sessions: [String], chosen: Bool = false)
    /// `agree` given the same session twice (by any name).
    case sessionGivenTwice(String)

    // Session files
    /// A session or tag-set file that is not valid JSON, at a 1-based line and column.
    case malformedJSON(path: String, line: Int, column: Int, reason: String)
    /// A file that is JSON but not a tagbench session of a known form.
    case invalidSession(path: String, reason: String)
    /// A session written by a newer tagbench.
    case sessionTooNew(path: String, version: Int)
    /// A session given to `merge` (or the merge driver) that cannot be merged, and why.
    case mergeInput(String, reason: String)
    /// One label name with another kind or parent in two merged sessions.
    case labelClash(String, first: String, firstIs: String, second: String, secondIs: String)
    /// A conflict id that is not in the session.
    case unknownConflict(String)
    /// `resolve` of a conflict already decided.
    case conflictDecided(String, decision: String)
    /// `resolve cN --pick K` past the conflict's versions.
    case versionOutOfRange(conflict: String, number: Int, count: Int)

    /// One sentence saying what is wrong.
    public var message: String {
        switch self {
        case .unknownCommand(let name, let suggestion):
            return "unknown command \"\(name)\"" + Self.didYouMean(suggestion)
        case .unknownOption(let option, let command):
            return "\(command) has no option \(option)"
        case .unterminatedQuote:
            return "unterminated quote"
        case .unterminatedRegex:
            return "unterminated regular expression"
        case .missingArgument(let command, let what):
            return "\(command) needs \(what)"
        case .unexpectedArgument(let command, let argument):
            return "unexpected argument \"\(argument)\" to \(command)"
        case .invalidArgument(let command, let argument, let expected):
            return "\(command): \"\(argument)\" is not \(expected)"
        case .invalidRegex(let pattern, let reason):
            return "invalid regular expression /\(pattern)/: \(reason)"
        case .emptyPattern:
            return "cannot search for empty text"
        case .unknownLabel(let name, let suggestion):
            return "unknown label \"\(name)\"" + Self.didYouMean(suggestion)
        case .unknownDocument(let name, let suggestion):
            return "unknown document \"\(name)\"" + Self.didYouMean(suggestion)
        case .unknownAnnotation(let id):
            return "no annotation \(id)"
        case .labelNameInUse(let name, let owner):
            return name == owner ? "label \(name) already exists" : "\"\(name)\" is already a name of label \(owner)"
        case .invalidLabelName(let name):
            return "invalid label name \"\(name)\": names are non-empty and hold no spaces"
        case .invalidName(let what, let name, let character):
            let code = String(character, radix: 16, uppercase: true)
            return "\(what) \"\(name)\" holds U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), "
                + "a control or bidirectional formatting character, which names may not hold"
        case .wrongLabelKind(let label, let expected, let command):
            return expected == .span
                ? "\(label) is a category label; \(command) needs a span label"
                : "\(label) is a span label; \(command) needs a category label"
        case .noCurrentDocument:
            return "no current document"
        case .noDocuments:
            return "no documents loaded"
        case .offsetsOutOfRange(let start, let end, let length):
            return start >= end
                ? "empty or reversed range \(start):\(end)"
                : "range \(start):\(end) is outside the document (length \(length))"
        case .unitOutOfRange(let unit, let number, let count):
            let name = unit == .para ? "paragraph" : "sentence"
            return "no \(name) \(number): the document has \(Format.count(count, name))"
        case .noFindResults:
            return "no find results to refer to"
        case .hitOutOfRange(let number, let count):
            return "no hit h\(number): the last find has \(Format.count(count, "hit"))"
        case .textNotUnique(let text, let occurrences):
            return occurrences == 0
                ? "\"\(text)\" does not occur in the document"
                : "\"\(text)\" occurs \(occurrences) times in the document"
        case .occurrenceOutOfRange(let text, let occurrence, let occurrences):
            return "no occurrence \(occurrence) of \"\(text)\": it occurs \(Format.count(occurrences, "time"))"
        case .documentMissing(let id, let path):
            return "document \(id) is missing: \(path) could not be read"
        case .nothingToUndo:
            return "nothing to undo"
        case .nothingToRedo:
            return "nothing to redo"
        case .undoStepNotKept(let command, let undoing):
            return "cannot \(undoing ? "undo" : "redo") \"\(command)\": the session file did not keep it"
        case .undoStepNoLongerApplies(let command, let undoing, let reason):
            return
                "cannot \(undoing ? "undo" : "redo") \"\(command)\" from an earlier sitting: \(reason); nothing was changed"
        case .duplicateSpan(let id):
            return "that span already exists as \(id)"
        case .categoryNotFound(let label, let unit):
            return "\(unit) has no category \(label)"
        case .fileNotFound(let path):
            return "no such file or directory: \(path)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidUTF8(let path, let offset):
            return "\(path) is not valid UTF-8 (byte offset \(offset))"
        case .invalidEncoding(let path, let encoding, let offset):
            return "\(path) is not valid \(encoding) (byte offset \(offset))"
        case .unknownEncoding(let name):
            return "unknown encoding \"\(name)\""
        case .binaryFile(let path, let offset):
            return "\(path) looks binary: NUL byte at offset \(offset)"
        case .noTextFiles(let directory):
            return "no .txt files in \(directory)"
        case .noSplitLines(let path, let pattern):
            return "no line of \(path) matches \(Pattern.regex(pattern)); nothing loaded"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .noSessionPath:
            return "no session file to save to"
        case .argumentNotUTF8(let index, let shown):
            return "argument \(index) (\(shown)) is not UTF-8"
        case .tooFewOpenFiles(let allowed, let needed, let inherited):
            return "this process may have only \(allowed) files open at once (ulimit -n); tagbench needs \(needed)"
                + (inherited > 0 ? " (it was started with \(inherited) open beside the standard three)" : "")
        case .sessionLocked(let path, let pid):
            return "\(path) is open in another tagbench" + (pid > 0 ? " (process \(pid))" : "")
        case .readOnlySession:
            return "this session is open read-only"
        case .readOnlyFile(let path, let mode):
            return "refusing to replace \(path): it is read-only (mode 0\(String(mode, radix: 8)))"
        case .unsavedJournal(let session):
            return "refusing to save over \(session): its journal holds changes not saved into it"
        case .lockLost(let path):
            return
                "the lock of \(path) was removed and taken by another process: this session no longer writes its files"
        case .unsafeSideFile(let path):
            return "refusing to use \(path): it is a link or not a regular file"
        case .unsafeSessionFile(let path, let what):
            return "refusing to write the session \(path): it is \(what)"
        case .idsExhausted(let largest):
            return
                "no annotation id is left: the command would give one past the largest, \(largest); nothing was changed"
        case .unopenableSession(let path, let reason):
            return "refusing to save \(path): it could not be opened again (\(reason))"
        case .exportOverInput(let path):
            return "refusing to overwrite \(path): it is a session, a file tagbench keeps beside one, or a document"
        case .unknownExportFormat(let format):
            return "unknown export format \"\(format)\""
        case .invalidShortcut(let key, let label, let reason):
            return "shortcut \"\(key)\" of \(label): \(reason)"
        case .invalidTagSet(let path, let reason):
            return "\(path) is not a valid tag set: \(reason)"
        case .labelsInUse(let detail):
            return "the tag set leaves out labels still in use: \(detail)"
        case .overlapNotAllowed(let policy, let span):
            return
                "the tag set's overlap policy is \(policy.rawValue) (\(policy == .none ? "spans may not overlap" : "spans may nest but not cross")), and \(span) is in the way"
        case .unknownSuggestion(let id):
            return "no suggestion \(id) in the queue"
        case .needsTerminal(let command):
            return "\(command) needs a terminal"
        case .invalidExportOption(let option, let reason):
            return "export option \(option): \(reason)"
        case .overlappingSpans(let document, let first, let second):
            return "in \(document), \(first) overlaps \(second); IOB2 tags cannot hold both"
        case .invalidImport(let path, let line, let reason):
            return (line > 0 ? "\(path):\(line): " : "\(path): ") + reason
        case .interrupted(let what):
            return "\(what) interrupted; nothing was changed"
        case .searchProcessEnded(let pattern):
            return
                "the search for /\(pattern)/ stopped: the processes it ran in ended before it did; nothing was changed"
        case .regexTooSlow(let pattern, let seconds):
            return
                "the search for /\(pattern)/ was stopped after \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s; nothing was changed"
        case .scriptRecursion(let path):
            return "script \(path) runs itself"
        case .noCommonDocument(let sessions, let chosen):
            return chosen
                ? "no document --docs chose is held and readable in every one of \(sessions.joined(separator: ", ")); nothing to compare"
                : "\(sessions.joined(separator: ", ")) have no document in common that each can read (by the SHA-256 of its text); nothing to compare"
        case .sessionGivenTwice(let path):
            return "session \(path) is given twice"
        case .malformedJSON(let path, let line, let column, let reason):
            return "\(path):\(line):\(column): malformed JSON: \(reason)"
        case .invalidSession(let path, let reason):
            return "\(path) is not a valid session: \(reason)"
        case .mergeInput(let path, let reason): return "cannot merge \(path): \(reason)"
        case .labelClash(let name, let first, let firstIs, let second, let secondIs):
            return "label \(name) is \(firstIs) in \(first) but \(secondIs) in \(second)"
        case .unknownConflict(let id): return "no conflict \(id)"
        case .conflictDecided(let id, let decision): return "\(id) is already resolved (\(decision))"
        case .versionOutOfRange(let conflict, let number, let count):
            return "\(conflict) has \(Format.count(count, "version")); there is no version \(number)"
        case .sessionTooNew(let path, let version):
            return "\(path) has format version \(version); this tagbench reads up to \(Session.formatVersion)"
        }
    }

    /// What to do about it, when there is something useful to say.
    public var hint: String? {
        switch self {
        case .unknownCommand: return "type help for the list of commands"
        case .unknownOption(_, let command): return "help \(command) shows its options"
        case .unterminatedQuote: return "close the quote, or write \\\" for a quote inside it"
        case .unterminatedRegex: return "close the expression with /, or write \\/ for a slash inside it"
        case .missingArgument(let command, _), .unexpectedArgument(let command, _), .invalidArgument(let command, _, _):
            return "help \(command) shows its usage"
        case .unknownLabel(_, nil): return "labels lists the tag set; label add NAME adds one"
        case .unknownDocument(_, nil): return "docs lists the documents"
        case .unknownAnnotation: return "spans lists the annotations"
        case .wrongLabelKind(let label, .span, "load"):
            return "\(label) is a category label of the session, for units only: "
                + "give these spans another label in the file (a span label marks spans and units alike)"
        case .wrongLabelKind(let label, .span, _):
            return "category labels mark units only: classify \(label) doc|para N|sent N; "
                + "for spans use a span label, which marks units too (label add NAME)"
        case .wrongLabelKind: return "use tag for span labels"
        case .noCurrentDocument: return "open a document first (docs lists them)"
        case .noDocuments: return "load PATH adds documents: files, directories or globs"
        case .noFindResults: return "run find TEXT first; its hits are h1, h2, …"
        case .textNotUnique(let text, let n) where n > 1:
            return "write \"\(text)\"#K for the K-th occurrence, or tag … all \"\(text)\" for every one"
        case .nothingToRedo: return "redo works only right after undo"
        case .undoStepNotKept:
            return
                "a saved session keeps its last \(KeptUndo.stepLimit) steps (naming at most \(Format.count(KeptUndo.annotationLimit, "span"))), none older than a load or schema, and none that changes suggestions or conflicts"
        case .undoStepNoLongerApplies:
            return
                "the session or a document changed since the step was saved (edited by hand, or a document's text changed); steps older than it cannot be undone either"
        case .invalidUTF8: return "if it is GB18030/GBK or UTF-16, load it with --encoding gb18030 (or --encoding auto)"
        case .invalidEncoding:
            return "try another --encoding (auto detects UTF-8, UTF-16 by its BOM or its zero bytes, and GB18030)"
        case .unknownEncoding: return "encodings: " + TextEncoding.names
        case .binaryFile:
            return
                "text in UTF-16 without a BOM holds NUL bytes: load it with --encoding auto (which tells UTF-16 by them), utf-16le or utf-16be"
        case .noSessionPath: return "save PATH names the session file"
        case .argumentNotUTF8:
            return "tagbench takes names and text in UTF-8: two names that are not would be read as the same one"
        case .tooFewOpenFiles:
            return "raise the limit first, e.g. ulimit -n 1024 (past the hard limit, ulimit -Hn, only root can)"
        case .noSplitLines:
            return
                "the expression is matched against each line alone, without its line break: ^ and $ are the line's start and end; a line matches when at least one of its characters does (/^$/ or a lookahead alone matches none)"
        case .sessionLocked: return "close it there, or open it here with --read-only to look without saving"
        case .readOnlySession:
            return "save PATH writes a copy elsewhere; to save this file, reopen it without --read-only"
        case .readOnlyFile: return "make it writable (chmod u+w) to save over it, or save PATH elsewhere"
        case .unsavedJournal:
            return "open it with tagbench to recover and save those changes first, or save PATH elsewhere"
        case .lockLost: return "save PATH writes a copy elsewhere; then close this tagbench"
        case .unsafeSideFile: return "remove it (tagbench creates its side files itself)"
        case .unsafeSessionFile(_, let what) where what.hasPrefix("a file with"):
            return "one writer per session holds only for one name: remove the other names, or work on a copy (cp)"
        case .unsafeSessionFile:
            return "give a path for a regular file (a session is saved as a new file and renamed into place)"
        case .idsExhausted:
            return
                "the session's next_id was set near the largest by hand: set it back (it must only be above every id in use)"
        case .unopenableSession:
            return "undo the command that made it so (a load of an import with an empty id, say), then save"
        case .exportOverInput: return "choose another output path"
        case .unknownExportFormat: return "formats: " + ExportFormat.names
        case .invalidExportOption: return "help export lists the options of each format"
        case .labelsInUse: return "add them to the tag-set file, or untag (or relabel) their annotations first"
        case .overlapNotAllowed: return "untag the span in the way, or change \"overlap\" in the tag-set file"
        case .unknownSuggestion: return "suggestions lists the queue; suggest fills it"
        case .needsTerminal("adjudicate"):
            return "use conflicts and resolve cN --pick K|--all|--none|--as LABEL, which scripts and pipes can run"
        case .needsTerminal: return "use accept sN|all and reject sN|all, which scripts and pipes can run"
        case .overlappingSpans:
            return "keep one of each overlapping pair with --overlap longest|first, or untag one of them"
        case .invalidImport: return "nothing was loaded; fix the record or load the rest without it"
        case .invalidName:
            return
                "rename it: ids and labels may hold any text but control characters, line separators and bidirectional overrides"
        case .searchProcessEnded:
            return "something on this machine ended tagbench's search processes (tagbench regex-worker); run it again"
        case .regexTooSlow:
            return "a repetition of something that can match in several ways, as (a|aa)*, backtracks without end: "
                + "write it so that each text matches one way (a+); TAGBENCH_REGEX_SECONDS sets the limit for scripts and piped input"
        case .sessionTooNew: return "use a newer tagbench for this session"
        case .mergeInput: return "nothing was merged"
        case .labelClash:
            return "make the tag sets agree on the label (or rename one), then merge again; nothing was merged"
        case .unknownConflict: return "conflicts lists the open ones"
        case .conflictDecided: return "undo the resolve to decide it again"
        case .versionOutOfRange: return "conflicts lists each version with its number"
        case .noCommonDocument(_, let chosen):
            return chosen
                ? "agree without --docs lists the documents left out and why"
                : "each session's docs lists its documents; agree compares the texts all of them hold"
        case .malformedJSON, .invalidSession: return "the file was left as it is; fix it or restore a copy"
        default: return nil
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " — did you mean \($0)?" } ?? ""
    }
}

/// An error together with where it happened: a script or `<stdin>` line, and a column.
public struct LocatedError: Error, Equatable, Sendable {
    /// The file name as the user gave it, or `<stdin>`.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, when it is known.
    public var column: Int?
    /// What went wrong.
    public var error: TagbenchError

    /// Makes a located error.
    public init(file: String, line: Int, column: Int? = nil, error: TagbenchError) {
        self.file = file
        self.line = line
        self.column = column
        self.error = error
    }
}
