import Foundation
import Testing
@testable import TagbenchCore

/// Tag-set patterns, the suggestion queue, accept/reject, overlap policies and tag-set loading.
struct SuggestionTests {
    func harness() throws -> EngineHarness {
        let h = EngineHarness(directory: try Fixture.workspace())
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus")
        return h
    }

    static let automatonCases: [([String], String)] = [
        (["he", "she", "his", "hers"], "ushers and his shehe"),
        (["巡察", "巡视巡察", "察"], "开展巡视巡察，巡察整改，察"),
        (["aa", "a", "aaa"], "aaaa"),
        (["𠀀", "𠀀工", "x"], "𠀀工𠀀x"),
        (["abc"], ""),
        (["same", "same"], "same same"),
        (["é", "e"], "cafe café"),
        (["", "x"], "xx")
    ]

    @Test(arguments: automatonCases)
    func termMatcherFindsWhatABruteForceSearchFinds(patterns: [String], text: String) {
        let matcher = TermMatcher(patterns.map { Array($0.utf8) })
        var found: [[Int]] = []
        Array(text.utf8).withUnsafeBufferPointer { bytes in matcher.scan(bytes) { found.append([$0, $1, $2]) } }
        // Brute force over code points.
        var expected: [[Int]] = []
        let hay = Array(text.unicodeScalars)
        for (p, pattern) in patterns.enumerated() {
            let needle = Array(pattern.unicodeScalars)
            guard !needle.isEmpty, needle.count <= hay.count else { continue }
            for start in 0...(hay.count - needle.count) where Array(hay[start..<(start + needle.count)]) == needle {
                expected.append([p, start, start + needle.count])
            }
        }
        #expect(
            found.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(found.map { $0[1] } == found.map { $0[1] }.sorted(), "in order of their starts")
    }

    @Test func suggestionsMatchAnIndependentCountAndHonourContextRules() throws {
        let h = try harness()
        try "开展巡视巡察工作，巡察整改；巡视巡察全覆盖，巡视组。\n".write(
            toFile: h.directory + "/context.txt", atomically: true, encoding: .utf8)
        try h.run("load context.txt", "suggest --corpus")
        let s = h.engine.session
        // Counted here by plain string search, not through the automaton.
        func count(_ term: String, notInside: String? = nil) -> Int {
            var n = 0
            for d in s.documents {
                let text = Array(d.string.unicodeScalars)
                let t = Array(term.unicodeScalars)
                for i in 0..<max(0, text.count - t.count + 1) where Array(text[i..<(i + t.count)]) == t {
                    if let outer = notInside.map({ Array($0.unicodeScalars) }) {
                        let inside = (0..<outer.count).contains { k in
                            i - k >= 0 && i - k + outer.count <= text.count
                                && Array(text[(i - k)..<(i - k + outer.count)]) == outer && k + t.count <= outer.count
                        }
                        if inside { continue }
                    }
                    n += 1
                }
            }
            return n
        }
        func queued(_ label: String) -> Int {
            s.suggestions.pending.filter { s.tagSet.labels[$0.label].name == label }.count
        }
        #expect(queued("巡察") == count("巡察", notInside: "巡视巡察"))
        #expect(queued("巡察") == count("巡察") - 2, "context.txt has 巡视巡察 twice, which the rule leaves out")
        #expect(queued("巡视") == count("巡视") - 2)
        #expect(queued("主题教育") == count("主题教育"))
        #expect(queued("整改落实") == count("整改落实") + count("整改到位") + count("问题整改"))
        #expect(queued("形式主义官僚主义") == count("形式主义官僚主义") + count("形式主义、官僚主义") + count("形式主义，官僚主义"))
        #expect(s.suggestions.pending.map(\.number) == Array(1...s.suggestions.pending.count))
        for q in s.suggestions.pending { #expect(s.documents[q.document].text(q.range) == q.text) }
        // Suggesting again queues nothing new.
        try h.run("suggest --corpus")
        #expect(h.messages == ["no new suggestions"])
    }

    @Test func acceptedAndRejectedSuggestionsAreNotSuggestedAgain() throws {
        let h = try harness()
        try h.run("open qu-jiceng", "suggest 巡察")
        let waiting = h.engine.session.suggestions.pending
        #expect(waiting.count >= 2)
        try h.run("accept s1", "reject s2")
        let a = h.engine.session.allAnnotations.last!
        #expect(a.source == "rule:\"巡察\"" && a.range == waiting[0].range)
        #expect(h.engine.session.suggestions.rejected.map(\.number) == [2])
        try h.run("suggest 巡察")
        #expect(h.messages == ["no new suggestions, 1 already tagged, 1 rejected before"])
        // Undo puts them back in the queue; redo takes them out again.
        try h.run("undo 2")
        #expect(h.engine.session.suggestions.pending.map(\.number) == waiting.map(\.number))
        #expect(h.engine.session.annotationCount == 0 && h.engine.session.suggestions.rejected.isEmpty)
        try h.run("redo 2")
        #expect(h.engine.session.annotationCount == 1 && h.engine.session.suggestions.rejected.count == 1)
        #expect(h.failure("accept s1") == .unknownSuggestion("s1"))
    }

    @Test func acceptCanChangeTheLabelAndTheOffsetsAndFilterByLabel() throws {
        let h = try harness()
        try h.run("open qu-jiceng", "suggest --corpus")
        let s = h.engine.session
        let first = s.suggestions.pending.first { s.tagSet.labels[$0.label].name == "巡察" }!
        try h.run("accept \(first.id) --as xs --at \(first.range.start):\(first.range.end + 2)")
        let a = s.allAnnotations.last!
        #expect(s.tagSet.labels[a.label].name == "巡视" && a.range == TextRange(first.range.start, first.range.end + 2))
        #expect(a.text == s.documents[first.document].text(a.range))
        #expect(s.suggestions.rejected == [first], "as it stood, the suggestion was wrong: it is not suggested again")
        try h.run("undo")
        #expect(s.suggestions.rejected.isEmpty && s.suggestions.pending(number: first.number) == first)
        try h.run("redo")
        let before = s.suggestions.pending.count
        let zt = s.suggestions.pending.filter { s.tagSet.labels[$0.label].name == "主题教育" }.count
        try h.run("reject all 主题教育")
        #expect(s.suggestions.pending.count == before - zt)
        #expect(
            h.failure("accept all --at 1:2")
                == .invalidArgument(command: "accept", argument: "--at", expected: "one suggestion (sN) to move"))
    }

