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
                    && document.covers(TextRange(r.start - prefixLength, r.start), with: context.prefix, allowEmpty: true)
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
        // What remains on the document now refers to its current text.
        document.recorded = nil
        return result
    }
}
