/// Viewing: text with its spans, searches, span lists and reports; nothing here changes the session.
extension Engine {
    func view(_ target: ShowTarget) throws(TagbenchError) -> TextView {
        let current = try requireCurrent()
        let document = session.documents[current]
        var lines: [TextLine] = []
        var shownUnits: [(UnitKind, Int)] = [(.doc, 1)]
        switch target {
        case .document:
            for (index, paragraphRange) in document.paragraphs.enumerated() {
                lines.append(
                    TextLine(start: paragraphRange.start, text: document.text(paragraphRange), paragraph: index + 1))
            }
            shownUnits += document.paragraphs.indices.map { (.para, $0 + 1) }
        case .paragraph(let number):
            let paragraphRange = try paragraph(number, of: document)
            lines.append(TextLine(start: paragraphRange.start, text: document.text(paragraphRange), paragraph: number))
            shownUnits.append((.para, number))
        case .sentence(let number):
            let chosen = try sentence(number, of: document)
            lines.append(
                TextLine(start: chosen.range.start, text: document.text(chosen.range), paragraph: chosen.paragraph))
            shownUnits.append((.sent, number))
        case .paragraphs(let firstNumber, let lastNumber):
            for number in firstNumber...lastNumber {
                let paragraphRange = try paragraph(number, of: document)
                lines.append(
                    TextLine(start: paragraphRange.start, text: document.text(paragraphRange), paragraph: number))
                shownUnits.append((.para, number))
            }
        case .sentences(let firstNumber, let lastNumber):
            let first = try sentence(firstNumber, of: document), last = try sentence(lastNumber, of: document)
            let range = TextRange(first.range.start, last.range.end)
            for (index, paragraphRange) in document.paragraphs.enumerated() where paragraphRange.overlaps(range) {
                let piece = TextRange(max(paragraphRange.start, range.start), min(paragraphRange.end, range.end))
                lines.append(TextLine(start: piece.start, text: document.text(piece), paragraph: index + 1))
            }
            shownUnits += (firstNumber...lastNumber).map { (.sent, $0) }
        case .disagreement:
            preconditionFailure("show dN is handled by disagreementView: its text is each annotator's")
        case .range(let range):
            try checkRange(range, in: document)
            for (index, paragraphRange) in document.paragraphs.enumerated() where paragraphRange.overlaps(range) {
                let piece = TextRange(max(paragraphRange.start, range.start), min(paragraphRange.end, range.end))
                lines.append(TextLine(start: piece.start, text: document.text(piece), paragraph: index + 1))
            }
        }
        let shownRange =
            lines.isEmpty
            ? TextRange(0, 0)
            : TextRange(lines[0].start, lines[lines.count - 1].start + lines[lines.count - 1].text.unicodeScalars.count)
        let spans = session.annotations(inDocument: current).filter { $0.range.overlaps(shownRange) }.map(spanRow)
        let labels = session.tagSet.labels
        let categories = session.categories(inDocument: current).filter { cat in
            target == .document || shownUnits.contains { $0.0 == cat.unit && $0.1 == cat.index }
        }.map { cat in
            cat.unit == .doc
                ? "doc: \(labels[cat.label].name)" : "\(cat.unit.rawValue) \(cat.index): \(labels[cat.label].name)"
        }
        return TextView(document: document.id, lines: lines, spans: spans, categories: categories)
    }

    /// A span as listed; `placed` adds its paragraph and sentence numbers (not for an orphan,
    /// whose offsets are in a text its document no longer has).
    func spanRow(_ a: Annotation, placed: Bool) -> SpanRow {
        let label = session.tagSet.labels[a.label]
        let document = session.documents[a.document]
        return SpanRow(
            id: a.id, label: label.name, colour: label.colour, document: document.id, range: a.range, text: a.text,
            note: a.note, place: placed ? UnitPlace(of: a.range, in: document) : nil)
    }

    func spanRow(_ a: Annotation) -> SpanRow { spanRow(a, placed: true) }

    func paragraph(_ n: Int, of d: Document) throws(TagbenchError) -> TextRange {
        guard n >= 1 && n <= d.paragraphs.count else {
            throw .unitOutOfRange(unit: .para, number: n, count: d.paragraphs.count)
        }
        return d.paragraphs[n - 1]
    }