    @Test func theQueueAndRejectionsSurviveSaving() throws {
        let h = try harness()
        try h.run("suggest --corpus", "reject s3-s5", "accept s1", "save s.json")
        let (again, _) = try Engine.open(
            path: h.directory + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(again.session.suggestions.pending == h.engine.session.suggestions.pending)
        #expect(again.session.suggestions.rejected == h.engine.session.suggestions.rejected)
        #expect(again.session.suggestions.nextNumber == h.engine.session.suggestions.nextNumber)
        #expect(
            SessionCodec.encode(again.session, directory: h.directory)
                == SessionCodec.encode(h.engine.session, directory: h.directory))
    }

    @Test func decisionsReplayedFromHistoryGiveTheSameSession() throws {
        let h = try harness()
        try h.run(
            "open quwei-2023", "suggest --corpus", "accept s2", "reject s3", "accept s4 --as 巡视", "undo",
            "accept s5-s9", "reject all 主题教育")
        let script = h.engine.session.log.map { CommandRenderer.render($0.command.relativizingPaths(to: h.directory)) }
        let replay = EngineHarness(directory: h.directory)
        for line in script { try replay.run(line) }
        #expect(replay.annotationFingerprint == h.annotationFingerprint)
        #expect(replay.engine.session.suggestions.pending == h.engine.session.suggestions.pending)
        #expect(replay.engine.session.suggestions.rejected == h.engine.session.suggestions.rejected)
    }

    func policyHarness(_ policy: String) throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try """
        {"format": "tagbench-tagset", "version": 1, "overlap": "\(policy)", "labels": [
          {"name": "A", "kind": "span", "aliases": [], "colour": "#112233", "description": "", "patterns": ["巡察工作", "巡察"]},
          {"name": "B", "kind": "span", "aliases": [], "colour": "#112234", "description": ""}]}
        """.write(toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        try "巡察工作要点：深化巡察工作。\n".write(toFile: dir + "/d.txt", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir)
        try h.run("schema t.json", "load d.txt", "tag A 0:4")
        return h
    }

