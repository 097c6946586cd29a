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

    @Test func aTextASessionHoldsTwiceIsTwoDocumentsMatchedCopyByCopy() throws {
        let dir = try Fixture.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/copy", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: dir + "/Fixtures/corpus/xinqu-2023.txt", toPath: dir + "/copy/again.txt")
        for name in ["alice", "bob"] {
            let h = EngineHarness(directory: dir, sessionPath: dir + "/\(name).json")
            h.engine.annotator = Annotator(name: name, fixedTime: 1_700_000_000)
            try h.run(
                "schema Schemas/governance.tagset.json", "load Fixtures/corpus/xinqu-2023.txt copy/again.txt",
                "open 1", "tag 第一议题 465:469", "open 2", "tag 巡察 684:688", "save")
        }
        let h = EngineHarness(directory: dir, sessionPath: dir + "/merged.json")
        try h.run("merge alice.json bob.json")
        let s = h.engine.session
        // Both copies are kept, each with the spans made on it.
        #expect(s.documents.map(\.id) == ["xinqu-2023", "again"])
        #expect(
            s.allAnnotations.map { "\($0.document) \(s.tagSet.labels[$0.label].name) \($0.range)" } == [
                "0 第一议题 465:469", "1 巡察 684:688"
            ])
        #expect(s.conflicts.all.isEmpty)
    }

    @Test func spansTheAdjudicatorTookOutStayOutWhenMergedAgain() throws {
        let (h, _) = try team()
        try h.run("merge alice.json bob.json carol.json --strategy min=1")
        let s0 = h.engine.session
        func id(_ label: String) -> String {
            "a\(s0.allAnnotations.first { s0.tagSet.labels[$0.label].name == label }!.number)"
        }
        try h.run("untag \(id("主题教育"))", "relabel \(id("巡视")) 巡察")
        try h.run("merge alice.json bob.json carol.json --strategy min=1")
        #expect(
            h.messages.last?.contains("4 spans accepted (0 new, 2 taken out here before and left out)") == true,
            "\(h.messages)")
        let s = h.engine.session
        #expect(!s.allAnnotations.contains { s.tagSet.labels[$0.label].name == "主题教育" })
        #expect(!s.allAnnotations.contains { s.tagSet.labels[$0.label].name == "巡视" })
        // Undoing the untag forgets that it was taken out: a merge then brings it back.
        try h.run("undo 3", "merge alice.json bob.json carol.json --strategy min=1")
        #expect(h.engine.session.allAnnotations.contains { h.engine.session.tagSet.labels[$0.label].name == "主题教育" })
        #expect(h.engine.session.suggestions.rejected.isEmpty)
    }

    @Test func aDecisionOverASpanAMergeHadAcceptedSaysWhetherItStays() throws {
        let (h, dir) = try team()
        try h.run("merge alice.json bob.json carol.json")
        #expect(spans(h) == ["第一议题 465:469 [\"alice\", \"bob\", \"carol\"]"])
        // Bob changes his mind: the re-merge puts the accepted span in a conflict.
        try annotator("bob", in: dir, ["tag 巡视 684:686", "classify 政治建设 para 2"])
        try h.run("merge alice.json bob.json carol.json")
        let conflict = try #require(h.engine.session.conflicts.open.first { $0.range == TextRange(465, 469) })
        try h.run("resolve c\(conflict.number) --pick 2")
        #expect(
            h.messages.last == "c\(conflict.number) resolved (--pick 2): 0 spans added, 1 a merge had accepted removed")
        #expect(spans(h).isEmpty)
        try h.run("undo")
        #expect(spans(h) == ["第一议题 465:469 [\"alice\", \"bob\", \"carol\"]"])
        // Relabelled by the decision: the accepted span gives way to the new one.
        try h.run("resolve c\(conflict.number) --as 巡视")
        #expect(spans(h) == ["巡视 465:469 []"])
    }

    @Test func aUnitConflictIsNotDecidedAtOffsets() throws {
        let (h, _) = try team()
        try h.run("merge alice.json bob.json carol.json")
        let unit = try #require(h.engine.session.conflicts.open.first { $0.unit != nil })
        let span = try #require(h.engine.session.conflicts.open.first { $0.unit == nil })
        #expect(
            h.failure("resolve c\(span.number) --as 巡察 --at 1:3")
                == .invalidArgument(
                    command: "resolve", argument: "--at 1:3",
                    expected: "a span overlapping c\(span.number)'s \(span.range)"))
        #expect(
            h.failure("resolve c\(unit.number) --as 政治建设 --at 1:5")
                == .invalidArgument(
                    command: "resolve", argument: "--at",
                    expected: "allowed: c\(unit.number) is over a unit, which --as labels whole"))
    }

    @Test func aDecisionStandsWhenAnotherStrategyWouldAcceptWhatItLeftOut() throws {
        let (h, _) = try team()
        try h.run("merge alice.json bob.json carol.json")
        let conflict = try #require(h.engine.session.conflicts.open.first { $0.range == TextRange(684, 688) })
        let unit = try #require(h.engine.session.conflicts.open.first { $0.unit != nil })
        try h.run("resolve c\(conflict.number) --none", "resolve c\(unit.number) --none")
        try h.run("merge alice.json bob.json carol.json --strategy majority")
        // Majority would label para 2 政治建设 (bob and carol); the decision said none.
        #expect(h.engine.session.categories.isEmpty)
        #expect(
            h.warnings.contains(
                "c\(unit.number) was resolved (--none); the merge now accepts 政治建设 on para 2 there, which is left out: the decision is kept"
            ), "\(h.warnings)")
        // Majority would accept alice's and carol's 巡察 684:688; the decision said none.
        #expect(!spans(h).contains { $0.hasPrefix("巡察 684:688") }, "\(spans(h))")
        #expect(
            h.warnings.contains(
                "c\(conflict.number) was resolved (--none); the merge now accepts 巡察 684:688 there, which is left out: the decision is kept"
            ), "\(h.warnings)")
    }

    @Test func aStrategyNoSpanCanMeetIsSaid() throws {
        let (h, _) = try team()
        try h.run("merge alice.json bob.json carol.json --strategy min=4")
        #expect(spans(h).isEmpty)
        #expect(
            h.warnings == [
                "--strategy min=4 with 3 sessions accepts nothing: every span and label on a unit becomes a conflict"
            ])
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

