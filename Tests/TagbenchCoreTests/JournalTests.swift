import Foundation
import Testing
@testable import TagbenchCore

/// The write-ahead journal: changes since the last save survive the process, and come back exactly.
struct JournalTests {
    func open(_ path: String) throws -> (Engine, [String]) {
        try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
    }

    /// A saved session with a journal attached, as the REPL has it.
    func journaled() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "save")
        try h.engine.attachJournal()
        return (h, path)
    }

    /// Writes raw text at the end of a session's journal, as a crash or a tamperer would leave it.
    func append(_ text: String, toJournalOf path: String) throws {
        let journal = try FileHandle(forWritingTo: URL(fileURLWithPath: Journal.path(for: path)))
        try journal.seekToEnd()
        try journal.write(contentsOf: Data(text.utf8))
        try journal.close()
    }

    @Test func unsavedChangesAreRecoveredExactlyOnOpen() throws {
        let (h, path) = try journaled()
        try h.run(
            "open xinqu-2023", "find 第一议题", "tag dyyt h2", "tag 巡察 all 巡察 --corpus", "untag a3", "note a2 复核",
            "classify 政治建设 para 2", "undo", "tag 巡视 all 巡视", "undo", "redo")
        // The process "dies" here: nothing saved, only the journal on disk.
        let (recovered, warnings) = try open(path)
        #expect(warnings.first == "recovered 12 commands from the journal of s.json (not saved yet)")
        #expect(
            EngineHarness(engine: recovered, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
        #expect(recovered.session.log == h.engine.session.log)
        #expect(recovered.isDirty)
    }

    @Test func savingEmptiesTheJournal() throws {
        let (h, path) = try journaled()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "save")
        let (reopened, warnings) = try open(path)
        #expect(warnings.isEmpty)
        #expect(reopened.session.annotationCount == h.engine.session.annotationCount)
        // After a save the journal starts afresh: a recovery replays only what came after.
        try h.run("tag 基层党建 sent 4")
        let (again, more) = try open(path)
        #expect(more.first == "recovered 2 commands from the journal of s.json (not saved yet)")
        #expect(EngineHarness(engine: again, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
    }

    @Test func anUndoPastTheLastSaveOfAKeptStepIsJournaled() throws {
        let (h, path) = try journaled()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "tag 基层党建 sent 4", "save")
        try h.run("undo", "undo", "tag 第一议题 \"第一议题\"#1")
        // The save kept both steps: a replay of the journal reads them back and undoes them.
        #expect(!FileManager.default.fileExists(atPath: Journal.checkpointPath(for: path)))
        let (recovered, warnings) = try open(path)
        #expect(warnings.first?.hasPrefix("recovered ") == true)
        #expect(
            EngineHarness(engine: recovered, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
    }

    @Test func anUndoPastTheLastSaveIsKeptThroughACheckpoint() throws {
        let (h, path) = try journaled()
        // `suggest` changes suggestions, whose undo a save does not keep.
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "untag a1", "suggest 巡察", "save")
        try h.run("undo", "undo", "tag 第一议题 \"第一议题\"#1")
        #expect(FileManager.default.fileExists(atPath: Journal.checkpointPath(for: path)))
        let (recovered, warnings) = try open(path)
        #expect(warnings.first == "recovered s.json from the checkpoint of unsaved changes beside it")
        #expect(
            EngineHarness(engine: recovered, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
        // Saving makes the checkpoint redundant.
        try h.run("save")
        #expect(!FileManager.default.fileExists(atPath: Journal.checkpointPath(for: path)))
        #expect(try open(path).1.isEmpty)
    }

    @Test func aTornLastRecordIsDroppedAndSaid() throws {
        let (h, path) = try journaled()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察")
        let expected = h.annotationFingerprint
        try append("{\"command\": \"tag 基层党建 se", toJournalOf: path)
        let (recovered, warnings) = try open(path)
        #expect(
            warnings.first
                == "recovered 2 commands from the journal of s.json (not saved yet); its last record was cut mid-write and was dropped"
        )
        #expect(EngineHarness(engine: recovered, directory: h.directory).annotationFingerprint == expected)
    }

    @Test func discardingRemovesTheJournal() throws {
        let (h, path) = try journaled()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察")
        h.engine.discardJournal()
        let (reopened, warnings) = try open(path)
        #expect(warnings.isEmpty)
        #expect(reopened.session.annotationCount == 0)
    }

    @Test func aJournalCannotMakeTagbenchWriteAnywhere() throws {
        let (h, path) = try journaled()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察")
        let expected = h.annotationFingerprint
        for command in ["export spans /tmp/tagbench-journal-escape.jsonl", "tag 巡视 all 巡视 --corpus"] {
            try append("{\"command\": \"\(command)\", \"time\": \"2023-11-14T22:13:20Z\"}\n", toJournalOf: path)
        }
        let (recovered, warnings) = try open(path)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/tagbench-journal-escape.jsonl"))
        #expect(warnings.count == 2)
        #expect(
            warnings[1].hasPrefix("the journal's command 3 (export spans /tmp/tagbench-journal-escape.jsonl) failed"))
        #expect(EngineHarness(engine: recovered, directory: h.directory).annotationFingerprint == expected)
    }

    /// Recovering a `load` says what it loaded, not only that a command was replayed.
    @Test func aRecoveredLoadSaysWhatWasLoaded() throws {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run("schema Schemas/governance.tagset.json", "save")
        try h.engine.attachJournal()
        try h.run("load Fixtures/corpus/qu-jiceng.txt")
        let (_, warnings) = try open(path)
        #expect(warnings.first == "recovered 1 command from the journal of s.json (not saved yet)")
        #expect(
            warnings.dropFirst().first?.hasPrefix("recovered load Fixtures/corpus/qu-jiceng.txt: loaded 1 document")
                == true, "\(warnings)")
    }

    /// A journal whose first line names an earlier save of the session (a process killed after
    /// renaming the new file, before emptying the journal) is not replayed on the new file.
    @Test func aJournalFollowingAnEarlierSaveIsNotReplayed() throws {
        let (h, path) = try journaled()
        try h.run("open qu-jiceng", "tag 巡察 all 巡察", "untag a1")
        let journal = try Data(contentsOf: URL(fileURLWithPath: Journal.path(for: path)))
        try h.run("save")
        // As if the save had been killed right after its rename.
        try journal.write(to: URL(fileURLWithPath: Journal.path(for: path)))
        let (reopened, warnings) = try open(path)
        #expect(
            warnings == [
                "the journal of s.json follows an earlier save, which holds its 3 commands; nothing to recover"
            ])
        #expect(
            EngineHarness(engine: reopened, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
    }
}
