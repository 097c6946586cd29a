import Foundation
import Testing

/// Undo across reopening, through the binary: one run tags and saves, the next undoes.
@Suite struct KeptUndoEndToEndTests {
    @Test func undoInTheNextRunTakesBackWhatTheLastRunSaved() throws {
        let dir = try Workspace.make()
        let first = """
            schema Schemas/governance.tagset.json
            load Fixtures/corpus
            open qu-jiceng
            tag 巡察 all 巡察
            untag a1
            save

            """
        let saved = try tagbench(["s.json"], in: dir, input: first)
        #expect(saved.status == 0, "\(saved.stderr)")
        let second = try tagbench(["s.json"], in: dir, input: "undo\nspans\nundo\nspans\nredo\nsave\n")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(
            second.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }.prefix(6) == [
                "undid: untag a1",
                "a1  巡察  qu-jiceng  1091:1093  ¶5 sent 13  巡察",
                "a2  巡察  qu-jiceng  1182:1184  ¶5 sent 13  巡察",
                "undid: tag 巡察 all \"巡察\"",
                "no annotations",
                "redid: tag 巡察 all \"巡察\""
            ])
        // Below the tag is the load, whose undo the file does not keep: refused, saying why.
        let third = try tagbench(["s.json"], in: dir, input: "undo\nundo\n")
        #expect(third.status == 1)
        #expect(
            third.stderr.contains(
                "<stdin>:2: error: cannot undo \"load Fixtures/corpus\": the session file did not keep it"))
    }

    @Test func aKeptHistoryOfEveryKindOfStepMatchesTheSchema() throws {
        let dir = try Workspace.make()
        let input = """
            schema Schemas/governance.tagset.json
            load Fixtures/corpus
            open qu-jiceng
            tag 巡察 all 巡察
            note a2 复核
            relabel a1 巡视
            classify 政治建设 para 2
            label add 新词
            tag 新词 1:3
            untag a2
            unclassify 政治建设 para 2
            undo 2
            save

            """
        let result = try tagbench(["s.json"], in: dir, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: dir + "/s.json", encoding: .utf8)
        for kind in ["added", "removed", "noted", "relabeled", "added_category", "removed_category", "added_labels"] {
            #expect(text.contains("{\"change\": \"\(kind)\""), "\(kind)")
        }
        #expect(text.contains("\"redo\": ["))
        Workspace.keep(dir + "/s.json", as: "kept-undo-session.json")
        // Reopened, everything undoes back to the load.
        let reopened = try tagbench(["s.json"], in: dir, input: "undo 6\nspans\n")
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(reopened.stdout.hasSuffix("no annotations\n"))
    }

    /// `export`, `stats` and `report` only read a session and never save it: they leave its
    /// undo history unread (a tenth of opening a large session). The proof that it is not read:
    /// a history that opening for annotation refuses does not stop them, and they give what the
    /// same session without that history gives.
    @Test func commandsThatOnlyReadASessionDoNotReadItsUndoHistory() throws {
        let dir = try Workspace.make()
        let input = "schema Schemas/governance.tagset.json\nload Fixtures/corpus\nopen qu-jiceng\ntag 巡察 all 巡察\nsave\n"
        #expect(try tagbench(["s.json"], in: dir, input: input).status == 0)
        let text = try String(contentsOfFile: dir + "/s.json", encoding: .utf8)
        let kind = "{\"change\": \"added\""
        #expect(text.contains(kind))
        try text.replacingOccurrences(of: kind, with: "{\"change\": \"unheard-of\"")
            .write(toFile: dir + "/s.json", atomically: true, encoding: .utf8)
        let opened = try tagbench(["s.json"], in: dir, input: "spans\n")
        #expect(opened.status == 1)
        #expect(
            opened.stderr.contains("the undo history has a change of unknown kind \"unheard-of\""), "\(opened.stderr)")
        let exported = try tagbench(["export", "s.json", "spans", "out.jsonl"], in: dir)
        #expect(exported.status == 0, "\(exported.stderr)")
        let stats = try tagbench(["stats", "s.json", "--json"], in: dir)
        #expect(stats.status == 0, "\(stats.stderr)")
        // The same session with its history cut out, through the same commands.
        let start = try #require(text.range(of: ",\n  \"undo\": ["))
        try (String(text[..<start.lowerBound]) + "\n}\n").write(
            toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        #expect(try tagbench(["t.json"], in: dir, input: "undo\n").stderr.contains("nothing to undo"))
        let plain = try tagbench(["export", "t.json", "spans", "plain.jsonl"], in: dir)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir + "/out.jsonl"))
                == Data(contentsOf: URL(fileURLWithPath: dir + "/plain.jsonl")))
        #expect(try tagbench(["stats", "t.json", "--json"], in: dir).stdout == stats.stdout)
    }

    /// A journal left unsaved may hold an `undo` of a kept step: a command that only reads the
    /// session replays it as opening for annotation does, so it reads the history then.
    @Test func commandsThatOnlyReadASessionReplayAnUnsavedUndoOfAKeptStep() throws {
        let dir = try Workspace.make()
        let input = "schema Schemas/governance.tagset.json\nload Fixtures/corpus\nopen qu-jiceng\ntag 巡察 all 巡察\nsave\n"
        #expect(try tagbench(["s.json"], in: dir, input: input).status == 0)
        // Unsaved: the undo is only in the journal, as after a crash.
        #expect(try tagbench(["s.json"], in: dir, input: "undo\n").status == 0)
        let exported = try tagbench(["export", "s.json", "spans", "out.jsonl"], in: dir)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("recovered 1 command from the journal of s.json"), "\(exported.stderr)")
        let lines = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("\"spans\": []") }, "\(lines.map { $0.suffix(80) })")
    }

    @Test func undoAfterCrashRecoveryReachesPastTheSave() throws {
        let dir = try Workspace.make()
        let first = "schema Schemas/governance.tagset.json\nload Fixtures/corpus\nopen qu-jiceng\ntag 巡察 all 巡察\nsave\n"
        #expect(try tagbench(["s.json"], in: dir, input: first).status == 0)
        // Unsaved: the input ends with the change only in the journal, as after a crash.
        #expect(try tagbench(["s.json"], in: dir, input: "untag a2\n").status == 0)
        let recovered = try tagbench(["s.json"], in: dir, input: "spans\nundo 2\nspans\n")
        #expect(recovered.stderr.contains("recovered 1 command from the journal of s.json"), "\(recovered.stderr)")
        #expect(
            recovered.stdout.components(separatedBy: "\n").filter { !$0.isEmpty } == [
                "a1  巡察  qu-jiceng  1091:1093  ¶5 sent 13  巡察",
                "undid: untag a2",
                "undid: tag 巡察 all \"巡察\"",
                "no annotations"
            ])
    }
}
