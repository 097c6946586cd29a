import Foundation
import Testing
@testable import TagbenchCore

/// `merge`, `conflicts` and `resolve` in the engine: the strategies, undo and redo of a merge and
/// a decision, the parser, and conflicts kept by the session file (and a session without any
/// written as before).
struct MergeTests {
    /// Saves a session annotated with `lines` as `NAME.json` in `dir`, made by annotator `name`.
    func annotator(_ name: String, in dir: String, _ lines: [String]) throws {
        let h = EngineHarness(directory: dir, sessionPath: dir + "/\(name).json")
        h.engine.annotator = Annotator(name: name, fixedTime: 1_700_000_000)
        for line in ["schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023"] + lines
            + ["save"]
        {
            try h.run(line)
        }
    }

    func team() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        try annotator("alice", in: dir, ["tag 第一议题 465:469", "tag 主题教育 153:157", "tag 巡察 684:688"])
        try annotator("bob", in: dir, ["tag 第一议题 465:469", "tag 巡视 684:686", "classify 政治建设 para 2"])
        try annotator("carol", in: dir, ["tag 第一议题 465:469", "tag 巡察 684:688", "classify 政治建设 para 2"])
        return (EngineHarness(directory: dir, sessionPath: dir + "/merged.json"), dir)
    }

    func spans(_ h: EngineHarness) -> [String] {
        let s = h.engine.session
        return s.allAnnotations.map { "\(s.tagSet.labels[$0.label].name) \($0.range) \($0.annotators)" }
    }

    @Test(arguments: [
        ("unanimous", ["第一议题 465:469 [\"alice\", \"bob\", \"carol\"]"], ["153:157", "684:688", "para 2"]),
        (
            "majority", ["第一议题 465:469 [\"alice\", \"bob\", \"carol\"]", "巡察 684:688 [\"alice\", \"carol\"]"],
            ["153:157", "684:686"]
        ),
        (
            "min=1",
            [
                "第一议题 465:469 [\"alice\", \"bob\", \"carol\"]", "主题教育 153:157 [\"alice\"]",
                "巡察 684:688 [\"alice\", \"carol\"]", "巡视 684:686 [\"bob\"]"
            ], []
        )
    ])
    func strategiesAcceptWhatEnoughAnnotatorsMade(strategy: String, accepted: [String], conflicts: [String]) throws {
        let (h, _) = try team()
        try h.run("merge alice.json bob.json carol.json --strategy \(strategy)")
        #expect(spans(h).sorted() == accepted.sorted())
        #expect(
            h.engine.session.conflicts.all.map { c in c.unit.map { "\($0.rawValue) \(c.index)" } ?? "\(c.range)" }
                == conflicts)
        #expect(h.engine.session.conflicts.all.allSatisfy { $0.versions.map(\.annotator) == ["alice", "bob", "carol"] })
    }

    @Test func aMergeAndADecisionAreUndoneAndRedoneWhole() throws {
        let (h, _) = try team()
        try h.run("merge alice.json bob.json carol.json")
        let merged = (h.annotationFingerprint, h.engine.session.conflicts)
        try h.run("resolve c2 --all")
        // Both versions' spans are added, and the message counts them (not the changes).
        #expect(h.messages.first == "c2 resolved (--all): 2 spans added", "\(h.messages)")
        #expect(spans(h).contains("巡察 684:688 [\"alice\", \"carol\"]"))
        #expect(spans(h).contains("巡视 684:686 [\"bob\"]"))
        #expect(h.engine.session.conflicts.conflict(number: 2)?.decision == .all)
        try h.run("undo")
        #expect(h.annotationFingerprint == merged.0 && h.engine.session.conflicts == merged.1)
        try h.run("redo", "undo 2")
        #expect(h.engine.session.documents.isEmpty && h.engine.session.conflicts.all.isEmpty)
        #expect(h.engine.session.annotationCount == 0)
        try h.run("redo")
        #expect(h.annotationFingerprint == merged.0 && h.engine.session.conflicts == merged.1)
        #expect(h.failure("resolve c9 --none") == .unknownConflict("c9"))
        #expect(h.failure("resolve c1 --pick 4") == .versionOutOfRange(conflict: "c1", number: 4, count: 3))
        try h.run("resolve c3 --pick 2")
        #expect(h.engine.session.categories.map(\.annotators) == [["bob"]])
        #expect(h.failure("resolve c3 --none") == .conflictDecided("c3", decision: "--pick 2"))
    }

    @Test func conflictsAndAnnotatorsSurviveTheSessionFileAndOtherSessionsAreUnchanged() throws {
        let (h, dir) = try team()
        let plain = try Data(contentsOf: URL(fileURLWithPath: dir + "/alice.json"))
        try h.run("merge alice.json bob.json carol.json", "resolve c1 --as 巡察 --at 153:155", "save")
        let bytes = try FileSystem.read(dir + "/merged.json")
        let (opened, _) = try SessionCodec.decode(bytes, path: dir + "/merged.json", displayPath: "merged.json")
        #expect(opened.conflicts == h.engine.session.conflicts)
        #expect(opened.allAnnotations == h.engine.session.allAnnotations)
        #expect(opened.categories == h.engine.session.categories)
        #expect(SessionCodec.encode(opened, directory: dir) == bytes)
        // A session that never merged has neither key.
        #expect(!String(decoding: plain, as: UTF8.self).contains("conflict"))
        #expect(!String(decoding: plain, as: UTF8.self).contains("annotators"))
    }

    @Test(arguments: [
        ("merge a.json b.json", Command.merge(["a.json", "b.json"], strategy: .unanimous)),
        ("merge a.json --strategy min=2", Command.merge(["a.json"], strategy: .atLeast(2))),
        ("merge a.json --strategy majority", Command.merge(["a.json"], strategy: .majority)),
        ("conflicts 巡察", Command.conflicts(label: "巡察")),
        ("resolve c3 --pick 2", Command.resolve(3, .pick(2))),
        ("resolve c3 --all", Command.resolve(3, .all)),
        ("resolve c3 --none", Command.resolve(3, .none)),
        ("resolve c3 --as 巡察 --at 1:4", Command.resolve(3, .relabel("巡察", at: TextRange(1, 4)))),
        ("resolve c3 --as 巡察", Command.resolve(3, .relabel("巡察", at: nil)))
    ])
    func commandsParseAndRenderBack(line: String, command: Command) throws {
        #expect(try CommandParser.parse(line) == command)
        #expect(CommandRenderer.render(command) == line)
    }

    @Test(arguments: ["merge", "merge a.json --strategy most", "resolve c3", "resolve 3 --all", "resolve c3 --pick 0"])
    func badCommandsAreErrors(line: String) {
        #expect(throws: LocatedError.self) { try CommandParser.parse(line) }
    }
}
