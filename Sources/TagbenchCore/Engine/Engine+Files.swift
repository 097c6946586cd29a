#if canImport(Glibc)
    import Glibc
#endif

/// Files: the session saved, and exports written.
extension Engine {
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
            let unsaved =
                (Journal.read(sessionPath: target)?.commands.isEmpty == false)
                || FileSystem.kind(of: Journal.checkpointPath(for: target)) == .file
            if unsaved {
                targetLock?.release()
                throw .unsavedJournal(session: named)
            }
        } else {
            try lock?.verify()
        }
        defer { if isReadOnly { targetLock?.release() } }
        let mode = FileSystem.sideFileMode(
            for: sessionPath.flatMap { FileSystem.kind(of: target) == .file ? nil : $0 } ?? target)
        // With no journal attached (`run`), one whose replay stopped is still beside the file:
        // this save holds what it recovered, and makes it stale, to be emptied by the next open.
        // So it is copied aside first, and removed once the file is written: a kill in between
        // leaves the stale journal beside its copy.
        let kept = journal == nil && !isReadOnly && target == sessionPath ? try keepStoppedJournal(mode: mode) : nil
        // The hash cache is written meanwhile: the session file's fsync leaves the cores idle.
        let documents = UncheckedSendable(session.documents)
        let files = self.files
        let hashing: FileHashing
        do {
            hashing = try writeEncoded(to: target, relativeTo: target, mode: mode) {
                HashCache(documents: documents.value).write(for: target, mode: mode, files: files)
            }
        } catch {
            if let kept {
                // Not saved: the journal is as it was, and is replayed again.
                _ = files.unlink(kept.path)
                recoveryStopped = true
            }
            if !isReadOnly { targetLock?.release() }
            if case .readOnlyFile(_, let mode) = error { throw .readOnlyFile(named, mode: mode) }
            throw error
        }
        if isReadOnly {
            loggedWhenCopied = session.log.count
            return
        }
        savedFileHash = hashing
        lock?.sessionWritten = true
        targetLock?.sessionWritten = true
        // The saved file now holds everything: the checkpoints and journals are spent. A
        // checkpoint that stays would be opened instead of the new file: that is a failed save
        // (the journal, not emptied, still follows the checkpoint, which with it holds all).
        for path in Set([sessionPath, target].compactMap({ $0 })) {
            let checkpoint = Journal.checkpointPath(for: path)
            let failure = files.unlink(checkpoint)
            // A failure to remove a checkpoint that is not there leaves nothing in the way of the
            // new file; treating it as a failed save would leave the journal following the old one.
            if failure != 0 && failure != ENOENT && FileSystem.kind(of: checkpoint) != .missing {
                targetLock?.release()
                throw .writeFailed(checkpoint, reason: FileSystem.errorText(failure))
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
        sessionPath = target
        isDirty = false
        startEpoch(after: hashing)
        if let movedJournal {
            // The old session's journal is spent too: its changes moved with the session.
            try? journal?.reset()
            journal = movedJournal
        } else if !moved {
            // A journal that cannot be emptied is damaged: the next change writes a checkpoint.
            try journal?.reset()
            if let kept {
                _ = files.unlink(kept.original)
                keptJournal = kept.path
            }
        }
    }

    /// Refuses a session that could be written but not opened again. Hashes not yet computed
    /// are left to the writer, which computes them on every core (asking here computed each on
    /// this thread, one after the other).
    static func checkOpenable(_ session: Session, path: String) throws(TagbenchError) {
        for (k, d) in session.documents.enumerated() where d.id.isEmpty || d.path.isEmpty || d.hasEmptyHash {
            throw .unopenableSession(
                path: path,
                reason: "document \(k + 1) has an empty \(d.id.isEmpty ? "id" : d.path.isEmpty ? "path" : "sha256")")
        }
        if session.nextNumber > Session.largestNumber {
            throw .unopenableSession(
                path: path, reason: "its annotation ids pass the largest, \(Session.largestNumber)")
        }
    }

    /// Writes the session to `path` (atomically, durably), its pieces written while the rest are
    /// encoded, document paths relative to `relativeTo`'s folder; `meanwhile` runs on another
    /// thread during the final `fsync`. Returns its hash.
    func writeEncoded(
        to path: String, relativeTo sessionFile: String, mode: mode_t = 0o644, replacingMode: Bool = false,
        meanwhile: @escaping @Sendable () -> Void = {}
    ) throws(TagbenchError) -> FileHashing {
        // Saves and checkpoints alike keep the undo history: never one that was not read.
        precondition(historyRead, "a session opened without its undo history was about to be written")
        let file = try AtomicFile(path: path, mode: mode, replacingMode: replacingMode, files: files)
        // The file is hashed as its pieces are written, not kept to be hashed during the fsync:
        // kept, the pieces could not be written into again (SessionFileWriter).
        var hasher = SHA256()
        session.keptUndo = undoHistory.kept(in: session)
        try SessionCodec.encode(session, directory: Paths.directory(of: sessionFile)) {
            (segment) throws(TagbenchError) in
            segment.withUnsafeBytes { hasher.update($0) }
            try file.append(segment)
        }
        let hashing = FileHashing(hash: Document.hex(hasher.finalize()))
        try Parallel.meanwhile(meanwhile) { () throws(TagbenchError) in try file.commit() }
        return hashing
    }

    func save(_ path: String?, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let target =
            try path.map { (typed) throws(TagbenchError) in
                try FileSystem.writtenPath(typed, base: context.baseDirectory)
            } ?? sessionPath
        guard let target else { throw .noSessionPath }
        if isReadOnly && FileSystem.resolvingLinks(target) == sessionPath { throw .readOnlySession }
        // The same check as every export file's: a document by any name (a symlinked folder).
        // `save PATH` may replace another session (a save-as), never a file beside one.
        let protected = ProtectedFiles(session.documents.map(\.path), refusesEverySession: false)
        try protected.check(target, shown: path ?? target)
        if defersSaves {
            pendingSave = target
            emit(.message(Wording.willSave(path ?? target)))
            return
        }
        try writeSession(to: target, displayPath: path ?? Paths.fileName(of: target))
        emit(
            .message(
                Wording.saved(
                    path ?? Paths.fileName(of: target), documents: session.documents.count,
                    annotations: session.annotationCount, categories: session.categories.count)))
    }

    func export(_ options: ExportOptions, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var options = options
        let path = options.path
        options.path = try FileSystem.writtenPath(path, base: context.baseDirectory)
        // No file the export writes may be an input by any name (a link, another spelling).
        let protected = ProtectedFiles(
            session.documents.map(\.path) + [sessionPath].compactMap { $0 })
        try protected.check(options.path, shown: path)
        // The manifest names the session file by its hash only when it holds what is exported;
        // the bytes read on opening are hashed when the manifest is made (hashing them on
        // another core while the export ran was no faster: docs/performance.md).
        var provenance = ExportProvenance(
            sessionPath: sessionPath, sessionSHA256: nil,
            sessionDirectory: sessionDirectory(orElse: context.baseDirectory))
        provenance.typedPath = path
        if sessionPath != nil, !isDirty, let hashing = savedFileHash {
            provenance.sessionHash = { hashing.wait() }
        }
        let result = try Exporter.export(
            session, options: options, provenance: provenance, protected: protected, monitor: monitor, files: files)
        for warning in result.warnings { emit(.warning(warning)) }
        let summary = Wording.exported(
            documents: result.documents,
            records: options.format == .brat || options.recordUnit == .doc ? nil : result.records,
            spans: options.format == .classify ? nil : result.spans, to: path,
            files: result.files.count - (result.manifest == nil ? 0 : 1))
        // Written to a device (stdout, most likely): the summary must not follow the data there.
        // Paths as the user wrote them: the manifest is named by the path typed, plus its suffix.
        if let manifest = result.manifest {
            // A folder's path (brat) may end in `/` or `/.`: the manifest is beside the folder.
            var typed = path
            while typed.count > 1 && (typed.hasSuffix("/") || typed.hasSuffix("/.")) {
                typed.removeLast(typed.hasSuffix("/") ? 1 : 2)
            }
            let last = Paths.components(of: typed).last
            let shown =
                last == "." || last == ".."
                ? manifest
                : manifest.hasPrefix(options.path)
                    ? typed + manifest.dropFirst(options.path.count) : Paths.fileName(of: manifest)
            emit(.message(Wording.withManifest(summary, shown)))
        } else {
            emit(.status(summary))
        }
    }
}
