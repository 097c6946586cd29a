/// Applies commands to a session: the whole behaviour of the command language, with no terminal.
public final class Engine {
    /// The session being edited.
    public internal(set) var session: Session
    /// The absolute path of the session file, if it has one.
    public internal(set) var sessionPath: String?
    /// The current document's index.
    public internal(set) var current: Int?
    /// Whether there are changes not yet saved.
    public internal(set) var isDirty = false
    /// In a `tagbench run` transaction, `save` is remembered and done by the caller at the end.
    public var defersSaves = false
    /// Opened with `--read-only`: the session file itself is never written (another process may own it).
    public var isReadOnly = false
    /// The session log's length when a read-only session's changes were last saved to a copy:
    /// every change adds to the log, so an equal length means none came since.
    var loggedWhenCopied: Int?
    /// Whether there are changes no file holds: unsaved ones, unless the session is read-only
    /// and `save PATH` wrote them all to a copy (the session file never holds them).
    public var hasChangesNoFileHolds: Bool {
        isDirty && !(isReadOnly && loggedWhenCopied == session.log.count)
    }
    /// Whether the session's kept undo history was read when it was opened: a session opened
    /// without it is never written, as a save or a checkpoint (either would drop the history).
    private(set) var historyRead = true
    /// The path a deferred `save` named (the session path when it named none).
    public internal(set) var pendingSave: String?
    /// Who annotates.
    public var annotator: Annotator
    /// Shown the progress of corpus-wide commands, and asked whether to stop them.
    public var monitor: ProgressMonitor?
    /// Seconds a regular-expression search may run where no monitor can stop it (a script, piped
    /// input): then it fails with `regexTooSlow`.
    public var regexTimeLimit: Double = 20
    /// Where regular-expression searches run: on a watched thread unless the command line gives
    /// a runner that can end a search at once.
    public var regexRunner: any RegexRunner = WatchedSearch()
    /// Shows `review` and reads the reviewer's actions: set by the CLI only where there is a
    /// terminal to read keys from (without one, `review` fails with `needsTerminal`).
    public var reviewDriver: (any ReviewDriver)?
    /// Shows `adjudicate` and reads the adjudicator's actions: set by the CLI only where there is
    /// a terminal (without one, `adjudicate` fails with `needsTerminal`).
    public var adjudicationDriver: (any AdjudicationDriver)?

    /// The journal, once attached: every change is on disk before it is reported done.
    public internal(set) var journal: Journal?
    /// The one-writer lock of the session file, held by this engine's caller and moved by a
    /// `save` to another path; checked before each write of the session's files.
    public var lock: SessionLock?
    /// Every change to the session's files goes through this (a test fails or stops it at will).
    public var files: FileOperations = SystemFileOperations.shared
    /// The SHA-256 of the saved state the journal follows: the session file, or the checkpoint
    /// (nil: no file yet).
    var baseHash: FileHashing?
    /// Set when the journal on disk follows another saved state than the one opened.
    var journalIsStale = false
    /// What of the log is on disk, and what a replay of the journal would know.
    var journalBookkeeping = JournalBookkeeping()
    /// Set when replaying the journal on open stopped at a command that failed.
    var recoveryStopped = false
    /// The length of the journal's whole records, when the replay dropped a torn last one.
    var journalWholeLength: Int?
    /// Where a save kept a journal whose replay stopped (`run`, which journals nothing).
    public internal(set) var keptJournal: String?

    /// The SHA-256 of the session file as last read or written (hashed in the background).
    var savedFileHash: FileHashing?
    /// Corpus matches found ahead for literal bulk tags (see `prefetchCorpusMatches`).
    var lookahead = CorpusLookahead()
    /// What `undo` and `redo` move.
    var undoHistory = UndoHistory()
    /// What the last `find` found, for `tag hN`.
    var lastFind: FindResult?
    /// The paragraph `next para` and `prev para` move from: the one last shown or annotated
    /// (`moveParagraphCursor`), in the document of that id; a viewing place, not session state.
    var paragraphCursor: (document: String, paragraph: Int)?
    /// What the last `agree` found, for `show dN`.
    var lastAgreement: AgreementReport?
    /// Whether the last `agree` was `agree --against` (whose differences `show dN` does not follow).
    var lastWasAgainst = false

    /// Hits listed by `find` (the rest are still taggable as hN).
    public static let hitDisplayLimit = 200

    /// An engine over a new, empty session.
    public init(annotator: Annotator, sessionPath: String? = nil) {
        self.session = Session()
        self.sessionPath = sessionPath
        self.annotator = annotator
    }

