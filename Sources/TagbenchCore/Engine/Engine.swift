#if canImport(Glibc)
import Glibc
#endif

/// Where a command runs: the folder relative paths resolve against, and its place in a script.
public struct ExecutionContext: Sendable {
    /// Relative paths in the command resolve against this absolute folder.
    public var baseDirectory: String
    /// The script's name as the user gave it, or `<stdin>` / `<repl>`.
    public var file: String
    /// The line in that file.
    public var line: Int
    /// Absolute paths of the scripts being run, outermost first (to refuse recursion).
    public var scriptStack: [String] = []

    /// Makes a context.
    public init(baseDirectory: String, file: String, line: Int) {
        self.baseDirectory = baseDirectory
        self.file = file
        self.line = line
    }
}

/// Who annotates and what time it is, supplied by the caller so the core reads no environment.
public struct Annotator: Sendable {
    /// The annotator's name, written with each annotation.
    public var name: String
    /// Fixed seconds since 1970 (`SOURCE_DATE_EPOCH`), or nil for the clock.
    public var fixedTime: Int?

    /// Makes an annotator.
    public init(name: String, fixedTime: Int? = nil) {
        self.name = name
        self.fixedTime = fixedTime
    }

    /// The time to write now.
    public func now() -> String { Timestamp.iso8601(fixedTime ?? Timestamp.now()) }
}

/// Applies commands to a session: the whole behaviour of the command language, with no terminal.
public final class Engine {
    /// The session being edited.
    public private(set) var session: Session
    /// The absolute path of the session file, if it has one.
    public private(set) var sessionPath: String?
    /// The current document's index.
    public private(set) var current: Int?
    /// Whether there are changes not yet saved.
    public private(set) var isDirty = false
    /// In a `tagbench run` transaction, `save` is remembered and done by the caller at the end.
    public var defersSaves = false
    /// Opened with `--read-only`: the session file itself is never written (another process may own it).
    public var isReadOnly = false
    /// The path a deferred `save` named (the session path when it named none).
    public private(set) var pendingSave: String?
    /// Who annotates.
    public var annotator: Annotator
    /// Shown the progress of corpus-wide commands, and asked whether to stop them.
    public var monitor: ProgressMonitor?
    /// Seconds a regular-expression search may run where no monitor can stop it (a script, piped
    /// input): then it fails with `regexTooSlow` (`WatchedSearch`).
    public var regexTimeLimit: Double = 20
    /// Where regular-expression searches run: on a watched thread unless the command line gives
    /// a runner that can end a search at once.
    public var regexRunner: any RegexRunner = WatchedSearch()

    /// The journal, once attached: every change is on disk before it is reported done.
    public private(set) var journal: Journal?
    /// The one-writer lock of the session file, held by this engine's caller and moved by a
    /// `save` to another path; checked before each write of the session's files.
    public var lock: SessionLock?
    /// Every change to the session's files goes through this (a test fails or stops it at will).
    public var files: FileOperations = SystemFileOperations.shared
    /// The SHA-256 of the saved state the journal follows: the session file, or the checkpoint
    /// (nil: no file yet).
    private var baseHash: FileHashing?
    /// Set when the journal on disk follows another saved state than the one opened.
    private var journalIsStale = false
    /// How many log entries are already in the saved session or the journal.
    private var journaledLogCount = 0
    /// Counts saves and checkpoints: each starts a new journal.
    private var epoch = 0
    /// Set when an undo or redo crossed into an earlier epoch: the journal cannot express it.
    private var needsCheckpoint = false
    /// Set when replaying the journal on open stopped at a command that failed.
    private var recoveryStopped = false

