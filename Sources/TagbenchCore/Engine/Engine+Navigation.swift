/// Working through the current document by paragraph: `paras` lists its paragraphs with their
/// labels, `next para` and `prev para` move a cursor over them, and `spans LABEL TEXT|/RE/` keeps
/// the spans whose text holds a match. Nothing here changes the session.
extension Engine {
    /// `paras [--untagged] [LABEL]`: the current document's paragraphs that the filter takes, each
    /// with its labels, then a count.
    func paras(_ filter: ParagraphFilter, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let current = try requireCurrent()
        let document = session.documents[current]
        let takes = try paragraphTest(filter)
        let labelled = paragraphLabels(inDocument: current)
        let names = session.tagSet.labels
        var rows: [ParagraphRow] = []
        for (index, range) in document.paragraphs.enumerated() where takes(labelled[index]) {
            rows.append(
                ParagraphRow(
                    number: index + 1, range: range,
                    labels: labelled[index].keys.sorted().map { "\(names[$0].name) \(labelled[index][$0]!)" },
                    text: document.text(range)))
        }
        if !rows.isEmpty { emit(.paragraphs(rows)) }
        emit(
            .message(
                Wording.paragraphsListed(
                    rows.count, of: document.paragraphs.count, in: document.id, filter: try resolved(filter),
                    untagged: labelled.filter(\.isEmpty).count)))
    }

    /// `next para`, `prev para`: shows the first paragraph after (before) the cursor that the
    /// filter takes, and moves the cursor there; at the end, says so and stays (not an error: a
    /// script that walks on past the end goes on).
    func stepParagraph(forward: Bool, _ filter: ParagraphFilter, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let current = try requireCurrent()
        let document = session.documents[current]
        let takes = try paragraphTest(filter)
        let labelled = filter == .any ? [] : paragraphLabels(inDocument: current)
        let count = document.paragraphs.count
        let from = paragraphCursor.flatMap { $0.document == document.id ? min($0.paragraph, count) : nil }
        let candidates =
            forward
            ? Array(stride(from: (from ?? 0) + 1, through: count, by: 1))
            : Array(stride(from: (from ?? count + 1) - 1, through: 1, by: -1))
        guard let found = candidates.first(where: { filter == .any || takes(labelled[$0 - 1]) }) else {
            emit(
                .message(
                    Wording.noFurtherParagraph(
                        forward: forward, from: from, paragraphs: count, in: document.id, filter: try resolved(filter)))
            )
            return
        }
        paragraphCursor = (document.id, found)
        emit(.text(try view(.paragraph(found))))
    }

    /// Moves the paragraph cursor to what a command that stood last showed or annotated in the
    /// current document: `show` of a paragraph, sentence or range (the last paragraph shown), a
    /// `tag` (the paragraph of the span it added), `classify`/`unclassify` of a paragraph or
    /// sentence. `open`, `next`, `prev` and `show` of the whole document put it before the first
    /// paragraph. `next para` and `prev para` move it themselves.
    func moveParagraphCursor(after command: Command, firstNewNumber: Int) {
        guard let current else { return }
        let document = session.documents[current]
        func paragraph(ofSentence number: Int) -> Int? {
            number >= 1 && number <= document.sentences.count ? document.sentences[number - 1].paragraph : nil
        }
        let moved: Int?
        switch command {
        case .open, .show(.document):
            paragraphCursor = nil
            return
        case .show(.paragraph(let number)), .show(.paragraphs(_, let number)),
            .classify(_, .paragraph(let number)), .unclassify(_, .paragraph(let number)):
            moved = number
        case .show(.sentence(let number)), .show(.sentences(_, let number)),
            .classify(_, .sentence(let number)), .unclassify(_, .sentence(let number)):
            moved = paragraph(ofSentence: number)
        case .show(.range(let range)):
            moved = UnitPlace.paragraphs(of: range, in: document)?.upperBound
        case .tag:
            // The span it added (none when it was there already), if in this document.
            guard session.nextNumber > firstNewNumber, let added = session.annotation(number: session.nextNumber - 1),
                added.document == current
            else { return }
            moved = UnitPlace.paragraphs(of: added.range, in: document)?.lowerBound
        default:
            return
        }
        if let moved { paragraphCursor = (document.id, moved) }
    }

    /// Each paragraph's labels in a document, `[label index: count]` by paragraph: the spans that
    /// overlap it, and category labels on it or on one of its sentences (not on the whole document).
    func paragraphLabels(inDocument index: Int) -> [[Int: Int]] {
        let document = session.documents[index]
        var labels = [[Int: Int]](repeating: [:], count: document.paragraphs.count)
        for span in session.annotations(inDocument: index) {
            guard let numbers = UnitPlace.paragraphs(of: span.range, in: document) else { continue }
            for number in numbers { labels[number - 1][span.label, default: 0] += 1 }
        }
        for category in session.categories(inDocument: index) {
            // By number, as `classify` named the unit.
            let number: Int
            switch category.unit {
            case .doc: continue
            case .para: number = category.index
            case .sent:
                guard category.index >= 1 && category.index <= document.sentences.count else { continue }
                number = document.sentences[category.index - 1].paragraph
            }
            guard number >= 1 && number <= labels.count else { continue }
            labels[number - 1][category.label, default: 0] += 1
        }
        return labels
    }

    /// Whether a paragraph with these labels is one the filter takes (its label looked up now).
    private func paragraphTest(_ filter: ParagraphFilter) throws(TagbenchError) -> ([Int: Int]) -> Bool {
        switch filter {
        case .any: return { _ in true }
        case .untagged: return { $0.isEmpty }
        case .labelled(let name):
            let label = try session.tagSet.resolve(name)
            return { $0[label] != nil }
        case .unlabelled(let name):
            let label = try session.tagSet.resolve(name)
            return { $0[label] == nil }
        }
    }

    /// The filter with its label as the tag set names it (an alias becomes the label's name).
    private func resolved(_ filter: ParagraphFilter) throws(TagbenchError) -> ParagraphFilter {
        switch filter {
        case .any, .untagged: return filter
        case .labelled(let name): return .labelled(session.tagSet.labels[try session.tagSet.resolve(name)].name)
        case .unlabelled(let name): return .unlabelled(session.tagSet.labels[try session.tagSet.resolve(name)].name)
        }
    }

    /// The spans whose text holds a match of `pattern` (searched as `find` searches, in the text
    /// alone: a regular expression's `^` and `$` are the span's ends), in their order.
    func annotations(_ spans: [Annotation], whoseTextHolds pattern: Pattern) throws(TagbenchError) -> [Annotation] {
        let search = try TextSearch(pattern)
        // Each distinct text searched once, as a text of its own.
        var textNumbers: [String: Int] = [:]
        var texts: [Document] = []
        for span in spans where textNumbers[span.text] == nil {
            textNumbers[span.text] = texts.count
            texts.append(Document(id: "", path: "", bytes: Array(span.text.utf8), hashLater: true))
        }
        let found = try matches(of: search, inTexts: texts, task: "spans \(pattern)")
        return spans.filter { !found[textNumbers[$0.text]!].isEmpty }
    }
}
