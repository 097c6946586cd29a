/// Corpus matches of several literal texts, found ahead in one pass for the `tag … all TEXT
/// --corpus` lines a script is about to run one after another: each line then takes its text's
/// matches instead of searching. They are given only for the very documents they were found in
/// (the same `Document` objects, in the same order), so a load, an undo of one or a rollback
/// between the search and the tag just makes the tag search for itself.
struct CorpusLookahead {
    /// The corpus the matches were found in.
    private var documents: [Document] = []
    /// Each text's matches (document index, range), in document order.
    private var byText: [String: [(Int, TextRange)]] = [:]

    /// Finds every occurrence of `texts` in `documents` (`TermMatcher`, documents on every core),
    /// replacing what was found before; returns how many there are. Fewer than two texts are
    /// left to search for themselves (nil: nothing was searched, and what was found before stays).
    mutating func search(_ texts: [String], in documents: [Document]) -> Int? {
        let texts = Array(Set(texts.filter { !$0.isEmpty })).sorted()
        guard texts.count >= 2 else { return nil }
        let matcher = TermMatcher(texts.map { Array($0.utf8) })
        // Each document's matches in one list (one array per text and document was a fifth of
        // the pass in allocations), sorted out by text afterwards.
        let perDocument = Parallel.map(documents.count) { index -> [(text: Int32, range: TextRange)] in
            var found: [(text: Int32, range: TextRange)] = []
            let document = documents[index]
            if document.isMissing { return found }
            document.bytes.withUnsafeBufferPointer { bytes in
                matcher.scan(bytes) { text, start, end in found.append((Int32(text), TextRange(start, end))) }
            }
            return found
        }
        var lists = Array(repeating: [(Int, TextRange)](), count: texts.count)
        var counts = Array(repeating: 0, count: texts.count)
        for found in perDocument { for hit in found { counts[Int(hit.text)] += 1 } }
        for text in lists.indices { lists[text].reserveCapacity(counts[text]) }
        for (document, found) in perDocument.enumerated() {
            for hit in found { lists[Int(hit.text)].append((document, hit.range)) }
        }
        byText = [:]
        for (index, text) in texts.enumerated() { byText[text] = lists[index] }
        self.documents = documents
        return counts.reduce(0, +)
    }

    /// The matches of `text` found ahead, taken (a second take finds none); nil when `text` was
    /// not searched for, or when `documents` is not the corpus it was searched in (then nothing
    /// found ahead is kept).
    mutating func take(_ text: String, in documents: [Document]) -> [(Int, TextRange)]? {
        guard !byText.isEmpty else { return nil }
        guard documents.count == self.documents.count, zip(documents, self.documents).allSatisfy({ $0 === $1 }) else {
            self = CorpusLookahead()
            return nil
        }
        return byText.removeValue(forKey: text)
    }
}
