import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
import Glibc
#endif

/// The built binary, driven as users and scripts drive it: piped stdin, scripts, subcommands.
@Suite(.serialized)
struct EndToEndTests {
    @Test func pipedCommandsRunWithoutPromptAndSave() throws {
        let dir = try Workspace.make()
        let input = """
        schema Schemas/governance.tagset.json
        load Fixtures/corpus
        open xinqu-2023
        tag xc all 巡察
        tag 第一议题 "第一议题"#1
        save work.json

        """
        let result = try tagbench(["work.json"], in: dir, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("> "), "no prompt on piped input")
        #expect(result.stdout.contains("a1  第一议题  xinqu-2023  465:469  第一议题"))
        #expect(result.stdout.contains("saved work.json: 4 documents, 1 annotation, 0 categories"))
        #expect(exists(dir + "/work.json"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
        Workspace.keep(dir + "/work.json", as: "piped-session.json")
    }

    @Test func pipedInputStopsAtTheFirstErrorWithItsLineNumber() throws {
        let dir = try Workspace.make()
        let input = "schema Schemas/governance.tagset.json\nload Fixtures/corpus\ntag 巡查 1:3\nsave s.json\n"
        let result = try tagbench([], in: dir, input: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:3: error: unknown label \"巡查\" — did you mean 巡察?"))
        #expect(!exists(dir + "/s.json"), "the line after the error did not run")
    }

    @Test func keepGoingReportsEveryErrorAndRunsTheRest() throws {
        let dir = try Workspace.make()
        let input = "schema Schemas/governance.tagset.json\nfrobnicate\nload Fixtures/corpus\ntag 巡察 \"unterminated\nsave s.json\n"
        let result = try tagbench(["--keep-going"], in: dir, input: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:2: error: unknown command \"frobnicate\""))
        #expect(result.stderr.contains("<stdin>:4:8: error: unterminated quote"))
        #expect(result.stderr.contains("hint: close the quote"))
        #expect(exists(dir + "/s.json"))
    }

    @Test func runIsATransactionThatNamesTheScriptLine() throws {
        let dir = try Workspace.make()
        let script = "schema ../Schemas/governance.tagset.json\nload ../Fixtures/corpus\n# a comment\ntag 巡察 all 巡察 --corpus\ntag 巡察 99999:100000\n"
        try script.write(toFile: dir + "/Fixtures/bad.tb", atomically: true, encoding: .utf8)
        let result = try tagbench(["run", "Fixtures/bad.tb", "--session", "s.json"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Fixtures/bad.tb:5: error: range 99999:100000 is outside the document (length 1241)"))
        #expect(!exists(dir + "/s.json"), "a failed run writes no session")
    }

    @Test func runWritesTheSessionWhenEveryCommandSucceeded() throws {
        let dir = try Workspace.make()
        let result = try tagbench(["run", "Fixtures/scripts/demo.tb", "--session", "Sessions/new.json"], in: dir,
                                  environment: ["TAGBENCH_ANNOTATOR": "demo"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("saved Sessions/new.json: 4 documents, 45 annotations\n"))
        Workspace.keep(dir + "/Sessions/new.json", as: "demo-session.json")
    }

    @Test func committedDemoSessionIsWhatTheDemoScriptMakes() throws {
        // The walkthrough and `make run` use Sessions/demo.json: it must not drift from its script.
        let dir = try Workspace.make()
        try FileManager.default.removeItem(atPath: dir + "/Sessions/demo.json")
        let result = try tagbench(["run", "Fixtures/scripts/demo.tb", "--session", "Sessions/demo.json"], in: dir,
                                  environment: ["TAGBENCH_ANNOTATOR": "demo"])
        #expect(result.status == 0)
        #expect(try read(dir + "/Sessions/demo.json") == read(Workspace.root + "/Sessions/demo.json"))
    }

    @Test func scriptFromStdinWithDash() throws {
        let dir = try Workspace.make()
        let result = try tagbench(["run", "-", "--session", "s.json"], in: dir,
                                  input: "label add 巡察 --alias xc\nload Fixtures/edge/crlf.txt\ntag xc all 巡察\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try read(dir + "/s.json").contains("\"text\": \"巡察\""))
    }

    @Test func exportWritesJSONLWithExactCodePointOffsets() throws {
        let dir = try Workspace.make()
        let script = """
        schema Schemas/governance.tagset.json
        load Fixtures/corpus Fixtures/edge
        tag 巡察 all 巡察 --corpus
        tag 主题教育 all 主题教育 --corpus
        open crlf
        classify 政治建设 para 2
        save s.json

        """
        var result = try tagbench([], in: dir, input: script)
        #expect(result.status == 0, "\(result.stderr)")
        result = try tagbench(["export", "s.json", "spans", "out.jsonl"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("empty.txt") == false)
        let lines = try read(dir + "/out.jsonl").split(separator: "\n")
        #expect(lines.count == 9)
        var spans = 0
        for line in lines {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let text = Array((record["text"] as! String).unicodeScalars)
            let meta = record["meta"] as! [String: Any]
            #expect(meta["offset_unit"] as? String == "codepoint")
            for span in record["spans"] as! [[String: Any]] {
                let start = span["start"] as! Int, end = span["end"] as! Int
                #expect(String(String.UnicodeScalarView(text[start..<end])) == span["text"] as! String)
                spans += 1
            }
        }
        #expect(spans > 10)
        #expect(try read(dir + "/out.jsonl").contains("\"categories\": [{\"label\": \"政治建设\", \"unit\": \"para\", \"index\": 2"))
        Workspace.keep(dir + "/s.json", as: "export-session.json")
        Workspace.keep(dir + "/out.jsonl", as: "export-fixtures.jsonl")
    }

    @Test func exportRefusesToOverwriteItsInputs() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["export", "Sessions/demo.json", "spans", "Sessions/demo.json"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to overwrite Sessions/demo.json"))
        result = try tagbench(["export", "Sessions/demo.json", "spans", "Fixtures/corpus/qu-jiceng.txt"], in: dir)
        #expect(result.status == 1)
        #expect(try read(dir + "/Fixtures/corpus/qu-jiceng.txt") == read(Workspace.root + "/Fixtures/corpus/qu-jiceng.txt"))
        result = try tagbench(["export", "Sessions/demo.json", "conll", "x"], in: dir)
        #expect(result.stderr.contains("unknown export format \"conll\""))
        #expect(result.stderr.contains("hint: formats: spans, doccano, classify, bio, brat, label-studio"))
    }

    @Test func exportOptionsOnTheCommandLineAndTheirErrors() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["export", "Sessions/demo.json", "bio", "sets/ner.jsonl", "--jsonl", "--split", "train=3,test=1", "--seed", "5"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "exported 4 documents, 82 records, 45 spans to sets/ner.jsonl (3 files); manifest sets/ner.jsonl.manifest.json\n")
        for name in ["ner-train.jsonl", "ner-test.jsonl", "ner.labels.json", "ner.jsonl.manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/sets/" + name), "\(name)")
        }
        let manifest = try read(dir + "/sets/ner.jsonl.manifest.json")
        // Paths as the user wrote them (the folder was dropped before).
        #expect(manifest.contains("\"command\": \"export bio sets/ner.jsonl --split train=3,test=1 --seed 5 --jsonl\""))
        result = try tagbench(["export", "Sessions/demo.json", "bio", "out.conll", "--overlap", "widest"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr == "error: export option --overlap widest: choose longest or first\n  hint: help export lists the options of each format\n")
        result = try tagbench(["export", "Sessions/demo.json", "spans", "out.jsonl", "--labels", "巡查"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: unknown label \"巡查\" — did you mean 巡察?"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.jsonl"))
    }

    @Test func statsVersionAndHelp() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["stats", "Sessions/demo.json"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("4 documents, 6,050 characters, 45 spans, 2 categories\nby label:\n"))
        result = try tagbench(["--version"], in: dir)
        #expect(result.stdout == "tagbench \(TagbenchVersion.current)\n")
        result = try tagbench(["--help"], in: dir)
        #expect(result.stdout.contains("run") && result.stdout.contains("export"))
        result = try tagbench(["stats", "nothing.json"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no such file or directory: nothing.json"))
    }

    @Test func malformedSessionIsAnErrorWithLineAndColumnAndLeftAlone() throws {
        let dir = try Workspace.make()
        let broken = "{\n  \"format\": \"tagbench-session\",\n  \"version\": 1,\n  \"labels\": [}\n"
        try broken.write(toFile: dir + "/s.json", atomically: true, encoding: .utf8)
        let result = try tagbench(["s.json"], in: dir, input: "docs\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("s.json:4:14: error: malformed JSON: expected an object"))
        #expect(try read(dir + "/s.json") == broken)
    }

    @Test func replayingHistoryIntoAnEmptySessionGivesTheSameAnnotations() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["Sessions/demo.json"], in: dir, input: "history\n")
        #expect(result.status == 0)
        // The history's paths are relative to the session's folder: replay it from there.
        try result.stdout.write(toFile: dir + "/Sessions/replay.tb", atomically: true, encoding: .utf8)
        result = try tagbench(["run", "Sessions/replay.tb", "--session", "Sessions/replayed.json"], in: dir,
                              environment: ["TAGBENCH_ANNOTATOR": "demo"])
        #expect(result.status == 0, "\(result.stderr)")
        let original = try Engine.open(path: dir + "/Sessions/demo.json", displayPath: "a", annotator: Annotator(name: "x")).0.session
        let replayed = try Engine.open(path: dir + "/Sessions/replayed.json", displayPath: "b", annotator: Annotator(name: "x")).0.session
        func fingerprint(_ s: Session) -> [String] {
            s.allAnnotations.map { "\($0.id) \(s.documents[$0.document].id) \($0.range) \(s.tagSet.labels[$0.label].name) \($0.note)" }
                + s.categories.map { "\(s.documents[$0.document].id) \($0.unit) \($0.index) \(s.tagSet.labels[$0.label].name)" }
        }
        #expect(fingerprint(replayed) == fingerprint(original))
        #expect(!fingerprint(original).isEmpty)
        Workspace.keep(dir + "/Sessions/replayed.json", as: "replayed-session.json")
    }

    @Test func sessionsAreByteIdenticalAcrossRunsWithSourceDateEpoch() throws {
        let dir = try Workspace.make()
        _ = try tagbench(["run", "Fixtures/scripts/demo.tb", "--session", "a.json"], in: dir)
        _ = try tagbench(["run", "Fixtures/scripts/demo.tb", "--session", "b.json"], in: dir)
        #expect(try read(dir + "/a.json") == read(dir + "/b.json"))
        #expect(try read(dir + "/a.json").contains("\"time\": \"2023-11-14T22:13:20Z\""))
    }
}

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
        #expect(result.stderr.contains("error: Sessions/demo.json is open in another tagbench (process \(holder.processIdentifier))"))
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

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        result = try tagbench(["Sessions/demo.json"], in: dir, input: "docs\n")
        #expect(result.status == 0, "the lock is released when its holder leaves")
        #expect(!result.stderr.contains("took over"))
    }

    @Test func aLockLeftByADeadProcessIsTakenOverAndThatIsSaid() throws {
        let dir = try Workspace.make()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try "\(gone.processIdentifier)\n".write(toFile: dir + "/Sessions/.demo.json.lock", atomically: true, encoding: .utf8)
        let result = try tagbench(["Sessions/demo.json"], in: dir, input: "docs\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: took over the lock of Sessions/demo.json left by process \(gone.processIdentifier), which is no longer running"))
    }
}

