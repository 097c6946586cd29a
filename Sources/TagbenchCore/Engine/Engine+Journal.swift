#if canImport(Glibc)
    import Glibc
#endif

/// Journaling: every change on disk before it is reported done, and the replay that recovers it.
extension Engine {
    /// Starts journaling changes beside the session file (which must have a path); returns the
    /// file a journal whose replay stopped was kept in, whole (`.NAME.journal.failed-TIME`).
    @discardableResult
    public func attachJournal() throws(TagbenchError) -> String? {
        guard let sessionPath else { throw .noSessionPath }
        let mode = FileSystem.sideFileMode(for: sessionPath)
        // Copied, not moved, before anything changes the journal: a kill at any point leaves
        // the journal or the copy or both, and what was recovered in the journal or the
        // checkpoint (a journal found stale beside a checkpoint holds nothing else).
        let kept = try keepStoppedJournal(mode: mode)
        let before = baseHash
        do {
            journal = try Journal(sessionPath: sessionPath, mode: mode, files: files)
            if kept != nil && isDirty {
                // What the replay recovered was on disk only in that journal: a snapshot keeps
                // it, as a checkpoint the next open starts from (and the journal follows it).
                try writeCheckpoint()
            } else if journalIsStale || kept != nil {
                // Its commands are all in the saved file (or none was recovered): it starts afresh.
                try journal?.reset()
            } else if let whole = journalWholeLength {
                // The replay dropped a torn last record: cut off, so the next record does not
                // join it and go with it.
                try journal?.cut(to: whole)
            }
            journalIsStale = false
            journalWholeLength = nil
        } catch {
            // The copy goes only if the journal is still what was copied: nothing is lost either way.
            if let kept, baseHash === before, (try? FileSystem.read(kept.original)) == kept.bytes {
                _ = files.unlink(kept.path)
            }
            journal = nil
            throw error
        }
        removeLeftovers()
        return kept?.path
    }

    /// After a replay that stopped, copies the journal, whole and durably, to
    /// `.NAME.journal.failed-TIME` (`-2`, `-3`, … when that name is taken: never over a file);
    /// nil when there is nothing to keep. The journal itself is left to the caller.
    func keepStoppedJournal(mode: mode_t) throws(TagbenchError) -> (path: String, original: String, bytes: [UInt8])? {
        guard recoveryStopped, let sessionPath else { return nil }
        let original = Journal.path(for: sessionPath)
        guard !FileSystem.isLink(original), FileSystem.kind(of: original) == .file else { return nil }
        let bytes = try FileSystem.read(original, regularOnly: true)
        let base = original + ".failed-\(Timestamp.now())"
        var path = base
        var k = 1
        while true {
            let fd = files.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd == -EEXIST {
                k += 1
                path = base + "-\(k)"
                continue
            }
            guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(-fd)) }
            var failure = bytes.withUnsafeBytes { files.write(fd, $0) }
            if failure == 0 { failure = files.fsync(fd) }
            close(fd)
            if failure == 0 { failure = files.syncDirectory(Paths.directory(of: path)) }
            guard failure == 0 else {
                _ = files.unlink(path)
                throw .writeFailed(path, reason: FileSystem.errorText(failure))
            }
            recoveryStopped = false
            return (path, original, bytes)
        }
    }

    /// Removes the temporary files that saves of this session killed outright left behind (of
    /// the session, its checkpoint and its hash cache). Only for its one writer, holding its
    /// lock: then no save of it is under way.
    public func removeLeftovers() {
        guard let sessionPath, !isReadOnly else { return }
        FileSystem.removeStaleTemporaries(
            of: [sessionPath, Journal.checkpointPath(for: sessionPath), HashCache.path(for: sessionPath)], files: files)
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
        startEpoch(after: hashing)
        try journal.reset()
    }

    /// After a save or a checkpoint wrote the session (`hashing` is the file's hash): the journal
    /// follows that file from here, and the undo steps it kept are marked so.
    func startEpoch(after hashing: FileHashing) {
        baseHash = hashing
        journalBookkeeping.startEpoch(logCount: session.log.count)
        undoHistory.markKept(session.keptUndo, epoch: journalBookkeeping.epoch)
        // The file's form of the history is made again by the next save: held, it was up to a
        // hundred thousand annotations' worth that a REPL kept for nothing.
        session.keptUndo = KeptUndo()
    }

    /// Replays `journal`, the journal of the session at `path` (absolute), into this engine;
    /// returns what to tell the user.
    func recover(_ journal: Journal.Contents?, path: String, displayPath: String) -> [String] {
        guard let contents = journal else { return [] }
        let journalName = Paths.fileName(of: Journal.path(for: path))
        if let follows = contents.follows, follows != (baseHash?.wait() ?? "") {
            // Left by a process killed after it saved and before it emptied the journal: the
            // saved file already holds every command in it.
            journalIsStale = true
            // A damaged one holds more than its readable commands: kept aside before it is emptied.
            if contents.unreadableLine != nil { recoveryStopped = true }
            return contents.commands.isEmpty && contents.unreadableLine == nil
                ? []
                : [
                    Wording.journalFollowsEarlierSave(
                        displayPath, commands: contents.commands.count, unreadableLine: contents.unreadableLine,
                        journalName: journalName)
                ]
        }
        let context = ExecutionContext(
            baseDirectory: Paths.directory(of: path), file: journalName, line: 0)
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
                        journalName: journalName))
                break
            }
        }
        if let line = contents.unreadableLine, !recoveryStopped {
            recoveryStopped = true
            messages.append(
                Wording.journalRecordUnreadable(line, journalName: journalName))
        }
        if contents.torn && !recoveryStopped { journalWholeLength = contents.wholeLength }
        journalBookkeeping.wrote(upTo: session.log.count)
        if recovered > 0 { isDirty = true }
        messages.insert(Wording.recovered(recovered, from: displayPath, torn: contents.torn), at: 0)
        messages.insert(contentsOf: details.map(Wording.recoveredLoad), at: 1)
        return messages
    }
}
