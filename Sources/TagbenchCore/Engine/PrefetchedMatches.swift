/// Matches of literal texts over the whole corpus, found ahead in one pass; each is taken once,
/// and only while the corpus is the one they were found in.
struct PrefetchedMatches {
    let documents: Int
    var byText: [String: [(Int, TextRange)]]

    mutating func take(_ text: String, documents count: Int) -> [(Int, TextRange)]? {
        guard count == documents else { byText = [:]; return nil }
        return byText.removeValue(forKey: text)
    }
}