    func sentence(_ n: Int, of d: Document) throws(TagbenchError) -> Sentence {
        guard n >= 1 && n <= d.sentences.count else {
            throw .unitOutOfRange(unit: .sent, number: n, count: d.sentences.count)
        }
        return d.sentences[n - 1]
    }

    func checkRange(_ r: TextRange, in d: Document) throws(TagbenchError) {
        guard r.start < r.end, r.end <= d.length else {
            throw .offsetsOutOfRange(start: r.start, end: r.end, length: d.length)
        }
    }

    func searchDocuments(corpus: Bool) throws(TagbenchError) -> [Int] {
        if corpus { return session.documents.indices.filter { !session.documents[$0].isMissing } }
        return [try requireCurrent()]
    }

    /// Every match in the documents, reporting progress and stopping (changing nothing) on Ctrl-C.
    func matches(of search: TextSearch, in documents: [Int], task: String) throws(TagbenchError) -> [(Int, TextRange)] {
        let perDocument = try matches(of: search, inTexts: documents.map { session.documents[$0] }, task: task)
        var found: [(Int, TextRange)] = []
        for (position, document) in documents.enumerated() {
            for range in perDocument[position] { found.append((document, range)) }
        }
        return found
    }

    /// Every match in each text (a session's document, or a text made into one), in order: a
    /// regular expression through the regex runner (which a stop or the time limit ends), a
    /// literal here, with progress over several.
    func matches(of search: TextSearch, inTexts texts: [Document], task: String) throws(TagbenchError)
        -> [[TextRange]]
    {
        defer { if texts.count > 1 { monitor?.finished() } }
        if case .regex(let source) = search.pattern {
            return try regexRunner.matches(
                of: [source], in: texts, task: task, monitor: monitor, limit: regexTimeLimit
            ).map { $0[0] }
        }
        var found: [[TextRange]] = []
        for (position, text) in texts.enumerated() {
            if texts.count > 1, let monitor {
                if monitor.shouldStop { throw .interrupted(task) }
                monitor.progress(task, done: position, of: texts.count)
            }
            found.append(search.matches(in: text))
        }
        return found
    }

    func find(_ pattern: Pattern, corpus: Bool, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let search = try TextSearch(pattern)
        let hits = try matches(of: search, in: try searchDocuments(corpus: corpus), task: "find \(pattern)")
        lastFind = FindResult(
            pattern: pattern, corpus: corpus, document: corpus ? nil : current, hits: hits,
            number: journalBookkeeping.numberFind())
        let rows = hits.prefix(Self.hitDisplayLimit).enumerated().map { i, hit in
            hitRow(number: i + 1, document: hit.0, range: hit.1)
        }
        emit(.hits(rows, total: hits.count))
    }

    func hitRow(number: Int, document: Int, range: TextRange) -> HitRow {
        let d = session.documents[document]
        let context = 12
        func flat(_ s: String) -> String { String(s.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 }) }
        return HitRow(
            number: number, document: d.id, range: range,
            before: flat(d.text(TextRange(max(0, range.start - context), range.start))),
            match: d.text(range),
            after: flat(d.text(TextRange(range.end, min(d.length, range.end + context)))),
            place: UnitPlace(of: range, in: d))
    }

    func spans(_ labelName: String?, matching pattern: Pattern?, corpus: Bool, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        let label = try labelName.map { (name: String) throws(TagbenchError) -> Int in try session.tagSet.resolve(name)
        }
        var chosen: [Annotation] = []
        if corpus || current == nil {
            for slot in session.annotationSlots {
                if let a = slot, label == nil || a.label == label { chosen.append(a) }
            }
        } else {
            chosen = session.annotations(inDocument: current!).filter { label == nil || $0.label == label }
        }
        guard let pattern else { return emit(.spans(chosen.map(spanRow))) }
        let matching = try annotations(chosen, whoseTextHolds: pattern)
        if !matching.isEmpty { emit(.spans(matching.map(spanRow))) }
        emit(
            .message(
                Wording.spansMatching(
                    matching.count, of: chosen.count, label: label.map { session.tagSet.labels[$0].name } ?? "", pattern
                )))
    }

    func historyLines(base: String) -> [String] {
        let directory = sessionDirectory(orElse: base)
        return session.log.map { CommandRenderer.render($0.command.relativizingPaths(to: directory)) }
    }
}
