import Foundation
import Testing
@testable import TagbenchCore

/// Nothing is sized from an annotation id: a session whose `next_id` (or an id) jumps far keeps
/// a slot per annotation made, not per number skipped, and its ids work as any others.
struct SlotRunTests {
    /// A saved session with a few spans, and the number of them.
    func saved() throws -> (dir: String, path: String, count: Int) {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open qu-jiceng", "tag 巡察 all 巡察", "save")
        return (dir, path, h.engine.session.annotationCount)
    }

    /// A saved session with a few spans whose `next_id` is then set to `next`.
    func jumped(to next: Int) throws -> (dir: String, path: String) {
        let (dir, path, count) = try saved()
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"next_id\": \(count + 1)", with: "\"next_id\": \(next)")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (dir, path)
    }

    /// An opened session has room for new spans: the tags an analyst adds one at a time never
    /// make the slots grow (each growth copies every slot: on the 10x session a single `tag`
    /// paused for a tenth of a second).
    @Test func anOpenedSessionHasRoomForNewSpans() throws {
        let (dir, path, _) = try saved()
        let (engine, _) = try Engine.open(
            path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        let h = EngineHarness(engine: engine, directory: dir)
        let slots = { engine.session.annotationSlots.withUnsafeBufferPointer { $0.baseAddress } }
        let before = slots()
        let count = engine.session.annotationCount
        try h.run("open xinqu-2023")
        for k in 0..<10 { try h.run("tag 巡视 \(k * 2 + 1):\(k * 2 + 2)") }
        #expect(engine.session.annotationCount == count + 10)
        #expect(slots() == before, "the slots were copied to grow")
    }

    @Test(arguments: [100_000_000, 1_000_000, Session.largestNumber - 1_000])
    func aFarNextIDTakesNoRoomAndWorks(next: Int) throws {
        let (dir, path) = try jumped(to: next)
        let (engine, _) = try Engine.open(
            path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        let h = EngineHarness(engine: engine, directory: dir)
        let before = engine.session.annotationCount
        try h.run("open xinqu-2023", "tag 巡视 all 巡视")
        let made = engine.session.annotationCount - before
        #expect(made > 0)
        #expect(
            engine.session.annotationSlots.count < before + made + 70_000,
            "slots: \(engine.session.annotationSlots.count)")
        #expect(engine.session.annotation(number: next) != nil)
        try h.run("note a\(next) 复核", "relabel a\(next) 巡察", "untag a\(next + 1)", "undo", "save")
        let reopened = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t")).0
        #expect(EngineHarness(engine: reopened, directory: dir).annotationFingerprint == h.annotationFingerprint)
        #expect(reopened.session.annotation(number: next)?.note == "复核")
        // Ids are written in order, as always.
        let ids = reopened.session.allAnnotations.map(\.number)
        #expect(ids == ids.sorted())
    }

    /// Near the largest id, a command that would give one past it is refused and changes
    /// nothing; the session still saves and opens (the issue: tags were accepted and journaled,
    /// then every save and reopen refused).
    @Test func aCommandThatWouldGiveAnIDPastTheLargestIsRefused() throws {
        let (dir, path) = try jumped(to: Session.largestNumber - 1)
        let (engine, _) = try Engine.open(
            path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        let h = EngineHarness(engine: engine, directory: dir)
        try h.run("open xinqu-2023", "tag 巡视 1:3")
        let before = h.annotationFingerprint
        #expect(h.failure("tag 巡视 4:6") == .idsExhausted(largest: Session.largestNumber))
        #expect(h.failure("tag 巡视 all 巡视") == .idsExhausted(largest: Session.largestNumber))
        #expect(h.output.isEmpty, "a refused command printed \(h.output)")
        #expect(h.annotationFingerprint == before)
        try h.run("save")
        let reopened = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t")).0
        #expect(EngineHarness(engine: reopened, directory: dir).annotationFingerprint == before)
    }

    @Test func anIDPastTheLargestIsRefused() throws {
        let (_, path) = try jumped(to: Session.largestNumber + 1)
        #expect(throws: TagbenchError.self) {
            try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        }
    }

    /// Ids far apart and out of order in a file (not as tagbench writes them) open, in id order,
    /// each in a slot of its own.
    @Test func farIDsOutOfOrderOpenInOrder() throws {
        let (dir, path) = try jumped(to: 100)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"id\": \"a1\"", with: "\"id\": \"a900000000\"")
            .replacingOccurrences(of: "\"id\": \"a2\"", with: "\"id\": \"a500000000\"")
            .replacingOccurrences(of: "\"next_id\": 100", with: "\"next_id\": 900000001")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let engine = try Engine.open(
            path: path, displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1_700_000_000)
        ).0
        #expect(engine.session.annotationSlots.count < 100)
        #expect(
            engine.session.annotation(number: 900_000_000) != nil
                && engine.session.annotation(number: 500_000_000) != nil)
        #expect(engine.session.annotation(number: 1) == nil)
        try EngineHarness(engine: engine, directory: dir).run(
            "untag a500000000", "open xinqu-2023", "tag 巡视 all 巡视", "save")
        let reopened = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t")).0
        #expect(reopened.session.annotation(number: 500_000_000) == nil)
        #expect(reopened.session.annotation(number: 900_000_001) != nil)
    }
}
