/// Suggestions: queued from the tag set's patterns, listed, accepted and rejected.
extension Engine {
    func suggest(_ names: [String], corpus: Bool, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var labels = Set<Int>()
        for name in names { labels.insert(try spanLabel(name, for: "suggest")) }
        let suggester = try Suggester(tagSet: session.tagSet, labels: labels)
        guard !suggester.isEmpty else {
            emit(.message(Wording.noPatterns(names)))
            return
        }
        let documents = try searchDocuments(corpus: corpus)
        var queued: [Suggestion] = []
        var tagged = 0
        var rejectedBefore = 0
        var number = session.suggestions.nextNumber
        var seen = Set<SpanKey>()
        defer { if documents.count > 1 { monitor?.finished() } }
        // The rules' regular expressions are searched first, where a stop can end them (`RegexRunner`).
        var found: [[[TextRange]]]?
        if !suggester.regexSources.isEmpty {
            found = try regexRunner.matches(
                of: suggester.regexSources, in: documents.map { session.documents[$0] }, task: "suggest",
                monitor: monitor, limit: regexTimeLimit)
        }
        for (i, d) in documents.enumerated() {
            if found == nil, documents.count > 1, let monitor {
                if monitor.shouldStop { throw .interrupted("suggest") }
                monitor.progress("suggest", done: i, of: documents.count)
            }
            let document = session.documents[d]
            for c in suggester.candidates(in: document, regexMatches: found?[i] ?? []) {
                let key = SpanKey(document: d, range: c.range, label: c.label)
                if session.hasSpan(key) {
                    tagged += 1
                    continue
                }
                if session.suggestions.wasRejected(key) {
                    rejectedBefore += 1
                    continue
                }
                // Already waiting, or proposed twice by two rules of the label: once.
                if session.suggestions.isKnown(key) || !seen.insert(key).inserted { continue }
                queued.append(
                    Suggestion(
                        number: number, document: d, range: c.range, label: c.label, text: document.text(c.range),
                        source: c.source))
                number += 1
            }
        }
        let skipped = Wording.suggestionsSkipped(tagged: tagged, rejectedBefore: rejectedBefore)
        guard !queued.isEmpty else {
            emit(.message(Wording.noNewSuggestions(skipped)))
            return
        }
        session.suggestions.enqueue(queued)
        push(
            UndoStep(summary: CommandRenderer.render(command), changes: [.queuedSuggestions(queued)]), log: command,
            needsDocument: !corpus)
        var perLabel: [Int: Int] = [:]
        for q in queued { perLabel[q.label, default: 0] += 1 }
        let detail = perLabel.keys.sorted().map { "\(session.tagSet.labels[$0].name) \(Format.grouped(perLabel[$0]!))" }
            .joined(separator: ", ")
        emit(.message(Wording.queued(queued, detail: detail, skipped: skipped)))
    }

    /// The waiting suggestions a target names, with an optional label filter.
    public func suggestions(_ target: SuggestionTarget, label: String?) throws(TagbenchError) -> [Suggestion] {
        let labelIndex = try label.map { (name) throws(TagbenchError) -> Int in try spanLabel(name, for: "suggestions")
        }
        let pending = session.suggestions.pending
        var chosen: [Suggestion]
        switch target {
        case .all: chosen = pending
        case .numbers(let a, let b):
            if a == b {
                guard let one = session.suggestions.pending(number: a) else { throw .unknownSuggestion("s\(a)") }
                chosen = [one]
            } else {
                chosen = pending.filter { $0.number >= a && $0.number <= b }
                guard !chosen.isEmpty else { throw .unknownSuggestion("s\(a)-s\(b)") }
            }
        }
        if let labelIndex { chosen = chosen.filter { $0.label == labelIndex } }
        return chosen
    }

