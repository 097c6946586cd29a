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

    /// Journal records of `commands`, a line each (`untag \q` is one that cannot be read).
    static func records(_ commands: [String]) -> String {
        commands.map { "{\"command\": \"\($0)\"}\n" }.joined()
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
        let journal = Self.records(["untag a1", "untag \\q", "untag a2"])
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

    /// Runs `step` on a session reopened with `journal` beside it (`saved` the session file,
    /// a1 and a2 its spans, the journal's first command `untag a1`): once whole, then stopped
    /// everywhere it can stop, killed after each of its file operations and with each failing.
    /// After each, a writer's open (which starts journaling, emptying a stale journal) has the
    /// recovered untag, and the journal as it was is in the journal or a copy. Last, runs the
    /// step whole again and returns its engine, the files as it left them.
    @discardableResult
    func expectNothingLost(
        _ journal: String, beside path: String, saved: Data, step: (Engine) throws -> Void
    ) throws -> Engine {
        let dir = Paths.directory(of: path)
        let manager = FileManager.default
        let open = { () throws -> Engine in
            for name in try manager.contentsOfDirectory(atPath: dir)
            where name.hasPrefix(".s.json.") || name.hasPrefix("..s.json.") {
                if !name.hasSuffix(".hashes") { try manager.removeItem(atPath: dir + "/" + name) }
            }
            try saved.write(to: URL(fileURLWithPath: path))
            try Data(journal.utf8).write(to: URL(fileURLWithPath: Journal.path(for: path)))
            return try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t")).0
        }
        let counting = FaultyFileSystem(.fail(at: .max, error: EIO))
        let counted = try open()
        counted.files = counting
        try step(counted)
        let operations = counting.operations
        #expect(operations >= 4, "\(counting.log)")
        let modes =
            (0..<operations).map { FaultyFileSystem.Mode.crash(after: $0) }
            + (1...operations).map { FaultyFileSystem.Mode.fail(at: $0, error: ENOSPC) }
        for mode in modes {
            let engine = try open()
            engine.files = FaultyFileSystem(mode)
            try? step(engine)
            let (again, _) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
            #expect(again.session.annotationCount == 1, "\(mode): a1's untag recovered")
            try again.attachJournal()
            let names = try manager.contentsOfDirectory(atPath: dir)
            let keeping = names.filter { name in
                (name == ".s.json.journal" || name.contains(".journal.failed-"))
                    && (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) == journal
            }
            #expect(!keeping.isEmpty, "\(mode): \(names)")
        }
        // Last, whole again: what it leaves is the caller's to look at.
        let whole = try open()
        try step(whole)
        return whole
    }

    /// Setting a damaged journal aside (a copy of it, then a checkpoint of what its replay
    /// recovered, then the journal emptied) loses nothing wherever it stops.
    @Test func settingADamagedJournalAsideLosesNothingWhereverItStops() throws {
        let (_, _, path) = try savedSession()
        let journal = Self.records(["untag a1", "untag \\q", "untag a2"])
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        try expectNothingLost(journal, beside: path, saved: saved) { try $0.attachJournal() }
        #expect(FileManager.default.fileExists(atPath: Journal.checkpointPath(for: path)))
        let kept = try FileManager.default.contentsOfDirectory(atPath: Paths.directory(of: path)).filter {
            $0.hasPrefix(".s.json.journal.failed-")
        }
        #expect(kept.count == 1)
    }

    /// `run` journals nothing: its save holds what the replay of a stopped journal (a record it
    /// cannot read, or a command that fails) recovered and makes the journal stale, so the
    /// journal is copied aside before the save and removed after; that loses nothing wherever
    /// it stops.
    @Test(arguments: ["untag \\q", "untag a999"])
    func aSaveWithoutAJournalKeepsAStoppedJournalWhereverItStops(stop: String) throws {
        let (_, _, path) = try savedSession()
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        // Following the saved file, as a journal written on it is: once the run saves, it is stale.
        let journal =
            "{\"journal\": \"tagbench-journal\", \"follows\": \"\(Document.hash(Array(saved)))\"}\n"
            + Self.records(["untag a1", stop, "untag a2"])
        let whole = try expectNothingLost(journal, beside: path, saved: saved) { try $0.writeSession() }
        let kept = try #require(whole.keptJournal)
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == journal)
        #expect(!FileManager.default.fileExists(atPath: Journal.path(for: path)))
    }

    /// A damaged journal that follows an earlier save (left by a save killed before it emptied
    /// the journal) is not replayed, but what cannot be read in it is said and kept aside before
    /// journaling empties it.
    @Test func aStaleDamagedJournalIsKeptAsideBeforeItIsEmptied() throws {
        let (_, _, path) = try savedSession()
        let journal =
            "{\"journal\": \"tagbench-journal\", \"follows\": \"00\"}\n"
            + Self.records(["untag a1", "untag \\q", "untag a2"])
        try Data(journal.utf8).write(to: URL(fileURLWithPath: Journal.path(for: path)))
        let (engine, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(
            warnings == [
                "the journal of s.json follows an earlier save, which holds its 1 command; line 3 and what follows cannot be read; the journal keeps them, and a command that writes the session sets it aside as .s.json.journal.failed-…"
            ])
        #expect(engine.session.annotationCount == 2)
        let kept = try #require(try engine.attachJournal())
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == journal)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Journal.path(for: path))).isEmpty)
    }

    /// A journal whose last record was cut mid-write (a kill during an append) is cut back to
    /// its whole records when journaling starts again: the next record is not joined to the torn
    /// one and lost with it.
    @Test func theNextRecordDoesNotJoinATornOne() throws {
        let (_, dir, path) = try savedSession()
        try Data("{\"command\": \"untag a1\"}\n{\"command\": \"note a2 he".utf8).write(
            to: URL(fileURLWithPath: Journal.path(for: path)))
        let (engine, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(warnings.first?.hasPrefix("recovered 1 command from the journal of s.json") == true, "\(warnings)")
        try engine.attachJournal()
        try EngineHarness(engine: engine, directory: dir).run("untag a2")
        let (again, _) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(again.session.annotationCount == 0)
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
