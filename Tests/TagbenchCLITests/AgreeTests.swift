import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Testing

/// `tagbench agree` end to end: the table and the JSON file, bad input (each a clear error naming
/// it, nothing written), and reading sessions without locking or changing them.
@Suite(.serialized)
struct AgreeTests {
    /// A workspace with alice.json and bob.json: the corpus, 巡察 tagged alike, bob's 巡视 extra
    /// and one of alice's spans moved.
    static func workspace() throws -> String {
        let dir = try Workspace.make()
        let common = "label add 巡察\nlabel add 巡视\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\n"
        for (name, extra) in [("alice", "open 1\nuntag a1\ntag 巡察 1090:1093\n"), ("bob", "tag 巡视 all 巡视 --corpus\n")] {
            let result = try tagbench(
                ["run", "-", "--session", "\(name).json"], in: dir, input: common + extra,
                environment: ["TAGBENCH_ANNOTATOR": name])
            #expect(result.status == 0, "\(result.stderr)")
        }
        return dir
    }

    /// Every file under `dir` with its bytes.
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files[name] = FileManager.default.contents(atPath: dir + "/" + name)
            }
        }
        return files
    }

    @Test func printsTheTablesAndWritesTheJSON() throws {
        let dir = try Self.workspace()
        let result = try tagbench(["agree", "alice.json", "bob.json", "--diff", "--json", "out/agree.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "agreement of 2 annotators over 4 common documents (6,021 characters, whitespace left out)")
        #expect(lines.contains("  alice – bob  all      0.4706   4   8   1      0.5882   5     5   7   0"))
        #expect(lines.contains("d1  qu-jiceng  1090:1093  、巡察"))
        #expect(lines.contains("    alice  巡察 1090:1093") && lines.contains("    bob    巡察 1091:1093"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/agree.json")))
        let object = try #require(json as? [String: Any])
        #expect(object["annotators"] as? [String] == ["alice", "bob"])
        #expect((object["disagreements"] as? [Any])?.count == 8)
        Workspace.keep(dir + "/out/agree.json", as: "agree.json")
    }

    static let badInput: [(String, [String], String)] = [
        (
            "newer format", ["alice.json", "newer.json"],
            "error: newer.json has format version 2; this tagbench reads up to 1"
        ),
        ("unreadable", ["alice.json", "folder.json"], "folder.json"),
        ("malformed", ["alice.json", "broken.json"], "broken.json:1:"),
        ("missing", ["alice.json", "nowhere.json"], "error: no such file or directory: nowhere.json"),
        ("twice", ["alice.json", "bob.json", "./alice.json"], "error: session ./alice.json is given twice"),
        ("hard link", ["alice.json", "bob.json", "alias.json"], "error: session alias.json is given twice"),
        ("unknown label", ["alice.json", "bob.json", "--labels", "巡察,巡查"], "error: unknown label \"巡查\""),
        ("unknown document", ["alice.json", "bob.json", "--docs", "nowhere"], "error: unknown document \"nowhere\""),
        ("one session", ["alice.json"], "name at least two sessions")
    ]

    @Test(arguments: badInput)
    func refusesBadInputNamingItAndWritesNothing(_ name: String, _ arguments: [String], _ expected: String) throws {
        let dir = try Self.workspace()
        try Data("{\"format\": \"tagbench-session\", \"version\": 2}".utf8).write(
            to: URL(fileURLWithPath: dir + "/newer.json"))
        try Data("{\"format\": ".utf8).write(to: URL(fileURLWithPath: dir + "/broken.json"))
        try FileManager.default.createDirectory(atPath: dir + "/folder.json", withIntermediateDirectories: false)
        // The same file under another name (a hard link) is the same annotator.
        try FileManager.default.linkItem(atPath: dir + "/alice.json", toPath: dir + "/alias.json")
        let before = try Self.snapshot(dir)
        let result = try tagbench(["agree"] + arguments + ["--json", "out.json"], in: dir)
        #expect(result.status != 0, "\(name)")
        #expect(result.stderr.contains(expected), "\(name): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(name): \(result.stdout)")
        #expect(try Self.snapshot(dir) == before, "\(name) wrote something")
    }

    /// Neither the files of the sessions compared nor those of any other session: `--json
    /// merged.json` typed for `--against merged.json` must not replace the curation, nor a write
    /// to another session's lock let a second writer in.
    @Test(arguments: [
        ".bob.json.journal", ".bob.json.lock", ".alice.json.checkpoint", ".alice.json.hashes", "carol.json",
        ".carol.json.lock", ".carol.json.checkpoint", ".alice.json.journal.failed-20231114T000000Z",
        "link-to-carol.json"
    ])
    func jsonIsNeverWrittenOverAFileOfAnySession(_ name: String) throws {
        let dir = try Self.workspace()
        // carol.json: a session not compared, reached by name or through a link.
        try FileManager.default.copyItem(atPath: dir + "/alice.json", toPath: dir + "/carol.json")
        try FileManager.default.createSymbolicLink(
            atPath: dir + "/link-to-carol.json", withDestinationPath: "carol.json")
        let before = try Self.snapshot(dir)
        let result = try tagbench(["agree", "alice.json", "bob.json", "--json", name], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to overwrite \(name)"), "\(result.stderr)")
        #expect(try Self.snapshot(dir) == before)
    }

    @Test func jsonGoesThroughALinkAndIntoAFIFOAsAnExportDoes() throws {
        let dir = try Self.workspace()
        // A link stays a link; what it leads to gets the figures.
        try "old".write(toFile: dir + "/target.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.json", withDestinationPath: "target.json")
        var result = try tagbench(["agree", "alice.json", "bob.json", "--json", "link.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.json") == "target.json")
        #expect(try read(dir + "/target.json").hasPrefix("{\"annotators\": [\"alice\", \"bob\"]"))
        // A FIFO is written, not replaced: its reader gets the figures.
        #expect(mkfifo(dir + "/pipe.json", 0o644) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [dir + "/pipe.json"]
        let output = Pipe()
        reader.standardOutput = output
        try reader.run()
        result = try tagbench(["agree", "alice.json", "bob.json", "--json", "pipe.json"], in: dir)
        let read = output.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: read, as: UTF8.self).hasPrefix("{\"annotators\""))
        var info = stat()
        #expect(lstat(dir + "/pipe.json", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func jsonOnStdoutIsJSONWhateverTheTextHoldsAndGivesTextExactly() throws {
        let dir = try Workspace.make()
        // U+2028, NEL, DEL: valid in JSON strings as they are; the terminal-safe form of
        // listings (\u{2028}) is not JSON.
        let text = "巡察\u{2028}\u{85}\u{7F}巡察。\n第二段\u{2028}巡察。\n"
        try text.write(toFile: dir + "/e.txt", atomically: true, encoding: .utf8)
        for (name, extra) in [("a", "tag 巡察 0:6\nclassify 巡察 para 2\n"), ("b", "")] {
            let made = try tagbench(
                ["run", "-", "--session", "\(name).json"], in: dir, input: "label add 巡察\nload e.txt\n" + extra,
                environment: ["TAGBENCH_ANNOTATOR": name + "\u{2028}x"])
            #expect(made.status == 0, "\(made.stderr)")
        }
        let result = try tagbench(["agree", "a.json", "b.json", "--diff", "--json", "-"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect((object["annotators"] as? [String])?.first == "a\u{2028}x")
        let scalars = Array(text.unicodeScalars)
        for item in object["disagreements"] as? [[String: Any]] ?? [] {
            let (start, end) = (item["start"] as! Int, item["end"] as! Int)
            #expect(item["text"] as? String == String(String.UnicodeScalarView(scalars[start..<end])))
        }
        #expect((object["disagreements"] as? [Any])?.count == 2)
    }

    @Test(arguments: [["--labels", ""], ["--labels", ","], ["--docs", ""]])
    func anOptionThatNamesNothingIsAWrongCommandLine(_ option: [String]) throws {
        let dir = try Self.workspace()
        let result = try tagbench(["agree", "alice.json", "bob.json"] + option, in: dir)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("separated by commas"), "\(result.stderr)")
    }

    @Test func readsASessionARunningReplHoldsWithoutLockingOrChangingIt() throws {
        let dir = try Self.workspace()
        let repl = try RunningRepl(["bob.json"], in: dir, environment: ["TAGBENCH_ANNOTATOR": "bob"])
        defer { repl.kill() }
        // An unsaved change, in bob's journal only.
        try repl.send("open 1", until: "qu-jiceng")
        try repl.send("tag 巡察 1090:1093", until: "1090:1093")
        let before = try Self.snapshot(dir)
        let result = try tagbench(["agree", "alice.json", "bob.json", "--json", "-"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let pair = try #require((json?["pairs"] as? [[String: Any]])?.first)
        let spans = (pair["by_label"] as? [String: Any])?["巡察"] as? [String: Any]
        // The journal's change is read: bob now has alice's moved span too.
        #expect((spans?["exact"] as? [String: Any])?["tp"] as? Int == 5)
        #expect(try Self.snapshot(dir) == before)
        // The REPL still holds its session.
        try repl.send("save", until: "saved bob.json")
    }
}
