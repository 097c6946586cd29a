import Foundation
import Testing
@testable import TagbenchCore

/// The undo history kept across reopening: a save keeps the latest steps in the session file,
/// reopening reads them back, and `undo`/`redo` move them, each checked against the session
/// first so that a file edited by hand or a changed document makes a step refused, not applied.
@Suite struct KeptUndoTests {
    /// A saved session of the fixtures' corpus, as `tagbench SESSION` has it.
    func saved() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "save")
        return (h, path)
    }

    func reopen(_ path: String, _ h: EngineHarness) throws -> EngineHarness {
        let (engine, _) = try Engine.open(
            path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        return EngineHarness(engine: engine, directory: h.directory)
    }

    /// The steps of a sitting, with the fingerprint before each.
    static let steps = [
        "open qu-jiceng", "tag 巡察 all 巡察", "relabel a1 巡视", "note a2 复核", "classify 政治建设 para 2",
        "label add 新词", "tag 新词 1:3", "untag a1", "unclassify 政治建设 para 2"
    ]

    @Test func undoAfterReopeningTakesBackEveryStepOfTheLastSittingAndRedoDoesThemAgain() throws {
        let (h, path) = try saved()
        var before: [[String]] = []
        var labelCounts: [Int] = []
        for step in Self.steps {
            before.append(h.annotationFingerprint)
            labelCounts.append(h.engine.session.tagSet.labels.count)
            try h.run(step)
        }
        let last = h.annotationFingerprint
        try h.run("save")
        let reopened = try reopen(path, h)
        // Every step but the `open` (which changes nothing) is undone, latest first.
        for index in Self.steps.indices.dropFirst().reversed() {
            try reopened.run("undo")
            let command = try #require(try CommandParser.parse(Self.steps[index]))
            #expect(reopened.messages == ["undid: \(CommandRenderer.render(command))"])
            #expect(reopened.annotationFingerprint == before[index], "after undoing \(Self.steps[index])")
            #expect(reopened.engine.session.tagSet.labels.count == labelCounts[index])
        }
        // Below them is the `load`, whose undo is not kept: refused, saying so.
        #expect(reopened.failure("undo") == .undoStepNotKept(command: "load Fixtures/corpus", undoing: true))
        try reopened.run("redo \(Self.steps.count - 1)")
        #expect(reopened.annotationFingerprint == last)
    }

    @Test func whatWasUndoneBeforeTheSaveIsRedoneAfterReopening() throws {
        let (h, path) = try saved()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "label add 新词", "tag 新词 1:3")
        let last = h.annotationFingerprint
        try h.run("undo 2", "save")
        let undone = h.annotationFingerprint
        let reopened = try reopen(path, h)
        #expect(reopened.annotationFingerprint == undone)
        try reopened.run("redo 2")
        #expect(reopened.annotationFingerprint == last)
        #expect(reopened.engine.session.tagSet.index(of: "新词") != nil)
    }

    @Test func aSaveLetsGoOfTheHistoryItWroteAndTheNextSaveWritesItAgain() throws {
        let (h, path) = try saved()
        let untagged = h.annotationFingerprint
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "note a1 复核", "save")
        // The steps are the history; the file's form of them, made for the save, is let go.
        #expect(h.engine.session.keptUndo.isEmpty)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        try h.run("save")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
        try h.run("undo")
        #expect(h.messages == ["undid: note a1 \"复核\""])
        let reopened = try reopen(path, h)
        try reopened.run("undo 2")
        #expect(reopened.annotationFingerprint == untagged)
    }

    @Test func theSaveKeepsTheLatestHundredStepsAndNamesTheNextOne() throws {
        let (h, path) = try saved()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察")
        var before: [[String]] = []
        for round in 1...(KeptUndo.stepLimit + 2) {
            before.append(h.annotationFingerprint)
            try h.run("note a2 n\(round)")
        }
        try h.run("save")
        let reopened = try reopen(path, h)
        try reopened.run("undo \(KeptUndo.stepLimit)")
        #expect(reopened.annotationFingerprint == before[2])
        // The 101st step back is named, not kept: refused, and nothing changes.
        #expect(reopened.failure("undo") == .undoStepNotKept(command: "note a2 \"n2\"", undoing: true))
        #expect(reopened.annotationFingerprint == before[2])
    }

    @Test func aStepThatNoLongerFitsAFileEditedByHandIsRefusedAndNothingChanges() throws {
        let (h, path) = try saved()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "note a2 复核", "tag 基层党建 sent 4", "save")
        // By hand: a1 moved; the kept `tag` step still names it where the tag left it.
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let a1 = try #require(lines.firstIndex { $0.contains("{\"id\": \"a1\"") })
        lines[a1] = lines[a1].replacingOccurrences(of: "\"start\": 1091", with: "\"start\": 1090")
            .replacingOccurrences(of: "\"text\": \"巡察\"", with: "\"text\": \"、巡察\"")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let reopened = try reopen(path, h)
        let edited = reopened.annotationFingerprint
        #expect(edited.contains { $0.hasPrefix("a1 qu-jiceng 1090:1093") })
        // Three steps back reaches the `tag`: refused as a whole, the two before it put back.
        guard case .undoStepNoLongerApplies(let command, true, let reason)? = reopened.failure("undo 3") else {
            Issue.record("undo 3 was not refused")
            return
        }
        #expect(command == "tag 巡察 all \"巡察\"")
        #expect(reason.contains("a1 is no longer 巡察 at qu-jiceng 1091:1093"))
        #expect(reopened.annotationFingerprint == edited)
        // The steps after it still undo.
        try reopened.run("undo 2")
        #expect(reopened.annotationFingerprint.count == edited.count - 1)
    }

    @Test func aSpanPutBackOnADocumentWhoseTextChangedIsRefused() throws {
        let (h, path) = try saved()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "untag a1", "save")
        // The document's text changes before the span that `untag` removed: it would be put
        // back onto other text.
        let document = h.directory + "/Fixtures/corpus/qu-jiceng.txt"
        let text = try String(contentsOfFile: document, encoding: .utf8)
        try ("新增一行。\n" + text).write(toFile: document, atomically: true, encoding: .utf8)
        let reopened = try reopen(path, h)
        let now = reopened.annotationFingerprint
        guard case .undoStepNoLongerApplies(let command, true, let reason)? = reopened.failure("undo") else {
            Issue.record("undo was not refused")
            return
        }
        #expect(command == "untag a1")
        #expect(reason.contains("no longer has \"巡察\" at 1091:1093"))
        #expect(reopened.annotationFingerprint == now)
    }

    @Test func aSessionWithoutAKeptHistoryOpensWithNothingToUndo() throws {
        let (h, path) = try saved()
        // After a load the latest step is not kept: the file is as it always was.
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"undo\"") == false)
        let reopened = try reopen(path, h)
        #expect(reopened.failure("undo") == .nothingToUndo)
    }

    @Test func afterCrashRecoveryUndoReachesBackPastTheSave() throws {
        let (h, path) = try saved()
        try h.engine.attachJournal()
        let untagged = h.annotationFingerprint
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "save")
        let atSave = h.annotationFingerprint
        try h.run("note a2 复核", "tag 基层党建 sent 4")
        // The process dies here: the last two commands are only in the journal.
        let (engine, warnings) = try Engine.open(
            path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        #expect(warnings.first?.hasPrefix("recovered ") == true)
        let recovered = EngineHarness(engine: engine, directory: h.directory)
        #expect(recovered.annotationFingerprint == h.annotationFingerprint)
        try recovered.run("undo 2")
        #expect(recovered.annotationFingerprint == atSave)
        // And past the save, into the sitting before it.
        try recovered.run("undo")
        #expect(recovered.annotationFingerprint == untagged)
    }
}
