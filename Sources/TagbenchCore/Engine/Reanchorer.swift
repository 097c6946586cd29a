/// Finds the spans of a document whose text changed since they were made: each stays at its
/// offsets if its text is still there, else moves to the one occurrence of its text whose
/// surrounding text matches what was stored with it, else becomes an orphan. Nothing is ever
/// moved onto other text.
enum Reanchorer {
    static func reanchor(_ document: Document, in session: Session) -> SessionCodec.Reanchoring {
        var result = SessionCodec.Reanchoring(document: document.id)
        guard let index = session.documentIndex(id: document.id) else { return result }
        for a in session.annotations(inDocument: index) {
            if document.covers(a.range, with: a.text) {
                result.kept += 1
                session.preservedContext[a.number] = nil
                continue
            }
            let context = session.preservedContext[a.number] ?? ("", "")
            let prefixLength = context.prefix.unicodeScalars.count
            let suffixLength = context.suffix.unicodeScalars.count
            let candidates = (try? TextSearch(.literal(a.text)).matches(in: document)) ?? []
            let fitting = candidates.filter { r in
                r.start >= prefixLength && r.end + suffixLength <= document.length
                    && document.covers(
                        TextRange(r.start - prefixLength, r.start), with: context.prefix, allowEmpty: true)
                    && document.covers(TextRange(r.end, r.end + suffixLength), with: context.suffix, allowEmpty: true)
            }
            session.remove(numbers: [a.number])
            var moved = a
            if fitting.count == 1 {
                moved.range = fitting[0]
                if session.insert(moved) {
                    result.moved += 1
                    session.preservedContext[a.number] = nil
                    continue
                }
            }
            session.addOrphan(a)
            result.orphaned += 1
        }
        // Category labels have no text of their own: a paragraph or sentence label stays on the unit
        // with the same number (its offsets those of the new text), and is dropped if there is none.
        var categories: [CategoryAnnotation] = []
        for var c in session.categories(inDocument: index) {
            switch c.unit {
            case .doc:
                c.range = TextRange(0, document.length)
            case .para:
                guard c.index <= document.paragraphs.count else {
                    result.categoriesDropped += 1
                    continue
                }
                c.range = document.paragraphs[c.index - 1]
                result.categoriesByNumber += 1
            case .sent:
                guard c.index <= document.sentences.count else {
                    result.categoriesDropped += 1
                    continue
                }
                c.range = document.sentences[c.index - 1].range
                result.categoriesByNumber += 1
            }
            categories.append(c)
        }
        session.replaceCategories(ofDocument: index, with: categories)
        // What remains on the document now refers to its current text.
        document.recorded = nil
        return result
    }
}