    /// The SHA-256 of the session file as last read or written (hashed in the background).
    private var savedFileHash: FileHashing?
    /// Corpus matches found ahead for literal bulk tags (see `prefetchCorpusMatches`).
    private var prefetched: PrefetchedMatches?
    private var undoStack: [UndoStep] = []
    private var redoStack: [UndoStep] = []
    private var lastFind: (pattern: Pattern, corpus: Bool, document: Int?, hits: [(Int, TextRange)], logged: Bool)?
    /// The current document as a replay of the log would have it; nil when unknown.
    private var loggedCurrent: Int?

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
    public static func open(path: String, displayPath: String, annotator: Annotator) throws(TagbenchError) -> (Engine, [String]) {
        // The real file: an alias (a link, a linked folder) has the same lock, journal and file.
        let path = FileSystem.resolvingLinks(path)
        let engine = Engine(annotator: annotator, sessionPath: path)
        // A checkpoint is read in place of the session: one that is a link is not tagbench's.
        if FileSystem.isLink(Journal.checkpointPath(for: path)) { throw .unsafeSideFile(Journal.checkpointPath(for: path)) }
        switch FileSystem.kind(of: path) {
        case .missing where FileSystem.kind(of: Journal.checkpointPath(for: path)) != .file:
            let warnings = engine.recover(path: path, displayPath: displayPath)
            return (engine, warnings)
        case .directory:
            throw .unreadable(displayPath, reason: "it is a directory")
        default:
            break
        }
        let checkpoint = Journal.checkpointPath(for: path)
        var fromCheckpoint = FileSystem.kind(of: checkpoint) == .file
        if fromCheckpoint, FileSystem.kind(of: path) == .file, let follows = Journal.read(sessionPath: path)?.follows,
           let saved = try? FileSystem.read(path, regularOnly: true), FileHashing(bytes: saved).wait() == follows {
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
        let (session, report) = try SessionCodec.decode(bytes, path: path, displayPath: displayPath, knownHashes: cacheReading.wait())
        engine.session = session
        var warnings: [String] = []
        if fromCheckpoint {
            engine.isDirty = true
            warnings.append("recovered \(displayPath) from the checkpoint of unsaved changes beside it")
        }
        for id in report.missing {
            let d = session.documents[session.documentIndex(id: id)!]
            let kept = "its \(Format.count(session.annotationCount(inDocument: session.documentIndex(id: id)!), "annotation")) are kept"
            if let reason = report.unreadable[id] { warnings.append("document \(id) cannot be read: \(reason); \(kept)") }
            else { warnings.append("document \(id) is missing (\(d.path)); \(kept)") }
        }
        for change in report.changed {
            engine.isDirty = true
            warnings.append("document \(change.document) changed since it was annotated: \(Format.count(change.kept, "span")) still in place, "
                + "\(change.moved) moved with their text, \(change.orphaned) orphaned" + (change.orphaned > 0 ? " (orphans lists them; exports leave them out)" : "")
                + (change.categoriesByNumber > 0 ? "; \(Format.count(change.categoriesByNumber, "category label")) on paragraphs or sentences kept by number: check them" : "")
                + (change.categoriesDropped > 0 ? "; \(Format.count(change.categoriesDropped, "category label")) dropped (the unit is gone)" : ""))
        }
        if !session.documents.isEmpty { engine.current = 0 }
        engine.journaledLogCount = session.log.count
        warnings += engine.recover(path: path, displayPath: displayPath)
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
    public func execute(_ command: Command, context: ExecutionContext, emit: (OutputItem) -> Void) throws(LocatedError) {
        do throws(TagbenchError) {
            let before = journal == nil ? nil : EngineState(self)
            try perform(command, context: context, emit: emit)
            do throws(TagbenchError) {
                try writeJournal()
            } catch {
                // Not on disk, so not done: taken back, so that what is in memory is what a
                // recovery would rebuild (the ids it gave are given again).
                if let before { rollBack(to: before) }
                throw error
            }
        } catch {
            throw LocatedError(file: context.file, line: context.line, error: error)
        }
    }

    /// What a command may change, kept before it runs so it can be taken back when its journal
    /// record cannot be written.
    private struct EngineState {
        var undoStack: [UndoStep]
        var redoStack: [UndoStep]
        var logCount: Int
        var isDirty: Bool
        var current: Int?
        var loggedCurrent: Int?
        var lastFind: (pattern: Pattern, corpus: Bool, document: Int?, hits: [(Int, TextRange)], logged: Bool)?
        var needsCheckpoint: Bool
        var nextNumber: Int
        var nextSuggestion: Int

        init(_ engine: Engine) {
            undoStack = engine.undoStack
            redoStack = engine.redoStack
            logCount = engine.session.log.count
            isDirty = engine.isDirty
            current = engine.current
            loggedCurrent = engine.loggedCurrent
            lastFind = engine.lastFind
            needsCheckpoint = engine.needsCheckpoint
            nextNumber = engine.session.nextNumber
            nextSuggestion = engine.session.suggestions.nextNumber
        }
    }

    /// Undoes in memory what ran since `state` was taken: a new step is undone, steps an `undo`
    /// moved to the redo stack are redone, steps a `redo` moved back are undone again.
    private func rollBack(to state: EngineState) {
        let common = zip(state.undoStack, undoStack).prefix { $0.summary == $1.summary && $0.epoch == $1.epoch }.count
        // Steps on the undo stack now that were not there before: done by this command.
        for step in undoStack[common...].reversed() { for change in step.changes.reversed() { apply(change, forward: false) } }
        // Steps that were on the undo stack before and are not now: undone by this command.
        for step in state.undoStack[common...] { for change in step.changes { apply(change, forward: true) } }
        undoStack = state.undoStack
        redoStack = state.redoStack
        session.log.removeSubrange(state.logCount...)
        isDirty = state.isDirty
        current = state.current
        loggedCurrent = state.loggedCurrent
        lastFind = state.lastFind
        needsCheckpoint = state.needsCheckpoint || (journal?.isDamaged ?? false)
        session.nextNumber = state.nextNumber
        session.suggestions.nextNumber = state.nextSuggestion
        prefetched = nil
    }

    // MARK: Journal

    /// Starts journaling changes beside the session file (which must have a path).
    public func attachJournal() throws(TagbenchError) {
        guard let sessionPath else { throw .noSessionPath }
        let path = Journal.path(for: sessionPath)
        if recoveryStopped, FileSystem.kind(of: path) == .file {
            // Keep what could not be replayed, out of the way of the new journal.
            _ = files.rename(path, path + ".failed-\(Timestamp.now())")
            recoveryStopped = false
        }
        let mode = FileSystem.sideFileMode(for: sessionPath)
        journal = try Journal(sessionPath: sessionPath, mode: mode, files: files)
        if journalIsStale {
            // Its commands are all in the saved file: it starts afresh.
            try journal?.reset()
            journalIsStale = false
        }
        removeLeftovers()
    }

    /// Removes the temporary files that saves of this session killed outright left behind (of
    /// the session, its checkpoint and its hash cache). Only for its one writer, holding its
    /// lock: then no save of it is under way.
    public func removeLeftovers() {
        guard let sessionPath, !isReadOnly else { return }
        for path in [sessionPath, Journal.checkpointPath(for: sessionPath), HashCache.path(for: sessionPath)] {
            FileSystem.removeStaleTemporaries(of: path, files: files)
        }
    }

    /// Forgets the unsaved changes on disk too (the user chose to leave without saving them).
    public func discardJournal() {
        guard let sessionPath, !isReadOnly else { return }
        do {
            try lock?.verify()
        } catch {
            // Another process writes this session now: the journal is its own.
            journal = nil
            return
        }
        try? journal?.reset()
        _ = files.unlink(Journal.path(for: sessionPath))
        _ = files.unlink(Journal.checkpointPath(for: sessionPath))
        journal = nil
    }

    /// Appends what the last command logged, or writes a checkpoint when an undo or redo reached
    /// past the journal's start.
    private func writeJournal() throws(TagbenchError) {
        guard let journal, let sessionPath else {
            journaledLogCount = session.log.count
            return
        }
        guard session.log.count > journaledLogCount || needsCheckpoint else { return }
        try lock?.verify()
        if needsCheckpoint || journal.isDamaged {
            try writeCheckpoint()
            return
        }
        let fresh = Array(session.log[journaledLogCount...])
        try journal.append(fresh, directory: Paths.directory(of: sessionPath), follows: self.baseHash?.wait() ?? "")
        journaledLogCount = session.log.count
    }

    /// Snapshots the session beside it and empties the journal, which continues from the snapshot.
    private func writeCheckpoint() throws(TagbenchError) {
        guard let journal, let sessionPath else { return }
        let hashing = try writeEncoded(to: Journal.checkpointPath(for: sessionPath), relativeTo: sessionPath,
                                       mode: FileSystem.sideFileMode(for: sessionPath), replacingMode: true)
        // From here the checkpoint holds everything: a journal not emptied follows an older
        // state, and is not replayed on it.
        baseHash = hashing
        startEpoch()
        try journal.reset()
    }

    /// After a save or checkpoint: a replay starts from a freshly opened session.
    private func startEpoch() {
        epoch += 1
        needsCheckpoint = false
        journaledLogCount = session.log.count
        loggedCurrent = nil
        lastFind?.logged = false
    }

    /// Replays the journal of the session at `path` (absolute) into this engine; returns what to tell the user.
    private func recover(path: String, displayPath: String) -> [String] {
        guard let contents = Journal.read(sessionPath: path) else { return [] }
        if let follows = contents.follows, follows != (baseHash?.wait() ?? "") {
            // Left by a process killed after it saved and before it emptied the journal: the
            // saved file already holds every command in it.
            journalIsStale = true
            return contents.commands.isEmpty ? [] : ["the journal of \(displayPath) follows an earlier save, which holds its \(Format.count(contents.commands.count, "command")); nothing to recover"]
        }
        let context = ExecutionContext(baseDirectory: Paths.directory(of: path), file: Paths.fileName(of: Journal.path(for: path)), line: 0)
        var recovered = 0
        var messages: [String] = []
        var details: [String] = []
        for (i, line) in contents.commands.enumerated() {
            var lineContext = context
            lineContext.line = i + 1
            do throws(LocatedError) {
                let parsed: Command?
                do { parsed = try CommandParser.parse(line) } catch {
                    throw LocatedError(file: lineContext.file, line: lineContext.line, column: error.column, error: error.error)
                }
                guard let command = parsed else { continue }
                // A journal holds only state changes and the open/find they need: anything else
                // (save, export, run) is refused, so a journal cannot make tagbench write anywhere.
                guard command.belongsInJournal else {
                    throw LocatedError(file: lineContext.file, line: lineContext.line,
                                       error: .invalidSession(path: lineContext.file, reason: "\"\(line)\" does not belong in a journal"))
                }
                var loaded: [String] = []
                try execute(command, context: lineContext, emit: { item in
                    if case .load = command, case .message(let text) = item { loaded.append(text) }
                })
                recovered += 1
                if !loaded.isEmpty { details.append("\(line): " + loaded.joined(separator: "; ")) }
            } catch {
                recoveryStopped = true
                messages.append("the journal's command \(i + 1) (\(line)) failed: \(error.error.message); what follows it was not recovered and is kept in \(Paths.fileName(of: Journal.path(for: path))).failed-…")
                break
            }
        }
        journaledLogCount = session.log.count
        if recovered > 0 { isDirty = true }
        messages.insert("recovered \(Format.count(recovered, "command")) from the journal of \(displayPath) (not saved yet)"
                        + (contents.torn ? "; its last record was cut mid-write and was dropped" : ""), at: 0)
        messages.insert(contentsOf: details.map { "recovered " + $0 }, at: 1)
        return messages
    }

    private func perform(_ command: Command, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        switch command {
        case .load(let paths, let encoding):
            prefetched = nil
            try load(paths, encoding: encoding, context: context, emit: emit)
        case .docs: emit(.documents(documentRows()))
        case .open(let selector): try open(selector, emit: emit)
        case .show(let target): emit(.text(try view(target)))
        case .find(let pattern, let corpus): try find(pattern, corpus: corpus, emit: emit)
        case .tag(let label, let target): try tag(label, target: target, command: command, emit: emit)
        case .tagAll(let label, let pattern, let corpus): try tagAll(label, pattern: pattern, corpus: corpus, command: command, emit: emit)
        case .untag(let ids): try untag(ids, command: command, emit: emit)
        case .relabel(let id, let label): try relabel(id, label, command: command, emit: emit)
        case .note(let id, let text): try note(id, text, command: command, emit: emit)
        case .classify(let label, let unit): try classify(label, unit, add: true, command: command, emit: emit)
        case .unclassify(let label, let unit): try classify(label, unit, add: false, command: command, emit: emit)
        case .spans(let label, let corpus): try spans(label, corpus: corpus, emit: emit)
        case .suggest(let labels, let corpus): try suggest(labels, corpus: corpus, command: command, emit: emit)
        case .suggestions(let label): emit(.lines(try suggestionLines(label)))
        case .accept(let target, let label, let asLabel, let at): try accept(target, label: label, asLabel: asLabel, at: at, command: command, emit: emit)
        case .reject(let target, let label): try reject(target, label: label, command: command, emit: emit)
        case .review: throw .needsTerminal("review")
        case .labels: emit(.labels(labelRows()))
        case .orphans:
            emit(session.orphans.isEmpty ? .message("no orphans") : .spans(session.orphans.map(spanRow)))
        case .labelAdd(let label): try addLabel(label, command: command, emit: emit)
        case .schema(let path): try mergeTagSet(path, context: context, emit: emit)
        case .undo(let n):
            prefetched = nil
            try undo(n, emit: emit)
        case .redo(let n):
            prefetched = nil
            try redo(n, emit: emit)
        case .save(let path): try save(path, context: context, emit: emit)
        case .export(let options): try export(options, context: context, emit: emit)
        case .stats: emit(.lines(statsLines()))
        case .history: emit(.lines(historyLines(base: context.baseDirectory)))
        case .run: preconditionFailure("run is handled by ScriptRunner")
        case .help(let topic): emit(.lines(try Help.lines(for: topic)))
        case .quit: break
        }
    }

    // MARK: Documents

    private func load(_ arguments: [String], encoding: TextEncoding, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        // Read while the arguments are listed; used below.
        let cacheReading = sessionPath.map { HashCache.reading(for: $0) }
        var files: [(absolute: String, display: String)] = []
        var imports: [(absolute: String, display: String, kind: AnnotatedDataReader.Kind)] = []
        for argument in arguments {
            let absolute = Paths.absolute(argument, base: context.baseDirectory)
            if FileSystem.isGlob(argument) && FileSystem.kind(of: absolute) == .missing {
                let matches = FileSystem.glob(absolute).filter { FileSystem.kind(of: $0) == .file }
                if matches.isEmpty { throw .fileNotFound(argument) }
                for match in matches {
                    if let kind = AnnotatedDataReader.kind(of: match) { imports.append((match, match, kind)) } else { files.append((match, match)) }
                }
                continue
            }
            if let kind = AnnotatedDataReader.kind(of: absolute) {
                imports.append((absolute, argument, kind))
                continue
            }
            switch FileSystem.kind(of: absolute) {
            case .missing: throw .fileNotFound(argument)
            case .directory:
                let names = try FileSystem.listFiles(absolute).filter { Paths.fileExtension(of: $0) == "txt" }
                if names.isEmpty { throw .noTextFiles(directory: argument) }
                files += names.map { (absolute + "/" + $0, (argument.hasSuffix("/") ? argument : argument + "/") + $0) }
            case .other:
                // A FIFO or device would block or never end: only regular files are documents.
                throw .unreadable(argument, reason: "not a regular file")
            case .file:
                files.append((absolute, argument))
            }
        }
        // Ids first (they depend on order), then read and check every file, on every core, before
        // adding anything, so an error changes nothing.
        var known = Set(session.documents.map(\.path))
        var pending: [(absolute: String, display: String, id: String)] = []
        var skipped = 0
        var pendingIDs = Set<String>()
        for file in files {
            if known.contains(file.absolute) { skipped += 1; continue }
            known.insert(file.absolute)
            try Names.check(Paths.stem(of: file.absolute), as: "document id (from file \(file.display))")
            let id = session.uniqueID(for: Paths.stem(of: file.absolute), avoiding: pendingIDs)
            pendingIDs.insert(id)
            pending.append((file.absolute, file.display, id))
        }
        // A file hashed for this session before (its hash cache, kept by the last save) and
        // unchanged since is not hashed again: a script that rebuilds a session from the same
        // corpus hashes only what changed.
        let knownHashes = cacheReading?.wait()
        let loaded = Parallel.map(pending.count) { i -> Result<Document, TagbenchError> in
            Result { () throws(TagbenchError) -> Document in
                try DocumentReader.document(id: pending[i].id, path: pending[i].absolute, displayPath: pending[i].display, encoding: encoding,
                                            hashLater: true, knownHashes: knownHashes)
            }
        }
        var added: [Document] = []
        added.reserveCapacity(loaded.count)
        for (i, result) in loaded.enumerated() {
            let document = try result.get()
            if document.bytes.isEmpty { emit(.warning("\(pending[i].display) is empty; loaded as \(document.id) with no text")) }
            added.append(document)
        }
        var imported: [ImportedDocument] = []
        var declaredLabels: [String] = []
        var importedFrom: [String] = []
        for file in imports {
            if known.contains(file.absolute) { skipped += 1; continue }
            known.insert(file.absolute)
            let read = try AnnotatedDataReader.read(file.absolute, displayPath: file.display, kind: file.kind)
            for warning in read.warnings { emit(.warning(warning)) }
            imported += read.documents
            declaredLabels += read.labels
            importedFrom.append(file.display)
        }
        if skipped > 0 { emit(.message("\(skipped) already loaded, skipped")) }
        guard !added.isEmpty || !imported.isEmpty else { return }
        var changes: [Change] = []
        var importSummary: String?
        if !imported.isEmpty {
            let result = try prepareImport(imported, declaring: declaredLabels, avoiding: pendingIDs, emit: emit)
            added += result.documents
            importSummary = "imported \(Format.count(result.documents.count, "document")), "
                + "\(Format.count(result.annotations.count, "span")), \(Format.count(result.categories.count, "category", plural: "categories")) from \(importedFrom.joined(separator: ", "))"
                + (result.labels.isEmpty ? "" : "; labels added: " + result.labels.map(\.name).joined(separator: ", "))
            changes = [.addedLabels(result.labels), .addedDocuments(added), .addedAnnotations(result.annotations)]
                + result.categories.map { .addedCategory($0) } + (result.rejected.isEmpty ? [] : [.importedRejections(result.rejected)])
            if let last = result.rejected.last { session.suggestions.nextNumber = max(session.suggestions.nextNumber, last.number + 1) }
        } else {
            changes = [.addedDocuments(added)]
        }
        // The same changes undo and redo replay: applied once here.
        for change in changes { apply(change, forward: true) }
        let firstNew = session.documents.count - added.count
        if current == nil { current = firstNew }
        let characters = added.reduce(0) { $0 + $1.length }
        let converted = added.filter { $0.encoding != .utf8 }
        if !converted.isEmpty {
            emit(.message("read as " + Dictionary(grouping: converted, by: \.encoding).map { "\($0.key.rawValue): \($0.value.count)" }.sorted().joined(separator: ", ")))
        }
        push(UndoStep(summary: CommandRenderer.render(.load(arguments, encoding: encoding)), changes: changes),
             log: .load(arguments.map { Paths.absolute($0, base: context.baseDirectory) }, encoding: encoding))
        loggedCurrent = nil
        if let importSummary { emit(.message(importSummary)) }
        emit(.message("loaded \(Format.count(added.count, "document")) (\(Format.grouped(characters)) characters): "
            + (added.count <= 3 ? added.map(\.id).joined(separator: ", ") : "\(added[0].id) … \(added[added.count - 1].id)")))
    }

    /// Imported documents made ready to add: unique ids, labels the tag set lacks, annotations
    /// numbered from the next free id (identical spans once), category labels on their units.
    /// Nothing is changed here, so an error leaves the session as it was.
    private func prepareImport(_ imported: [ImportedDocument], declaring declared: [String], avoiding taken: Set<String>, emit: (OutputItem) -> Void) throws(TagbenchError)
        -> (documents: [Document], labels: [Label], annotations: [Annotation], categories: [CategoryAnnotation], rejected: [Suggestion]) {
        var newLabels: [Label] = []
        var newIndex: [String: Int] = [:]
        func labelIndex(_ name: String, kind: LabelKind) throws(TagbenchError) -> Int {
            if let i = session.tagSet.index(of: name) {
                guard session.tagSet.labels[i].kind == kind else { throw .wrongLabelKind(label: name, expected: kind, command: "load") }
                return i
            }
            if let k = newIndex[name] {
                guard newLabels[k].kind == kind else { throw .wrongLabelKind(label: name, expected: kind, command: "load") }
                return session.tagSet.labels.count + k
            }
            try Names.checkLabel(name)
            var label = Label(name: name)
            label.kind = kind
            label.colour = Label.palette[(session.tagSet.labels.count + newLabels.count) % Label.palette.count]
            newIndex[name] = newLabels.count
            newLabels.append(label)
            return session.tagSet.labels.count + newLabels.count - 1
        }
        for name in declared { _ = try labelIndex(name, kind: .span) }
        var documents: [Document] = []
        var annotations: [Annotation] = []
        var categories: [CategoryAnnotation] = []
        var ids = taken
        var keys = Set<SpanKey>()
        var number = session.nextNumber
        let time = annotator.now()
        var renamed = 0
        var unitsMissing = 0
        var rejected: [Suggestion] = []
        var suggestionNumber = session.suggestions.nextNumber
        for item in imported {
            let id = session.uniqueID(for: item.id, avoiding: ids)
            ids.insert(id)
            var document = item.document
            if id != item.id {
                renamed += 1
                let copy = Document(id: id, path: document.path, bytes: document.bytes, sha256: document.sha256)
                copy.origin = document.origin
                document = copy
            }
            let d = session.documents.count + documents.count
            documents.append(document)
            for span in item.spans {
                let a = Annotation(number: number, document: d, range: span.range, label: try labelIndex(span.label, kind: .span),
                                   text: document.text(span.range), note: span.note, source: "import", annotator: annotator.name, time: time)
                guard keys.insert(SpanKey(a)).inserted else { continue }
                annotations.append(a)
                number += 1
            }
            for r in item.rejected {
                rejected.append(Suggestion(number: suggestionNumber, document: d, range: r.range, label: try labelIndex(r.label, kind: .span),
                                           text: document.text(r.range), source: "import"))
                suggestionNumber += 1
            }
            for c in item.categories {
                let label = try labelIndex(c.label, kind: .category)
                let range: TextRange?
                switch c.unit {
                case .doc: range = c.index == 1 ? TextRange(0, document.length) : nil
                case .para: range = c.index >= 1 && c.index <= document.paragraphs.count ? document.paragraphs[c.index - 1] : nil
                case .sent: range = c.index >= 1 && c.index <= document.sentences.count ? document.sentences[c.index - 1].range : nil
                }
                guard let range else { unitsMissing += 1; continue }
                let entry = CategoryAnnotation(document: d, unit: c.unit, index: c.index, range: range, label: label, annotator: annotator.name, time: time)
                if !categories.contains(where: { $0.sameTarget(entry) }) { categories.append(entry) }
            }
        }
        if renamed > 0 { emit(.message("\(renamed) imported document id\(renamed == 1 ? " was" : "s were") taken; made unique with -2, -3, …")) }
        if unitsMissing > 0 { emit(.warning("\(Format.count(unitsMissing, "category label")) \(unitsMissing == 1 ? "names" : "name") a paragraph or sentence the text does not have; left out")) }
        return (documents, newLabels, annotations, categories, rejected)
    }

    private func documentRows() -> [DocumentRow] {
        session.documents.enumerated().map { i, d in
            DocumentRow(number: i + 1, id: d.id, characters: d.length, annotations: session.annotationCount(inDocument: i),
                        isCurrent: i == current, isMissing: d.isMissing)
        }
    }

    /// The index of the document a user names by id or number.
    public func resolveDocument(_ name: String) throws(TagbenchError) -> Int {
        if let i = session.documentIndex(id: name) { return i }
        if let n = Int(name), n >= 1, n <= session.documents.count { return n - 1 }
        throw .unknownDocument(name, suggestion: NameSuggester.nearest(to: name, among: session.documents.map(\.id)))
    }

    private func open(_ selector: DocumentSelector, emit: (OutputItem) -> Void) throws(TagbenchError) {
        guard !session.documents.isEmpty else { throw .noDocuments }
        let target: Int
        switch selector {
        case .name(let name): target = try resolveDocument(name)
        case .next:
            guard let c = current else { target = 0; break }
            guard c + 1 < session.documents.count else { emit(.message("already at the last document")); return }
            target = c + 1
        case .previous:
            guard let c = current else { target = 0; break }
            guard c > 0 else { emit(.message("already at the first document")); return }
            target = c - 1
        }
        current = target
        let d = session.documents[target]
        emit(.message("\(target + 1) \(d.id): \(Format.count(d.length, "character")), \(Format.count(d.paragraphs.count, "paragraph")), "
            + "\(Format.count(d.sentences.count, "sentence")), \(Format.count(session.annotationCount(inDocument: target), "annotation"))"
            + (d.isMissing ? " (file missing)" : "")))
    }

    private func requireCurrent() throws(TagbenchError) -> Int {
        guard let c = current else { throw .noCurrentDocument }
        let d = session.documents[c]
        if d.isMissing { throw .documentMissing(id: d.id, path: d.path) }
        return c
    }

    // MARK: Viewing

    private func view(_ target: ShowTarget) throws(TagbenchError) -> TextView {
        let c = try requireCurrent()
        let d = session.documents[c]
        var lines: [TextLine] = []
        var shownUnits: [(UnitKind, Int)] = [(.doc, 1)]
        switch target {
        case .document:
            for (i, p) in d.paragraphs.enumerated() { lines.append(TextLine(start: p.start, text: d.text(p), paragraph: i + 1)) }
            shownUnits += d.paragraphs.indices.map { (.para, $0 + 1) }
        case .paragraph(let n):
            let p = try paragraph(n, of: d)
            lines.append(TextLine(start: p.start, text: d.text(p), paragraph: n))
            shownUnits.append((.para, n))
        case .sentence(let n):
            let s = try sentence(n, of: d)
            lines.append(TextLine(start: s.range.start, text: d.text(s.range), paragraph: s.paragraph))
            shownUnits.append((.sent, n))
        case .paragraphs(let n, let m):
            for k in n...m {
                let p = try paragraph(k, of: d)
                lines.append(TextLine(start: p.start, text: d.text(p), paragraph: k))
                shownUnits.append((.para, k))
            }
        case .sentences(let n, let m):
            let first = try sentence(n, of: d), last = try sentence(m, of: d)
            let r = TextRange(first.range.start, last.range.end)
            for (i, p) in d.paragraphs.enumerated() where p.overlaps(r) {
                let piece = TextRange(max(p.start, r.start), min(p.end, r.end))
                lines.append(TextLine(start: piece.start, text: d.text(piece), paragraph: i + 1))
            }
            shownUnits += (n...m).map { (.sent, $0) }
        case .range(let r):
            try checkRange(r, in: d)
            for (i, p) in d.paragraphs.enumerated() where p.overlaps(r) {
                let piece = TextRange(max(p.start, r.start), min(p.end, r.end))
                lines.append(TextLine(start: piece.start, text: d.text(piece), paragraph: i + 1))
            }
        }
        let shownRange = lines.isEmpty ? TextRange(0, 0) : TextRange(lines[0].start, lines[lines.count - 1].start + lines[lines.count - 1].text.unicodeScalars.count)
        let spans = session.annotations(inDocument: c).filter { $0.range.overlaps(shownRange) }.map(spanRow)
        let labels = session.tagSet.labels
        let categories = session.categories(inDocument: c).filter { cat in
            target == .document || shownUnits.contains { $0.0 == cat.unit && $0.1 == cat.index }
        }.map { cat in cat.unit == .doc ? "doc: \(labels[cat.label].name)" : "\(cat.unit.rawValue) \(cat.index): \(labels[cat.label].name)" }
        return TextView(document: d.id, lines: lines, spans: spans, categories: categories)
    }

    private func spanRow(_ a: Annotation) -> SpanRow {
        let label = session.tagSet.labels[a.label]
        return SpanRow(id: a.id, label: label.name, colour: label.colour, document: session.documents[a.document].id,
                       range: a.range, text: a.text, note: a.note)
    }

    private func paragraph(_ n: Int, of d: Document) throws(TagbenchError) -> TextRange {
        guard n >= 1 && n <= d.paragraphs.count else { throw .unitOutOfRange(unit: .para, number: n, count: d.paragraphs.count) }
        return d.paragraphs[n - 1]
    }

    private func sentence(_ n: Int, of d: Document) throws(TagbenchError) -> Sentence {
        guard n >= 1 && n <= d.sentences.count else { throw .unitOutOfRange(unit: .sent, number: n, count: d.sentences.count) }
        return d.sentences[n - 1]
    }

    private func checkRange(_ r: TextRange, in d: Document) throws(TagbenchError) {
        guard r.start < r.end, r.end <= d.length else { throw .offsetsOutOfRange(start: r.start, end: r.end, length: d.length) }
    }

    private func searchDocuments(corpus: Bool) throws(TagbenchError) -> [Int] {
        if corpus { return session.documents.indices.filter { !session.documents[$0].isMissing } }
        return [try requireCurrent()]
    }

    /// Every match in the documents, reporting progress and stopping (changing nothing) on Ctrl-C.
    private func matches(of search: TextSearch, in documents: [Int], task: String) throws(TagbenchError) -> [(Int, TextRange)] {
        var found: [(Int, TextRange)] = []
        if case .regex(let source) = search.pattern {
            let perDocument = try regexRunner.matches(of: [source], in: documents.map { session.documents[$0] }, task: task,
                                                      monitor: monitor, limit: regexTimeLimit)
            defer { if documents.count > 1 { monitor?.finished() } }
            for (k, d) in documents.enumerated() { for r in perDocument[k][0] { found.append((d, r)) } }
            return found
        }
        defer { if documents.count > 1 { monitor?.finished() } }
        for (i, d) in documents.enumerated() {
            if documents.count > 1, let monitor {
                if monitor.shouldStop { throw .interrupted(task) }
                monitor.progress(task, done: i, of: documents.count)
            }
            for r in search.matches(in: session.documents[d]) { found.append((d, r)) }
        }
        return found
    }

    private func find(_ pattern: Pattern, corpus: Bool, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let search = try TextSearch(pattern)
        let hits = try matches(of: search, in: try searchDocuments(corpus: corpus), task: "find \(pattern)")
        lastFind = (pattern, corpus, corpus ? nil : current, hits, false)
        let rows = hits.prefix(Self.hitDisplayLimit).enumerated().map { i, hit in
            hitRow(number: i + 1, document: hit.0, range: hit.1)
        }
        emit(.hits(rows, total: hits.count))
    }

    private func hitRow(number: Int, document: Int, range: TextRange) -> HitRow {
        let d = session.documents[document]
        let context = 12
        func flat(_ s: String) -> String { String(s.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 }) }
        return HitRow(number: number, document: d.id, range: range,
                      before: flat(d.text(TextRange(max(0, range.start - context), range.start))),
                      match: d.text(range),
                      after: flat(d.text(TextRange(range.end, min(d.length, range.end + context)))))
    }

    // MARK: Tagging

    private func spanLabel(_ name: String, for command: String) throws(TagbenchError) -> Int {
        let label = try session.tagSet.resolve(name)
        guard session.tagSet.labels[label].kind == .span else {
            throw .wrongLabelKind(label: session.tagSet.labels[label].name, expected: .span, command: command)
        }
        return label
    }

    private func tag(_ labelName: String, target: TagTarget, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let label = try spanLabel(labelName, for: "tag")
        var targets: [(Int, TextRange)] = []
        var usesFind = false
        switch target {
        case .hits(let a, let b):
            guard let found = lastFind else { throw .noFindResults }
            guard b <= found.hits.count else { throw .hitOutOfRange(number: b, count: found.hits.count) }
            targets = Array(found.hits[(a - 1)..<b])
            usesFind = true
        case .range(let r):
            let c = try requireCurrent()
            try checkRange(r, in: session.documents[c])
            targets = [(c, r)]
        case .text(let text, let occurrence):
            let c = try requireCurrent()
            let matches = try TextSearch(.literal(text)).matches(in: session.documents[c])
            if let k = occurrence {
                guard k >= 1 && k <= matches.count else { throw .occurrenceOutOfRange(text, occurrence: k, occurrences: matches.count) }
                targets = [(c, matches[k - 1])]
            } else {
                guard matches.count == 1 else { throw .textNotUnique(text, occurrences: matches.count) }
                targets = [(c, matches[0])]
            }
        case .sentence(let n):
            let c = try requireCurrent()
            targets = [(c, try sentence(n, of: session.documents[c]).range)]
        case .paragraph(let n):
            let c = try requireCurrent()
            targets = [(c, try paragraph(n, of: session.documents[c]))]
        }
        try addSpans(targets, label: label, source: "manual", command: command, usesFind: usesFind,
                     needsDocument: !usesFind, emit: emit)
    }

    private func tagAll(_ labelName: String, pattern: Pattern, corpus: Bool, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let label = try spanLabel(labelName, for: "tag")
        let search = try TextSearch(pattern)
        let targets: [(Int, TextRange)]
        if corpus, case .literal(let text) = pattern, let found = prefetched?.take(text, documents: session.documents.count) {
            targets = found
        } else {
            targets = try matches(of: search, in: try searchDocuments(corpus: corpus), task: "tag \(session.tagSet.labels[label].name) all \(pattern)")
        }
        if targets.isEmpty {
            emit(.message("no match for \(pattern)\(corpus ? " in the corpus" : " in \(currentDocument?.id ?? "")"); nothing tagged"))
            return
        }
        var literal: String?
        if case .literal(let text) = pattern { literal = text }
        try addSpans(targets, label: label, source: "all:\(pattern)", command: command, usesFind: false, needsDocument: !corpus,
                     coveredText: literal, emit: emit)
    }

    /// Finds every occurrence of several literal texts in the whole corpus in one pass per document
    /// (`TermMatcher`, documents on every core), for the `tag … all TEXT --corpus` lines a script
    /// is about to run one after another; each of them then takes its matches instead of searching.
    /// Nothing changes in the session; a stop (Ctrl-C) just leaves the lines to search themselves.
    public func prefetchCorpusMatches(of texts: [String]) {
        let texts = Array(Set(texts.filter { !$0.isEmpty })).sorted()
        guard texts.count >= 2 else { return }
        let matcher = TermMatcher(texts.map { Array($0.utf8) })
        let documents = session.documents
        // Each document's matches in one list (one array per text and document was a fifth of
        // the pass in allocations), sorted out by text afterwards.
        let perDocument = Parallel.map(documents.count) { d -> [(text: Int32, range: TextRange)] in
            var found: [(text: Int32, range: TextRange)] = []
            let document = documents[d]
            if document.isMissing { return found }
            document.bytes.withUnsafeBufferPointer { bytes in
                matcher.scan(bytes) { p, start, end in found.append((Int32(p), TextRange(start, end))) }
            }
            return found
        }
        var lists = Array(repeating: [(Int, TextRange)](), count: texts.count)
        var counts = Array(repeating: 0, count: texts.count)
        for found in perDocument { for hit in found { counts[Int(hit.text)] += 1 } }
        for p in lists.indices { lists[p].reserveCapacity(counts[p]) }
        for (d, found) in perDocument.enumerated() { for hit in found { lists[Int(hit.text)].append((d, hit.range)) } }
        var byText: [String: [(Int, TextRange)]] = [:]
        for (p, text) in texts.enumerated() { byText[text] = lists[p] }
        prefetched = PrefetchedMatches(documents: documents.count, byText: byText)
        // Room for all of them at once: growing the tables tag by tag copied them again each time.
        session.reserveCapacity(annotations: byText.values.reduce(0) { $0 + $1.count })
    }

    /// Adds spans as one step. `coveredText`, when every target covers the same known text (a
    /// literal pattern), saves finding each span's text in its document.
    private func addSpans(_ targets: [(Int, TextRange)], label: Int, source: String, command: Command,
                          usesFind: Bool, needsDocument: Bool, coveredText: String? = nil,
                          emit: (OutputItem) -> Void) throws(TagbenchError) {
        let time = annotator.now()
        let policy = session.tagSet.overlap
        var bulk = false
        if case .tagAll = command { bulk = true }
        if policy != .allow && !bulk {
            // One span, or chosen hits: anything in the way is an error, and nothing is added.
            for (k, (d, r)) in targets.enumerated() {
                if let a = session.spanInTheWay(of: r, inDocument: d, policy: policy), !(a.range == r && a.label == label) {
                    throw .overlapNotAllowed(policy: policy, span: "\(a.id) (\(session.tagSet.labels[a.label].name) \(a.range) \"\(a.text)\")")
                }
                if let other = targets[..<k].first(where: { $0.0 == d && !policy.permits($0.1, r) }) {
                    throw .overlapNotAllowed(policy: policy, span: "the target \(other.1)")
                }
            }
        }
        var added: [Annotation] = []
        var duplicates: [Annotation] = []
        // Numbered as inserted; an identical span (also among these targets) is left out.
        // The batch is numbered in place and becomes (part of) `added`: no second array.
        func insert(_ batch: inout [Annotation]) {
            let left = session.insert(contentsOf: &batch, numbering: true)
            duplicates += left.map { batch[$0] }
            if !left.isEmpty {
                let out = Set(left)
                batch = batch.indices.filter { !out.contains($0) }.map { batch[$0] }
            }
            // Taken as it is when it is the whole result (a bulk tag's 100,000 spans not copied again).
            if added.isEmpty { swap(&added, &batch) } else { added += batch }
        }
        var candidates: [Annotation] = []
        candidates.reserveCapacity(targets.count)
        var blocked = 0
        let name = annotator.name
        for (d, r) in targets {
            let a = Annotation(number: 0, document: d, range: r, label: label, text: coveredText ?? session.documents[d].text(r),
                               source: source, annotator: name, time: time)
            if bulk && policy != .allow {
                // Each span must be in place before the next is checked against the policy.
                if let other = session.spanInTheWay(of: r, inDocument: d, policy: policy), !(other.range == r && other.label == label) {
                    blocked += 1
                } else {
                    var one = [a]
                    insert(&one)
                }
                continue
            }
            candidates.append(a)
        }
        insert(&candidates)
        let labelName = session.tagSet.labels[label].name
        if blocked > 0 { emit(.message("\(Format.count(blocked, "match", plural: "matches")) skipped: the overlap policy (\(policy.rawValue)) does not allow them beside spans already there")) }
        if added.isEmpty && blocked > 0 && duplicates.isEmpty { return }
        if added.isEmpty {
            if duplicates.count == 1, let existing = existingSpan(like: duplicates[0]) {
                emit(.message("already tagged: \(existing.id) \(labelName) \(session.documents[existing.document].id) \(existing.range) \(existing.text); nothing added"))
            } else {
                emit(.message("all \(duplicates.count) spans already tagged \(labelName); nothing added"))
            }
            return
        }
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.addedAnnotations(added)]), log: command,
             usesFind: usesFind, needsDocument: needsDocument)
        if added.count <= 20 {
            emit(.spans(added.map(spanRow)))
        } else {
            // Counted with a flag per document: a set of a bulk tag's 100,000 document numbers
            // was a tenth of the tag.
            var seen = [Bool](repeating: false, count: session.documents.count)
            var docs = 0
            for i in added.indices where !seen[added[i].document] {
                seen[added[i].document] = true
                docs += 1
            }
            emit(.message("tagged \(Format.count(added.count, "span")) \(labelName) in \(Format.count(docs, "document")) (a\(added[0].number)–a\(added[added.count - 1].number))"))
        }
        if !duplicates.isEmpty { emit(.message("\(duplicates.count) already tagged \(labelName), skipped")) }
    }

    private func existingSpan(like a: Annotation) -> Annotation? {
        session.annotations(inDocument: a.document).first { $0.range == a.range && $0.label == a.label }
    }

    private func annotation(_ number: Int) throws(TagbenchError) -> Annotation {
        guard let a = session.annotation(number: number) else { throw .unknownAnnotation("a\(number)") }
        return a
    }

    private func untag(_ ids: [Int], command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var unique: [Int] = []
        for id in ids where !unique.contains(id) {
            _ = try annotation(id)
            unique.append(id)
        }
        let removed = session.remove(numbers: unique)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.removedAnnotations(removed)]), log: command)
        emit(.message("removed " + removed.map { "\($0.id) \(session.tagSet.labels[$0.label].name) \($0.text)" }.joined(separator: ", ")))
    }

    private func relabel(_ id: Int, _ labelName: String, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var a = try annotation(id)
        let label = try spanLabel(labelName, for: "relabel")
        let name = session.tagSet.labels[label].name
        if a.label == label { emit(.message("\(a.id) is already \(name)")); return }
        let old = a.label
        a.label = label
        if let existing = existingSpan(like: a) { throw .duplicateSpan(existing.id) }
        session.update(number: id, label: label)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.relabeled(number: id, from: old, to: label)]), log: command)
        emit(.message("\(a.id) \(session.tagSet.labels[old].name) → \(name)"))
    }

    private func note(_ id: Int, _ text: String, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let a = try annotation(id)
        if a.note == text { emit(.message("\(a.id) already has that note")); return }
        session.update(number: id, note: text)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.noted(number: id, from: a.note, to: text)]), log: command)
        emit(.message(text.isEmpty ? "\(a.id): note removed" : "\(a.id): note \(text)"))
    }

    private func classify(_ labelName: String, _ unit: UnitSelector, add: Bool, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let label = try session.tagSet.resolve(labelName)
        let name = session.tagSet.labels[label].name
        guard session.tagSet.labels[label].kind == .category else {
            throw .wrongLabelKind(label: name, expected: .category, command: add ? "classify" : "unclassify")
        }
        let c = try requireCurrent()
        let d = session.documents[c]
        let (kind, index, range): (UnitKind, Int, TextRange)
        switch unit {
        case .document: (kind, index, range) = (.doc, 1, TextRange(0, d.length))
        case .paragraph(let n): (kind, index, range) = (.para, n, try paragraph(n, of: d))
        case .sentence(let n): (kind, index, range) = (.sent, n, try sentence(n, of: d).range)
        }
        let entry = CategoryAnnotation(document: c, unit: kind, index: index, range: range, label: label,
                                       annotator: annotator.name, time: annotator.now())
        let unitText = kind == .doc ? d.id : "\(kind.rawValue) \(index) of \(d.id)"
        if add {
            if session.hasCategory(entry) { emit(.message("\(unitText) is already \(name)")); return }
            session.addCategory(entry)
            push(UndoStep(summary: CommandRenderer.render(command), changes: [.addedCategory(entry)]), log: command, needsDocument: true)
            emit(.message("\(unitText): \(name)"))
        } else {
            guard let removed = session.removeCategory(matching: entry) else { throw .categoryNotFound(label: name, unit: unitText) }
            push(UndoStep(summary: CommandRenderer.render(command), changes: [.removedCategory(removed)]), log: command, needsDocument: true)
            emit(.message("\(unitText): \(name) removed"))
        }
    }

    private func spans(_ labelName: String?, corpus: Bool, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let label = try labelName.map { (name: String) throws(TagbenchError) -> Int in try session.tagSet.resolve(name) }
        var rows: [SpanRow] = []
        if corpus || current == nil {
            for slot in session.annotationSlots {
                if let a = slot, label == nil || a.label == label { rows.append(spanRow(a)) }
            }
        } else {
            rows = session.annotations(inDocument: current!).filter { label == nil || $0.label == label }.map(spanRow)
        }
        emit(.spans(rows))
    }

    private func labelRows() -> [LabelRow] {
        session.tagSet.labels.enumerated().map { i, label in
            LabelRow(label: label, count: label.kind == .span ? (i < session.labelCounts.count ? session.labelCounts[i] : 0) : session.categoryCount(label: i))
        }
    }

    private func addLabel(_ label: Label, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let index = try session.tagSet.add(label)
        let added = session.tagSet.labels[index]
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.addedLabels([added])]), log: command)
        emit(.message("added \(added.kind.rawValue) label \(added.name)" + (added.aliases.isEmpty ? "" : " (alias \(added.aliases.joined(separator: ", ")))")))
    }

    private func mergeTagSet(_ path: String, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let absolute = Paths.absolute(path, base: context.baseDirectory)
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(absolute) } catch {
            if case .fileNotFound = error { throw .fileNotFound(path) }
            throw error
        }
        let file = try TagSetCodec.decode(bytes, displayPath: path)
        // Work on a copy so that an error part-way changes nothing.
        var tagSet = session.tagSet
        var added: [String] = []
        var updated = 0
        for label in file.labels {
            if let existing = tagSet.index(of: label.name), tagSet.labels[existing].name == label.name {
                let before = tagSet.labels[existing]
                guard before.kind == label.kind else {
                    throw .invalidTagSet(path: path, reason: "label \(label.name) is a \(label.kind.rawValue) label here but a \(before.kind.rawValue) label in the session")
                }
                for alias in label.aliases { try tagSet.addAlias(alias, to: existing) }
                try tagSet.update(existing, from: label)
                if tagSet.labels[existing] != before { updated += 1 }
            } else {
                try tagSet.add(label)
                added.append(label.name)
            }
        }
        tagSet.overlap = file.overlap
        // Labels the file leaves out are removed, unless something still uses them.
        let kept = Set(file.labels.map(\.name))
        let leftOut = Set(tagSet.labels.indices.filter { !kept.contains(tagSet.labels[$0].name) })
        let inUse = leftOut.sorted().compactMap { i -> String? in
            let uses = session.uses(ofLabel: i)
            return uses.isEmpty ? nil : "\(tagSet.labels[i].name) (\(uses))"
        }
        if !inUse.isEmpty { throw .labelsInUse(inUse.joined(separator: "; ")) }
        let removedNames = leftOut.sorted().map { tagSet.labels[$0].name }
        let (after, map) = tagSet.removing(leftOut)
        let before = session.tagSet
        guard !added.isEmpty || updated > 0 || !leftOut.isEmpty || before.overlap != after.overlap else {
            emit(.message("\(path): the tag set already has all \(file.labels.count) labels"))
            return
        }
        apply(.replacedTagSet(before: before, after: after, map: map), forward: true)
        push(UndoStep(summary: "schema \(path)", changes: [.replacedTagSet(before: before, after: after, map: map)]), log: .schema(absolute))
        var parts = ["\(Format.count(added.count, "label")) added" + (added.isEmpty ? "" : " (\(added.joined(separator: " ")))")]
        if updated > 0 { parts.append("\(updated) updated") }
        if !removedNames.isEmpty { parts.append("\(removedNames.count) unused removed (\(removedNames.joined(separator: " ")))") }
        if before.overlap != after.overlap { parts.append("overlap \(after.overlap.rawValue)") }
        emit(.message("\(path): " + parts.joined(separator: ", ")))
    }

    // MARK: Suggestions

    private func suggest(_ names: [String], corpus: Bool, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var labels = Set<Int>()
        for name in names { labels.insert(try spanLabel(name, for: "suggest")) }
        let suggester = try Suggester(tagSet: session.tagSet, labels: labels)
        guard !suggester.isEmpty else {
            emit(.message(names.isEmpty ? "no label of the tag set has patterns (schema PATH loads a tag set with them)" : "\(names.joined(separator: ", ")) \(names.count == 1 ? "has" : "have") no patterns"))
            return
        }
        let documents = try searchDocuments(corpus: corpus)
        var queued: [Suggestion] = []
        var tagged = 0
        var rejectedBefore = 0
        var number = session.suggestions.nextNumber
        var seen = Set<SpanKey>()
        defer { if documents.count > 1 { monitor?.finished() } }
        // With a regular expression among the rules, the candidates are found on a watched thread.
        var found: [[[TextRange]]]?
        if !suggester.regexSources.isEmpty {
            found = try regexRunner.matches(of: suggester.regexSources, in: documents.map { session.documents[$0] }, task: "suggest",
                                            monitor: monitor, limit: regexTimeLimit)
        }
        for (i, d) in documents.enumerated() {
            if found == nil, documents.count > 1, let monitor {
                if monitor.shouldStop { throw .interrupted("suggest") }
                monitor.progress("suggest", done: i, of: documents.count)
            }
            let document = session.documents[d]
            for c in suggester.candidates(in: document, regexMatches: found?[i] ?? []) {
                let key = SpanKey(document: d, range: c.range, label: c.label)
                if session.hasSpan(key) { tagged += 1; continue }
                if session.suggestions.wasRejected(key) { rejectedBefore += 1; continue }
                // Already waiting, or proposed twice by two rules of the label: once.
                if session.suggestions.isKnown(key) || !seen.insert(key).inserted { continue }
                queued.append(Suggestion(number: number, document: d, range: c.range, label: c.label, text: document.text(c.range), source: c.source))
                number += 1
            }
        }
        let skipped = (tagged > 0 ? ", \(Format.grouped(tagged)) already tagged" : "") + (rejectedBefore > 0 ? ", \(Format.grouped(rejectedBefore)) rejected before" : "")
        guard !queued.isEmpty else { emit(.message("no new suggestions" + skipped)); return }
        session.suggestions.enqueue(queued)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.queuedSuggestions(queued)]), log: command, needsDocument: !corpus)
        var perLabel: [Int: Int] = [:]
        for q in queued { perLabel[q.label, default: 0] += 1 }
        let detail = perLabel.keys.sorted().map { "\(session.tagSet.labels[$0].name) \(Format.grouped(perLabel[$0]!))" }.joined(separator: ", ")
        emit(.message("queued \(Format.count(queued.count, "suggestion")) (\(queued[0].id)–\(queued[queued.count - 1].id)): \(detail)\(skipped); suggestions lists them, review walks them"))
    }

    /// The waiting suggestions a target names, with an optional label filter.
    public func suggestions(_ target: SuggestionTarget, label: String?) throws(TagbenchError) -> [Suggestion] {
        let labelIndex = try label.map { (name) throws(TagbenchError) -> Int in try spanLabel(name, for: "suggestions") }
        let pending = session.suggestions.pending
        var chosen: [Suggestion]
        switch target {
        case .all: chosen = pending
        case .numbers(let a, let b):
            if a == b {
                guard let one = session.suggestions.pending(number: a) else { throw .unknownSuggestion("s\(a)") }
                chosen = [one]
            } else {
                chosen = pending.filter { $0.number >= a && $0.number <= b }
                guard !chosen.isEmpty else { throw .unknownSuggestion("s\(a)-s\(b)") }
            }
        }
        if let labelIndex { chosen = chosen.filter { $0.label == labelIndex } }
        return chosen
    }

    private func suggestionLines(_ label: String?) throws(TagbenchError) -> [String] {
        let list = try suggestions(.all, label: label)
        guard !list.isEmpty else { return [session.suggestions.pending.isEmpty ? "no suggestions waiting (suggest fills the queue)" : "no suggestions waiting for \(label ?? "")"] }
        let labels = session.tagSet.labels
        let idWidth = list.map { $0.id.count }.max() ?? 0
        let labelWidth = list.map { Format.displayWidth(labels[$0.label].name) }.max() ?? 0
        var lines = list.prefix(Self.hitDisplayLimit).map { s -> String in
            let hit = hitRow(number: s.number, document: s.document, range: s.range)
            return Format.padded(s.id, to: idWidth) + "  " + Format.padded(labels[s.label].name, to: labelWidth) + "  \(hit.document) \(s.range)  …"
                + hit.before + "【" + hit.match + "】" + hit.after + "…  " + s.source
        }
        if list.count > Self.hitDisplayLimit { lines.append("… \(Format.grouped(list.count - Self.hitDisplayLimit)) more (\(Format.grouped(list.count)) waiting)") }
        return lines
    }

    private func accept(_ target: SuggestionTarget, label: String?, asLabel: String?, at: TextRange?, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let chosen = try suggestions(target, label: label)
        guard !chosen.isEmpty else { emit(.message("no suggestions to accept")); return }
        let newLabel = try asLabel.map { (name) throws(TagbenchError) -> Int in try spanLabel(name, for: "accept") }
        if at != nil && chosen.count != 1 { throw .invalidArgument(command: "accept", argument: "--at", expected: "one suggestion (sN) to move") }
        let policy = session.tagSet.overlap
        let time = annotator.now()
        var number = session.nextNumber
        var accepted: [Suggestion] = []
        var made: [Annotation] = []
        var already = 0
        var blocked = 0
        var keys = Set<SpanKey>()
        for s in chosen {
            let range = at ?? s.range
            let d = session.documents[s.document]
            try checkRange(range, in: d)
            let a = Annotation(number: number, document: s.document, range: range, label: newLabel ?? s.label, text: d.text(range),
                               source: s.source, annotator: annotator.name, time: time)
            let key = SpanKey(a)
            accepted.append(s)
            if session.hasSpan(key) || !keys.insert(key).inserted { already += 1; continue }
            let inTheWay = session.spanInTheWay(of: range, inDocument: s.document, policy: policy)
                ?? made.first { $0.document == s.document && !policy.permits($0.range, range) }
            if let inTheWay {
                if chosen.count == 1 {
                    throw .overlapNotAllowed(policy: policy, span: "\(inTheWay.id) (\(session.tagSet.labels[inTheWay.label].name) \(inTheWay.range) \"\(inTheWay.text)\")")
                }
                accepted.removeLast()
                blocked += 1
                continue
            }
            made.append(a)
            number += 1
        }
        guard !accepted.isEmpty else {
            emit(.message("\(Format.count(blocked, "suggestion")) left waiting: the overlap policy (\(policy.rawValue)) does not allow them beside spans already there"))
            return
        }
        // A suggestion taken under another label or at other offsets was wrong as it stood.
        let changed = (newLabel != nil || at != nil) ? accepted.filter { s in (newLabel.map { $0 != s.label } ?? false) || (at.map { $0 != s.range } ?? false) } : []
        let change = Change.acceptedSuggestions(accepted, made, changed: changed)
        apply(change, forward: true)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [change]), log: command)
        if made.count <= 20 { emit(.spans(made.map(spanRow))) } else { emit(.message("accepted \(Format.count(made.count, "suggestion")) as spans (a\(made[0].number)–a\(made[made.count - 1].number))")) }
        if already > 0 { emit(.message("\(already) already tagged; taken off the queue")) }
        if blocked > 0 { emit(.message("\(blocked) left waiting: the overlap policy (\(policy.rawValue)) does not allow them beside spans already there")) }
    }

    private func reject(_ target: SuggestionTarget, label: String?, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let chosen = try suggestions(target, label: label)
        guard !chosen.isEmpty else { emit(.message("no suggestions to reject")); return }
        let change = Change.rejectedSuggestions(chosen)
        apply(change, forward: true)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [change]), log: command)
        emit(.message(chosen.count == 1 ? "rejected \(chosen[0].id) \(session.tagSet.labels[chosen[0].label].name) \(chosen[0].text)"
                      : "rejected \(Format.count(chosen.count, "suggestion"))"))
    }

    // MARK: Undo

    private func push(_ step: UndoStep, log command: Command, usesFind: Bool = false, needsDocument: Bool = false) {
        var step = step
        step.epoch = epoch
        undoStack.append(step)
        redoStack.removeAll()
        isDirty = true
        record(command, usesFind: usesFind, needsDocument: needsDocument)
    }

    /// Logs `command`, preceded by the `open` and `find` a replay needs to reach the same state.
    private func record(_ command: Command, usesFind: Bool = false, needsDocument: Bool = false) {
        let time = annotator.now()
        if usesFind, let found = lastFind, !found.logged {
            if let d = found.document, loggedCurrent != d {
                session.log.append(LogEntry(command: .open(.name(session.documents[d].id)), time: time))
                loggedCurrent = d
            }
            session.log.append(LogEntry(command: .find(found.pattern, corpus: found.corpus), time: time))
            lastFind?.logged = true
        }
        if needsDocument, let c = current, loggedCurrent != c {
            session.log.append(LogEntry(command: .open(.name(session.documents[c].id)), time: time))
            loggedCurrent = c
        }
        session.log.append(LogEntry(command: canonical(command), time: time))
    }

    /// The command with an alias replaced by its label's name, so the log reads the same whatever was typed.
    private func canonical(_ command: Command) -> Command {
        func name(_ label: String) -> String { session.tagSet.index(of: label).map { session.tagSet.labels[$0].name } ?? label }
        switch command {
        case .tag(let label, let target): return .tag(label: name(label), target: target)
        case .tagAll(let label, let pattern, let corpus): return .tagAll(label: name(label), pattern: pattern, corpus: corpus)
        case .relabel(let id, let label): return .relabel(id, label: name(label))
        case .classify(let label, let unit): return .classify(label: name(label), unit: unit)
        case .unclassify(let label, let unit): return .unclassify(label: name(label), unit: unit)
        default: return command
        }
    }

    private func undo(_ n: Int, emit: (OutputItem) -> Void) throws(TagbenchError) {
        guard !undoStack.isEmpty else { throw .nothingToUndo }
        var done = 0
        while done < n, var step = undoStack.popLast() {
            for change in step.changes.reversed() { apply(change, forward: false) }
            if step.epoch < epoch { needsCheckpoint = true }
            step.epoch = epoch
            redoStack.append(step)
            emit(.message("undid: \(step.summary)"))
            done += 1
        }
        isDirty = true
        record(.undo(done))
        loggedCurrent = nil
    }

    private func redo(_ n: Int, emit: (OutputItem) -> Void) throws(TagbenchError) {
        guard !redoStack.isEmpty else { throw .nothingToRedo }
        var done = 0
        while done < n, var step = redoStack.popLast() {
            for change in step.changes { apply(change, forward: true) }
            if step.epoch < epoch { needsCheckpoint = true }
            step.epoch = epoch
            undoStack.append(step)
            emit(.message("redid: \(step.summary)"))
            done += 1
        }
        isDirty = true
        record(.redo(done))
        loggedCurrent = nil
    }

    private func apply(_ change: Change, forward: Bool) {
        switch change {
        case .addedAnnotations(let list), .removedAnnotations(let list):
            let adding = { if case .addedAnnotations = change { return forward } else { return !forward } }()
            if adding { for a in list { session.insert(a) } } else { session.remove(numbers: list.map(\.number)) }
        case .relabeled(let number, let from, let to):
            session.update(number: number, label: forward ? to : from)
        case .noted(let number, let from, let to):
            session.update(number: number, note: forward ? to : from)
        case .addedCategory(let c), .removedCategory(let c):
            let adding = { if case .addedCategory = change { return forward } else { return !forward } }()
            if adding { session.addCategory(c) } else { session.removeCategory(matching: c) }
        case .addedLabels(let labels):
            if forward { for label in labels { _ = try? session.tagSet.add(label) } }
            else { for _ in labels { session.tagSet.removeLast() } }
        case .updatedLabels(let updates):
            for u in (forward ? updates : updates.reversed()) { session.tagSet.restore(u.index, to: forward ? u.after : u.before) }
        case .queuedSuggestions(let list):
            if forward { session.suggestions.enqueue(list) } else { session.suggestions.dequeue(Set(list.map(\.number))) }
        case .acceptedSuggestions(let list, let made, let changed):
            if forward {
                session.suggestions.dequeue(Set(list.map(\.number)))
                for a in made { session.insert(a) }
                session.suggestions.addRejected(changed)
            } else {
                session.suggestions.removeLastRejected(changed.count)
                session.remove(numbers: made.map(\.number))
                session.suggestions.enqueue(list)
            }
        case .rejectedSuggestions(let list):
            if forward {
                session.suggestions.dequeue(Set(list.map(\.number)))
                session.suggestions.addRejected(list)
            } else {
                session.suggestions.removeLastRejected(list.count)
                session.suggestions.enqueue(list)
            }
        case .importedRejections(let list):
            if forward { session.suggestions.addRejected(list) } else { session.suggestions.removeLastRejected(list.count) }
        case .replacedTagSet(let before, let after, let map):
            if forward {
                session.remapLabels(map)
                session.tagSet = after
            } else {
                var inverse = Array<Int?>(repeating: nil, count: after.labels.count)
                for (old, new) in map.enumerated() { if let new { inverse[new] = old } }
                session.remapLabels(inverse)
                session.tagSet = before
            }
        case .addedDocuments(let documents):
            if forward {
                for d in documents { session.addDocument(d) }
                if current == nil { current = session.documents.count - documents.count }
            } else {
                for _ in documents { session.removeLastDocument() }
                if let c = current, c >= session.documents.count { current = session.documents.isEmpty ? nil : 0 }
            }
        }
    }

    // MARK: Files

    /// Writes the session to `path` (absolute) or the session path; `path` becomes the session
    /// path, except in a read-only session, where it is a copy.
    ///
    /// Another path is written only under its own lock, and never over a session whose journal
    /// holds unsaved changes. The file written is one that opens: checked before it replaces
    /// anything. Once the new file has its name, the checkpoint and journal it makes redundant
    /// are removed; the journal names the saved state it follows, so a process killed before
    /// emptying it leaves nothing that would be replayed twice.
    public func writeSession(to path: String? = nil, displayPath: String? = nil) throws(TagbenchError) {
        guard let absolute = path ?? sessionPath else { throw .noSessionPath }
        let target = FileSystem.resolvingLinks(absolute)
        let named = displayPath ?? Paths.fileName(of: absolute)
        try Self.checkOpenable(session, path: named)
        var targetLock: SessionLock?
        if target != sessionPath {
            targetLock = try SessionLock(sessionPath: target, displayPath: named, files: files)
            let unsaved = (Journal.read(sessionPath: target)?.commands.isEmpty == false)
                || FileSystem.kind(of: Journal.checkpointPath(for: target)) == .file
            if unsaved {
                targetLock?.release()
                throw .unsavedJournal(session: named)
            }
        } else {
            try lock?.verify()
        }
        defer { if isReadOnly { targetLock?.release() } }
        let mode = FileSystem.sideFileMode(for: sessionPath.flatMap { FileSystem.kind(of: target) == .file ? nil : $0 } ?? target)
        // The hash cache is written meanwhile: the session file's fsync leaves the cores idle.
        let documents = UncheckedSendable(session.documents)
        let files = self.files
        let hashing: FileHashing
        do {
            hashing = try writeEncoded(to: target, relativeTo: target, mode: mode) {
                HashCache(documents: documents.value).write(for: target, mode: mode, files: files)
            }
        } catch {
            if !isReadOnly { targetLock?.release() }
            if case .readOnlyFile(_, let mode) = error { throw .readOnlyFile(named, mode: mode) }
            throw error
        }
        if isReadOnly { return }
        savedFileHash = hashing
        // The saved file now holds everything: the checkpoints and journals are spent. A
        // checkpoint that stays would be opened instead of the new file: that is a failed save
        // (the journal, not emptied, still follows the checkpoint, which with it holds all).
        for path in Set([sessionPath, target].compactMap({ $0 })) {
            let failure = files.unlink(Journal.checkpointPath(for: path))
            if failure != 0 && failure != ENOENT {
                targetLock?.release()
                throw .writeFailed(Journal.checkpointPath(for: path), reason: FileSystem.errorText(failure))
            }
        }
        let moved = target != sessionPath
        var movedJournal: Journal?
        if moved && journal != nil {
            // The target's journal follows another save of that file (none with unsaved changes
            // is saved over): emptied before the session moves, so that a failure here leaves
            // it where it was (its file and journal still hold everything; the target is a copy).
            do {
                let fresh = try Journal(sessionPath: target, mode: mode, files: files)
                try fresh.reset()
                movedJournal = fresh
            } catch {
                targetLock?.release()
                throw error
            }
        } else if moved {
            _ = files.unlink(Journal.path(for: target))
        }
        if let targetLock {
            lock?.release()
            lock = targetLock
        }
        baseHash = hashing
        sessionPath = target
        isDirty = false
        startEpoch()
        if let movedJournal {
            // The old session's journal is spent too: its changes moved with the session.
            try? journal?.reset()
            journal = movedJournal
        } else if !moved {
            // A journal that cannot be emptied is damaged: the next change writes a checkpoint.
            try journal?.reset()
        }
    }

    /// Refuses a session that could be written but not opened again.
    static func checkOpenable(_ session: Session, path: String) throws(TagbenchError) {
        for (k, d) in session.documents.enumerated() where d.id.isEmpty || d.path.isEmpty || d.sha256.isEmpty {
            throw .unopenableSession(path: path, reason: "document \(k + 1) has an empty \(d.id.isEmpty ? "id" : d.path.isEmpty ? "path" : "sha256")")
        }
        if session.nextNumber > Session.largestNumber {
            throw .unopenableSession(path: path, reason: "its annotation ids pass the largest, \(Session.largestNumber)")
        }
    }

    /// Writes the session to `path` (atomically, durably), its pieces written while the rest are
    /// encoded, document paths relative to `relativeTo`'s folder; `meanwhile` runs on another
    /// thread during the final `fsync`, as the file is hashed. Returns its hash.
    private func writeEncoded(to path: String, relativeTo sessionFile: String, mode: mode_t = 0o644, replacingMode: Bool = false,
                              meanwhile: @escaping @Sendable () -> Void = {}) throws(TagbenchError) -> FileHashing {
        let file = try AtomicFile(path: path, mode: mode, replacingMode: replacingMode, files: files)
        var segments: [ArraySlice<UInt8>] = []
        try SessionCodec.encode(session, directory: Paths.directory(of: sessionFile)) { (segment) throws(TagbenchError) in
            segments.append(segment)
            try file.append(segment)
        }
        // The file is hashed while its fsync waits, and its bytes let go: kept for a hash asked
        // for later, they held the whole encoded session for as long as the REPL ran.
        let hashing = FileHashing(segments: segments)
        segments = []
        try Parallel.meanwhile({ meanwhile(); _ = hashing.wait() }) { () throws(TagbenchError) in try file.commit() }
        return hashing
    }

    private func save(_ path: String?, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let target = path.map { Paths.absolute($0, base: context.baseDirectory) } ?? sessionPath
        guard let target else { throw .noSessionPath }
        if isReadOnly && FileSystem.resolvingLinks(target) == sessionPath { throw .readOnlySession }
        // The same check as every export file's: a document by any name (a symlinked folder).
        try ProtectedFiles(session.documents.map(\.path)).check(target, shown: path ?? target)
        if defersSaves {
            pendingSave = target
            emit(.message("will save \(path ?? target) when the run succeeds"))
            return
        }
        try writeSession(to: target, displayPath: path ?? Paths.fileName(of: target))
        emit(.message("saved \(path ?? Paths.fileName(of: target)): \(Format.count(session.documents.count, "document")), "
            + "\(Format.count(session.annotationCount, "annotation")), \(Format.count(session.categories.count, "category", plural: "categories"))"))
    }

    private func export(_ options: ExportOptions, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var options = options
        let path = options.path
        options.path = Paths.absolute(path, base: context.baseDirectory)
        // No file the export writes may be an input by any name (a link, another spelling).
        let protected = ProtectedFiles(session.documents.map(\.path) + [sessionPath].compactMap { $0 })
        try protected.check(options.path, shown: path)
        // The manifest names the session file by its hash only when it holds what is exported;
        // the file is hashed while the export runs.
        var provenance = ExportProvenance(sessionPath: sessionPath, sessionSHA256: nil, sessionDirectory: sessionDirectory(orElse: context.baseDirectory))
        provenance.typedPath = path
        if sessionPath != nil, !isDirty, let hashing = savedFileHash {
            provenance.sessionHash = { hashing.wait() }
        }
        let result = try Exporter.export(session, options: options, provenance: provenance, protected: protected, monitor: monitor, files: files)
        for warning in result.warnings { emit(.warning(warning)) }
        let what = options.format == .brat || options.recordUnit == .doc ? "" : ", \(Format.count(result.records, "record"))"
        let files = result.files.count - (result.manifest == nil ? 0 : 1)
        let spans = options.format == .classify ? "" : ", \(Format.count(result.spans, "span"))"
        let summary = "exported \(Format.count(result.documents, "document"))\(what)\(spans) to \(path)"
            + (files > 1 ? " (\(Format.count(files, "file")))" : "")
        // Written to a device (stdout, most likely): the summary must not follow the data there.
        // Paths as the user wrote them: the manifest is named by the path typed, plus its suffix.
        if let manifest = result.manifest {
            let shown = manifest.hasPrefix(options.path) ? path + manifest.dropFirst(options.path.count) : Paths.fileName(of: manifest)
            emit(.message(summary + "; manifest \(shown)"))
        } else {
            emit(.status(summary))
        }
    }

    // MARK: Reports

    private func statsLines() -> [String] {
        let labels = session.tagSet.labels
        var lines = ["\(Format.count(session.documents.count, "document")), \(Format.count(session.documents.reduce(0) { $0 + $1.length }, "character")), "
                     + "\(Format.count(session.annotationCount, "span")), \(Format.count(session.categories.count, "category", plural: "categories"))"]
        if !labels.isEmpty {
            lines.append("by label:")
            let width = labels.map { Format.displayWidth($0.name) }.max() ?? 0
            for row in labelRows() {
                lines.append("  " + Format.padded(row.label.name, to: width) + "  " + Format.leftPadded(Format.grouped(row.count), to: 9)
                             + (row.label.kind == .category ? "  (category)" : ""))
            }
        }
        if !session.documents.isEmpty {
            lines.append("by document:")
            let width = session.documents.map { Format.displayWidth($0.id) }.max() ?? 0
            for (i, d) in session.documents.enumerated() {
                var counts: [Int: Int] = [:]
                for a in session.annotations(inDocument: i) { counts[a.label, default: 0] += 1 }
                let detail = counts.keys.sorted().map { "\(labels[$0].name) \(counts[$0]!)" }.joined(separator: ", ")
                lines.append("  " + Format.padded(d.id, to: width) + "  " + Format.leftPadded(Format.grouped(session.annotationCount(inDocument: i)), to: 9)
                             + (detail.isEmpty ? "" : "  " + detail))
            }
        }
        return lines
    }

    private func historyLines(base: String) -> [String] {
        let directory = sessionDirectory(orElse: base)
        return session.log.map { CommandRenderer.render($0.command.relativizingPaths(to: directory)) }
    }
}

/// Matches of literal texts over the whole corpus, found ahead in one pass; each is taken once,
/// and only while the corpus is the one they were found in.
struct PrefetchedMatches {
    let documents: Int
    var byText: [String: [(Int, TextRange)]]

    mutating func take(_ text: String, documents count: Int) -> [(Int, TextRange)]? {
        guard count == documents else { byText = [:]; return nil }
        return byText.removeValue(forKey: text)
    }
}
