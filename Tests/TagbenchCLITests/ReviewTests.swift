import Foundation
import Testing
@testable import TagbenchCLI
@testable import TagbenchCore

/// `review` driven by scripted keys: each decision is the command a script would write, one undo
/// step, and the history replays to the same session.
struct ReviewTests {
    func engine() throws -> (Engine, String) {
        let dir = try Workspace.make()
        let engine = Engine(annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        let runner = ScriptRunner(engine: engine)
        for (i, line) in [
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open quwei-2023", "suggest --corpus"
        ].enumerated() {
            _ = try runner.runLine(
                line, context: ExecutionContext(baseDirectory: dir, file: "t", line: i + 1), emit: { _ in },
                report: { _ in })
        }
        return (engine, dir)
    }

    /// Runs `review` through the engine with the terminal's driver over `keys`; returns the line it said.
    func review(_ engine: Engine, console: Console, keys: KeyReader, dir: String) throws -> String {
        engine.reviewDriver = TerminalReviewDriver(console: console, keys: keys)
        var said: [String] = []
        try engine.execute(
            .review(label: nil), context: ExecutionContext(baseDirectory: dir, file: "<stdin>", line: 1),
            emit: {
                if case .message(let text) = $0 { said.append(text) }
            })
        #expect(said.count == 1)
        return said.joined()
    }

    @Test func keysDecideMoveUndoAndLeave() throws {
        let (engine, dir) = try engine()
        let queue = engine.session.suggestions.pending
        #expect(queue.count >= 5)
        #expect(engine.session.tagSet.labels[queue[4].label].name != "作风建设")
        let console = Console.capturing(colour: false, width: 60)
        let keys = ScriptedKeyReader([
            .character("y"),  // s1 accepted as it is
            .character("n"),  // s2 rejected
            .character("s"),  // s3 skipped
            .character("h"), .right, .character("L"), .character("y"),  // s4: start −1 +1, end +1, accepted
            .character("z"),  // s5 accepted as 作风建设 (its shortcut)
            .character("u"),  // s5 back in the queue
            .character("?"),  // the keys listed
            .character("!"),  // not a key: said, nothing done
            .character("q")
        ])
        let summary = try review(engine, console: console, keys: keys, dir: dir)
        #expect(summary == "review: 2 accepted, 1 rejected, 1 skipped; \(queue.count - 3) waiting")
        let s = engine.session
        let made = s.allAnnotations
        #expect(made.map(\.range) == [queue[0].range, TextRange(queue[3].range.start, queue[3].range.end + 1)])
        #expect(made.allSatisfy { $0.source.hasPrefix("rule:") })
        // s2 rejected; s4 moved before it was accepted, so as it stood it is kept as rejected too.
        #expect(s.suggestions.rejected.map(\.number) == [queue[1].number, queue[3].number])
        #expect(s.suggestions.pending(number: queue[4].number) != nil, "u put s5 back")
        let log = s.log.suffix(5).map { CommandRenderer.render($0.command) }
        #expect(
            log == [
                "accept s1", "reject s2", "accept s4 --at \(queue[3].range.start):\(queue[3].range.end + 1)",
                "accept s5 --as 作风建设", "undo"
            ])
        // The screen showed the place in the queue and the candidate marked without colour.
        // Progress counts decisions: none at first, two after y and n (of all, decided or waiting).
        #expect(console.capturedOut.contains("review 0/\(queue.count) done"))
        #expect(console.capturedOut.contains("review 2/\(queue.count) done"))
        #expect(console.capturedOut.contains("【\(queue[0].text)】"))
        #expect(console.capturedOut.contains("accepted \(queue[4].id) as 作风建设"))
        #expect(console.capturedOut.contains(TerminalReviewDriver.keyHelp))
        #expect(console.capturedOut.contains("!: not a key of review (? lists the keys)"))
        // The history replays to the same annotations and queue.
        let replay = Engine(annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        let runner = ScriptRunner(engine: replay)
        for (i, entry) in s.log.enumerated() {
            _ = try runner.runLine(
                CommandRenderer.render(entry.command.relativizingPaths(to: dir)),
                context: ExecutionContext(baseDirectory: dir, file: "h", line: i + 1), emit: { _ in }, report: { _ in })
        }
        #expect(
            replay.session.allAnnotations.map { "\($0.id) \($0.range) \($0.label) \($0.source)" }
                == made.map { "\($0.id) \($0.range) \($0.label) \($0.source)" })
        #expect(
            replay.session.suggestions.pending == s.suggestions.pending
                && replay.session.suggestions.rejected == s.suggestions.rejected)
    }

    /// A suggestion whose span was tagged after it was made would add nothing: it is not shown.
    @Test func suggestionsAlreadyTaggedLeaveTheQueue() throws {
        let (engine, dir) = try engine()
        let queue = engine.session.suggestions.pending
        let first = queue[0]
        let document = engine.session.documents[first.document].id
        let label = engine.session.tagSet.labels[first.label].name
        let runner = ScriptRunner(engine: engine)
        for line in ["open \(document)", "tag \(label) \(first.range.start):\(first.range.end)"] {
            _ = try runner.runLine(
                line, context: ExecutionContext(baseDirectory: dir, file: "t", line: 1), emit: { _ in },
                report: { _ in })
        }
        let console = Console.capturing(colour: false, width: 60)
        #expect(
            try review(engine, console: console, keys: ScriptedKeyReader([.character("y"), .character("q")]), dir: dir)
                == "review: 1 accepted, 0 rejected, 0 skipped; \(queue.count - 2) waiting")
        #expect(console.capturedOut.contains("review 0/\(queue.count - 1) done"))
        #expect(console.capturedOut.contains("accepted \(queue[1].id)"))
        #expect(!console.capturedOut.contains(first.id + " "))
    }

    /// Typed in the REPL, `review` runs like any line: the summary follows the restored screen,
    /// and leaving after decisions still warns of the unsaved changes first.
    @Test func typedInTheReplTheSummaryFollowsTheScreenAndUnsavedChangesAreWarnedOf() throws {
        let (engine, dir) = try engine()
        let queue = engine.session.suggestions.pending
        let console = Console.capturing()
        engine.reviewDriver = TerminalReviewDriver(
            console: console, keys: ScriptedKeyReader([.character("y"), .character("q")]))
        let repl = Repl(
            engine: engine, reader: ScriptedLineReader([.line("review")]), console: console, baseDirectory: dir,
            interactive: true)
        #expect(repl.run() == 0)
        #expect(
            console.capturedOut.hasSuffix(
                "\u{1B}[?25h\u{1B}[?1049lreview: 1 accepted, 0 rejected, 0 skipped; \(queue.count - 1) waiting\n"))
        #expect(
            console.capturedErr.contains("unsaved changes: save them with save, or quit again (Ctrl-D) to discard them")
        )
    }

    @Test func reviewWithoutATerminalIsRefusedWithAHint() throws {
        let (engine, dir) = try engine()
        let console = Console.capturing()
        let repl = Repl(
            engine: engine, reader: ScriptedLineReader([.line("review")]), console: console, baseDirectory: dir,
            interactive: false)
        #expect(repl.run() == 1)
        #expect(
            console.capturedErr.contains(
                "error: review needs a terminal\n  hint: use accept sN|all and reject sN|all, which scripts and pipes can run"
            ))
    }

    @Test func anEmptyQueueSaysSoWithoutTakingTheScreen() throws {
        let dir = try Workspace.make()
        let engine = Engine(annotator: Annotator(name: "t"))
        let console = Console.capturing()
        #expect(
            try review(engine, console: console, keys: ScriptedKeyReader([]), dir: dir)
                == "no suggestions waiting (suggest fills the queue)")
        #expect(console.capturedOut.isEmpty)
    }
}