    /// An engine over the session file at `path` (absolute); a file that does not exist is a new
    /// session, created on first save. Returns warnings about missing or changed documents.
    /// `history` false leaves the kept undo history unread (a tenth of opening a large session)
    /// unless a journal has commands to replay: for a session only read, then never saved.
    public static func open(
        path: String, displayPath: String, annotator: Annotator, history: Bool = true
    ) throws(TagbenchError) -> (Engine, [String]) {
        // The real file: an alias (a link, a linked folder) has the same lock, journal and file.
        let path = FileSystem.resolvingLinks(path)
        let engine = Engine(annotator: annotator, sessionPath: path)
        engine.historyRead = history
        // A checkpoint is read in place of the session: one that is a link is not tagbench's.
        if FileSystem.isLink(Journal.checkpointPath(for: path)) {
            throw .unsafeSideFile(Journal.checkpointPath(for: path))
        }
        switch FileSystem.kind(of: path) {
        case .missing where FileSystem.kind(of: Journal.checkpointPath(for: path)) != .file:
            let warnings = engine.recover(Journal.read(sessionPath: path), path: path, displayPath: displayPath)
            return (engine, warnings)
        case .directory:
            throw .unreadable(displayPath, reason: "it is a directory")
        default:
            break
        }
        let checkpoint = Journal.checkpointPath(for: path)
        var fromCheckpoint = FileSystem.kind(of: checkpoint) == .file
        if fromCheckpoint, FileSystem.kind(of: path) == .file, let follows = Journal.read(sessionPath: path)?.follows,
            let saved = try? FileSystem.read(path, regularOnly: true), FileHashing(bytes: saved).wait() == follows
        {
            // A save wrote the session file but could not remove the checkpoint: the journal
            // follows the session file, which is newer.
            fromCheckpoint = false
        }
        let cacheReading = HashCache.reading(for: path)
        let bytes = try FileSystem.read(fromCheckpoint ? checkpoint : path, regularOnly: true)
        // An export's manifest names the file by its hash: taken from the bytes read here.
        let hashing = FileHashing(bytes: bytes)
        engine.baseHash = hashing
        if !fromCheckpoint { engine.savedFileHash = hashing }
        // Errors in what was read name the file read: a broken checkpoint is not the session's fault.
        let readName = fromCheckpoint ? Journal.checkpointPath(for: displayPath) : displayPath
        let (session, report) = try SessionCodec.decode(
            bytes, path: path, displayPath: readName, history: history, knownHashes: cacheReading.wait())
        engine.session = session
        var warnings: [String] = []
        if fromCheckpoint {
            engine.isDirty = true
            warnings.append(Wording.recoveredFromCheckpoint(displayPath))
        }
        for id in report.missing {
            let index = session.documentIndex(id: id)!
            warnings.append(
                Wording.documentUnavailable(
                    id, path: session.documents[index].path, reason: report.unreadable[id],
                    annotations: session.annotationCount(inDocument: index)))
        }
        for change in report.changed {
            engine.isDirty = true
            warnings.append(Wording.documentChanged(change))
        }
        if !session.documents.isEmpty { engine.current = 0 }
        // The journal is read once, here, and what it holds decides: one that appears while the
        // session is being read (a REPL opening it) is replayed like one that was there before.
        let journal = Journal.read(sessionPath: path)
        if !history, journal?.commands.isEmpty == false {
            // An `undo` in it may take back a kept step: the history is needed after all.
            session.keptUndo = try SessionFileReader.readKeptUndo(bytes, displayPath: readName)
            engine.historyRead = true
        }
        // The undo history the file kept: a replay of the journal below moves its steps as the
        // sitting that wrote the journal did.
        engine.undoHistory = UndoHistory(restoring: session.keptUndo)
        engine.journalBookkeeping.wrote(upTo: session.log.count)
        warnings += engine.recover(journal, path: path, displayPath: displayPath)
        return (engine, warnings)
    }

    /// The current document.
    public var currentDocument: Document? { current.map { session.documents[$0] } }

    /// The folder session-relative paths resolve against (the session file's, else `base`).
    public func sessionDirectory(orElse base: String) -> String {
        sessionPath.map { Paths.directory(of: $0) } ?? base
    }

    // MARK: Executing

    /// Runs one command; output goes to `emit` as it is made. Errors change nothing.
    /// `quit` is not handled here: the caller decides what leaving means.
    public func execute(_ command: Command, context: ExecutionContext, emit: (OutputItem) -> Void) throws(LocatedError)
    {
        do throws(TagbenchError) {
            // A review is a series of commands, each run through here and each taken back alone
            // if it fails: it stands outside the taking back of one command below.
            if case .review(let label) = command { return try review(label, context: context, emit: emit) }
            if case .adjudicate(let label) = command { return try adjudicate(label, context: context, emit: emit) }
            let before = EngineState(self)
            // The result is shown only once the command stands (its ids valid, and on disk when
            // journaled): a command taken back must not have printed what it did.
            var held: [OutputItem] = []
            do throws(TagbenchError) {
                try perform(command, context: context, emit: { held.append($0) })
            } catch {
                held.forEach(emit)
                throw error
            }
            // An id past the largest would make a session that no open accepts: refused here,
            // by the command that would hand it out.
            if session.nextNumber > Session.largestNumber {
                rollBack(to: before)
                throw .idsExhausted(largest: Session.largestNumber)
            }
            do throws(TagbenchError) {
                try writeJournal()
            } catch {
                // Not on disk, so not done: taken back, so that what is in memory is what a
                // recovery would rebuild (the ids it gave are given again).
                if journal != nil { rollBack(to: before) }
                throw error
            }
            moveParagraphCursor(after: command, firstNewNumber: before.nextNumber)
            held.forEach(emit)
        } catch {
            throw LocatedError(file: context.file, line: context.line, error: error)
        }
    }

