/// The session log and undo: each change as an undo step and a log entry a replay repeats.
extension Engine {
    func push(_ step: UndoStep, log command: Command, usesFind: Bool = false, needsDocument: Bool = false) {
        var step = step
        step.epoch = epoch
        undoStack.append(step)
        redoStack.removeAll()
        isDirty = true
        record(command, usesFind: usesFind, needsDocument: needsDocument)
    }

    /// Logs `command`, preceded by the `open` and `find` a replay needs to reach the same state.
    func record(_ command: Command, usesFind: Bool = false, needsDocument: Bool = false) {
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
    func canonical(_ command: Command) -> Command {
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

    func undo(_ n: Int, emit: (OutputItem) -> Void) throws(TagbenchError) {
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

    func redo(_ n: Int, emit: (OutputItem) -> Void) throws(TagbenchError) {
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

    func apply(_ change: Change, forward: Bool) {
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
}