func warningsAreClean(_ stderr: String) -> Bool { !stderr.contains("failed") && !stderr.contains("error") }

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
                    return ("open \(id)\ntag \(label) \(position * 3):\(position * 3 + 2)\n", "\(label) \(id) \(position * 3):\(position * 3 + 2)")
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
        var result = try tagbench(["s.json"], in: dir, input: "label add 巡察\nlabel add 巡视\nlabel add 减负\nlabel add 整改\nload Fixtures/corpus\nsave\n")
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
            let (reopened, warnings) = try Engine.open(path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
            #expect(!warnings.contains { $0.contains("failed") }, "round \(round): \(warnings)")
            let s = reopened.session
            let spans = Set(s.allAnnotations.map { "\(s.tagSet.labels[$0.label].name) \(s.documents[$0.document].id) \($0.range)" })
            #expect(reported.isSubset(of: spans), "round \(round): lost \(reported.subtracting(spans).sorted())")
        }
        // Every reported span is in the recovered session, and the session then saves and parses.
        result = try tagbench(["s.json"], in: dir, input: "spans --corpus\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("recovered"))
        let session = try Engine.open(path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x")).0.session
        let saved = Set(session.allAnnotations.map { "\(session.tagSet.labels[$0.label].name) \(session.documents[$0.document].id) \($0.range)" })
        #expect(reported.isSubset(of: saved), "lost \(reported.subtracting(saved).sorted())")
        #expect(warningsAreClean(result.stderr))
        Workspace.keep(dir + "/s.json", as: "crash-session.json")
    }
}

