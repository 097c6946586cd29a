import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Exports through the built binary where the danger is the process's own: a signal in the
/// middle of an export, and data written to stdout.
@Suite(.serialized)
struct ExportSafetyEndToEndTests {
    /// A saved session `s.json` of `count` generated documents in `big/`.
    func bigSession(_ count: Int) throws -> String {
        let dir = try Workspace.make()
        try FileManager.default.createDirectory(atPath: dir + "/big", withIntermediateDirectories: false)
        let paragraph = String(repeating: "巡察工作要坚持问题导向，落实整改责任。", count: 40)
        for i in 0..<count {
            try "第\(i)份报告。\n\n\(paragraph)\n".write(toFile: dir + "/big/d\(i).txt", atomically: false, encoding: .utf8)
        }
        let result = try tagbench(
            ["s.json"], in: dir,
            input: "schema Schemas/governance.tagset.json\nload big\ntag 巡察 all 巡察 --corpus\nsave s.json\n")
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    /// Every entry's bytes (a folder's as the list of its names), for before/after comparison.
    func contents(_ dir: String) throws -> [String: Data] {
        var entries: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory)
            entries[name] =
                isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return entries
    }

    static let interrupted: [([String], Int32)] = [
        (["brat", "out"], SIGTERM),
        (["brat", "out"], SIGINT),
        (["spans", "out.jsonl", "--split", "a=1,b=1"], SIGTERM),
        (["bio", "out.jsonl", "--jsonl", "--shard-size", "50"], SIGINT)
    ]

