import Testing
@testable import TagbenchCore

/// Matches found ahead for bulk tags are given once each, and only for the corpus they were found in.
struct CorpusLookaheadTests {
    func document(_ id: String, _ text: String) -> Document {
        Document(id: id, path: "/" + id + ".txt", bytes: Array(text.utf8), sha256: "0")
    }

    @Test func eachTextsMatchesAreTakenOnce() throws {
        let corpus = [document("a", "巡察和巡视"), document("b", "巡视")]
        var lookahead = CorpusLookahead()
        let total = lookahead.search(["巡察", "巡视"], in: corpus)
        #expect(total == 3)
        let taken = lookahead.take("巡视", in: corpus)
        let found = try #require(taken)
        #expect(found.map { $0.0 } == [0, 1])
        #expect(found.map { $0.1 } == [TextRange(3, 5), TextRange(0, 2)])
        let again = lookahead.take("巡视", in: corpus)
        #expect(again == nil)
        let unsearched = lookahead.take("减负", in: corpus)
        #expect(unsearched == nil)
    }

    @Test func anotherCorpusTakesNothing() {
        let first = document("a", "巡察和巡视")
        var lookahead = CorpusLookahead()
        _ = lookahead.search(["巡察", "巡视"], in: [first])
        // A document added, or the same id read again (another object): not the corpus searched.
        let grown = lookahead.take("巡察", in: [first, document("b", "巡察")])
        #expect(grown == nil)
        _ = lookahead.search(["巡察", "巡视"], in: [first])
        let reread = lookahead.take("巡察", in: [document("a", "巡察和巡视")])
        #expect(reread == nil)
        // Once refused, nothing found ahead is kept, even for the corpus it was found in.
        let afterRefusal = lookahead.take("巡视", in: [first])
        #expect(afterRefusal == nil)
    }

    @Test func fewerThanTwoTextsAreNotSearchedAhead() {
        let corpus = [document("a", "巡察")]
        var lookahead = CorpusLookahead()
        let total = lookahead.search(["巡察", "巡察", ""], in: corpus)
        #expect(total == nil)
        let taken = lookahead.take("巡察", in: corpus)
        #expect(taken == nil)
    }
}
