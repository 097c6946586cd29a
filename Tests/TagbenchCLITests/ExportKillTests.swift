import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif
@testable import TagbenchCore

/// An export of a large session (60,000 spans over three documents, split in two) killed by
/// SIGKILL at random moments: whatever the moment, a manifest beside the export describes it
/// exactly (every file it names is there with the bytes and hash it records; killed while the
/// files take their places, there is none, the mark of an unfinished export), the session is
/// untouched, and the next export removes what the killed ones left and is whole.
@Suite(.serialized)
struct ExportKillTests {
    /// The manifest's files (path relative to it, sha256), with their bytes checked; a failure
    /// message for each file that does not match.
    static func inconsistencies(of manifestPath: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: manifestPath) else { return [] }
        let directory = Paths.directory(of: manifestPath)
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            as! [String: Any]
        var problems: [String] = []
        for split in manifest["splits"] as! [[String: Any]] {
            for file in split["files"] as! [[String: Any]] {
                let path = directory + "/" + (file["path"] as! String)
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    problems.append("\(path) is missing")
                    continue
                }
                if bytes.count != file["bytes"] as! Int {
                    problems.append("\(path): \(bytes.count) bytes, the manifest says \(file["bytes"]!)")
                }
                if try Self.sha256sum(path) != file["sha256"] as! String {
                    problems.append("\(path): not the hash the manifest records")
                }
            }
        }
        return problems
    }

    /// coreutils' SHA-256 of a file (not tagbench's own, which wrote the manifest).
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    @Test func exportKilledAtRandomMomentsLeavesAWholeExport() throws {
        let dir = try Workspace.make()
        try FileManager.default.createDirectory(atPath: dir + "/big", withIntermediateDirectories: false)
        for k in 0..<3 {
            try String(repeating: "巡察工作整改落实\n", count: 2_500).write(
                toFile: dir + "/big/d\(k).txt", atomically: false, encoding: .utf8)
        }
        let made = try tagbench(["s.json"], in: dir, input: "label add 巡察\nload big\ntag 巡察 all /./ --corpus\nsave\n")
        #expect(made.status == 0 && made.stdout.contains("60,000 annotations"), "\(made.stderr)")
        let session = try Data(contentsOf: URL(fileURLWithPath: dir + "/s.json"))
        // Two exports that differ (by unit), to the same paths: a kill may land in either.
        let variants = [
            ["export", "s.json", "spans", "out.jsonl", "--split", "a=1,b=1"],
            ["export", "s.json", "spans", "out.jsonl", "--split", "a=1,b=1", "--unit", "para"]
        ]
        let clock = ContinuousClock()
        let start = clock.now
        let first = try tagbench(variants[0], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let window = clock.now - start
        let windowMicroseconds = max(
            1_000, Int(window.components.seconds) * 1_000_000 + Int(window.components.attoseconds / 1_000_000_000_000))
        var generator = SystemRandomNumberGenerator()
        let rounds = ProcessInfo.processInfo.environment["TAGBENCH_EXPORT_KILL_ROUNDS"].flatMap { Int($0) } ?? 16
        for round in 0..<rounds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Workspace.binary)
            process.arguments = variants[round % 2]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.environment = ["TAGBENCH_HISTORY": "", "SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Int.random(in: 0...windowMicroseconds, using: &generator)))
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let problems = try Self.inconsistencies(of: dir + "/out.jsonl.manifest.json")
            #expect(problems.isEmpty, "round \(round): \(problems)")
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/s.json")) == session,
                "round \(round): the session changed")
        }
        // The next export removes the temporaries the killed ones left, and is whole.
        let last = try tagbench(variants[0], in: dir)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out.jsonl.manifest.json"))
        #expect(try Self.inconsistencies(of: dir + "/out.jsonl.manifest.json").isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix(".out") && $0.contains(".tmp-")
        }
        #expect(left.isEmpty, "\(left)")
    }
}
