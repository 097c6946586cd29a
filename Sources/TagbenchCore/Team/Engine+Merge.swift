/// `merge`: annotators' sessions merged into this one, as one undoable, logged step.
extension Engine {
    func merge(
        _ paths: [String], strategy: MergeStrategy, command: Command, context: ExecutionContext,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError) {
        let own = sessionPath.flatMap { FileSystem.identity(of: $0) }
        var opened: [(displayPath: String, session: Session)] = []
        var inputFiles = Set<FileIdentity>()
        for path in paths {
            let absolute = Paths.absolute(path, base: context.baseDirectory)
            let shown = Paths.relative(absolute, to: context.baseDirectory)
            guard FileSystem.kind(of: absolute) != .missing else { throw .fileNotFound(shown) }
            if let own, FileSystem.identity(of: absolute) == own {
                throw .mergeInput(shown, reason: "it is the session being merged into")
            }
            // One file by any name (a hard or symbolic link too) is one annotator.
            guard let identity = FileSystem.identity(of: absolute), inputFiles.insert(identity).inserted else {
                throw .mergeInput(shown, reason: "it is named twice")
            }
            // Opened without its lock: a REPL may have it open. Its journal is replayed in memory
            // only; nothing of it is written.
            let (engine, warnings) = try Engine.open(path: absolute, displayPath: shown, annotator: annotator)
            for warning in warnings { emit(.warning(warning)) }
            opened.append((shown, engine.session))
        }
        if case .atLeast(let k) = strategy, k > opened.count {
            emit(.warning(Wording.strategyAcceptsNothing(strategy.name, sessions: opened.count)))
        }
        let names = MergeInput.annotatorNames(of: opened)
        let inputs = zip(opened, names).map {
            MergeInput(displayPath: $0.displayPath, session: $0.session, annotator: $1)
        }
        let targetName = sessionPath.map { Paths.relative($0, to: context.baseDirectory) } ?? "the session"
        let plan = try SessionMerger.plan(
            into: session, targetPath: targetName, inputs: inputs, strategy: strategy, annotator: annotator)
        var changes: [Change] = []
        if !plan.labels.isEmpty { changes.append(.addedLabels(plan.labels)) }
        if !plan.documents.isEmpty { changes.append(.addedDocuments(plan.documents)) }
        for change in changes { apply(change) }
        var made = plan.annotations
        let left = session.insert(contentsOf: &made, numbering: true)
        if !left.isEmpty { made = made.indices.filter { !Set(left).contains($0) }.map { made[$0] } }
        if !made.isEmpty { changes.append(.addedAnnotations(made)) }
        for category in plan.categories {
            let change = Change.addedCategory(category)
            apply(change)
            changes.append(change)
        }
        let conflictChange = Change.changedConflicts(
            added: plan.conflicts, removed: plan.dropped, nextBefore: session.conflicts.nextNumber)
        apply(conflictChange)
        changes.append(conflictChange)
        // Logged with absolute paths, as `load` and `schema` are: the log is written relative to
        // the session's folder, whatever folder the merge was typed in.
        push(
            UndoStep(summary: CommandRenderer.render(command), changes: changes),
            log: command.absolutizingPaths(base: context.baseDirectory))
        emit(
            .message(
                Wording.merged(
                    inputs.map(\.annotator), documents: plan.documentCount, spans: plan.acceptedSpans,
                    newSpans: made.count, keptOut: plan.keptOut, categories: plan.acceptedCategories,
                    conflicts: plan.conflicts,
                    dropped: plan.dropped.count, open: session.conflicts.open.count)))
        for (decided, by) in plan.contradicted {
            emit(.warning(Wording.contradicted(decided, by: by)))
        }
        for (decided, span) in plan.overruled {
            emit(.warning(Wording.overruled(decided, span)))
        }
    }
}
