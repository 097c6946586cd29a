/// `conflicts` and `resolve`: adjudicating what merged sessions disagree on.
extension Engine {
    /// The open conflicts (with `label`, those where a version uses it): a head line each, then
    /// one line per annotator's version, numbered as `--pick` takes them.
    func conflictLines(_ labelName: String?) throws(TagbenchError) -> [String] {
        let name = try labelName.map { (name: String) throws(TagbenchError) -> String in
            session.tagSet.labels[try session.tagSet.resolve(name)].name
        }
        let list = session.conflicts.open.filter { conflict in
            name.map { n in conflict.versions.contains { $0.spans.contains { $0.label == n } } } ?? true
        }
        guard !list.isEmpty else {
            return [Wording.noOpenConflicts(decided: session.conflicts.all.count - session.conflicts.open.count)]
        }
        var lines: [String] = []
        for conflict in list {
            let hit = hitRow(number: conflict.number, document: conflict.document, range: conflict.range)
            let place = conflict.unit.map { "\($0.rawValue) \(conflict.index)" } ?? conflict.range.description
            lines.append(
                "\(conflict.id)  \(hit.document)  \(place)  …\(hit.before)【\(hit.match)】\(hit.after)…")
            let width = conflict.versions.map { Format.displayWidth($0.annotator) }.max() ?? 0
            for (k, version) in conflict.versions.enumerated() {
                let spans = version.spans.map { span in
                    conflict.unit == nil
                        ? "\(span.label) \(span.range) \(session.documents[conflict.document].text(span.range))"
                        : span.label
                }
                lines.append(
                    "    \(k + 1) \(Format.padded(version.annotator, to: width))  "
                        + (spans.isEmpty ? "—" : spans.joined(separator: " · ")))
            }
        }
        return lines
    }

    /// Decides `cN`: the annotations (or labels on its unit) the decision makes, and the decision,
    /// as one undoable step.
    func resolve(_ number: Int, _ decision: ConflictDecision, command: Command, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        guard let conflict = session.conflicts.conflict(number: number) else { throw .unknownConflict("c\(number)") }
        if let made = conflict.decision {
            throw .conflictDecided(conflict.id, decision: made.arguments.joined(separator: " "))
        }
        // The spans chosen, each with the annotators whose version has it.
        var chosen: [(span: ConflictSpan, annotators: [String])] = []
        func take(_ version: ConflictVersion) {
            for span in version.spans {
                if let i = chosen.firstIndex(where: { $0.span == span }) {
                    chosen[i].annotators.append(version.annotator)
                } else {
                    chosen.append((span, [version.annotator]))
                }
            }
        }
        switch decision {
        case .pick(let k):
            guard k <= conflict.versions.count else {
                throw .versionOutOfRange(conflict: conflict.id, number: k, count: conflict.versions.count)
            }
            take(conflict.versions[k - 1])
        case .all: conflict.versions.forEach(take)
        case .none: break
        case .relabel(let labelName, let at):
            if conflict.unit != nil, at != nil {
                throw .invalidArgument(
                    command: "resolve", argument: "--at",
                    expected: "allowed: \(conflict.id) is over a unit, which --as labels whole")
            }
            if let at, !at.overlaps(conflict.range) {
                throw .invalidArgument(
                    command: "resolve", argument: "--at \(at)",
                    expected: "a span overlapping \(conflict.id)'s \(conflict.range)")
            }
            let label = session.tagSet.labels[try session.tagSet.resolve(labelName)].name
            let range = conflict.unit == nil ? at ?? conflict.range : conflict.range
            try checkRange(range, in: session.documents[conflict.document])
            chosen = [(ConflictSpan(range: range, label: label), [])]
        }
        let time = annotator.now()
        let document = session.documents[conflict.document]
        var changes: [Change] = []
        var made: [Annotation] = []
        // The decision says what the session holds there: a version's span (or unit label) the
        // session already has from a merge — accepted before an annotator changed their mind,
        // say — goes when the decision does not choose it. Spans made by hand stay.
        // Found here, removed once the decision is known to hold.
        let chosenSpans = Set(chosen.map(\.span))
        var droppedSpans: [Int] = []
        var droppedLabels: [CategoryAnnotation] = []
        for span in Set(conflict.versions.flatMap(\.spans)) where !chosenSpans.contains(span) {
            guard let label = session.tagSet.index(of: span.label) else { continue }
            if let unit = conflict.unit {
                droppedLabels += session.categories.filter {
                    $0.document == conflict.document && $0.unit == unit && $0.index == conflict.index
                        && $0.label == label && !$0.annotators.isEmpty
                }
            } else if let held = session.annotations(inDocument: conflict.document).first(where: {
                $0.range == span.range && $0.label == label && $0.source == SessionMerger.source
            }) {
                droppedSpans.append(held.number)
            }
        }
        for (span, annotators) in chosen.sorted(by: { $0.span < $1.span }) {
            if let unit = conflict.unit {
                let category = CategoryAnnotation(
                    document: conflict.document, unit: unit, index: conflict.index, range: span.range,
                    label: try session.tagSet.resolve(span.label), annotator: annotator.name, time: time,
                    annotators: annotators)
                if session.hasCategory(category) { continue }
                changes.append(.addedCategory(category))
                continue
            }
            let label = try spanLabel(span.label, for: "resolve")
            if session.hasSpan(SpanKey(document: conflict.document, range: span.range, label: label)) { continue }
            if let blocking = session.spanInTheWay(
                of: span.range, inDocument: conflict.document, policy: session.tagSet.overlap)
            {
                throw .overlapNotAllowed(
                    policy: session.tagSet.overlap,
                    span:
                        "\(blocking.id) (\(session.tagSet.labels[blocking.label].name) \(blocking.range) \"\(blocking.text)\")"
                )
            }
            made.append(
                Annotation(
                    number: 0, document: conflict.document, range: span.range, label: label,
                    text: document.text(span.range), source: SessionMerger.source, annotator: annotator.name,
                    time: time,
                    annotators: annotators))
        }
        let removedCount = droppedSpans.count + droppedLabels.count
        var removals: [Change] = droppedLabels.compactMap {
            session.removeCategory(matching: $0).map { .removedCategory($0) }
        }
        if !droppedSpans.isEmpty { removals.append(.removedAnnotations(session.remove(numbers: droppedSpans))) }
        for change in changes { apply(change) }
        // One change adds every span: count what was added, not the changes.
        let added = changes.count + made.count
        changes = removals + changes
        if !made.isEmpty {
            session.insert(contentsOf: &made, numbering: true)
            changes.append(.addedAnnotations(made))
        }
        let decided = Change.decidedConflict(number: number, decision)
        apply(decided)
        changes.append(decided)
        push(UndoStep(summary: CommandRenderer.render(command), changes: changes), log: command)
        emit(.message(Wording.resolved(conflict, decision, added: added, removed: removedCount)))
        if !made.isEmpty { emit(.spans(made.map(spanRow))) }
    }
}