/// Every bad input gets a clear error, exit status 1, and changes nothing: each case runs piped
/// commands on a saved session and checks the message, the status and the session's bytes.
@Suite(.serialized)
struct BadInputTests {
    static let cases: [(name: String, input: String, message: String)] = [
        ("invalid UTF-8", "load bad/invalid.txt\n", "error: bad/invalid.txt is not valid UTF-8 (byte offset 3)"),
        ("binary file", "load bad/binary.txt\n", "error: bad/binary.txt looks binary: NUL byte at offset 2"),
        ("missing path", "load nowhere.txt\n", "error: no such file or directory: nowhere.txt"),
        ("not a regular file", "load bad/fifo.txt\n", "error: cannot read bad/fifo.txt: not a regular file"),
        ("directory without .txt", "load bad/empty-dir\n", "error: no .txt files in bad/empty-dir"),
        ("unknown command", "tga 巡察 1:2\n", "error: unknown command \"tga\" — did you mean tag?"),
        ("unknown option", "find 巡察 --everywhere\n", "error: find has no option --everywhere"),
        ("unbalanced quote", "tag 巡察 \"巡察工作\n", "<stdin>:1:8: error: unterminated quote"),
        ("invalid regex", "tag 巡察 all /巡(察/\n", "error: invalid regular expression /巡(察/"),
        ("offsets out of range", "tag 巡察 1000:99999\n", "error: range 1000:99999 is outside the document (length 1241)"),
        ("hit with no find", "tag 巡察 h1\n", "error: no find results to refer to"),
        ("script that does not exist", "run missing.tb\n", "error: no such file or directory: missing.tb"),
        ("export over the session", "export spans s.json\n", "error: refusing to overwrite s.json"),
        ("export over a document", "export spans Fixtures/corpus/qu-jiceng.txt\n", "error: refusing to overwrite Fixtures/corpus/qu-jiceng.txt"),
        ("save over a document", "save Fixtures/corpus/qu-jiceng.txt\n", "error: refusing to overwrite Fixtures/corpus/qu-jiceng.txt"),
        ("export over a symbolic link to a document", "export spans link.jsonl\n", "error: refusing to overwrite link.jsonl"),
        ("export over a hard link to a document", "export spans hard.jsonl\n", "error: refusing to overwrite hard.jsonl"),
        ("export over the session by another name", "export spans ./bad/../s.json\n", "error: refusing to overwrite ./bad/../s.json"),
        ("unknown label", "tag 巡查 1:3\n", "error: unknown label \"巡查\" — did you mean 巡察?"),
        ("unknown annotation", "untag a999\n", "error: no annotation a999"),
        ("unknown encoding", "load --encoding latin9 x.txt\n", "error: unknown encoding \"latin9\""),
        ("bytes invalid in the encoding", "load --encoding gb18030 bad/invalid-gb.txt\n", "error: bad/invalid-gb.txt is not valid gb18030 (byte offset 4)"),
    ]

