import Foundation
import Testing
@testable import TagbenchCore

/// Every operation of the file-system seam failed in turn (ENOSPC, EIO), and the process
/// "killed" after every one, during journal appends, saves, a checkpoint and the hash cache:
/// each time the session opens, holds every acknowledged change and nothing that failed, and no
/// temporary file remains.
@Suite(.serialized)
struct FaultInjectionTests {
    /// Commands on a saved session with its journal: appends, a save (with its hash cache), an
    /// undo past the save of a step the save kept (journaled) and of one it did not keep, the
    /// `suggest` (a checkpoint), another save, and appends after it.
    static let script = [
        "open qu-jiceng", "tag 巡察 all 巡察", "untag a1", "suggest 巡察", "note a2 复核", "save",
        "tag 基层党建 sent 4", "untag a3", "undo", "undo", "undo", "undo", "relabel a2 巡视", "save", "untag a2",
        "tag 巡察 1:3"
    ]

    /// A save with no checkpoint to remove, then changes after it: they must follow the new file.
    static let plainSaveScript = ["open qu-jiceng", "tag 巡察 all 巡察", "save", "untag a1", "note a2 x"]

    /// A save to another path in the middle: the session, its journal and its lock move there.
    static let movingScript = ["open qu-jiceng", "tag 巡察 all 巡察", "note a1 复核", "save b.json", "untag a1", "note a2 x"]

    struct Outcome {
        var operations: Int
        var fired: Bool
    }

    /// Runs the script with `mode`; checks the promises; returns how many operations it saw.
    func run(_ mode: FaultyFileSystem.Mode, script: [String] = Self.script) throws -> Outcome {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "save")
        let faulty = FaultyFileSystem(mode)
        h.engine.files = faulty
        do {
            try h.engine.attachJournal()
        } catch {
            // Reported (the REPL stops there); the saved session is as it was.
            #expect(
                try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t")).0.session.documents
                    .count == 4)
            return Outcome(operations: faulty.operations, fired: true)
        }
        // The same commands, only those acknowledged, on an engine that writes nothing.
        let reference = EngineHarness(directory: dir)
        try reference.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus")
        var acknowledged: [String] = []
        var inFlight: String?
        for line in script {
            do {
                try h.run(line)
                acknowledged.append(line)
                if !line.hasPrefix("save") { try reference.run(line) }
            } catch {
                if case .crash = mode, faulty.fired {
                    // Killed during this command: it may or may not have reached the disk.
                    inFlight = line
                    break
                }
                // Failed, so taken back: nothing it did was reported done.
                #expect(h.output.isEmpty, "\(mode): \(line) failed yet printed \(h.output)")
            }
            // In memory: exactly the acknowledged commands (a failed one was taken back).
            #expect(
                h.annotationFingerprint == reference.annotationFingerprint,
                "\(mode) after \(line): \(faulty.log.suffix(4))")
            if case .crash = mode, faulty.fired { break }
        }
        // Where the session is now: moved by an acknowledged save to another path; either file
        // while that save was in flight at a crash (both then hold every acknowledged change).
        let moved = acknowledged.contains("save b.json")
        let paths =
            moved
            ? [dir + "/b.json"]
            : inFlight == "save b.json" && FileManager.default.fileExists(atPath: dir + "/b.json")
                ? [path, dir + "/b.json"] : [path]
        var allowed = [reference.annotationFingerprint]
        if let inFlight, !inFlight.hasPrefix("save") {
            // The state had the command in flight at the crash reached the disk.
            let other = EngineHarness(directory: dir)
            try other.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus")
            for line in acknowledged + [inFlight] where !line.hasPrefix("save") { try other.run(line) }
            allowed.append(other.annotationFingerprint)
        }
        var found = false
        var recovered: Engine?
        for candidate in paths {
            let (engine, warnings) = try Engine.open(
                path: candidate, displayPath: "s.json", annotator: Annotator(name: "tester", fixedTime: 1_700_000_000))
            #expect(!warnings.contains { $0.contains("failed") }, "\(mode): \(warnings)")
            let got = EngineHarness(engine: engine, directory: dir).annotationFingerprint
            if allowed.contains(got) {
                found = true
                recovered = engine
            } else if paths.count == 1 {
                Issue.record("\(mode): recovered \(got) \(warnings) after \(faulty.log)")
            }
        }
        #expect(found || paths.count == 1, "\(mode): neither file holds the acknowledged changes")
        guard let recovered else { return Outcome(operations: faulty.operations, fired: faulty.fired) }
        try recovered.attachJournal()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.contains(".tmp-") && $0.contains("." + Paths.fileName(of: recovered.sessionPath!) + ".")
        }
        #expect(left.isEmpty, "\(mode): \(left)")
        return Outcome(operations: faulty.operations, fired: faulty.fired)
    }

    @Test(arguments: [ENOSPC, EIO])
    func everyOperationFailedInTurnKeepsEveryPromise(error: Int32) throws {
        var n = 1
        while try run(.fail(at: n, error: error)).fired { n += 1 }
        var m = 1
        while try run(.fail(at: m, error: error), script: Self.movingScript).fired { m += 1 }
        var k = 1
        while try run(.fail(at: k, error: error), script: Self.plainSaveScript).fired { k += 1 }
        // The script is long enough to reach every kind of write.
        #expect(n > 50, "only \(n - 1) operations")
    }

    @Test func killedAfterEveryOperationLosesNothingAcknowledged() throws {
        var n = 0
        while try run(.crash(after: n)).fired { n += 1 }
        var m = 0
        while try run(.crash(after: m), script: Self.movingScript).fired { m += 1 }
        var k = 0
        while try run(.crash(after: k), script: Self.plainSaveScript).fired { k += 1 }
        #expect(n > 50, "only \(n) operations")
    }
}
