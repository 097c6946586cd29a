/// The session log and undo: each change as an undo step and a log entry a replay repeats.
extension Engine {
    /// Keeps a change for undo and logs the command that made it (see `record`).
    func push(_ step: UndoStep, log command: Command, usesFind: Bool = false, needsDocument: Bool = false) {
        undoHistory.push(step, epoch: journalBookkeeping.epoch)
        isDirty = true
        record(command, usesFind: usesFind, needsDocument: needsDocument)
    }

    /// Logs `command`, preceded by the `open` and `find` a replay needs to reach the same state.
    func record(_ command: Command, usesFind: Bool = false, needsDocument: Bool = false) {
        let time = annotator.now()
        if usesFind, let found = lastFind, !journalBookkeeping.hasLogged(find: found.number) {
            if let searched = found.document, journalBookkeeping.replayDocument != searched {
                logOpen(searched, time: time)
            }
            session.log.append(LogEntry(command: .find(found.pattern, corpus: found.corpus), time: time))
            journalBookkeeping.loggedFind(found.number)
        }
        if needsDocument, let current, journalBookkeeping.replayDocument != current { logOpen(current, time: time) }
        session.log.append(LogEntry(command: canonical(command), time: time))
        journalBookkeeping.logged(command)
    }

    private func logOpen(_ document: Int, time: String) {
        session.log.append(LogEntry(command: .open(.name(session.documents[document].id)), time: time))
        journalBookkeeping.loggedOpen(of: document)
    }

    /// The command with an alias replaced by its label's name, so the log reads the same whatever was typed.
    func canonical(_ command: Command) -> Command {
        func name(_ label: String) -> String {
            session.tagSet.index(of: label).map { session.tagSet.labels[$0].name } ?? label
        }
        switch command {
        case .tag(let label, let target): return .tag(label: name(label), target: target)
        case .tagAll(let label, let pattern, let corpus):
            return .tagAll(label: name(label), pattern: pattern, corpus: corpus)
        case .relabel(let id, let label): return .relabel(id, label: name(label))
        case .classify(let label, let unit): return .classify(label: name(label), unit: unit)
        case .unclassify(let label, let unit): return .unclassify(label: name(label), unit: unit)
        default: return command
        }
    }
}

/// Undo and redo.
extension Engine {
    /// Undoes (or redoes) up to `count` steps, as one logged command.
    func undoOrRedo(_ count: Int, undoing: Bool, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let epoch = journalBookkeeping.epoch
        let moved: UndoHistory.Move
        if undoing {
            guard !undoHistory.undoSteps.isEmpty else { throw .nothingToUndo }
            moved = try undoHistory.undo(count, epoch: epoch, session: session, current: &current)
        } else {
            guard !undoHistory.redoSteps.isEmpty else { throw .nothingToRedo }
            moved = try undoHistory.redo(count, epoch: epoch, session: session, current: &current)
        }
        if moved.reachedEarlierEpoch { journalBookkeeping.reachedEarlierEpoch() }
        for step in moved.steps { emit(.message(Wording.moved(step.summary, undone: undoing))) }
        isDirty = true
        record(undoing ? .undo(moved.steps.count) : .redo(moved.steps.count))
    }

    /// Applies a change made now (undo and redo apply it again either way).
    func apply(_ change: Change) {
        UndoHistory.apply(change, forward: true, to: session, current: &current)
    }
}
