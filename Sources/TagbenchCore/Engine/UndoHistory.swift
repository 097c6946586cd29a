/// The undo and redo stacks of one engine, and how each kind of change is applied to a session
/// either way: undo, redo and the rollback of a command that could not be journaled all go
/// through `apply`, so a change is taken back exactly as it was made.
struct UndoHistory {
    /// Steps that `undo` takes back, the latest last.
    private(set) var undoSteps: [UndoStep] = []
    /// Steps that `redo` does again, the latest undone last.
    private(set) var redoSteps: [UndoStep] = []

    /// An empty history.
    init() {}

    /// The history read back from a session file: steps checked against the session when moved.
    init(restoring kept: KeptUndo) {
        func step(_ kept: KeptStep) -> UndoStep { UndoStep(summary: kept.command, changes: [], kept: kept) }
        undoSteps = kept.undo.map(step)
        redoSteps = kept.redo.map(step)
    }

    /// Notes that a save in `epoch` kept the latest steps `kept` names (a replay of the
    /// epoch's journal can then move them).
    mutating func markKept(_ kept: KeptUndo, epoch: Int) {
        let undo = kept.undo.filter(\.kept).count
        let redo = kept.redo.filter(\.kept).count
        for index in undoSteps.indices.suffix(undo) { undoSteps[index].keptInEpoch = epoch }
        for index in redoSteps.indices.suffix(redo) { redoSteps[index].keptInEpoch = epoch }
    }

    /// How many steps an undo or redo moved, and whether one of them was last done or undone in
    /// an earlier epoch than the one given (which a replay of the journal cannot repeat).
    struct Move {
        /// Steps moved, in the order they were moved.
        var steps: [UndoStep] = []
        /// A step came from an earlier epoch.
        var reachedEarlierEpoch = false
    }

    /// Adds a step done in `epoch`: what was undone before it can no longer be redone.
    mutating func push(_ step: UndoStep, epoch: Int) {
        var step = step
        step.epoch = epoch
        undoSteps.append(step)
        redoSteps.removeAll()
    }

    /// Undoes up to `count` steps in `session`, latest first, and keeps them for `redo`.
    mutating func undo(_ count: Int, epoch: Int, session: Session, current: inout Int?) throws(TagbenchError) -> Move {
        try move(
            count, from: \.undoSteps, to: \.redoSteps, forward: false, epoch: epoch, session: session, current: &current
        )
    }

    /// Redoes up to `count` undone steps in `session`, the latest undone first.
    mutating func redo(_ count: Int, epoch: Int, session: Session, current: inout Int?) throws(TagbenchError) -> Move {
        try move(
            count, from: \.redoSteps, to: \.undoSteps, forward: true, epoch: epoch, session: session, current: &current)
    }

    /// Moves the steps one by one. A step read back from a session file that no longer applies
    /// (or was not kept) is refused: the steps moved before it are moved back, and the error
    /// says why, with nothing changed.
    private mutating func move(
        _ count: Int, from source: WritableKeyPath<UndoHistory, [UndoStep]>,
        to destination: WritableKeyPath<UndoHistory, [UndoStep]>, forward: Bool, epoch: Int,
        session: Session, current: inout Int?
    ) throws(TagbenchError) -> Move {
        var moved = Move()
        var originals: [UndoStep] = []
        while moved.steps.count < count, let original = self[keyPath: source].last {
            var step = original
            do throws(TagbenchError) {
                step.changes = try Self.applyChecked(step, forward: forward, session: session, current: &current)
            } catch {
                for (done, original) in zip(moved.steps, originals).reversed() {
                    for change in (forward ? Array(done.changes.reversed()) : done.changes) {
                        Self.apply(change, forward: !forward, to: session, current: &current)
                    }
                    self[keyPath: destination].removeLast()
                    self[keyPath: source].append(original)
                }
                throw error
            }
            self[keyPath: source].removeLast()
            originals.append(original)
            step.kept = nil
            if step.epoch < epoch && step.keptInEpoch != epoch { moved.reachedEarlierEpoch = true }
            step.epoch = epoch
            self[keyPath: destination].append(step)
            moved.steps.append(step)
        }
        return moved
    }