extension Engine {
    /// `conflict DOC S:E --version …`: one conflict stated whole, numbered on, as one undoable
    /// step. The git merge driver makes its conflicts with it, so the log replays to them and to
    /// the `resolve` lines that follow.
    func addConflict(
        _ documentName: String, range: TextRange, versions: [ConflictVersion], command: Command,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError) {
        let document = try resolveDocument(documentName)
        try checkRange(range, in: session.documents[document])
        func refuse(_ argument: String, _ expected: String) -> TagbenchError {
            .invalidArgument(command: "conflict", argument: argument, expected: expected)
        }
        var named: [ConflictVersion] = []
        for version in versions {
            if version.annotator.unicodeScalars.allSatisfy({ UTF8Bytes.isWhitespace($0.value) }) {
                throw refuse("--version \"\(version.annotator)\"", "an annotator's name")
            }
            if named.contains(where: { $0.annotator == version.annotator }) {
                throw refuse("--version \(version.annotator)", "each version under a name of its own")
            }
            var spans: [ConflictSpan] = []
            for span in version.spans {
                try checkRange(span.range, in: session.documents[document])
                guard span.range.start >= range.start && span.range.end <= range.end else {
                    throw refuse("\(span.label) \(span.range)", "a span inside the conflict's \(range)")
                }
                let label = try spanLabel(span.label, for: "conflict")
                let named = ConflictSpan(range: span.range, label: session.tagSet.labels[label].name)
                if spans.contains(named) { throw refuse("\(span.label) \(span.range)", "each span once in a version") }
                spans.append(named)
            }
            named.append(ConflictVersion(annotator: version.annotator, spans: spans))
        }
        if Set(named.map(\.spans)).count < 2 { throw refuse("--version", "versions that differ") }
        let next = session.conflicts.nextNumber
        let conflict = Conflict(number: next, document: document, range: range, versions: named)
        let change = Change.changedConflicts(added: [conflict], removed: [], nextBefore: next)
        apply(change)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [change]), log: command)
        emit(.message(Wording.conflictAdded(conflict.id, open: session.conflicts.open.count)))
    }
}
