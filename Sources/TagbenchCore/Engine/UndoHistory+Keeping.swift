/// The undo history across reopening: what a save keeps of it (the latest steps, within
/// `KeptUndo`'s bounds, down to the first of a kind not kept) and the history read back.
extension UndoHistory {
    /// What a save of `session` keeps: the latest steps of both stacks (the undo stack first)
    /// while within the bounds; the first step past them is named, not kept, so that `undo`
    /// reaching it says why it stops. A stack with no step kept is left out.
    func kept(in session: Session) -> KeptUndo {
        var budget = (steps: KeptUndo.stepLimit, annotations: KeptUndo.annotationLimit)
        // Label names by index: on the redo stack, labels that a `label add` to be redone puts
        // back are not in the tag set yet.
        var labelNames = session.tagSet.labels.map(\.name)
        func keep(_ steps: [UndoStep], done: Bool) -> [KeptStep] {
            var kept: [KeptStep] = []
            for step in steps.reversed() {
                let record = Self.record(of: step, done: done, in: session, labelNames: &labelNames)
                let size = record?.changes.reduce(0) { $0 + $1.annotationCount } ?? 0
                guard let record, record.kept, budget.steps > 0, size <= budget.annotations else {
                    if !kept.isEmpty { kept.append(KeptStep(command: step.summary, kept: false)) }
                    break
                }
                budget.steps -= 1
                budget.annotations -= size
                kept.append(record)
            }
            return kept.reversed()
        }
        return KeptUndo(undo: keep(undoSteps, done: true), redo: keep(redoSteps, done: false))
    }

    /// The step in the file's terms (nil: a change of a kind not kept). Annotations the session
    /// holds while the step is where it is (`done`: on the undo stack) are kept as references.
    static func record(of step: UndoStep, done: Bool, in session: Session, labelNames: inout [String]) -> KeptStep? {
        if let kept = step.kept { return kept }
        var record = KeptStep(command: step.summary)
        func document(_ index: Int) -> String? {
            index < session.documents.count ? session.documents[index].id : nil
        }
        func label(_ index: Int) -> String? { index < labelNames.count ? labelNames[index] : nil }
        for change in step.changes {
            switch change {
            case .addedAnnotations(let list), .removedAnnotations(let list):
                let added = { if case .addedAnnotations = change { return true } else { return false } }()
                var kept: [KeptAnnotation] = []
                kept.reserveCapacity(list.count)
                for annotation in list {
                    guard let doc = document(annotation.document), let name = label(annotation.label) else {
                        return nil
                    }
                    let raw = RawAnnotation(
                        number: annotation.number, doc: doc, start: annotation.range.start, end: annotation.range.end,
                        label: name, text: annotation.text, note: annotation.note, source: annotation.source,
                        annotator: annotation.annotator, time: annotation.time)
                    kept.append(KeptAnnotation(raw: raw, isReference: added == done))
                }
                record.changes.append(.annotations(added: added, kept))
            case .relabeled(let number, let from, let to):
                guard let from = label(from), let to = label(to) else { return nil }
                record.changes.append(.relabeled(id: number, from: from, to: to))
            case .noted(let number, let from, let to):
                record.changes.append(.noted(id: number, from: from, to: to))
            case .addedCategory(let category), .removedCategory(let category):
                let added = { if case .addedCategory = change { return true } else { return false } }()
                guard let doc = document(category.document), let name = label(category.label) else { return nil }
                record.changes.append(
                    .category(added: added, CategoryRecord(category, documentID: doc, labelName: name)))
            case .addedLabels(let labels):
                // Undone, they are not in the tag set: the steps to redo after this one name them.
                if !done { labelNames += labels.map(\.name) }
                record.changes.append(.labels(labels))
            case .updatedLabels, .replacedTagSet, .addedDocuments, .queuedSuggestions, .acceptedSuggestions,
                .rejectedSuggestions, .importedRejections, .changedConflicts, .decidedConflict:
                return nil
            }
        }
        return record
    }
}

extension KeptChange {
    /// How many annotations the change names (what `KeptUndo.annotationLimit` counts).
    var annotationCount: Int {
        if case .annotations(_, let list) = self { return list.count }
        return 1
    }
}
