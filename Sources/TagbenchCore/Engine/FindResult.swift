/// What the last `find` found: the hits `tag hN` takes, and what a replay needs to find them
/// again (the pattern, and the document it searched).
struct FindResult {
    /// What was searched for.
    var pattern: Pattern
    /// The whole corpus was searched, not the current document.
    var corpus: Bool
    /// The document searched, when it was not the corpus.
    var document: Int?
    /// Every match, in order (document index, range): hit N is `hits[N - 1]`.
    var hits: [(Int, TextRange)]
    /// Tells this find from every other (the journal bookkeeping remembers which one is logged).
    var number: Int
}