    /// Applies `step` (undone when not `forward`) and returns its changes: its own, or those
    /// its kept form makes once checked against `session`.
    private static func applyChecked(_ step: UndoStep, forward: Bool, session: Session, current: inout Int?)
        throws(TagbenchError) -> [Change]
    {
        guard let kept = step.kept else {
            for change in (forward ? step.changes : Array(step.changes.reversed())) {
                apply(change, forward: forward, to: session, current: &current)
            }
            return step.changes
        }
        guard kept.kept else { throw .undoStepNotKept(command: kept.command, undoing: !forward) }
        var applied: [Change] = []
        for record in (forward ? kept.changes : Array(kept.changes.reversed())) {
            do throws(KeptChange.Mismatch) {
                let change = try record.change(forward: forward, in: session)
                apply(change, forward: forward, to: session, current: &current)
                applied.append(change)
            } catch {
                for change in applied.reversed() { apply(change, forward: !forward, to: session, current: &current) }
                throw .undoStepNoLongerApplies(command: kept.command, undoing: !forward, reason: error.reason)
            }
        }
        return forward ? applied : applied.reversed()
    }

    /// Takes back in `session` what happened to the stacks since they were `before`: a new step
    /// is undone, steps an undo moved to the redo stack are redone, steps a redo moved back are
    /// undone again; the stacks are then as they were.
    mutating func rollBack(to before: UndoHistory, session: Session, current: inout Int?) {
        let common = zip(before.undoSteps, undoSteps).prefix { $0.summary == $1.summary && $0.epoch == $1.epoch }.count
        // Steps on the undo stack now that were not there before: done by this command.
        for step in undoSteps[common...].reversed() {
            for change in step.changes.reversed() { Self.apply(change, forward: false, to: session, current: &current) }
        }
        // Steps that were on the undo stack before and are not now: undone by this command, and
        // on the redo stack now as they were applied (a step read back from a file has its
        // changes only there).
        let undone = before.undoSteps.count - common
        let undoneSteps =
            redoSteps.count >= undone ? Array(redoSteps.suffix(undone).reversed()) : Array(before.undoSteps[common...])
        for step in undoneSteps {
            for change in step.changes { Self.apply(change, forward: true, to: session, current: &current) }
        }
        self = before
    }

    /// Applies `change` to `session` (undone when not `forward`); `current`, the current
    /// document, follows documents added or taken away.
    static func apply(_ change: Change, forward: Bool, to session: Session, current: inout Int?) {
        switch change {
        case .addedAnnotations(let list), .removedAnnotations(let list):
            let adding = { if case .addedAnnotations = change { return forward } else { return !forward } }()
            if adding {
                for annotation in list { session.insert(annotation) }
            } else {
                session.remove(numbers: list.map(\.number))
            }
        case .relabeled(let number, let from, let to):
            session.update(number: number, label: forward ? to : from)
        case .noted(let number, let from, let to):
            session.update(number: number, note: forward ? to : from)
        case .addedCategory(let category), .removedCategory(let category):
            let adding = { if case .addedCategory = change { return forward } else { return !forward } }()
            if adding { session.addCategory(category) } else { session.removeCategory(matching: category) }
        case .addedLabels(let labels):
            if forward {
                for label in labels { _ = try? session.tagSet.add(label) }
            } else {
                for _ in labels { session.tagSet.removeLast() }
            }
        case .updatedLabels(let updates):
            for update in (forward ? updates : updates.reversed()) {
                session.tagSet.restore(update.index, to: forward ? update.after : update.before)
            }
        case .queuedSuggestions(let list):
            if forward {
                session.suggestions.enqueue(list)
            } else {
                session.suggestions.dequeue(Set(list.map(\.number)))
            }
        case .acceptedSuggestions(let list, let made, let changed):
            if forward {
                session.suggestions.dequeue(Set(list.map(\.number)))
                for annotation in made { session.insert(annotation) }
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
            if forward {
                session.suggestions.addRejected(list)
            } else {
                session.suggestions.removeLastRejected(list.count)
            }
        case .changedConflicts(let added, let removed, _):
            // Ids are never reused: an undone conflict's number stays taken, as an undone span's.
            session.conflicts.remove(Set((forward ? removed : added).map(\.number)))
            session.conflicts.add(forward ? added : removed)
        case .decidedConflict(let number, let decision):
            session.conflicts.decide(number, forward ? decision : nil)
        case .replacedTagSet(let before, let after, let map):
            if forward {
                session.remapLabels(map)
                session.tagSet = after
            } else {
                var inverse = [Int?](repeating: nil, count: after.labels.count)
                for (old, new) in map.enumerated() { if let new { inverse[new] = old } }
                session.remapLabels(inverse)
                session.tagSet = before
            }
        case .addedDocuments(let documents):
            if forward {
                for document in documents { session.addDocument(document) }
                if current == nil { current = session.documents.count - documents.count }
            } else {
                for _ in documents { session.removeLastDocument() }
                if let index = current, index >= session.documents.count {
                    current = session.documents.isEmpty ? nil : 0
                }
            }
        }
    }
}
