/// Journaling: every change on disk before it is reported done, and the replay that recovers it.
extension Engine {
    /// Starts journaling changes beside the session file (which must have a path).
    public func attachJournal() throws(TagbenchError) {
        guard let sessionPath else { throw .noSessionPath }
        // What could not be replayed goes out of the way of the new journal.
        let setAside = setAsideStoppedJournal()
        let mode = FileSystem.sideFileMode(for: sessionPath)
        do {
            journal = try Journal(sessionPath: sessionPath, mode: mode, files: files)
            if journalIsStale {
                // Its commands are all in the saved file: it starts afresh.
                try journal?.reset()
                journalIsStale = false
            }
            // What the replay recovered was on disk only in the journal just set aside: a
            // snapshot keeps it, as a checkpoint the next open starts from.
            if let setAside, isDirty { try writeCheckpoint() }
        } catch {
            // Put back as it was: the next open replays the same, and says the same.
            if let setAside { _ = files.rename(setAside, Journal.path(for: sessionPath)) }
            journal = nil
            throw error
        }
        removeLeftovers()
    }

    /// After a replay that stopped, moves the journal (all of it, as it was) to
    /// `.NAME.journal.failed-TIME`, a name not yet taken; the path it moved to, or nil. Called
    /// once what the replay recovered is kept elsewhere, or is about to be (`attachJournal`).
    @discardableResult
    func setAsideStoppedJournal() -> String? {
        guard recoveryStopped, let sessionPath else { return nil }
        recoveryStopped = false
        let path = Journal.path(for: sessionPath)
        guard FileSystem.kind(of: path) == .file else { return nil }
        // Under the session's lock no other tagbench sets this journal aside: a name seen free
        // stays free. Two in the same second get -2, -3, …
        let base = path + ".failed-\(Timestamp.now())"
        var target = base
        var k = 1
        while FileSystem.kind(of: target) != .missing || FileSystem.isLink(target) {
            k += 1
            target = base + "-\(k)"
        }
        return files.rename(path, target) == 0 ? target : nil
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
    func writeJournal() throws(TagbenchError) {
        guard let journal, let sessionPath else {
            journalBookkeeping.wrote(upTo: session.log.count)
            return
        }
        guard journalBookkeeping.hasUnwritten(logCount: session.log.count) else { return }
        try lock?.verify()
        if journalBookkeeping.needsCheckpoint || journal.isDamaged {
            try writeCheckpoint()
            return
        }
        let fresh = Array(session.log[journalBookkeeping.writtenCount...])
        try journal.append(fresh, directory: Paths.directory(of: sessionPath), follows: self.baseHash?.wait() ?? "")
        journalBookkeeping.wrote(upTo: session.log.count)
    }

    /// Snapshots the session beside it and empties the journal, which continues from the snapshot.
    func writeCheckpoint() throws(TagbenchError) {
        guard let journal, let sessionPath else { return }
        let hashing = try writeEncoded(
            to: Journal.checkpointPath(for: sessionPath), relativeTo: sessionPath,
            mode: FileSystem.sideFileMode(for: sessionPath), replacingMode: true)
        // From here the checkpoint holds everything: a journal not emptied follows an older
        // state, and is not replayed on it.
        baseHash = hashing
        journalBookkeeping.startEpoch(logCount: session.log.count)
        undoHistory.markKept(session.keptUndo, epoch: journalBookkeeping.epoch)
        try journal.reset()
    }

    /// Replays `journal`, the journal of the session at `path` (absolute), into this engine;
    /// returns what to tell the user.
    func recover(_ journal: Journal.Contents?, path: String, displayPath: String) -> [String] {
        guard let contents = journal else { return [] }
        if let follows = contents.follows, follows != (baseHash?.wait() ?? "") {
            // Left by a process killed after it saved and before it emptied the journal: the
            // saved file already holds every command in it.
            journalIsStale = true
            return contents.commands.isEmpty
                ? [] : [Wording.journalFollowsEarlierSave(displayPath, commands: contents.commands.count)]
        }
        let context = ExecutionContext(
            baseDirectory: Paths.directory(of: path), file: Paths.fileName(of: Journal.path(for: path)), line: 0)
        var recovered = 0
        var messages: [String] = []
        var details: [String] = []
        for (i, line) in contents.commands.enumerated() {
            var lineContext = context
            lineContext.line = i + 1
            do throws(LocatedError) {
                let parsed: Command?
                do { parsed = try CommandParser.parse(line) } catch {
                    throw LocatedError(
                        file: lineContext.file, line: lineContext.line, column: error.column, error: error.error)
                }
                guard let command = parsed else { continue }
                // A journal holds only state changes and the open/find they need: anything else
                // (save, export, run) is refused, so a journal cannot make tagbench write anywhere.
                guard command.belongsInJournal else {
                    throw LocatedError(
                        file: lineContext.file, line: lineContext.line,
                        error: .invalidSession(
                            path: lineContext.file, reason: "\"\(line)\" does not belong in a journal"))
                }
                var loaded: [String] = []
                try execute(
                    command, context: lineContext,
                    emit: { item in
                        if case .load = command, case .message(let text) = item { loaded.append(text) }
                    })
                recovered += 1
                if !loaded.isEmpty { details.append(Wording.replayedLoad(line, said: loaded)) }
            } catch {
                recoveryStopped = true
                messages.append(
                    Wording.journalCommandFailed(
                        i + 1, line: line, error: error.error.message,
                        journalName: Paths.fileName(of: Journal.path(for: path))))
                break
            }
        }
        if let line = contents.unreadableLine, !recoveryStopped {
            recoveryStopped = true
            messages.append(
                Wording.journalRecordUnreadable(line, journalName: Paths.fileName(of: Journal.path(for: path))))
        }
        journalBookkeeping.wrote(upTo: session.log.count)
        if recovered > 0 { isDirty = true }
        messages.insert(Wording.recovered(recovered, from: displayPath, torn: contents.torn), at: 0)
        messages.insert(contentsOf: details.map(Wording.recoveredLoad), at: 1)
        return messages
    }
}