    func prepared() throws -> String {
        let dir = try Workspace.make()
        try FileManager.default.createDirectory(atPath: dir + "/bad/empty-dir", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/bad/invalid.txt", contents: Data([0x41, 0x42, 0x43, 0xC3, 0x28]))
        _ = FileManager.default.createFile(atPath: dir + "/bad/binary.txt", contents: Data([0x41, 0x42, 0x00, 0x43]))
        mkfifo(dir + "/bad/fifo.txt", 0o644)
        _ = FileManager.default.createFile(atPath: dir + "/bad/invalid-gb.txt", contents: Data([0xD1, 0xB2, 0xB2, 0xE9, 0xFF, 0x41]))
        symlink("Fixtures/corpus/qu-jiceng.txt", dir + "/link.jsonl")
        link(dir + "/Fixtures/corpus/qu-jiceng.txt", dir + "/hard.jsonl")
        // The demo session, saved as s.json here (its document paths then relative to here).
        let result = try tagbench(["Sessions/demo.json"], in: dir, input: "save s.json\n")
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    @Test(arguments: cases)
    func badInputIsAClearErrorAndChangesNothing(name: String, input: String, message: String) throws {
        let dir = try prepared()
        let before = try read(dir + "/s.json")
        let result = try tagbench(["s.json"], in: dir, input: input + "save\n")
        #expect(result.status == 1, "\(name)")
        #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
        #expect(!result.stdout.contains("saved"), "\(name): the line after the error did not run")
        #expect(try read(dir + "/s.json") == before, "\(name): the session is unchanged")
        #expect(!exists(dir + "/.s.json.journal"), "\(name): no journal left behind")
    }

    static let badSessions: [(name: String, content: String, message: String)] = [
        ("newer format", "{\"format\": \"tagbench-session\", \"version\": 2}", "error: bad.json has format version 2; this tagbench reads up to 1"),
        ("malformed", "{\"format\": \"tagbench-session\",\n\"version\": 1,,}", "bad.json:2:14: error: malformed JSON: expected a string"),
        ("not a session", "[1, 2, 3]", "bad.json:1:1: error: malformed JSON: expected an object"),
        ("span out of range", "\"start\": 153, \"end\": 157|\"start\": 153, \"end\": 99999", "annotation a1 ends at 99999, beyond document xinqu-2023"),
        ("start not before end", "\"start\": 153, \"end\": 157|\"start\": 157, \"end\": 153", "annotation a1 has start 157 and end 153"),
        ("unknown label", "\"label\": \"主题教育\", \"text\"|\"label\": \"无此标签\", \"text\"", "annotation a1 has label \"无此标签\", which is not in the tag set"),
        ("duplicate ids", "{\"id\": \"a2\"|{\"id\": \"a1\"", "annotation id a1 appears twice"),
        ("unknown document", "{\"id\": \"a1\", \"doc\": \"xinqu-2023\"|{\"id\": \"a1\", \"doc\": \"nowhere\"", "annotation a1 refers to document \"nowhere\""),
    ]

    @Test(arguments: badSessions)
    func badSessionFilesAreRefusedAndLeftAsTheyWere(name: String, content: String, message: String) throws {
        let dir = try Workspace.make()
        // "FIND|REPLACE" breaks the demo session; anything else is the whole file.
        let edit = content.split(separator: "|", maxSplits: 1).map(String.init)
        var text = content
        if edit.count == 2 {
            text = try read(dir + "/Sessions/demo.json").replacingOccurrences(of: edit[0], with: edit[1])
        }
        let name = edit.count == 2 ? "Sessions/bad.json" : "bad.json"
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try tagbench([name], in: dir, input: "label add x\nsave\n")
        #expect(result.status == 1, "\(name)")
        #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
        #expect(try read(path) == text, "\(name): the file is left as it was")
    }

    @Test func aChangedDocumentIsReportedAndItsLostSpansListedAsOrphans() throws {
        let dir = try prepared()
        let path = dir + "/Fixtures/corpus/qu-jiceng.txt"
        let text = try read(path)
        // Replace the second 巡察 (one of the demo's spans) and prepend a line: the rest move.
        let second = text.range(of: "巡察", range: text.range(of: "巡察")!.upperBound..<text.endIndex)!
        try ("新增一行。\n" + text.replacingCharacters(in: second, with: "检查")).write(toFile: path, atomically: true, encoding: .utf8)
        var result = try tagbench(["s.json"], in: dir, input: "orphans\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: document qu-jiceng changed since it was annotated: 0 spans still in place, 2 moved with their text, 1 orphaned"))
        #expect(result.stdout.contains("巡察  qu-jiceng  1182:1184  巡察"))
        result = try tagbench(["export", "s.json", "spans", "out.jsonl"], in: dir)
        #expect(result.stderr.contains("warning: 1 orphaned span left out (orphans lists them)"))
        Workspace.keep(dir + "/s.json", as: "orphans-session.json")
    }

    @Test func anEmptyFileIsLoadedWithAWarning() throws {
        let dir = try prepared()
        _ = FileManager.default.createFile(atPath: dir + "/empty.txt", contents: Data())
        let result = try tagbench(["s.json"], in: dir, input: "load empty.txt\ndocs\nsave\n")
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: empty.txt is empty; loaded as empty with no text"))
        #expect(result.stdout.contains(" 5  empty ") && result.stdout.contains("0 chars"))
    }

    @Test func aTenMegabyteOneLineDocumentWorks() throws {
        let dir = try Workspace.make()
        let line = String(repeating: "全面从严治党，深化巡察整改。", count: 250_000)
        try line.write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        #expect(line.utf8.count > 10_000_000)
        let result = try tagbench(["s.json"], in: dir, input: "label add 巡察\nload long.txt\ntag 巡察 all 巡察\nfind 整改\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tagged 250,000 spans 巡察"))
        #expect(result.stdout.contains("250,000 matches"))
    }
}

