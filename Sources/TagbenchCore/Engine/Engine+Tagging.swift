/// Tagging: spans and category labels added, removed, relabelled and noted.
extension Engine {
    func spanLabel(_ name: String, for command: String) throws(TagbenchError) -> Int {
        let label = try session.tagSet.resolve(name)
        guard session.tagSet.labels[label].kind == .span else {
            throw .wrongLabelKind(label: session.tagSet.labels[label].name, expected: .span, command: command)
        }
        return label
    }

    func tag(_ labelName: String, target: TagTarget, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError)
    {
        let label = try spanLabel(labelName, for: "tag")
        var targets: [(Int, TextRange)] = []
        var usesFind = false
        switch target {
        case .hits(let first, let last):
            guard let found = lastFind else { throw .noFindResults }
            guard last <= found.hits.count else { throw .hitOutOfRange(number: last, count: found.hits.count) }
            targets = Array(found.hits[(first - 1)..<last])
            usesFind = true
        case .range(let range):
            let current = try requireCurrent()
            try checkRange(range, in: session.documents[current])
            targets = [(current, range)]
        case .text(let text, let occurrence):
            let current = try requireCurrent()
            let matches = try TextSearch(.literal(text)).matches(in: session.documents[current])
            if let occurrence {
                guard occurrence >= 1 && occurrence <= matches.count else {
                    throw .occurrenceOutOfRange(text, occurrence: occurrence, occurrences: matches.count)
                }
                targets = [(current, matches[occurrence - 1])]
            } else {
                guard matches.count == 1 else { throw .textNotUnique(text, occurrences: matches.count) }
                targets = [(current, matches[0])]
            }
        case .sentence(let number):
            let current = try requireCurrent()
            targets = [(current, try sentence(number, of: session.documents[current]).range)]
        case .paragraph(let number):
            let current = try requireCurrent()
            targets = [(current, try paragraph(number, of: session.documents[current]))]
        }
        try addSpans(
            targets, label: label, source: "manual", command: command, usesFind: usesFind,
            needsDocument: !usesFind, emit: emit)
    }

    func tagAll(_ labelName: String, pattern: Pattern, corpus: Bool, command: Command, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        let label = try spanLabel(labelName, for: "tag")
        let search = try TextSearch(pattern)
        let targets: [(Int, TextRange)]
        if corpus, case .literal(let text) = pattern, let found = lookahead.take(text, in: session.documents) {
            targets = found
        } else {
            targets = try matches(
                of: search, in: try searchDocuments(corpus: corpus),
                task: "tag \(session.tagSet.labels[label].name) all \(pattern)")
        }
        if targets.isEmpty {
            emit(.message(Wording.noMatch(pattern, in: corpus ? nil : currentDocument?.id ?? "")))
            return
        }
        var literal: String?
        if case .literal(let text) = pattern { literal = text }
        try addSpans(
            targets, label: label, source: "all:\(pattern)", command: command, usesFind: false, needsDocument: !corpus,
            coveredText: literal, emit: emit)
    }

    /// Finds every occurrence of several literal texts in the whole corpus in one pass per document,
    /// for the `tag … all TEXT --corpus` lines a script is about to run one after another; each of
    /// them then takes its matches instead of searching (`CorpusLookahead`). Nothing changes in
    /// the session.
    public func prefetchCorpusMatches(of texts: [String]) {
        guard let total = lookahead.search(texts, in: session.documents) else { return }
        // Room for all of them at once: growing the tables tag by tag copied them again each time.
        session.reserveCapacity(annotations: total)
    }

