import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif
@testable import TagbenchCore

/// A REPL left running on piped input, for the tests that need a second process at work.
final class RunningRepl {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var seen = ""

    init(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = [
            "TAGBENCH_HISTORY": "", "SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin",
            "TAGBENCH_ANNOTATOR": "tester"
        ]
        .merging(environment) { $1 }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends a line and waits until stdout or stderr shows `expected` (nil: does not wait); what
    /// was shown.
    @discardableResult
    func send(_ line: String, until expected: String?) throws -> String {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        guard let expected else { return seen }
        let fds = [output.fileHandleForReading.fileDescriptor, errors.fileHandleForReading.fileDescriptor]
        while !seen.contains(expected) {
            var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polls, 2, 10_000) > 0 else { break }
            var gotAny = false
            for p in polls where p.revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 65536)
                let n = Glibc.read(p.fd, &buffer, buffer.count)
                if n > 0 {
                    seen += String(decoding: buffer[..<n], as: UTF8.self)
                    gotAny = true
                }
            }
            if !gotAny { break }
        }
        return seen
    }

    func kill() {
        Glibc.kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    func finish() throws {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// The files beside a session are tagbench's own: one writer at a time whatever the name it is
/// reached by, no link followed, the session's mode kept, and no session written that would not open.
@Suite(.serialized)
struct SessionFileSafetyTests {
    func session(in dir: String, _ name: String = "s.json") throws {
        let result = try tagbench([name], in: dir, input: "label add 巡察\nlabel add 巡视\nload Fixtures/corpus\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    func spans(_ path: String) throws -> Int {
        try Engine.open(path: path, displayPath: "x", annotator: Annotator(name: "t")).0.session.annotationCount
    }

    /// A session that fails to open leaves its lock as a clean exit does: the next try does not
    /// speak of taking over a lock left by a process that is gone.
    @Test func aSessionThatFailsToOpenLeavesNoLockToTakeOver() throws {
        let dir = try Workspace.make()
        try "{\"format\": \"tagbench-session\", oops".write(toFile: dir + "/s.json", atomically: false, encoding: .utf8)
        for arguments in [["s.json"], ["run", "/dev/null", "--session", "s.json"]] {
            let first = try tagbench(arguments, in: dir, input: "docs\n")
            #expect(first.status == 1 && first.stderr.contains("malformed JSON"), "\(first.stderr)")
            let second = try tagbench(arguments, in: dir, input: "docs\n")
            #expect(second.status == 1 && !second.stderr.contains("took over the lock"), "\(second.stderr)")
        }
    }

    @Test func savingOverAnotherSessionTakesItsLockAndKeepsItsJournal() throws {
        let dir = try Workspace.make()
        try session(in: dir, "a.json")
        try session(in: dir, "b.json")
        let b = try RunningRepl(["b.json"], in: dir)
        try b.send("open qu-jiceng\ntag 巡察 all 巡察", until: "巡察")
        var result = try tagbench(["a.json"], in: dir, input: "save b.json\n")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("error: b.json is open in another tagbench (process \(b.pid))"), "\(result.stderr)")
        b.kill()
        // B is gone, its changes are only in its journal: still not saved over.
        result = try tagbench(["a.json"], in: dir, input: "save b.json\n")
        #expect(
            result.stderr.contains("error: refusing to save over b.json: its journal holds changes not saved into it"),
            "\(result.stderr)")
        #expect(try spans(dir + "/b.json") > 0)
    }

    @Test func anAliasOfTheSessionFindsItsLockAndSavesTheRealFile() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        symlink("s.json", dir + "/alias.json")
        let holder = try RunningRepl(["s.json"], in: dir)
        try holder.send("docs", until: "qu-jiceng")
        let result = try tagbench(["alias.json"], in: dir, input: "label add 减负\nsave\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("is open in another tagbench (process \(holder.pid))"), "\(result.stderr)")
        try holder.finish()
        let saved = try tagbench(["alias.json"], in: dir, input: "label add 减负\nsave\n")
        #expect(saved.status == 0, "\(saved.stderr)")
        var info = stat()
        #expect(lstat(dir + "/alias.json", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link stays a link")
        #expect(try read(dir + "/s.json").contains("减负"))
    }

    @Test func aRemovedLockFileDoesNotLetTwoWritersWrite() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        let first = try RunningRepl(["s.json"], in: dir)
        try first.send("open qu-jiceng", until: "qu-jiceng")
        unlink(dir + "/.s.json.lock")
        let second = try RunningRepl(["s.json"], in: dir)
        try second.send("open qu-jiceng\ntag 巡视 1:3", until: "巡视")
        let shown = try first.send("tag 巡察 all 巡察", until: "error")
        #expect(shown.contains("error: the lock of s.json was removed and taken by another process"), "\(shown)")
        // The first leaves cleanly (nothing of its own unsaved): the second's journal stays.
        try first.finish()
        second.kill()
        let recovered = try Engine.open(path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "t")).0
            .session
        #expect(
            recovered.annotationCount == 1
                && recovered.allAnnotations.first.map { recovered.tagSet.labels[$0.label].name } == "巡视")
    }

    /// A link planted in the place of a side file is refused, and what it points to is untouched.
    @Test(arguments: [".s.json.lock", ".s.json.journal", ".s.json.checkpoint"])
    func aPlantedLinkIsNeverFollowed(name: String) throws {
        let dir = try Workspace.make()
        try session(in: dir)
        try "precious\n".write(toFile: dir + "/victim", atomically: false, encoding: .utf8)
        unlink(dir + "/" + name)
        symlink("victim", dir + "/" + name)
        let result = try tagbench(["s.json"], in: dir, input: "label add 减负\nsave\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to use"), "\(result.stderr)")
        #expect(try read(dir + "/victim") == "precious\n")
    }

    @Test func aPlantedTemporaryFileIsNotWrittenThrough() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        try "precious\n".write(toFile: dir + "/victim", atomically: false, encoding: .utf8)
        let repl = try RunningRepl(["s.json"], in: dir)
        try repl.send("docs", until: "qu-jiceng")
        symlink("victim", dir + "/.s.json.tmp-\(repl.pid)")
        let shown = try repl.send("label add 减负\nsave", until: "saved")
        #expect(shown.contains("saved s.json"), "\(shown)")
        try repl.finish()
        #expect(try read(dir + "/victim") == "precious\n")
        #expect(try read(dir + "/s.json").contains("减负"))
    }

    @Test func theSessionsModeIsKeptAndAReadOnlySessionIsNotReplaced() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        chmod(dir + "/s.json", 0o600)
        var result = try tagbench(["s.json"], in: dir, input: "label add 减负\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        let repl = try RunningRepl(["s.json"], in: dir)
        try repl.send("open qu-jiceng\ntag 巡察 all 巡察", until: "巡察")
        for name in ["s.json", ".s.json.hashes", ".s.json.lock", ".s.json.journal"] {
            var info = stat()
            #expect(
                stat(dir + "/" + name, &info) == 0 && info.st_mode & 0o777 == 0o600,
                "\(name): \(String(info.st_mode & 0o777, radix: 8))")
        }
        try repl.send("save", until: "saved")
        try repl.finish()
        chmod(dir + "/s.json", 0o444)
        let before = try read(dir + "/s.json")
        result = try tagbench(["s.json"], in: dir, input: "label add 整改\nsave\n")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("error: refusing to replace s.json: it is read-only (mode 0444)"), "\(result.stderr)"
        )
        #expect(try read(dir + "/s.json") == before)
    }

    @Test func aSessionThatWouldNotOpenIsNotWritten() throws {
        let dir = try Workspace.make()
        try "{\"id\": \"\", \"text\": \"巡察工作\", \"label\": [[0, 2, \"巡察\"]]}\n".write(
            toFile: dir + "/x.jsonl", atomically: false, encoding: .utf8)
        let result = try tagbench(["s.json"], in: dir, input: "load x.jsonl\nsave\n")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "error: refusing to save s.json: it could not be opened again (document 1 has an empty id)"),
            "\(result.stderr)")
        #expect(!exists(dir + "/s.json"))
    }

    @Test(arguments: [["s.json"], ["run", "-", "--session", "s.json"]])
    func temporaryFilesOfKilledSavesAreRemovedOnOpen(arguments: [String]) throws {
        let dir = try Workspace.make()
        try session(in: dir)
        for name in [".s.json.tmp-99999999", "..s.json.hashes.tmp-12", "..s.json.checkpoint.tmp-7"] {
            try "partial".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        // Not a temporary of this session's files: another session's, and a user's file.
        try "theirs".write(toFile: dir + "/.t.json.tmp-99999998", atomically: false, encoding: .utf8)
        try "mine".write(toFile: dir + "/.s.json.tmp-notes", atomically: false, encoding: .utf8)
        let result = try tagbench(arguments, in: dir, input: "docs\n")
        #expect(result.status == 0, "\(result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(left.sorted() == [".s.json.tmp-notes", ".t.json.tmp-99999998"])
    }

    /// A lock file naming a process that is running but does not hold the lock (process 1, or an
    /// id used again) is taken over without calling that process gone.
    @Test func aStaleLockNamingALiveProcessIsNotCalledGone() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        try "1\n".write(toFile: dir + "/.s.json.lock", atomically: false, encoding: .utf8)
        let result = try tagbench(["s.json"], in: dir, input: "docs\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("warning: took over the lock of s.json left by process 1, which does not hold it"),
            "\(result.stderr)")
    }

    /// A link planted as the hash cache is ignored (it is only a cache) and replaced, not
    /// followed, by the next save.
    @Test func aPlantedHashCacheLinkIsReplacedNotFollowed() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        try "precious\n".write(toFile: dir + "/victim", atomically: false, encoding: .utf8)
        unlink(dir + "/.s.json.hashes")
        symlink("victim", dir + "/.s.json.hashes")
        let result = try tagbench(["s.json"], in: dir, input: "label add 减负\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try read(dir + "/victim") == "precious\n")
        #expect(!FileSystem.isLink(dir + "/.s.json.hashes"))
    }

    /// What `save` must never write over, made in the test's folder: a FIFO, a socket, a folder,
    /// a link to a FIFO, and (where this process may make one) a device node of its own.
    static let unwritableTargets = ["fifo", "socket", "folder", "link to a fifo", "device"]

    /// `save NAME` and opening NAME refuse a NAME that is not a regular file, before writing
    /// anything: the new file would be renamed over it (a device would be replaced).
    @Test(arguments: unwritableTargets)
    func aSessionPathThatIsNotARegularFileIsRefused(kind: String) throws {
        let dir = try Workspace.make()
        try session(in: dir)
        let target = dir + "/t.json"
        switch kind {
        case "fifo": #expect(mkfifo(target, 0o644) == 0)
        case "socket":
            #expect(makeSocket(at: target))
        case "folder": try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        case "link to a fifo":
            #expect(mkfifo(dir + "/pipe", 0o644) == 0)
            symlink("pipe", target)
        default:
            // A device node of the test's own (major 1, minor 3: what /dev/null is); only root may make one.
            guard mknod(target, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else { return }
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let saved = try tagbench(["s.json"], in: dir, input: "save t.json\n", limit: 60)
        #expect(saved.status == 1 && !saved.timedOut)
        let what = [
            "fifo": "a FIFO (named pipe)", "socket": "a socket", "folder": "a folder",
            "link to a fifo": "a FIFO (named pipe)", "device": "a device"
        ][kind]!
        #expect(
            saved.stderr.contains("<stdin>:1: error: refusing to write the session t.json: it is \(what)"),
            "\(saved.stderr)")
        let opened = try tagbench(["t.json"], in: dir, input: "docs\n", limit: 60)
        #expect(opened.status == 1 && !opened.timedOut, "\(opened.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before, "a refused save created files")
        var info = stat()
        #expect(stat(target, &info) == 0 && info.st_mode & S_IFMT != S_IFREG, "the \(kind) was replaced")
    }

    /// A session with two names (a hard link) is refused for writing under either: each name
    /// would take a lock of its own, and one writer per session would no longer hold.
    @Test func aSessionWithHardLinksIsRefused() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        #expect(link(dir + "/s.json", dir + "/hard.json") == 0)
        let before = try read(dir + "/s.json")
        for name in ["s.json", "hard.json"] {
            let result = try tagbench([name], in: dir, input: "label add 整改\nsave\n")
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "error: refusing to write the session \(name): it is a file with 2 names (hard links)"),
                "\(result.stderr)")
        }
        #expect(try read(dir + "/s.json") == before)
        let other = try tagbench(["--keep-going"], in: dir, input: "save hard.json\n")
        #expect(
            other.stderr.contains("refusing to write the session hard.json: it is a file with 2 names"),
            "\(other.stderr)")
        #expect(try read(dir + "/hard.json") == before)
    }

    /// `save OTHER` whose journal is a planted link is refused before OTHER or any side file
    /// of it is written.
    @Test func aRefusedSaveOfAnotherSessionWritesNothing() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        symlink("Fixtures/corpus/xinqu-2023.txt", dir + "/.o.json.journal")
        let result = try tagbench(["s.json"], in: dir, input: "save o.json\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains(".o.json.journal: it is a link or not a regular file"), "\(result.stderr)")
        for name in ["o.json", ".o.json.lock", ".o.json.hashes"] {
            #expect(!exists(dir + "/" + name), "\(name) was created")
        }
    }

    /// A journal or lock file with another name (a hard link to a file of the user's) is
    /// refused, not emptied and written through.
    @Test(arguments: [".s.json.journal", ".s.json.lock"])
    func aHardLinkedSideFileIsRefusedAndItsOtherNameLeftAlone(side: String) throws {
        let dir = try Workspace.make()
        try session(in: dir)
        try? FileManager.default.removeItem(atPath: dir + "/" + side)
        try "precious line 1\nprecious line 2\n".write(toFile: dir + "/victim", atomically: false, encoding: .utf8)
        #expect(link(dir + "/victim", dir + "/" + side) == 0)
        let result = try tagbench(["s.json"], in: dir, input: "open xinqu-2023\ntag 巡察 all 巡察\nsave\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(side): it is a link or not a regular file"), "\(result.stderr)")
        #expect(try read(dir + "/victim") == "precious line 1\nprecious line 2\n")
    }

    /// A broken checkpoint is named in the error (not the session file, which is whole), and a
    /// checkpoint that is a link is refused when another session saves over its name.
    @Test func aBrokenOrLinkedCheckpointIsNamed() throws {
        let dir = try Workspace.make()
        try session(in: dir)
        try "garbage\n".write(toFile: dir + "/.s.json.checkpoint", atomically: false, encoding: .utf8)
        let broken = try tagbench(["stats", "s.json"], in: dir)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains(".s.json.checkpoint:1:1: error: malformed JSON"), "\(broken.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/.s.json.checkpoint")
        try "precious\n".write(toFile: dir + "/victim", atomically: false, encoding: .utf8)
        symlink("victim", dir + "/.o.json.checkpoint")
        let linked = try tagbench(["s.json"], in: dir, input: "save o.json\n")
        #expect(linked.status == 1)
        #expect(linked.stderr.contains(".o.json.checkpoint: it is a link or not a regular file"), "\(linked.stderr)")
        #expect(!exists(dir + "/o.json") && !exists(dir + "/.o.json.lock"))
        #expect(try read(dir + "/victim") == "precious\n")
    }
}
