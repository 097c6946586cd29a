import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Memory a session no longer holds goes back to the system: a REPL that loaded a corpus and
/// dropped it (undo, then a new change that clears the redo stack) does not keep its size.
struct MemoryReturnTests {
    /// The resident set of a running process, in kB (Linux's /proc/PID/status).
    static func residentKilobytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    @Test func aReplGivesBackTheMemoryOfDocumentsItDropped() throws {
        let dir = try Workspace.make()
        try FileManager.default.createDirectory(atPath: dir + "/big", withIntermediateDirectories: false)
        let paragraph = String(repeating: "巡察整改工作，全面从严治党。", count: 4_000) + "\n"
        for k in 0..<20 {
            try String(repeating: paragraph, count: 12).write(
                toFile: dir + "/big/d\(k).txt", atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = ["s.json"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var environment = ProcessInfo.processInfo.environment
        environment["TAGBENCH_HISTORY"] = ""
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Sends a line, then waits until the REPL has answered it (its output holds `answer`).
        var seen = ""
        signal(SIGPIPE, SIG_IGN)
        func send(_ line: String, until answer: String) throws {
            try stdin.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
            while !seen.contains(answer) {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
        }
        try send("load big", until: "loaded 20 documents")
        let loaded = Self.residentKilobytes(of: process.processIdentifier) ?? 0
        try send("undo", until: "undid")
        try send("label add 巡察", until: "巡察")
        // The documents (40 MB of text) are freed by now; a few milliseconds for the trim.
        Thread.sleep(forTimeInterval: 0.2)
        let dropped = Self.residentKilobytes(of: process.processIdentifier) ?? Int.max
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(loaded > 40_000, "RSS after load: \(loaded) kB")
        #expect(
            dropped < loaded - 30_000, "RSS after load \(loaded) kB, after the documents were dropped \(dropped) kB")
    }
}