    /// SIGTERM or SIGINT while an export is being written: the process ends by the signal, the
    /// earlier export is as it was and no temporary file is left.
    @Test(arguments: interrupted)
    func aSignalDuringAnExportLeavesTheEarlierOneAndNoTemporaryFile(arguments: [String], signal: Int32) throws {
        let dir = try bigSession(300)
        let first = try tagbench(["export", "s.json"] + arguments, in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        // The earlier export must differ from what the next one would write.
        let retag = try tagbench(["s.json"], in: dir, input: "tag 整改落实 all 整改 --corpus\nsave\n")
        #expect(retag.status == 0, "\(retag.stderr)")
        let before = try contents(dir)

        // Started as a shell starts a command: SIGINT and SIGTERM unblocked, at their default
        // actions (the test runner's own may differ, and a child inherits them).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments =
            [
                "-c",
                """
                import os, signal, sys
                signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM])
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.execv(sys.argv[1], sys.argv[1:])
                """, Workspace.binary, "export", "s.json"
            ] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Signalled once its first staged file exists: in the middle of writing.
        var seen = false
        while process.isRunning && !seen {
            seen = try FileManager.default.subpathsOfDirectory(atPath: dir).contains {
                $0.contains(".tmp-\(process.processIdentifier)")
            }
            if !seen { usleep(200) }
        }
        if seen { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        guard seen else {
            Issue.record("the export ended before a staged file was seen")
            return
        }
        #expect(
            process.terminationReason == .uncaughtSignal && process.terminationStatus == signal,
            "ended by \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)")
        let after = try contents(dir)
        #expect(after.keys.filter { $0.contains(".tmp-") }.isEmpty)
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] && !$0.hasPrefix(".s.json") }
        #expect(changed.isEmpty, "changed: \(changed.sorted().prefix(5))")
    }

    /// Data to a device is the data alone: the summary goes to stderr and nothing is created
    /// beside the device.
    @Test func anExportToStdoutIsTheDataAlone() throws {
        let dir = try Workspace.make()
        let session = try tagbench(
            ["s.json"], in: dir,
            input: "schema Schemas/governance.tagset.json\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\nsave s.json\n")
        #expect(session.status == 0, "\(session.stderr)")
        func stamp(_ path: String) throws -> Date? {
            exists(path) ? try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date : nil
        }
        let manifestBefore = try stamp("/dev/stdout.manifest.json")
        let result = try tagbench(["export", "s.json", "spans", "/dev/stdout"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines.allSatisfy { $0.hasPrefix("{\"id\": ") }, "\(result.stdout.suffix(200))")
        #expect(result.stderr.contains("exported 4 documents"))
        // (Another program may have left one there: it must be as it was.)
        #expect(try stamp("/dev/stdout.manifest.json") == manifestBefore)
        // Stdout redirected to a file: /dev/stdout leads to a regular file, still written in place
        // (the redirection's file holds the data) with nothing beside the device path.
        let redirected = dir + "/redirected.jsonl"
        #expect(FileManager.default.createFile(atPath: redirected, contents: nil))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = ["export", "s.json", "spans", "/dev/stdout"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: redirected))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let data = try String(contentsOfFile: redirected, encoding: .utf8).split(separator: "\n")
        #expect(data.count == 4 && data.allSatisfy { $0.hasPrefix("{\"id\": ") })
        #expect(try stamp("/dev/stdout.manifest.json") == manifestBefore)
        // A file is still written with its manifest and the summary on stdout.
        let file = try tagbench(["export", "s.json", "spans", "out.jsonl"], in: dir)
        #expect(file.stdout.contains("; manifest out.jsonl.manifest.json"))
    }

    /// The formats that write a file beside their data (bio's tag list, Label Studio's config)
    /// write the data alone to a device, and say what they left out.
    @Test(arguments: [
        (["bio", "/dev/stdout", "--jsonl"], "/dev/stdout.labels.json", ".labels.json"),
        (["label-studio", "/dev/stdout"], "/dev/stdout.config.xml", ".config.xml")
    ])
    func formatsWithASideFileWriteTheDataAloneToADevice(arguments: [String], sideFile: String, name: String) throws {
        let dir = try Workspace.make()
        let session = try tagbench(
            ["s.json"], in: dir,
            input: "schema Schemas/governance.tagset.json\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\nsave s.json\n")
        #expect(session.status == 0, "\(session.stderr)")
        let before =
            exists(sideFile)
            ? try FileManager.default.attributesOfItem(atPath: sideFile)[.modificationDate] as? Date : nil
        let result = try tagbench(["export", "s.json"] + arguments, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.isEmpty)
        #expect(
            result.stderr.contains(
                "warning: stdout is not a regular file: only the data was written, not the \(name) beside it"),
            "\(result.stderr)")
        let after =
            exists(sideFile)
            ? try FileManager.default.attributesOfItem(atPath: sideFile)[.modificationDate] as? Date : nil
        #expect(after == before, "\(sideFile) was written")
    }

    /// A brat folder that is a link (say, swapped for the documents' folder after an export made
    /// the real one) is refused, whatever manifest stands beside the name.
    @Test func aBratFolderThatIsALinkIsRefused() throws {
        let dir = try Workspace.make()
        let session = try tagbench(
            ["s.json"], in: dir,
            input: "label add 巡察\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\nsave\nexport brat b1\n")
        #expect(session.status == 0, "\(session.stderr)")
        #expect(rename(dir + "/b1", dir + "/b1.real") == 0)
        #expect(symlink("Fixtures/corpus", dir + "/b1") == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir + "/Fixtures/corpus").sorted()
        let result = try tagbench(["export", "s.json", "brat", "b1"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("/b1: it is a symbolic link"), "\(result.stderr)")
        #expect(
            result.stderr.contains("it is a symbolic link; brat files are written only into a real folder"),
            "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/Fixtures/corpus").sorted() == before)
    }

    /// An export to a FIFO that no process reads fails at once with a clear error instead of
    /// waiting for a reader for good (where SIGTERM, held during exports, could not end it).
    @Test func anExportToAFifoWithNoReaderFailsAtOnce() throws {
        let dir = try Workspace.make()
        let session = try tagbench(
            ["s.json"], in: dir, input: "label add 巡察\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\nsave\n")
        #expect(session.status == 0, "\(session.stderr)")
        #expect(mkfifo(dir + "/ff", 0o644) == 0)
        let result = try tagbench(["export", "s.json", "spans", "ff"], in: dir, limit: 30)
        #expect(!result.timedOut, "the export waited for a reader")
        #expect(result.status == 1)
        #expect(result.stderr.contains("it is a FIFO that no process is reading"), "\(result.stderr)")
    }
}