    @Test func overlapPoliciesDecideWhatMayOverlap() throws {
        let none = try policyHarness("none")
        #expect(none.failure("tag B 2:6") == .overlapNotAllowed(policy: .none, span: "a1 (A 0:4 \"巡察工作\")"))
        #expect(none.failure("tag B 0:2") == .overlapNotAllowed(policy: .none, span: "a1 (A 0:4 \"巡察工作\")"))
        try none.run("tag B 5:7")
        let nest = try policyHarness("nest")
        #expect(nest.failure("tag B 2:6") == .overlapNotAllowed(policy: .nest, span: "a1 (A 0:4 \"巡察工作\")"))
        try nest.run("tag B 0:2", "tag B 0:4")
        #expect(nest.engine.session.annotationCount == 3)
        let allow = try policyHarness("allow")
        try allow.run("tag B 2:6")
        // A bulk tag skips what the policy forbids and says so.
        let bulk = try policyHarness("none")
        try bulk.run("tag B all 作要 ")
        #expect(
            bulk.messages == [
                "1 match skipped: the overlap policy (none) does not allow them beside spans already there"
            ])
        // Suggestions in the way stay waiting when accepted with others; alone, they are an error.
        try bulk.run("suggest")
        #expect(bulk.failure("accept s1") == .overlapNotAllowed(policy: .none, span: "a1 (A 0:4 \"巡察工作\")"))
    }

    @Test func loadingATagSetRemovesUnusedLabelsAndRefusesToDropUsedOnes() throws {
        let h = try policyHarness("allow")
        try h.run("label add C", "label add D", "tag D 5:7")
        try """
        {"format": "tagbench-tagset", "version": 1, "labels": [
          {"name": "A", "kind": "span", "aliases": [], "colour": "#112233", "description": ""},
          {"name": "D", "kind": "span", "aliases": [], "colour": "#112235", "description": ""}]}
        """.write(toFile: h.directory + "/t2.json", atomically: true, encoding: .utf8)
        try h.run("schema t2.json")
        #expect(h.messages == ["t2.json: 0 labels added, 2 updated, 2 unused removed (B C)"])
        let s = h.engine.session
        #expect(s.tagSet.labels.map(\.name) == ["A", "D"])
        #expect(
            s.allAnnotations.map { s.tagSet.labels[$0.label].name } == ["A", "D"],
            "annotations follow their labels to new places")
        try h.run("undo")
        #expect(s.tagSet.labels.map(\.name) == ["A", "B", "C", "D"])
        #expect(s.allAnnotations.map { s.tagSet.labels[$0.label].name } == ["A", "D"])
        try """
        {"format": "tagbench-tagset", "version": 1, "labels": [{"name": "B", "kind": "span", "aliases": [], "colour": "#112233", "description": ""}]}
        """.write(toFile: h.directory + "/t3.json", atomically: true, encoding: .utf8)
        #expect(h.failure("schema t3.json") == .labelsInUse("A (1 span: a1); D (1 span: a2)"))
    }

    static let badTagSets: [(String, String)] = [
        (#""parent": "Nowhere""#, "the parent of A, Nowhere, is not a label of the set"),
        (#""shortcut": "y""#, "shortcut \"y\" of A: a shortcut is one key other than ? H L h l n p q s u y and space"),
        (
            #""patterns": ["/巡(察/"]"#,
            "bad.json is not a valid tag set: A: pattern /巡(察/: invalid regular expression /巡(察/"
        ),
        (#""parent": "A""#, "the parents of A go round in a circle")
    ]

    @Test(arguments: badTagSets)
    func badTagSetsAreRefused(field: String, message: String) throws {
        let dir = try Fixture.workspace()
        try """
        {"format": "tagbench-tagset", "version": 1, "labels": [{"name": "A", "kind": "span", "aliases": [], "colour": "#112233", "description": "", \(field)}]}
        """.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir)
        let error = h.failure("schema bad.json")
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(h.engine.session.tagSet.labels.isEmpty)
    }

    /// The `suggestions` listing pads the document and the offsets as `find` does, so every
    /// context starts in the same column (documents and offsets of different widths here).
    @Test func theSuggestionListingKeepsItsColumns() throws {
        let h = try harness()
        try h.run("suggest --corpus", "suggestions")
        let lines = h.output.flatMap { item -> [String] in if case .lines(let lines) = item { lines } else { [] } }
        try #require(lines.count > 2, "\(h.output)")
        let documents = Set(lines.map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] })
        #expect(documents.count > 1, "the listing should span documents of different names")
        let contextColumns = Set(lines.map { line in Format.displayWidth(String(line[..<line.firstIndex(of: "…")!])) })
        #expect(contextColumns.count == 1, "contexts start at columns \(contextColumns.sorted())")
    }
}

/// The multi-term search on long texts: every path of `tb_find_terms` (32 bytes a step, the
/// byte-at-a-time tail, CJK first characters compared one by one (3 terms) or found by their
/// nibbles with candidates checked against their buckets' terms (20) or against all (70), more
/// first characters than the SIMD path takes, more hits than one call returns) against a
/// brute-force search over code points.
struct TermMatcherTests {
    @Test(arguments: [3, 20, 70])
    func longTextsFindWhatABruteForceSearchFinds(termCount: Int) {
        let alphabet = Array("巡察整改主题教育第一议题减负ab𠀀é，\n\"")
        for round in 0..<40 {
            let terms = (0..<termCount).map { _ in
                String((0..<Int.random(in: 1...3)).map { _ in alphabet.randomElement()! })
            }
            // Short and long texts; a dense alphabet gives more hits than one call holds.
            let text = String(
                (0..<Int.random(in: 0...(round % 4 == 0 ? 40 : 3_000))).map { _ in alphabet.randomElement()! })
            let hay = Array(text.unicodeScalars)
            var expected: [[Int]] = []
            for start in hay.indices {
                for (t, term) in terms.enumerated() {
                    let needle = Array(term.unicodeScalars)
                    if start + needle.count <= hay.count && Array(hay[start..<(start + needle.count)]) == needle {
                        expected.append([t, start, start + needle.count])
                    }
                }
            }
            for portable in [false, true] {
                let matcher = TermMatcher(terms.map { Array($0.utf8) }, portable: portable)
                var found: [[Int]] = []
                Array(text.utf8).withUnsafeBufferPointer { bytes in matcher.scan(bytes) { found.append([$0, $1, $2]) } }
                #expect(found == expected, "terms \(terms), portable \(portable)")
            }
        }
    }

}