    /// What a command may change, kept before it runs so it can be taken back when its journal
    /// record cannot be written.
    private struct EngineState {
        var undoHistory: UndoHistory
        var logCount: Int
        var isDirty: Bool
        var current: Int?
        var journalBookkeeping: JournalBookkeeping
        var lastFind: FindResult?
        var nextNumber: Int
        var nextSuggestion: Int

        init(_ engine: Engine) {
            undoHistory = engine.undoHistory
            logCount = engine.session.log.count
            isDirty = engine.isDirty
            current = engine.current
            journalBookkeeping = engine.journalBookkeeping
            lastFind = engine.lastFind
            nextNumber = engine.session.nextNumber
            nextSuggestion = engine.session.suggestions.nextNumber
        }
    }

    /// Undoes in memory what ran since `state` was taken (`UndoHistory.rollBack`).
    private func rollBack(to state: EngineState) {
        undoHistory.rollBack(to: state.undoHistory, session: session, current: &current)
        session.log.removeSubrange(state.logCount...)
        isDirty = state.isDirty
        current = state.current
        journalBookkeeping.rollBack(to: state.journalBookkeeping, damaged: journal?.isDamaged ?? false)
        lastFind = state.lastFind
        session.nextNumber = state.nextNumber
        session.suggestions.nextNumber = state.nextSuggestion
    }

    /// Runs one command (`execute` journals it, or takes it back).
    private func perform(_ command: Command, context: ExecutionContext, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        switch command {
        case .load(let paths, let encoding, let splitAt):
            try load(paths, encoding: encoding, splitAt: splitAt, context: context, emit: emit)
        case .docs: emit(.documents(documentRows()))
        case .open(let selector): try open(selector, emit: emit)
        case .stepParagraph(let forward, let filter): try stepParagraph(forward: forward, filter, emit: emit)
        case .paras(let filter): try paras(filter, emit: emit)
        case .show(.disagreement(let number)): emit(try disagreementView(number))
        case .show(let target): emit(.text(try view(target)))
        case .find(let pattern, let corpus): try find(pattern, corpus: corpus, emit: emit)
        case .tag(let label, let target): try tag(label, target: target, command: command, emit: emit)
        case .tagAll(let label, let pattern, let corpus):
            try tagAll(label, pattern: pattern, corpus: corpus, command: command, emit: emit)
        case .untag(let ids): try untag(ids, command: command, emit: emit)
        case .relabel(let id, let label): try relabel(id, label, command: command, emit: emit)
        case .note(let id, let text): try note(id, text, command: command, emit: emit)
        case .classify(let label, let unit): try classify(label, unit, add: true, command: command, emit: emit)
        case .unclassify(let label, let unit): try classify(label, unit, add: false, command: command, emit: emit)
        case .spans(let label, let pattern, let corpus): try spans(label, matching: pattern, corpus: corpus, emit: emit)
        case .suggest(let labels, let corpus): try suggest(labels, corpus: corpus, command: command, emit: emit)
        case .suggestions(let label): emit(.lines(try suggestionLines(label)))
        case .accept(let target, let label, let asLabel, let at):
            try accept(target, label: label, asLabel: asLabel, at: at, command: command, emit: emit)
        case .reject(let target, let label): try reject(target, label: label, command: command, emit: emit)
        case .review: preconditionFailure("review is handled by execute: its decisions are commands of their own")
        case .adjudicate:
            preconditionFailure("adjudicate is handled by execute: its decisions are commands of their own")
        case .merge(let paths, let strategy):
            try merge(paths, strategy: strategy, command: command, context: context, emit: emit)
        case .conflicts(let label): emit(.lines(try conflictLines(label)))
        case .resolve(let number, let decision): try resolve(number, decision, command: command, emit: emit)
        case .conflict(let document, let range, let versions):
            try addConflict(document, range: range, versions: versions, command: command, emit: emit)
        case .labels: emit(.labels(labelRows()))
        case .orphans:
            emit(
                session.orphans.isEmpty
                    ? .message(Wording.noOrphans) : .spans(session.orphans.map { spanRow($0, placed: false) }))
        case .labelAdd(let label): try addLabel(label, command: command, emit: emit)
        case .schema(let path): try mergeTagSet(path, context: context, emit: emit)
        case .undo(let count): try undoOrRedo(count, undoing: true, emit: emit)
        case .redo(let count): try undoOrRedo(count, undoing: false, emit: emit)
        case .save(let path): try save(path, context: context, emit: emit)
        case .export(let options): try export(options, context: context, emit: emit)
        case .stats(let options): emit(.stats(statsFigures(), options))
        case .report(let options): try report(options, context: context, emit: emit)
        case .agree(let request): try agree(request, context: context, emit: emit)
        case .history: emit(.lines(historyLines(base: context.baseDirectory)))
        case .run: preconditionFailure("run is handled by ScriptRunner")
        case .help(let topic): emit(.lines(try Help.lines(for: topic)))
        case .quit: break
        }
    }
}
