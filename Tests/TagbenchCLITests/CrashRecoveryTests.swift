import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Nothing reported done is lost: tagbench is killed (SIGKILL) at random moments while piped
/// commands run, and every command whose result it printed is in the reopened session.
@Suite(.serialized)
struct CrashRecoveryTests {
    /// The K-th command of the harness: a two-character span, walking through the documents and
    /// then through the labels, so that every command adds a new span.
    static func command(_ k: Int) -> (line: String, key: String) {
        let documents = [("xinqu-2023", 2074), ("x-quwei-2020", 1477), ("quwei-2023", 1258), ("qu-jiceng", 1241)]
        let labels = ["巡察", "巡视", "减负", "整改"]
        var position = k
        for lap in 0... {
            for (id, length) in documents {
                let slots = length / 3
                if position < slots {
                    let label = labels[lap % labels.count]
                    return (
                        "open \(id)\ntag \(label) \(position * 3):\(position * 3 + 2)\n",
                        "\(label) \(id) \(position * 3):\(position * 3 + 2)"
                    )
                }
                position -= slots
            }
        }
        fatalError("unreachable")
    }

    @Test func killedAtRandomMomentsLosesNothingReportedDone() throws {
        // A write to a tagbench that already died must fail the test, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        let dir = try Workspace.make()
        var result = try tagbench(
            ["s.json"], in: dir,
            input: "label add 巡察\nlabel add 巡视\nlabel add 减负\nlabel add 整改\nload Fixtures/corpus\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        var generator = SystemRandomNumberGenerator()
        var reported = Set<String>()
        var next = 0
        // 50 kills in the test suite; TAGBENCH_KILL_ROUNDS=N for a longer run.
        let rounds = ProcessInfo.processInfo.environment["TAGBENCH_KILL_ROUNDS"].flatMap { Int($0) } ?? 50
        for round in 0..<rounds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Workspace.binary)
            process.arguments = ["s.json"]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.environment = ["TAGBENCH_HISTORY": "", "SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var seen = ""
            let commands = Int.random(in: 1...6, using: &generator)
            for _ in 0..<commands {
                let (line, key) = Self.command(next)
                next += 1
                let range = String(key.split(separator: " ")[2])
                try input.fileHandleForWriting.write(contentsOf: Data(line.utf8))
                // Wait for the result line: then the command counts as reported done.
                while !seen.contains(" \(range) ") {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    seen += String(decoding: chunk, as: UTF8.self)
                }
                #expect(seen.contains(" \(range) "), "round \(round): no result for \(key)")
                reported.insert(key)
            }
            // Sometimes die in the middle of the next command.
            if Bool.random(using: &generator) {
                try input.fileHandleForWriting.write(contentsOf: Data(Self.command(next).line.utf8))
                next += 1
                usleep(UInt32.random(in: 0...3000, using: &generator))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round)")
            try? input.fileHandleForWriting.close()
            // After each kill the session (and its journal) opens, with every reported span.
            let (reopened, warnings) = try Engine.open(
                path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
            #expect(!warnings.contains { $0.contains("failed") }, "round \(round): \(warnings)")
            let s = reopened.session
            let spans = Set(
                s.allAnnotations.map { "\(s.tagSet.labels[$0.label].name) \(s.documents[$0.document].id) \($0.range)" })
            #expect(reported.isSubset(of: spans), "round \(round): lost \(reported.subtracting(spans).sorted())")
        }
        // Every reported span is in the recovered session, and the session then saves and parses.
        result = try tagbench(["s.json"], in: dir, input: "spans --corpus\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("recovered"))
        let session = try Engine.open(path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x")).0
            .session
        let saved = Set(
            session.allAnnotations.map {
                "\(session.tagSet.labels[$0.label].name) \(session.documents[$0.document].id) \($0.range)"
            })
        #expect(reported.isSubset(of: saved), "lost \(reported.subtracting(saved).sorted())")
        #expect(warningsAreClean(result.stderr))
        Workspace.keep(dir + "/s.json", as: "crash-session.json")
    }
}

/// Whether stderr holds no failure or error (warnings about recovery may stand).
func warningsAreClean(_ stderr: String) -> Bool { !stderr.contains("failed") && !stderr.contains("error") }