    /// Adds spans as one step. `coveredText`, when every target covers the same known text (a
    /// literal pattern), saves finding each span's text in its document.
    func addSpans(
        _ targets: [(Int, TextRange)], label: Int, source: String, command: Command,
        usesFind: Bool, needsDocument: Bool, coveredText: String? = nil,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError) {
        let time = annotator.now()
        let policy = session.tagSet.overlap
        var bulk = false
        if case .tagAll = command { bulk = true }
        if policy != .allow && !bulk {
            // One span, or chosen hits: anything in the way is an error, and nothing is added.
            for (position, (document, range)) in targets.enumerated() {
                if let blocking = session.spanInTheWay(of: range, inDocument: document, policy: policy),
                    !(blocking.range == range && blocking.label == label)
                {
                    throw .overlapNotAllowed(
                        policy: policy,
                        span:
                            "\(blocking.id) (\(session.tagSet.labels[blocking.label].name) \(blocking.range) \"\(blocking.text)\")"
                    )
                }
                if let other = targets[..<position].first(where: { $0.0 == document && !policy.permits($0.1, range) }) {
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
        for (document, range) in targets {
            let annotation = Annotation(
                number: 0, document: document, range: range, label: label,
                text: coveredText ?? session.documents[document].text(range),
                source: source, annotator: name, time: time)
            if bulk && policy != .allow {
                // Each span must be in place before the next is checked against the policy.
                if let other = session.spanInTheWay(of: range, inDocument: document, policy: policy),
                    !(other.range == range && other.label == label)
                {
                    blocked += 1
                } else {
                    var one = [annotation]
                    insert(&one)
                }
                continue
            }
            candidates.append(annotation)
        }
        insert(&candidates)
        let labelName = session.tagSet.labels[label].name
        if blocked > 0 {
            emit(
                .message(
                    Wording.keptOutByOverlap("\(Format.count(blocked, "match", plural: "matches")) skipped", policy)))
        }
        if added.isEmpty && blocked > 0 && duplicates.isEmpty { return }
        if added.isEmpty {
            if duplicates.count == 1, let existing = existingSpan(like: duplicates[0]) {
                emit(
                    .message(
                        Wording.alreadyTagged(
                            existing, label: labelName, document: session.documents[existing.document].id)))
            } else {
                emit(.message(Wording.allAlreadyTagged(duplicates.count, label: labelName)))
            }
            return
        }
        push(
            UndoStep(summary: CommandRenderer.render(command), changes: [.addedAnnotations(added)]), log: command,
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
            emit(.message(Wording.tagged(added, label: labelName, documents: docs)))
        }
        if !duplicates.isEmpty { emit(.message(Wording.alreadyTaggedSkipped(duplicates.count, label: labelName))) }
    }

    func existingSpan(like a: Annotation) -> Annotation? {
        session.annotations(inDocument: a.document).first { $0.range == a.range && $0.label == a.label }
    }

    func annotation(_ number: Int) throws(TagbenchError) -> Annotation {
        guard let a = session.annotation(number: number) else { throw .unknownAnnotation("a\(number)") }
        return a
    }

    func untag(_ ids: [Int], command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var unique: [Int] = []
        for id in ids where !unique.contains(id) {
            _ = try annotation(id)
            unique.append(id)
        }
        let removed = session.remove(numbers: unique)
        var changes: [Change] = [.removedAnnotations(removed)]
        changes += rememberingMergedSpansTakenOut(removed)
        push(UndoStep(summary: CommandRenderer.render(command), changes: changes), log: command)
        emit(.message(Wording.removed(removed.map { "\($0.id) \(session.tagSet.labels[$0.label].name) \($0.text)" })))
    }

    func relabel(_ id: Int, _ labelName: String, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var a = try annotation(id)
        let label = try spanLabel(labelName, for: "relabel")
        let name = session.tagSet.labels[label].name
        if a.label == label {
            emit(.message(Wording.alreadyLabelled(a.id, name)))
            return
        }
        let old = a.label
        a.label = label
        if let existing = existingSpan(like: a) { throw .duplicateSpan(existing.id) }
        let before = try annotation(id)
        session.update(number: id, label: label)
        let changes = [Change.relabeled(number: id, from: old, to: label)] + rememberingMergedSpansTakenOut([before])
        push(UndoStep(summary: CommandRenderer.render(command), changes: changes), log: command)
        emit(.message(Wording.relabelled(a.id, from: session.tagSet.labels[old].name, to: name)))
    }

    func note(_ id: Int, _ text: String, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let a = try annotation(id)
        if a.note == text {
            emit(.message(Wording.sameNote(a.id)))
            return
        }
        session.update(number: id, note: text)
        push(
            UndoStep(summary: CommandRenderer.render(command), changes: [.noted(number: id, from: a.note, to: text)]),
            log: command)
        emit(.message(Wording.noted(a.id, text)))
    }

    func classify(_ labelName: String, _ unit: UnitSelector, add: Bool, command: Command, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        // Any label may mark a unit: a category label only units, a span label (主题教育) spans
        // and units alike, so that one topic is one label whatever it is put on.
        let label = try session.tagSet.resolve(labelName)
        let name = session.tagSet.labels[label].name
        let current = try requireCurrent()
        let document = session.documents[current]
        let (kind, index, range): (UnitKind, Int, TextRange)
        switch unit {
        case .document: (kind, index, range) = (.doc, 1, TextRange(0, document.length))
        case .paragraph(let number): (kind, index, range) = (.para, number, try paragraph(number, of: document))
        case .sentence(let number): (kind, index, range) = (.sent, number, try sentence(number, of: document).range)
        }
        let entry = CategoryAnnotation(
            document: current, unit: kind, index: index, range: range, label: label,
            annotator: annotator.name, time: annotator.now())
        let unitText = kind == .doc ? document.id : "\(kind.rawValue) \(index) of \(document.id)"
        if add {
            if session.hasCategory(entry) {
                emit(.message(Wording.alreadyLabelled(unitText, name)))
                return
            }
            session.addCategory(entry)
            push(
                UndoStep(summary: CommandRenderer.render(command), changes: [.addedCategory(entry)]), log: command,
                needsDocument: true)
            emit(.message(Wording.classified(unitText, name, removed: false)))
        } else {
            guard let removed = session.removeCategory(matching: entry) else {
                throw .categoryNotFound(label: name, unit: unitText)
            }
            push(
                UndoStep(summary: CommandRenderer.render(command), changes: [.removedCategory(removed)]), log: command,
                needsDocument: true)
            emit(.message(Wording.classified(unitText, name, removed: true)))
        }
    }
}

extension Engine {
    /// Spans a merge accepted that the adjudicator took out (untagged, or relabelled away from
    /// their label), recorded as rejected: merging into this session again must not bring them
    /// back (re-merging never undoes curation), and the spans export lists them as known
    /// negatives. The change to append to the step (none when no such span).
    func rememberingMergedSpansTakenOut(_ spans: [Annotation]) -> [Change] {
        var list: [Suggestion] = []
        for a in spans where a.source == SessionMerger.source {
            let key = SpanKey(document: a.document, range: a.range, label: a.label)
            guard !session.suggestions.wasRejected(key), !list.contains(where: { $0.key == key }) else { continue }
            list.append(
                Suggestion(
                    number: session.suggestions.nextNumber + list.count, document: a.document, range: a.range,
                    label: a.label, text: a.text, source: SessionMerger.source))
        }
        guard !list.isEmpty else { return [] }
        session.suggestions.nextNumber += list.count
        session.suggestions.addRejected(list)
        return [.importedRejections(list)]
    }
}
