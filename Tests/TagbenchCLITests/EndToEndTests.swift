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
        #expect(result.stdout.contains("a1  第一议题  xinqu-2023  465:469  ¶4 sent 6  第一议题"))
        #expect(result.stdout.contains("saved work.json: 4 documents, 1 annotation, 0 categories"))
        #expect(exists(dir + "/work.json"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
        Workspace.keep(dir + "/work.json", as: "piped-session.json")
    }

    /// With `TAGBENCH_AMBIGUOUS_WIDTH=2`, `show` wraps counting “ ” · — … │ as two columns: no
    /// line is wider than the terminal that draws them wide; without it, some would be.
    @Test func showWrapsAmbiguousCharactersAsWideWhenAsked() throws {
        let dir = try Workspace.make()
        let input = """
            schema Schemas/governance.tagset.json
            load Fixtures/corpus
            tag 主题教育 all /“[^”]*”/ --corpus
            open qu-jiceng
            show
            open xinqu-2023
            show

            """
        func textLines(_ variables: [String: String]) throws -> [String] {
            let result = try tagbench(
                [], in: dir, input: input, environment: ["COLUMNS": "60", "NO_COLOR": "1"].merging(variables) { $1 })
            #expect(result.stderr.contains("unsaved changes") && !result.stderr.contains("error"), "\(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init).filter { $0.contains("│") }
        }
        let wide = try textLines(["TAGBENCH_AMBIGUOUS_WIDTH": "2"])
        #expect(wide.count > 50)
        let over = wide.filter { Format.displayWidth($0, ambiguousWide: true) > 60 }
        #expect(
            over.isEmpty, "wider than 60 columns where ambiguous characters are wide:\n\(over.joined(separator: "\n"))")
        let narrow = try textLines([:])
        #expect(
            narrow.contains { Format.displayWidth($0, ambiguousWide: true) > 60 }, "the text has ambiguous characters")
        #expect(narrow.allSatisfy { Format.displayWidth($0, ambiguousWide: false) <= 60 })
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
        let input =
            "schema Schemas/governance.tagset.json\nfrobnicate\nload Fixtures/corpus\ntag 巡察 \"unterminated\nsave s.json\n"
        let result = try tagbench(["--keep-going"], in: dir, input: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:2: error: unknown command \"frobnicate\""))
        #expect(result.stderr.contains("<stdin>:4:8: error: unterminated quote"))
        #expect(result.stderr.contains("hint: close the quote"))
        #expect(exists(dir + "/s.json"))
    }

    @Test func runIsATransactionThatNamesTheScriptLine() throws {
        let dir = try Workspace.make()
        let script =
            "schema ../Schemas/governance.tagset.json\nload ../Fixtures/corpus\n# a comment\ntag 巡察 all 巡察 --corpus\ntag 巡察 99999:100000\n"
        try script.write(toFile: dir + "/Fixtures/bad.tb", atomically: true, encoding: .utf8)
        let result = try tagbench(["run", "Fixtures/bad.tb", "--session", "s.json"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("Fixtures/bad.tb:5: error: range 99999:100000 is outside the document (length 1241)")
        )
        #expect(!exists(dir + "/s.json"), "a failed run writes no session")
    }

    @Test func runWritesTheSessionWhenEveryCommandSucceeded() throws {
        let dir = try Workspace.make()
        let result = try tagbench(
            ["run", "Fixtures/scripts/demo.tb", "--session", "Sessions/new.json"], in: dir,
            environment: ["TAGBENCH_ANNOTATOR": "demo"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("saved Sessions/new.json: 4 documents, 45 annotations\n"))
        Workspace.keep(dir + "/Sessions/new.json", as: "demo-session.json")
    }

    @Test func committedDemoSessionIsWhatTheDemoScriptMakes() throws {
        // The walkthrough and `make run` use Sessions/demo.json: it must not drift from its script.
        let dir = try Workspace.make()
        try FileManager.default.removeItem(atPath: dir + "/Sessions/demo.json")
        let result = try tagbench(
            ["run", "Fixtures/scripts/demo.tb", "--session", "Sessions/demo.json"], in: dir,
            environment: ["TAGBENCH_ANNOTATOR": "demo"])
        #expect(result.status == 0)
        #expect(try read(dir + "/Sessions/demo.json") == read(Workspace.root + "/Sessions/demo.json"))
    }

    @Test func scriptFromStdinWithDash() throws {
        let dir = try Workspace.make()
        let result = try tagbench(
            ["run", "-", "--session", "s.json"], in: dir,
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
        #expect(
            try read(dir + "/out.jsonl").contains(
                "\"categories\": [{\"label\": \"政治建设\", \"unit\": \"para\", \"index\": 2"))
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
        #expect(
            try read(dir + "/Fixtures/corpus/qu-jiceng.txt") == read(Workspace.root + "/Fixtures/corpus/qu-jiceng.txt"))
        result = try tagbench(["export", "Sessions/demo.json", "conll", "x"], in: dir)
        #expect(result.stderr.contains("unknown export format \"conll\""))
        #expect(result.stderr.contains("hint: formats: spans, doccano, classify, bio, brat, label-studio"))
    }

    /// A report's folders and pages have the permissions the user's umask gives any folder and
    /// file made: under a team's 002 the group may replace it, under 077 no one else may read it.
    @Test(arguments: [("022", 0o755, 0o644), ("002", 0o775, 0o664), ("077", 0o700, 0o600)])
    func aReportsPermissionsFollowTheUmask(umask: String, folder: Int, file: Int) throws {
        let dir = try Workspace.make()
        let result = try tagbench(["report", "Sessions/demo.json", "out"], in: dir, shell: "umask \(umask)")
        #expect(result.status == 0, "\(result.stderr)")
        for (path, mode) in [("out", folder), ("out/docs", folder), ("out/index.html", file), ("out/docs/1.html", file)]
        {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/" + path)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(path)")
        }
    }

    /// brat writes a folder, typed with or without a trailing `/` or `/.`: the summary names the
    /// manifest where it is, beside the folder.
    @Test(arguments: ["bratset", "bratset/", "bratset/.", "bratset//"])
    func bratsManifestIsNamedWhereItIs(typed: String) throws {
        let dir = try Workspace.make()
        let result = try tagbench(["export", "Sessions/demo.json", "brat", typed], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("; manifest bratset.manifest.json\n"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir + "/bratset.manifest.json"))
    }

    @Test func exportOptionsOnTheCommandLineAndTheirErrors() throws {
        let dir = try Workspace.make()
        var result = try tagbench(
            [
                "export", "Sessions/demo.json", "bio", "sets/ner.jsonl", "--jsonl", "--split", "train=3,test=1",
                "--seed", "5"
            ], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "exported 4 documents, 82 records, 45 spans to sets/ner.jsonl (3 files); manifest sets/ner.jsonl.manifest.json\n"
        )
        for name in ["ner-train.jsonl", "ner-test.jsonl", "ner.labels.json", "ner.jsonl.manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/sets/" + name), "\(name)")
        }
        let manifest = try read(dir + "/sets/ner.jsonl.manifest.json")
        // Paths as the user wrote them (the folder was dropped before).
        #expect(manifest.contains("\"command\": \"export bio sets/ner.jsonl --split train=3,test=1 --seed 5 --jsonl\""))
        result = try tagbench(["export", "Sessions/demo.json", "bio", "out.conll", "--overlap", "widest"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: export option --overlap widest: choose longest or first\n  hint: help export lists the options of each format\n"
        )
        result = try tagbench(["export", "Sessions/demo.json", "spans", "out.jsonl", "--labels", "巡查"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: unknown label \"巡查\" — did you mean 巡察?"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.jsonl"))
    }

    @Test func statsVersionAndHelp() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["stats", "Sessions/demo.json"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("4 documents, 6,050 characters, 45 spans, 2 categories\n\nspans by label\n"))
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
        result = try tagbench(
            ["run", "Sessions/replay.tb", "--session", "Sessions/replayed.json"], in: dir,
            environment: ["TAGBENCH_ANNOTATOR": "demo"])
        #expect(result.status == 0, "\(result.stderr)")
        let original = try Engine.open(
            path: dir + "/Sessions/demo.json", displayPath: "a", annotator: Annotator(name: "x")
        ).0.session
        let replayed = try Engine.open(
            path: dir + "/Sessions/replayed.json", displayPath: "b", annotator: Annotator(name: "x")
        ).0.session
        func fingerprint(_ s: Session) -> [String] {
            s.allAnnotations.map {
                "\($0.id) \(s.documents[$0.document].id) \($0.range) \(s.tagSet.labels[$0.label].name) \($0.note)"
            }
                + s.categories.map {
                    "\(s.documents[$0.document].id) \($0.unit) \($0.index) \(s.tagSet.labels[$0.label].name)"
                }
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
