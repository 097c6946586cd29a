import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif
@testable import TagbenchCore

/// `save` of a large session (60,000 spans, a 15 MB file) killed at random moments, by SIGKILL,
/// SIGINT and SIGTERM: every acknowledged change is in the reopened session, no deleted span
/// comes back, recovery never fails, and a SIGINT or SIGTERM leaves no temporary file.
@Suite(.serialized)
struct SaveKillTests {
    @Test func saveKilledAtRandomMomentsKeepsEveryAcknowledgedChange() throws {
        let dir = try Workspace.make()
        let text = String(repeating: "巡察工作整改落实", count: 7_500)
        try text.write(toFile: dir + "/big.txt", atomically: false, encoding: .utf8)
        let made = try tagbench(["s.json"], in: dir, input: "label add 巡察\nload big.txt\ntag 巡察 all /./\nsave\n")
        #expect(made.status == 0 && made.stdout.contains("60,000 annotations"), "\(made.stderr)")
        // How long a save takes here: the kills are spread over it.
        let clock = ContinuousClock()
        var window: Duration = .zero
        do {
            let repl = try RunningRepl(["s.json"], in: dir)
            try repl.send("note a60000 calibrated", until: "calibrated")
            let start = clock.now
            try repl.send("save", until: "saved")
            window = clock.now - start
            try repl.finish()
        }
        var generator = SystemRandomNumberGenerator()
        var removed = Set<Int>()
        var notes: [Int: String] = [60_000: "calibrated"]
        // 24 kills in the test suite; TAGBENCH_SAVE_KILL_ROUNDS=N (100 or more) for a long run.
        let rounds = ProcessInfo.processInfo.environment["TAGBENCH_SAVE_KILL_ROUNDS"].flatMap { Int($0) } ?? 24
        let windowMicroseconds =
            Int(window.components.seconds) * 1_000_000 + Int(window.components.attoseconds / 1_000_000_000_000)
        for round in 0..<rounds {
            let repl = try RunningRepl(["s.json"], in: dir)
            let gone = round * 7 + 1
            let noted = 30_000 + round
            try repl.send("untag a\(gone)", until: "removed a\(gone) ")
            try repl.send("note a\(noted) round-\(round)", until: "round-\(round)")
            removed.insert(gone)
            notes[noted] = "round-\(round)"
            try repl.send("save", until: nil)
            usleep(UInt32(Int.random(in: 0...max(windowMicroseconds, 1_000), using: &generator)))
            let signal = [SIGKILL, SIGINT, SIGTERM][round % 3]
            Glibc.kill(repl.pid, signal)
            for _ in 0..<500 where repl.process.isRunning { usleep(10_000) }
            #expect(!repl.process.isRunning, "round \(round): signal \(signal) did not end tagbench")
            repl.kill()
            if signal != SIGKILL {
                let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
                #expect(left.isEmpty, "round \(round): signal \(signal) left \(left)")
            }
            let (reopened, warnings) = try Engine.open(
                path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
            #expect(!warnings.contains { $0.contains("failed") }, "round \(round): \(warnings)")
            let s = reopened.session
            let back = removed.filter { s.annotation(number: $0) != nil }
            #expect(back.isEmpty, "round \(round): deleted spans came back: \(back.sorted())")
            for (number, note) in notes {
                #expect(s.annotation(number: number)?.note == note, "round \(round): a\(number) lost its note \(note)")
            }
            #expect(s.annotationCount == 60_000 - removed.count, "round \(round)")
        }
        // The next writer opens it, removes what killed saves left, and saves it.
        let last = try tagbench(["s.json"], in: dir, input: "save\n")
        #expect(last.status == 0, "\(last.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "\(left)")
    }
}
