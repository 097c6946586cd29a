import Foundation
import Testing
@testable import TagbenchCore

/// `tagbench merge` and adjudication through the built binary: three annotators merged, the
/// conflicts resolved by a script, the history replayed to the same spans, a re-merge after one
/// annotator adds more keeping every decision; and the bad inputs the issue names.
@Suite(.serialized)
struct MergeEndToEndTests {
    /// Makes `NAME.json` in `dir` annotated by `NAME` with `lines` after the corpus is loaded.
    static func annotate(_ name: String, in dir: String, _ lines: [String], load: String = "Fixtures/corpus") throws {
        let input =
            (["schema Schemas/governance.tagset.json", "load \(load)", "open xinqu-2023"] + lines + [
                "save \(name).json"
            ])
            .joined(separator: "\n") + "\n"
        let made = try tagbench([], in: dir, input: input, environment: ["TAGBENCH_ANNOTATOR": name])
        #expect(made.status == 0, "\(made.stderr)")
    }

    static func session(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    static func team(in dir: String) throws {
        try annotate(
            "alice", in: dir,
            ["tag 第一议题 465:469", "tag 第一议题 684:688", "tag 主题教育 153:157", "classify 政治建设 para 2"])
        try annotate(
            "bob", in: dir, ["tag 第一议题 465:469", "tag 巡察 684:688", "classify 政治建设 para 2", "classify 纪律建设 para 3"])
        try annotate("carol", in: dir, ["tag 第一议题 465:469", "classify 政治建设 para 2"])
    }

    @Test func threeAnnotatorsMergedAdjudicatedReplayedAndMergedAgain() throws {
        let dir = try Workspace.make()
        try Self.team(in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/team", withIntermediateDirectories: true)
        let merged = try tagbench(["merge", "team/merged.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(
            merged.stdout.hasPrefix(
                "merged 3 sessions (alice, bob, carol) over 4 documents: 1 span accepted (1 new), 1 label on units accepted; 3 new conflicts (c1–c3)"
            ), "\(merged.stdout)")
        var file = try Self.session(dir + "/team/merged.json")
        let documents = file["documents"] as! [[String: Any]]
        #expect(documents.map { $0["path"] as! String }.contains("../Fixtures/corpus/xinqu-2023.txt"))
        let annotations = file["annotations"] as! [[String: Any]]
        #expect(annotations.count == 1)
        #expect(annotations[0]["source"] as? String == "merge")
        #expect(annotations[0]["annotators"] as? [String] == ["alice", "bob", "carol"])
        #expect((file["categories"] as! [[String: Any]]).first?["annotators"] as? [String] == ["alice", "bob", "carol"])
        let conflicts = file["conflicts"] as! [[String: Any]]
        #expect(conflicts.map { $0["id"] as! String } == ["c1", "c2", "c3"])
        #expect(conflicts.map { "\($0["start"]!):\($0["end"]!)" }.prefix(2) == ["153:157", "684:688"])
        #expect(conflicts[2]["unit"] as? String == "para")
        Workspace.keep(dir + "/team/merged.json", as: "merged-session.json")

        // stats counts a merged session's conflicts: all three open before adjudication.
        let before = try tagbench(["stats", "team/merged.json", "--json"], in: dir)
        #expect(before.stdout.contains("\"conflicts\": {\"resolved\": 0, \"open\": 3}"), "\(before.stdout)")

        // Adjudicated by a script; the listing shows every annotator's version.
        let script = """
            conflicts
            resolve c1 --pick 1
            resolve c2 --as 巡察 --at 684:688
            resolve c3 --none
            conflicts
            resolve c3 --all
            """
        let decided = try tagbench(["team/merged.json"], in: dir, input: script + "\n", environment: ["NO_COLOR": "1"])
        #expect(decided.status == 1)
        #expect(decided.stderr.contains("c3 is already resolved (--none)"), "\(decided.stderr)")
        let lines = decided.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("c2  xinqu-2023  684:688  …") })
        #expect(lines.contains("    1 alice  第一议题 684:688 第一议题"))
        #expect(lines.contains("    2 bob    巡察 684:688 第一议题"))
        #expect(lines.contains("    3 carol  —"))
        #expect(lines.contains("no open conflicts (3 resolved)"))
        // The decisions made before the error are in the journal: the next open recovers them.
        let saved = try tagbench(["team/merged.json"], in: dir, input: "save\nhistory\n")
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("merge ../alice.json ../bob.json ../carol.json\nresolve c1 --pick 1\n"))
        let charted = try tagbench(["stats", "team/merged.json"], in: dir, environment: ["NO_COLOR": "1"])
        #expect(charted.stdout.contains("conflicts resolved"), "\(charted.stdout)")
        file = try Self.session(dir + "/team/merged.json")
        #expect(
            (file["conflicts"] as! [[String: Any]]).map { $0["decision"] as? String } == [
                "--pick 1", "--as 巡察 --at 684:688", "--none"
            ])
        Workspace.keep(dir + "/team/merged.json", as: "adjudicated-session.json")