/// Memory a session no longer holds goes back to the system: a REPL that loaded a corpus and
/// dropped it (undo, then a new change that clears the redo stack) does not keep its size.
struct MemoryReturnTests {
    /// The resident set of a running process, in kB (Linux's /proc/PID/status).
    static func residentKilobytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    @Test func aReplGivesBackTheMemoryOfDocumentsItDropped() throws {
        let dir = try Workspace.make()
        try FileManager.default.createDirectory(atPath: dir + "/big", withIntermediateDirectories: false)
        let paragraph = String(repeating: "巡察整改工作，全面从严治党。", count: 4_000) + "\n"
        for k in 0..<20 { try String(repeating: paragraph, count: 12).write(toFile: dir + "/big/d\(k).txt", atomically: true, encoding: .utf8) }
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
        /// Sends a line, then waits until the REPL has answered it (its output holds `answer`).
        var seen = ""
        func send(_ line: String, until answer: String) {
            stdin.fileHandleForWriting.write(Data((line + "\n").utf8))
            while !seen.contains(answer) {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
        }
        send("load big", until: "loaded 20 documents")
        let loaded = Self.residentKilobytes(of: process.processIdentifier) ?? 0
        send("undo", until: "undid")
        send("label add 巡察", until: "巡察")
        // The documents (40 MB of text) are freed by now; a few milliseconds for the trim.
        Thread.sleep(forTimeInterval: 0.2)
        let dropped = Self.residentKilobytes(of: process.processIdentifier) ?? Int.max
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(loaded > 40_000, "RSS after load: \(loaded) kB")
        #expect(dropped < loaded - 30_000, "RSS after load \(loaded) kB, after the documents were dropped \(dropped) kB")
    }
}
