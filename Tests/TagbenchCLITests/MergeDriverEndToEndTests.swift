import Foundation
import Testing
@testable import TagbenchCore

/// `tagbench merge-driver` under the real `git merge`: two branches annotate one session
/// differently, the merge succeeds through the driver, the result opens, holds both sides' spans
/// and the expected conflict, and its history replays to the same spans; a corrupt BASE leaves
/// OURS as it was with a non-zero exit.
@Suite(.serialized)
struct MergeDriverEndToEndTests {
    @discardableResult
    func git(_ arguments: [String], in dir: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = dir
        environment["SOURCE_DATE_EPOCH"] = "1700000000"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A workspace that is a git repository with the driver set up as the docs say.
    func repository() throws -> String {
        let dir = try Workspace.make()
        try git(["init", "-q"], in: dir)
        try "session.json merge=tagbench\n".write(toFile: dir + "/.gitattributes", atomically: true, encoding: .utf8)
        try git(["config", "merge.tagbench.driver", "\(Workspace.binary) merge-driver %O %A %B %P"], in: dir)
        return dir
    }

    func annotate(_ lines: [String], in dir: String) throws {
        let result = try tagbench(["session.json"], in: dir, input: (lines + ["save"]).joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The history in `lines` (what a REPL printed for `ask`, then for `history`) replayed into a
    /// new session: it runs, and the new session answers `ask` with the same lines.
    func expectHistoryReplays(
        _ lines: [String], asking ask: String, in dir: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let history = lines.drop { $0 != "schema Schemas/governance.tagset.json" }
        try history.joined(separator: "\n").write(toFile: dir + "/replay.tb", atomically: true, encoding: .utf8)
        let replayed = try tagbench(["run", "replay.tb", "--session", "replayed.json"], in: dir)
        #expect(replayed.status == 0, "\(replayed.stderr)", sourceLocation: sourceLocation)
        let again = try tagbench(["replayed.json"], in: dir, input: ask, environment: ["NO_COLOR": "1"])
        #expect(
            again.stdout == lines.prefix { !$0.hasPrefix("schema ") }.joined(separator: "\n") + "\n",
            "\(again.stdout)", sourceLocation: sourceLocation)
    }

    @Test func gitMergesTwoBranchesAnnotatingOneSession() throws {
        let dir = try repository()
        try annotate(
            [
                "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023", "tag 第一议题 465:469",
                "tag 巡察 684:688", "classify 政治建设 para 2"
            ], in: dir)
        try git(["add", "-A"], in: dir)
        try git(["commit", "-qm", "base"], in: dir)
        try git(["checkout", "-qb", "theirs"], in: dir)
        try annotate(["open xinqu-2023", "tag 主题教育 153:157", "relabel a2 巡视", "classify 纪律建设 para 3"], in: dir)
        try git(["commit", "-qam", "theirs"], in: dir)
        try git(["checkout", "-q", "main"], in: dir)
        try annotate(
            ["open xinqu-2023", "tag 第一议题 684:688", "untag a2", "note a1 ours", "unclassify 政治建设 para 2"], in: dir)
        try git(["commit", "-qam", "ours"], in: dir)

        let merged = try git(["merge", "--no-edit", "theirs"], in: dir)
        #expect(merged.status == 0, "\(merged.output)")
        #expect(merged.output.contains("1 conflict to resolve (c1)"), "\(merged.output)")
        let text = try read(dir + "/session.json")
        #expect(!text.contains("<<<<<<<"))
        Workspace.keep(dir + "/session.json", as: "merge-driver-session.json")
        let spans = try tagbench(
            ["session.json"], in: dir, input: "spans --corpus\nconflicts\nhistory\n", environment: ["NO_COLOR": "1"])
        #expect(spans.status == 0, "\(spans.stderr)")
        let lines = spans.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("a1  第一议题  xinqu-2023  465:469  ¶4 sent 6  第一议题  # ours"))
        #expect(lines.contains { $0.hasPrefix("a3  第一议题  xinqu-2023  684:688") })
        #expect(lines.contains { $0.hasPrefix("a4  主题教育  xinqu-2023  153:157") })
        #expect(!lines.contains { $0.hasPrefix("a2 ") })
        #expect(lines.contains("    1 ours    —"))
        #expect(lines.contains("    2 theirs  巡视 684:688 第一议题"))
        let file = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let units = (file["categories"] as! [[String: Any]]).map { "\($0["label"]!) \($0["unit"]!) \($0["index"]!)" }
        #expect(units == ["纪律建设 para 3"])

        // The conflict is in the log as the command that makes it.
        #expect(lines.contains("conflict xinqu-2023 684:688 --version ours --version theirs 巡视 684:688"))

        // Adjudicated, then the merged history (its `conflict` and `resolve` lines too) replayed
        // into an empty session gives the same spans and the same decided conflict.
        let decided = try tagbench(["session.json"], in: dir, input: "resolve c1 --pick 2\nsave\n")
        #expect(decided.status == 0, "\(decided.stderr)")
        let ask = "spans --corpus\nconflicts\nhistory\n"
        let after = try tagbench(["session.json"], in: dir, input: ask, environment: ["NO_COLOR": "1"])
        let afterLines = after.stdout.split(separator: "\n").map(String.init)
        #expect(afterLines.contains { $0.hasPrefix("a5  巡视      xinqu-2023  684:688") }, "\(after.stdout)")
        #expect(afterLines.contains("no open conflicts (1 resolved)"))
        let history = afterLines.drop { $0 != "schema Schemas/governance.tagset.json" }
        #expect(history.last == "resolve c1 --pick 2")
        try expectHistoryReplays(afterLines, asking: "spans --corpus\nconflicts\n", in: dir)
    }

    @Test func aCorruptBaseLeavesOursAsItWasAndFails() throws {
        let dir = try Workspace.make()
        try annotate(
            ["schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023", "tag 第一议题 465:469"],
            in: dir)
        try FileManager.default.copyItem(atPath: dir + "/session.json", toPath: dir + "/ours.json")
        try FileManager.default.copyItem(atPath: dir + "/session.json", toPath: dir + "/theirs.json")
        try "{\"format\": \"tagbench-session\", ".write(toFile: dir + "/base.json", atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/ours.json"))
        let result = try tagbench(["merge-driver", "base.json", "ours.json", "theirs.json", "session.json"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("base.json (BASE of session.json)"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/ours.json")) == before)
    }

    /// Their branch adds a file and annotates it: git runs the driver before it writes the new
    /// file, so the driver keeps their document as a missing one with their spans (credited to
    /// them), and the session reads it when next opened; its history replays.
    @Test func aDocumentNewOnTheirSideIsKeptThoughGitHasNotWrittenItYet() throws {
        let dir = try repository()
        try annotate(["schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023"], in: dir)
        try git(["add", "-A"], in: dir)
        try git(["commit", "-qm", "base"], in: dir)
        try git(["checkout", "-qb", "theirs"], in: dir)
        try "巡察工作新文件。\n第二段落。\n".write(toFile: dir + "/new.txt", atomically: true, encoding: .utf8)
        let theirs = try tagbench(
            ["session.json"], in: dir,
            input: "load new.txt\nopen new\ntag 巡察 0:2\nnote a1 theirs\nclassify 政治建设 para 2\nsave\n",
            environment: ["TAGBENCH_ANNOTATOR": "bob"])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        try git(["add", "-A"], in: dir)
        try git(["commit", "-qm", "theirs"], in: dir)
        try git(["checkout", "-q", "main"], in: dir)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new.txt"))
        try annotate(["open xinqu-2023", "tag 第一议题 465:469"], in: dir)
        try git(["commit", "-qam", "ours"], in: dir)
        let merged = try git(["merge", "--no-edit", "theirs"], in: dir)
        #expect(merged.status == 0, "\(merged.output)")
        #expect(merged.output.contains("1 document not written yet (new)"), "\(merged.output)")
        let file =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/session.json")))
            as! [String: Any]
        let spans = (file["annotations"] as! [[String: Any]]).map {
            "\($0["doc"]!) \($0["label"]!) \($0["start"]!):\($0["end"]!) \($0["annotator"]!) \($0["note"] ?? "")"
        }
        #expect(spans.contains("new 巡察 0:2 bob theirs"), "\(spans)")
        #expect(spans.contains { $0.hasPrefix("xinqu-2023 第一议题 465:469") }, "\(spans)")
        let units = (file["categories"] as! [[String: Any]]).map { "\($0["doc"]!) \($0["label"]!) \($0["index"]!)" }
        #expect(units == ["new 政治建设 2"])
        // Now that git wrote the file, the session opens with it: nothing missing, the span in place.
        let opened = try tagbench(
            ["session.json"], in: dir, input: "spans --corpus\nhistory\n", environment: ["NO_COLOR": "1"])
        #expect(opened.status == 0 && !opened.stderr.contains("missing"), "\(opened.stderr)")
        #expect(opened.stdout.contains("a2  巡察      new         0:2"), "\(opened.stdout)")
        let lines = opened.stdout.split(separator: "\n").map(String.init)
        try expectHistoryReplays(lines, asking: "spans --corpus\n", in: dir)
    }

    /// Run by hand on three files: notes changed on both sides are both kept (no conflict with
    /// two identical versions); one label name of two kinds fails, OURS as it was.
    @Test func bothNotesAreKeptAndALabelOfTwoKindsFails() throws {
        let dir = try Workspace.make()
        func make(_ name: String, _ lines: [String]) throws {
            let input =
                ([
                    "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023",
                    "tag 巡察 684:688"
                ] + lines + ["save \(name)"]).joined(separator: "\n") + "\n"
            let result = try tagbench([], in: dir, input: input)
            #expect(result.status == 0, "\(result.stderr)")
        }
        try make("base.json", [])
        try make("ours.json", ["note a1 我们的"])
        try make("theirs.json", ["note a1 他们的"])
        var result = try tagbench(["merge-driver", "base.json", "ours.json", "theirs.json", "session.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("conflict"), "\(result.stdout)")
        let file =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/ours.json")))
            as! [String: Any]
        #expect((file["annotations"] as! [[String: Any]]).map { $0["note"] as? String } == ["我们的 / 他们的"])
        // Both branches made the file (git's add/add): BASE is empty, both sides' spans are kept.
        try make("ours.json", ["tag 第一议题 465:469"])
        try make("theirs.json", ["tag 主题教育 153:157"])
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.json"))
        result = try tagbench(["merge-driver", "empty.json", "ours.json", "theirs.json", "session.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let both =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/ours.json")))
            as! [String: Any]
        #expect(
            Set((both["annotations"] as! [[String: Any]]).map { "\($0["label"]!) \($0["start"]!)" })
                == ["巡察 684", "第一议题 465", "主题教育 153"])
        try make("ours.json", ["label add 共同"])
        try make("theirs.json", ["label add 共同 --category"])
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/ours.json"))
        result = try tagbench(["merge-driver", "base.json", "ours.json", "theirs.json", "session.json"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("label 共同 is a span label in OURS but a category label in THEIRS"),
            "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/ours.json")) == before)
        // Their new label's alias names one of ours: the error says which side is which.
        try make("ours.json", ["label add 标签甲 --alias qq"])
        try make("theirs.json", ["label add 标签乙 --alias qq"])
        result = try tagbench(["merge-driver", "base.json", "ours.json", "theirs.json", "session.json"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot merge THEIRS: its label 标签乙 cannot join OURS"), "\(result.stderr)")
    }

    /// Their side cut a file into parts (`load --split-at`) and annotated one, as bob: the merge
    /// holds every part with its place in the file, their spans and unit label credited to bob,
    /// and the log replays (one `load --split-at` of the file).
    @Test func documentsTheirSideCutFromAFileArriveWhole() throws {
        let dir = try repository()
        try annotate(["schema Schemas/governance.tagset.json", "load Fixtures/corpus"], in: dir)
        try git(["add", "-A"], in: dir)
        try git(["commit", "-qm", "base"], in: dir)
        try git(["checkout", "-qb", "theirs"], in: dir)
        let theirs = try tagbench(
            ["session.json"], in: dir,
            input: "load --split-at /^.{0,40}报告$/ Fixtures/compilation/reports.txt\nopen reports-2\n"
                + "tag 巡察 all 巡察\nclassify 政治建设 doc\nsave\n",
            environment: ["TAGBENCH_ANNOTATOR": "bob"])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        try git(["commit", "-qam", "theirs"], in: dir)
        try git(["checkout", "-q", "main"], in: dir)
        try annotate(["open xinqu-2023", "tag 第一议题 465:469"], in: dir)
        try git(["commit", "-qam", "ours"], in: dir)
        let merged = try git(["merge", "--no-edit", "theirs"], in: dir)
        #expect(merged.status == 0, "\(merged.output)")
        let file =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/session.json")))
            as! [String: Any]
        let documents = file["documents"] as! [[String: Any]]
        #expect(documents.filter { $0["part"] != nil }.map { $0["id"] as! String } == (1...4).map { "reports-\($0)" })
        let theirSpans = (file["annotations"] as! [[String: Any]]).filter { $0["doc"] as? String == "reports-2" }
        #expect(!theirSpans.isEmpty && theirSpans.allSatisfy { $0["annotator"] as? String == "bob" })
        let units = (file["categories"] as! [[String: Any]]).map { "\($0["doc"]!) \($0["label"]!) \($0["annotator"]!)" }
        #expect(units == ["reports-2 政治建设 bob"], "\(units)")
        let opened = try tagbench(
            ["session.json"], in: dir, input: "spans --corpus\nhistory\n", environment: ["NO_COLOR": "1"])
        let lines = opened.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("load --split-at") }.count == 1, "\(opened.stdout)")
        try expectHistoryReplays(lines, asking: "spans --corpus\n", in: dir)
    }
}