    func suggestionLines(_ label: String?) throws(TagbenchError) -> [String] {
        let list = try suggestions(.all, label: label)
        guard !list.isEmpty else {
            return [Wording.noSuggestionsWaiting(for: session.suggestions.pending.isEmpty ? nil : label ?? "")]
        }
        let labels = session.tagSet.labels
        let idWidth = list.map { $0.id.count }.max() ?? 0
        let labelWidth = list.map { Format.displayWidth(labels[$0.label].name) }.max() ?? 0
        let shown = list.prefix(Self.hitDisplayLimit)
        // The document and offsets padded as `find` pads them: the contexts start in one column.
        let documentWidth = shown.map { Format.displayWidth(session.documents[$0.document].id) }.max() ?? 0
        let rangeWidth = shown.map { $0.range.description.count }.max() ?? 0
        let hits = shown.map { hitRow(number: $0.number, document: $0.document, range: $0.range) }
        let placeWidth = UnitPlace.columnWidth(hits.map(\.place))
        var lines = zip(shown, hits).map { suggestion, hit -> String in
            Format.padded(suggestion.id, to: idWidth) + "  "
                + Format.padded(labels[suggestion.label].name, to: labelWidth) + "  "
                + Format.padded(hit.document, to: documentWidth) + "  "
                + Format.padded(suggestion.range.description, to: rangeWidth) + "  "
                + UnitPlace.column(hit.place, width: placeWidth) + "…"
                + hit.before + "【" + Format.oneLine(hit.match) + "】" + hit.after + "…  " + suggestion.source
        }
        if list.count > Self.hitDisplayLimit {
            lines.append(Wording.moreSuggestions(list.count - Self.hitDisplayLimit, waiting: list.count))
        }
        return lines
    }

    func accept(
        _ target: SuggestionTarget, label: String?, asLabel: String?, at: TextRange?, command: Command,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError) {
        let chosen = try suggestions(target, label: label)
        guard !chosen.isEmpty else {
            emit(.message(Wording.noSuggestionsTo("accept")))
            return
        }
        let newLabel = try asLabel.map { (name) throws(TagbenchError) -> Int in try spanLabel(name, for: "accept") }
        if at != nil && chosen.count != 1 {
            throw .invalidArgument(command: "accept", argument: "--at", expected: "one suggestion (sN) to move")
        }
        let policy = session.tagSet.overlap
        let time = annotator.now()
        var number = session.nextNumber
        var accepted: [Suggestion] = []
        var made: [Annotation] = []
        var already = 0
        var blocked = 0
        var keys = Set<SpanKey>()
        for s in chosen {
            let range = at ?? s.range
            let d = session.documents[s.document]
            try checkRange(range, in: d)
            let a = Annotation(
                number: number, document: s.document, range: range, label: newLabel ?? s.label, text: d.text(range),
                source: s.source, annotator: annotator.name, time: time)
            let key = SpanKey(a)
            accepted.append(s)
            if session.hasSpan(key) || !keys.insert(key).inserted {
                already += 1
                continue
            }
            let inTheWay =
                session.spanInTheWay(of: range, inDocument: s.document, policy: policy)
                ?? made.first { $0.document == s.document && !policy.permits($0.range, range) }
            if let inTheWay {
                if chosen.count == 1 {
                    throw .overlapNotAllowed(
                        policy: policy,
                        span:
                            "\(inTheWay.id) (\(session.tagSet.labels[inTheWay.label].name) \(inTheWay.range) \"\(inTheWay.text)\")"
                    )
                }
                accepted.removeLast()
                blocked += 1
                continue
            }
            made.append(a)
            number += 1
        }
        guard !accepted.isEmpty else {
            emit(.message(Wording.keptOutByOverlap("\(Format.count(blocked, "suggestion")) left waiting", policy)))
            return
        }
        // A suggestion taken under another label or at other offsets was wrong as it stood.
        let changed =
            (newLabel != nil || at != nil)
            ? accepted.filter { s in (newLabel.map { $0 != s.label } ?? false) || (at.map { $0 != s.range } ?? false) }
            : []
        let change = Change.acceptedSuggestions(accepted, made, changed: changed)
        apply(change)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [change]), log: command)
        if made.count <= 20 { emit(.spans(made.map(spanRow))) } else { emit(.message(Wording.accepted(made))) }
        if already > 0 { emit(.message(Wording.acceptedAlreadyTagged(already))) }
        if blocked > 0 { emit(.message(Wording.keptOutByOverlap("\(blocked) left waiting", policy))) }
    }

    func reject(_ target: SuggestionTarget, label: String?, command: Command, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        let chosen = try suggestions(target, label: label)
        guard !chosen.isEmpty else {
            emit(.message(Wording.noSuggestionsTo("reject")))
            return
        }
        let change = Change.rejectedSuggestions(chosen)
        apply(change)
        push(UndoStep(summary: CommandRenderer.render(command), changes: [change]), log: command)
        emit(.message(Wording.rejected(chosen, labelOfFirst: session.tagSet.labels[chosen[0].label].name)))
    }
}