        // The history replays to the same spans.
        let history = try tagbench(["team/merged.json"], in: dir, input: "history\n")
        try history.stdout.write(toFile: dir + "/team/replay.tb", atomically: true, encoding: .utf8)
        let replayed = try tagbench(["run", "team/replay.tb", "--session", "team/replayed.json"], in: dir)
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let spans = try tagbench(["team/merged.json"], in: dir, input: "spans --corpus\n")
        let again = try tagbench(["team/replayed.json"], in: dir, input: "spans --corpus\n")
        #expect(spans.stdout == again.stdout && spans.stdout.contains("a3  巡察"), "\(spans.stdout)\n\(again.stdout)")

        // Bob adds more: a span elsewhere and one that disagrees with the decision on c1.
        let more = try tagbench(
            ["bob.json"], in: dir, input: "open xinqu-2023\ntag 巡察 153:155\nopen qu-jiceng\ntag 巡察 1091:1093\nsave\n",
            environment: ["TAGBENCH_ANNOTATOR": "bob"])
        #expect(more.status == 0, "\(more.stderr)")
        let remerged = try tagbench(["merge", "team/merged.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(remerged.status == 0, "\(remerged.stderr)")
        #expect(remerged.stdout.contains("2 new conflicts (c4–c5)"), "\(remerged.stdout)")
        #expect(
            remerged.stderr.contains("c1 was resolved (--pick 1), but new input disagrees there: see c"),
            "\(remerged.stderr)")
        file = try Self.session(dir + "/team/merged.json")
        let after = file["conflicts"] as! [[String: Any]]
        #expect(after.prefix(3).map { $0["decision"] as? String } == ["--pick 1", "--as 巡察 --at 684:688", "--none"])
        #expect(after.count == 5)
        let kept = (file["annotations"] as! [[String: Any]]).map { "\($0["label"]!) \($0["start"]!):\($0["end"]!)" }
        #expect(kept == ["第一议题 465:469", "主题教育 153:157", "巡察 684:688"])
        // Merging the same input again finds nothing new.
        let same = try tagbench(["merge", "team/merged.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(same.stdout.contains("0 new conflicts"), "\(same.stdout)")
    }

    /// Each annotator against the curated session, figures worked out by hand: the curation
    /// keeps 第一议题 465:469 (all three), 主题教育 153:157 (c1: alice's) and 纪律建设 on para 3 (c3:
    /// bob's), and drops 684:688 (c2: none).
    @Test func eachAnnotatorIsMeasuredAgainstTheCuratedSession() throws {
        let dir = try Workspace.make()
        try Self.team(in: dir)
        var result = try tagbench(["merge", "merged.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        result = try tagbench(
            ["merged.json"], in: dir, input: "resolve c1 --pick 1\nresolve c2 --none\nresolve c3 --pick 2\nsave\n",
            environment: ["TAGBENCH_ANNOTATOR": "lead"])
        #expect(result.status == 0, "\(result.stderr)")
        result = try tagbench(["agree", "--against", "merged.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // alice: tp 2 (465, 153), fp 1 (684); bob: tp 1, fp 1 (巡察 684), fn 1 (153); carol: tp 1, fn 1.
        #expect(
            lines.contains(
                "  alice              4    0.8000  0.6667  1.0000   2   1   0      0.8000  0.7998            2"))
        #expect(
            lines.contains(
                "  bob                4    0.5000  0.5000  0.5000   1   1   1      0.5000  0.4996            2"))
        #expect(
            lines.contains(
                "  carol              4    0.6667  1.0000  0.5000   1   0   1      0.6667  0.6664            2"))
        // From alice's own session in the REPL: her differences from the curation.
        result = try tagbench(["alice.json"], in: dir, input: "agree --against merged.json --diff\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("alice: 2 differences"), "\(result.stdout)")
        #expect(result.stdout.contains("d2  xinqu-2023  684:688  第一议题"), "\(result.stdout)")
        // The table counts the differences with --json too (the JSON holds them with --diff).
        result = try tagbench(
            ["agree", "--against", "merged.json", "alice.json", "bob.json", "--json", "out.json"], in: dir)
        #expect(
            result.stdout.contains(
                "  bob                4    0.5000  0.5000  0.5000   1   1   1      0.5000  0.4996            2"),
            "\(result.stdout)")
        // A label only bob uses is a valid --labels name though alice has none of it.
        result = try tagbench(
            ["agree", "--against", "merged.json", "alice.json", "bob.json", "--labels", "纪律建设"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        // An annotator with nothing in common with the curation is left out, saying so; the rest are measured.
        let elsewhere = try tagbench(
            [], in: dir, input: "schema Schemas/governance.tagset.json\nload Fixtures/reports\nsave erin.json\n")
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        result = try tagbench(["agree", "--against", "merged.json", "alice.json", "erin.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("erin.json has no document in common with merged.json"), "\(result.stderr)")
        #expect(result.stdout.contains("  alice  "))
        // A curation with conflicts still open is measured, with a warning.
        result = try tagbench(["merge", "open.json", "alice.json", "bob.json", "carol.json"], in: dir)
        result = try tagbench(["agree", "--against", "open.json", "alice.json"], in: dir)
        #expect(
            result.stderr.contains("open.json has 3 open conflicts: the curation is not finished"), "\(result.stderr)")
        // The curated session alone is no comparison.
        result = try tagbench(["merged.json"], in: dir, input: "agree --against merged.json\n")
        #expect(result.stderr.contains("an annotator's session to measure against merged.json"), "\(result.stderr)")
    }

    /// A merge typed in the REPL (or piped, or in a script) is logged with its paths relative to
    /// the session's folder, so `history` replays from there.
    @Test func aMergeTypedInTheReplIsLoggedWithPathsThatReplay() throws {
        let dir = try Workspace.make()
        try Self.team(in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/team", withIntermediateDirectories: true)
        var result = try tagbench(
            [], in: dir, input: "merge alice.json bob.json carol.json\nresolve c1 --pick 1\nsave team/m.json\n")
        #expect(result.status == 0, "\(result.stderr)")
        result = try tagbench(["team/m.json"], in: dir, input: "history\n")
        let history = result.stdout
        #expect(history.contains("merge ../alice.json ../bob.json ../carol.json\n"), "\(history)")
        try history.write(toFile: dir + "/team/replay.tb", atomically: true, encoding: .utf8)
        result = try tagbench(["run", "team/replay.tb", "--session", "team/again.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let spans = { (name: String) throws -> String in
            try tagbench([name], in: dir, input: "spans --corpus\nconflicts\n", environment: ["NO_COLOR": "1"]).stdout
        }
        #expect(try spans("team/again.json") == spans("team/m.json"))
    }

    /// `tagbench merge` into a session a REPL left unsaved: the journal's commands are merged in
    /// and saved, and the journal is spent (the next open finds nothing to recover).
    @Test func aMergeIntoASessionWithAJournalSavesItAndSpendsIt() throws {
        let dir = try Workspace.make()
        try Self.team(in: dir)
        var result = try tagbench(["merge", "m.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        result = try tagbench(["m.json"], in: dir, input: "resolve c1 --pick 1\n")
        #expect(result.stderr.contains("unsaved"), "\(result.stderr)")
        result = try tagbench(["merge", "m.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        result = try tagbench(["m.json"], in: dir, input: "conflicts\n")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("c2 "), "\(result.stdout)")
        #expect(!result.stdout.contains("c1 "), "c1 was resolved in the journal: \(result.stdout)")
    }

    @Test func badInputIsAnErrorNamingTheFileAndNothingIsWritten() throws {
        let dir = try Workspace.make()
        try Self.team(in: dir)
        let alone = try tagbench(
            [], in: dir,
            input: "schema Schemas/governance.tagset.json\nload Fixtures/reports\nsave erin.json\n")
        #expect(alone.status == 0, "\(alone.stderr)")
        let clash = try tagbench(
            [], in: dir, input: "label add 巡察 --category\nload Fixtures/corpus\nsave frank.json\n")
        #expect(clash.status == 0, "\(clash.stderr)")
        let cases: [([String], String)] = [
            (["out.json", "alice.json", "missing.json"], "no such file or directory: missing.json"),
            (["out.json", "alice.json", "erin.json"], "error: cannot merge erin.json: it shares no document"),
            (
                ["out.json", "alice.json", "frank.json"],
                "label 巡察 is a span label under 全面从严治党 in alice.json but a category label in frank.json"
            ),
            (["alice.json", "alice.json", "bob.json"], "cannot merge alice.json: it is the session being merged into")
        ]
        let aliceBefore = try Data(contentsOf: URL(fileURLWithPath: dir + "/alice.json"))
        for (arguments, message) in cases {
            let result = try tagbench(["merge"] + arguments, in: dir)
            #expect(result.status == 1)
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            // Not "nothing was written": a journal a REPL left may have been set aside first.
            if !message.hasPrefix("no such file") {
                #expect(result.stderr.contains("nothing was merged\n"), "\(arguments): \(result.stderr)")
            }
            #expect(!exists(dir + "/out.json"))
            // Nor its lock, journal or checkpoint: a refused merge into a new file leaves nothing.
            let beside = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".out.json") }
            #expect(beside.isEmpty, "\(arguments): \(beside)")
        }
        // OUT a file that is no session: refused, and no lock file is left beside it.
        try "not a session\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let notSession = try tagbench(["merge", "notes.txt", "alice.json", "bob.json"], in: dir)
        #expect(notSession.status == 1, "\(notSession.stderr)")
        #expect(!exists(dir + "/.notes.txt.lock"))
        // The same file by another name (a hard link) is the same annotator.
        try FileManager.default.linkItem(atPath: dir + "/alice.json", toPath: dir + "/alias.json")
        let linked = try tagbench(["merge", "out.json", "alice.json", "bob.json", "alias.json"], in: dir)
        #expect(linked.status == 1)
        #expect(linked.stderr.contains("cannot merge alias.json: it is named twice"), "\(linked.stderr)")
        #expect(!exists(dir + "/out.json"))
        try FileManager.default.removeItem(atPath: dir + "/alias.json")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/alice.json")) == aliceBefore)
    }

    @Test func aSessionOpenInARunningReplIsReadWithItsUnsavedWorkAndNotWritten() throws {
        let dir = try Workspace.make()
        try Self.team(in: dir)
        let bobBefore = try Data(contentsOf: URL(fileURLWithPath: dir + "/bob.json"))
        let repl = try RunningRepl(["bob.json"], in: dir, environment: ["TAGBENCH_ANNOTATOR": "bob"])
        _ = try repl.send("open xinqu-2023", until: "xinqu-2023")
        _ = try repl.send("tag 第一议题 684:688", until: "第一议题")
        let merged = try tagbench(
            ["merge", "out.json", "alice.json", "bob.json", "carol.json", "--strategy", "min=2"], in: dir)
        repl.kill()
        #expect(merged.status == 0, "\(merged.stderr)")
        let file = try Self.session(dir + "/out.json")
        let kept = (file["annotations"] as! [[String: Any]]).map { "\($0["label"]!) \($0["start"]!):\($0["end"]!)" }
        // Bob's unsaved span (in his journal) makes 第一议题 684:688 two annotators' span.
        #expect(kept == ["第一议题 465:469", "第一议题 684:688"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/bob.json")) == bobBefore)
    }
}
