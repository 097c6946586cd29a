import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// One writer per session: the lock, `--read-only`, and taking over a lock a dead process left.
@Suite(.serialized)
struct SessionLockTests {
    @Test func secondWriterIsRefusedWithTheHoldersProcessIdAndReadOnlyStillWorks() throws {
        let dir = try Workspace.make()
        // The first tagbench holds the session while its stdin stays open.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: Workspace.binary)
        holder.arguments = ["Sessions/demo.json"]
        holder.currentDirectoryURL = URL(fileURLWithPath: dir)
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        let lockFile = dir + "/Sessions/.demo.json.lock"
        for _ in 0..<100 where (try? read(lockFile))?.hasPrefix("\(holder.processIdentifier)") != true {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let before = try read(dir + "/Sessions/demo.json")

        var result = try tagbench(["Sessions/demo.json"], in: dir, input: "tag 巡察 all 巡察 --corpus\nsave\n")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "error: Sessions/demo.json is open in another tagbench (process \(holder.processIdentifier))"))
        #expect(result.stderr.contains("--read-only"))
        result = try tagbench(["run", "-", "--session", "Sessions/demo.json"], in: dir, input: "stats\n")
        #expect(result.status == 1)

        result = try tagbench(["Sessions/demo.json", "--read-only"], in: dir, input: "label add 新标签\nsave\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:2: error: this session is open read-only"))
        result = try tagbench(["Sessions/demo.json", "--read-only"], in: dir, input: "label add 新标签\nsave copy.json\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(exists(dir + "/copy.json"))
        #expect(try read(dir + "/Sessions/demo.json") == before)
        // Every change is in the copy: nothing to warn of.
        #expect(!result.stderr.contains("warning:"), "\(result.stderr)")
        // Input ending with changes no file holds says where they can go, not "end it with save".
        result = try tagbench(
            ["Sessions/demo.json", "--read-only"], in: dir, input: "label add 新标签\nsave copy.json\nlabel add 另一个\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: the input ended with changes the session does not hold: it was opened --read-only (save PATH writes them to a copy)"
            ), "\(result.stderr)")

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        result = try tagbench(["Sessions/demo.json"], in: dir, input: "docs\n")
        #expect(result.status == 0, "the lock is released when its holder leaves")
        #expect(!result.stderr.contains("took over"))
    }

    @Test func aSessionNeverWrittenLeavesNoLockFileAndASavedOneKeepsItsOwn() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["new.json"], in: dir, input: "docs\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!exists(dir + "/.new.json.lock") && !exists(dir + "/new.json"))
        result = try tagbench(["new.json"], in: dir, input: "label add 巡察\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        // A saved session's lock file stays: removing it under a waiting opener would be a race
        // with nothing to gain.
        #expect(exists(dir + "/new.json") && exists(dir + "/.new.json.lock"))
    }

    @Test func aLockLeftByADeadProcessIsTakenOverAndThatIsSaid() throws {
        let dir = try Workspace.make()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try "\(gone.processIdentifier)\n".write(
            toFile: dir + "/Sessions/.demo.json.lock", atomically: true, encoding: .utf8)
        let result = try tagbench(["Sessions/demo.json"], in: dir, input: "docs\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: took over the lock of Sessions/demo.json left by process \(gone.processIdentifier), which is no longer running"
            ))
    }
}
