import Foundation
import Testing
@testable import TagbenchCore

/// `review` through the engine with a scripted driver: each decision is a command of its own,
/// one undo step, journaled and logged as a typed one would be; without a driver it is refused.
struct EngineReviewTests {
    /// A saved session with its suggestions queued and a journal attached, as the REPL has it.
    func journaled() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "suggest --corpus",
            "label add 待定 --category", "save")
        try h.engine.attachJournal()
        return (h, path)
    }

    /// Runs `line` as the REPL's first typed line; returns what it emitted.
    func type(_ line: String, on h: EngineHarness) throws -> [OutputItem] {
        var output: [OutputItem] = []
        let runner = ScriptRunner(engine: h.engine)
        _ = try runner.runLine(
            line, context: ExecutionContext(baseDirectory: h.directory, file: "<stdin>", line: 1),
            emit: { output.append($0) }, report: { _ in })
        return output
    }

    @Test func decisionsAreCommandsOfTheirOwnInTheSessionTheLogTheUndoHistoryAndTheJournal() throws {
        let (h, path) = try journaled()
        let engine = h.engine
        let tagSet = engine.session.tagSet
        let queue = engine.session.suggestions.pending
        #expect(queue.prefix(6).map(\.id) == ["s1", "s2", "s3", "s4", "s5", "s6"])
        let other = try #require(tagSet.index(of: "作风建设"))
        let category = try #require(tagSet.index(of: "待定"))
        #expect(queue[2].label != other)
        let logBefore = engine.session.log.count
        let undoBefore = engine.undoHistory.undoSteps.count
        let driver = ScriptedReviewDriver([
            .accept,  // s1 accepted as it is
            .reject,  // s2 rejected
            .moveEnd(by: 1), .acceptAs(label: other),  // s3 one character longer, accepted as 作风建设
            .skip,  // s4 stays waiting
            .acceptAs(label: category),  // refused by accept: nothing decided
            .accept,  // s5 accepted
            .undo,  // s5 back in the queue
            .explain("a word from the driver")
        ])
        engine.reviewDriver = driver
        let output = try type("review", on: h)

        let moved = TextRange(queue[2].range.start, queue[2].range.end + 1)
        let summary = "review: 2 accepted, 1 rejected, 1 skipped; \(queue.count - 3) waiting"
        #expect(output == [.message(summary)])
        #expect(driver.began == 1 && driver.ended == 1)
        let refusal = Wording.reviewDecisionFailed(.wrongLabelKind(label: "待定", expected: .span, command: "accept"))
        #expect(driver.shown.map(\.suggestion.id) == ["s1", "s2", "s3", "s3", "s4", "s5", "s5", "s6", "s5", "s5"])
        #expect(
            driver.shown.map(\.status) == [
                "", "accepted s1", "rejected s2", "", "accepted s3 as 作风建设", "skipped s4", refusal,
                "accepted s5", "undid the decision on s5", "a word from the driver"
            ])
        #expect(driver.shown[3].range == moved)
        #expect(driver.shown.map(\.done) == [0, 1, 2, 2, 3, 3, 3, 4, 3, 3])
        #expect(driver.shown.map(\.total) == [Int](repeating: queue.count, count: 10))

        // The session: two spans, s2 rejected and s3 too (taken under another label at other
        // offsets, it was wrong as it stood), s5 waiting again.
        let session = engine.session
        let made = session.allAnnotations.sorted { $0.number < $1.number }
        #expect(made.map(\.range) == [queue[0].range, moved])
        #expect(made.map(\.label) == [queue[0].label, other])
        #expect(made.map(\.document) == [queue[0].document, queue[2].document])
        #expect(session.suggestions.rejected.map(\.number) == [queue[1].number, queue[2].number])
        #expect(session.suggestions.pending(number: queue[4].number) != nil)
        #expect(engine.isDirty)

        // The log and the journal: the commands a script would write, nothing for review itself.
        let decisions = [
            "accept s1", "reject s2", "accept s3 --as 作风建设 --at \(moved.start):\(moved.end)", "accept s5", "undo"
        ]
        #expect(session.log[logBefore...].map { CommandRenderer.render($0.command) } == decisions)
        #expect(Journal.read(sessionPath: path)?.commands == decisions)

        // The undo history: one step a decision; the undone one can be redone.
        #expect(engine.undoHistory.undoSteps.count == undoBefore + 3)
        #expect(engine.undoHistory.undoSteps.suffix(3).map(\.summary) == Array(decisions.prefix(3)))
        #expect(engine.undoHistory.redoSteps.map(\.summary) == ["accept s5"])

        // What the journal holds recovers the same session.
        let annotator = Annotator(name: "t", fixedTime: 1_700_000_000)
        let (recovered, _) = try Engine.open(path: path, displayPath: "s.json", annotator: annotator)
        let recoveredHarness = EngineHarness(engine: recovered, directory: h.directory)
        #expect(recoveredHarness.annotationFingerprint == h.annotationFingerprint)
        #expect(recovered.session.log == session.log)
    }

    @Test func withoutADriverReviewNeedsATerminal() throws {
        let (h, _) = try journaled()
        let logBefore = h.engine.session.log
        #expect(h.failure("review") == .needsTerminal("review"))
        // Refused before its label is looked at, as before there was a driver.
        #expect(h.failure("review 没有这个标签") == .needsTerminal("review"))
        #expect(h.engine.session.log == logBefore)
    }

    @Test func aReviewInAScriptIsRefusedEvenWithADriver() throws {
        let (h, _) = try journaled()
        let driver = ScriptedReviewDriver([.accept])
        h.engine.reviewDriver = driver
        try "review\n".write(toFile: h.directory + "/r.tb", atomically: true, encoding: .utf8)
        #expect(h.failure("run r.tb") == .needsTerminal("review"))
        #expect(driver.began == 0)
    }

    @Test func anUnknownLabelOrAnEmptyQueueDoesNotTakeTheScreen() throws {
        let (h, _) = try journaled()
        let driver = ScriptedReviewDriver([])
        h.engine.reviewDriver = driver
        #expect(h.failure("review 没有这个标签") == .unknownLabel("没有这个标签", suggestion: nil))
        try h.run("reject all 巡察")
        #expect(try type("review 巡察", on: h) == [.message("no suggestions waiting for 巡察 (suggest fills the queue)")])
        #expect(driver.began == 0 && driver.shown.isEmpty)
    }
}