/// `conflict`: a conflict stated whole (as the merge driver logs the ones it makes), checked
/// against the session, undoable, and decided by `resolve` like any other.
struct ConflictCommandTests {
    @Test func aStatedConflictIsCheckedNumberedUndoneAndResolved() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus")
        #expect(
            h.failure("conflict nowhere 1:2 --version a --version b") == .unknownDocument("nowhere", suggestion: nil))
        #expect(
            h.failure("conflict xinqu-2023 684:688 --version a 政治建设 684:688 --version b")
                == .wrongLabelKind(label: "政治建设", expected: .span, command: "conflict"))
        #expect(h.failure("conflict xinqu-2023 684:99999 --version a --version b") != nil)
        try h.run("conflict xinqu-2023 684:688 --version ours 巡察 684:688 --version theirs 巡视 684:688")
        #expect(h.engine.session.conflicts.open.map(\.id) == ["c1"])
        #expect(h.engine.session.conflicts.open[0].versions.map(\.annotator) == ["ours", "theirs"])
        try h.run("undo")
        #expect(h.engine.session.conflicts.all.isEmpty)
        try h.run("redo", "resolve c1 --pick 2")
        let s = h.engine.session
        #expect(s.allAnnotations.map { "\(s.tagSet.labels[$0.label].name) \($0.range)" } == ["巡视 684:688"])
        #expect(
            s.log.suffix(4).map { CommandRenderer.render($0.command) } == [
                "conflict xinqu-2023 684:688 --version ours 巡察 684:688 --version theirs 巡视 684:688",
                "undo", "redo", "resolve c1 --pick 2"
            ])
    }

    @Test func aConflictMustBeConsistentAndItsIdIsNeverReused() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus")
        for line in [
            "conflict xinqu-2023 684:688 --version a 巡察 600:700 --version b",
            "conflict xinqu-2023 684:688 --version a 巡察 684:688 --version a",
            "conflict xinqu-2023 684:688 --version \"\" 巡察 684:688 --version b",
            "conflict xinqu-2023 684:688 --version \" \" 巡察 684:688 --version b",
            "conflict xinqu-2023 684:688 --version a 巡察 684:688 巡察 684:688 --version b",
            "conflict xinqu-2023 684:688 --version a --version b"
        ] {
            guard case .invalidArgument(command: "conflict", _, _) = h.failure(line) else {
                Issue.record("\(line) was not refused")
                continue
            }
        }
        try h.run("conflict xinqu-2023 684:688 --version a 巡察 684:688 --version b", "undo")
        try h.run("conflict xinqu-2023 684:688 --version a 巡视 684:688 --version b")
        #expect(h.engine.session.conflicts.all.map(\.id) == ["c2"])
    }
}
