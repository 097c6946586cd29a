import Foundation
import Testing
@testable import TagbenchCore

/// Hostile files never crash tagbench: nesting deeper than the JSON reader's limit is a clear
/// error where the file matters, and a broken hash cache or journal record is set aside.
struct HostileInputTests {
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test(arguments: [(999, true), (1_000, false), (20_000, false)])
    func nestingIsReadUpToTheLimit(depth: Int, accepted: Bool) throws {
        var r = try JSONReader(bytes: Array(("{\"x\": " + Self.nested(depth) + "}").utf8), path: "deep.json")
        do {
            try r.beginObject()
            while try r.nextKey() != nil { try r.skipValue() }
            #expect(accepted)
        } catch {
            #expect(!accepted)
            #expect(error.message.contains("nested more than 1000 levels deep"))
        }
    }

    /// Every reader of a file a user or a crash could leave refuses deep nesting with a clear error.
    @Test func deepNestingIsAnErrorInEveryReader() throws {
        let deep = Array(
            ("{\"format\": \"tagbench-session\", \"version\": 1, \"x\": " + Self.nested(20_000) + "}").utf8)
        #expect(throws: TagbenchError.self) {
            try SessionCodec.decode(deep, path: "/nonexistent/s.json", displayPath: "s.json")
        }
        #expect(throws: TagbenchError.self) { try TagSetCodec.decode(deep, displayPath: "t.json") }
        let dir = try Fixture.workspace()
        try Data(("{\"text\": \"巡察\", \"x\": " + Self.nested(20_000) + "}\n").utf8).write(
            to: URL(fileURLWithPath: dir + "/deep.jsonl"))
        #expect(throws: TagbenchError.self) {
            try AnnotatedDataReader.read(dir + "/deep.jsonl", displayPath: "deep.jsonl", kind: .jsonLines)
        }
    }

    /// A saved session of the fixtures with two spans (a1, a2), and its folder and path.
    func savedSession() throws -> (EngineHarness, String, String) {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open qu-jiceng", "tag 巡察 all 巡察", "save")
        return (h, dir, path)
    }

    /// A bad journal record with records after it is damage, not a torn append: the commands
    /// before it are replayed, and it and what follows are kept aside, not dropped unsaid.
    @Test func aDamagedJournalRecordStopsTheReplayAndIsKept() throws {
        let (h, dir, path) = try savedSession()
        let journal = "{\"command\": \"untag a1\"}\n{\"command\": \"untag \\q\"}\n{\"command\": \"untag a2\"}\n"
        try Data(journal.utf8).write(to: URL(fileURLWithPath: Journal.path(for: path)))
        let (engine, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(
            warnings == [
                "recovered 1 command from the journal of s.json (not saved yet)",
                "line 2 of the journal cannot be read; it and what follows were not recovered; the journal keeps them, and a command that writes the session sets it aside as .s.json.journal.failed-…"
            ])
        try h.run("untag a1")
        #expect(EngineHarness(engine: engine, directory: dir).annotationFingerprint == h.annotationFingerprint)
        // Journaling starts afresh beside the kept file, which holds every line as it was.
        try engine.attachJournal()
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix(".s.json.journal.failed-")
        }
        #expect(kept.count == 1)
        #expect(try String(contentsOfFile: dir + "/" + kept[0], encoding: .utf8) == journal)
    }

    /// Setting a damaged journal aside writes a checkpoint of what its replay recovered; when
    /// that write fails (a full disk), the journal is put back as it was and the next open
    /// recovers the same.
    @Test func aCheckpointThatCannotBeWrittenLeavesTheDamagedJournalInPlace() throws {
        let (_, dir, path) = try savedSession()
        let journal = "{\"command\": \"untag a1\"}\n{\"command\": \"untag \\q\"}\n{\"command\": \"untag a2\"}\n"
        let open = { () throws -> Engine in
            try Data(journal.utf8).write(to: URL(fileURLWithPath: Journal.path(for: path)))
            return try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t")).0
        }
        // Which operation writes the checkpoint, in a set-aside that fails nothing.
        let counting = FaultyFileSystem(.fail(at: .max, error: EIO))
        let first = try open()
        first.files = counting
        try first.attachJournal()
        #expect(FileManager.default.fileExists(atPath: Journal.checkpointPath(for: path)))
        let at = try #require(counting.log.firstIndex { $0.hasPrefix("write ") }) + 1
        for name in try FileManager.default.contentsOfDirectory(atPath: dir)
        where name.contains(".checkpoint") || name.contains(".failed-") {
            try FileManager.default.removeItem(atPath: dir + "/" + name)
        }
        let engine = try open()
        engine.files = FaultyFileSystem(.fail(at: at, error: ENOSPC))
        #expect(throws: TagbenchError.self) { try engine.attachJournal() }
        #expect(try String(contentsOfFile: Journal.path(for: path), encoding: .utf8) == journal)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.contains(".failed-") || $0.contains(".checkpoint")
        }
        #expect(left.isEmpty, "\(left)")
        let (again, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(warnings.first == "recovered 1 command from the journal of s.json (not saved yet)")
        #expect(again.session.annotationCount == engine.session.annotationCount)
    }

    /// A broken hash cache is ignored (it is only a cache) and a deep journal record is a torn
    /// one: the session still opens, with what it holds.
    @Test func aBrokenCacheOrJournalRecordDoesNotStopAnOpen() throws {
        let (h, dir, path) = try savedSession()
        try Data(("{\"format\": \"tagbench-hashes\", \"version\": 1, \"files\": " + Self.nested(20_000) + "}").utf8)
            .write(to: URL(fileURLWithPath: HashCache.path(for: path)))
        #expect(HashCache.read(for: path).entries.isEmpty)
        try Data(("{\"command\": \"untag a1\", \"x\": " + Self.nested(20_000) + "}\n").utf8).write(
            to: URL(fileURLWithPath: Journal.path(for: path)))
        let (engine, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(EngineHarness(engine: engine, directory: dir).annotationFingerprint == h.annotationFingerprint)
        #expect(
            warnings == [
                "recovered 0 commands from the journal of s.json (not saved yet); its last record was cut mid-write and was dropped"
            ])
    }
}
