import Foundation
import Testing
@testable import TagbenchCore

/// `adjudicate` in a real terminal (tmux) on a merged session: single keys pick a version, undo
/// it, take none, move a span's start and resolve with it, leave, and take all; the saved session
/// has the decisions and annotations those keys' `resolve` commands make, and its log has them.
@Suite(.serialized)
struct AdjudicateTerminalTests {
    /// Three annotators merged into `team/merged.json` in `dir` (c1 153:157, c2 684:688, c3 para 3).
    static func merged(in dir: String) throws {
        try MergeEndToEndTests.team(in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/team", withIntermediateDirectories: true)
        let merged = try tagbench(["merge", "team/merged.json", "alice.json", "bob.json", "carol.json"], in: dir)
        #expect(merged.status == 0, "\(merged.stderr)")
    }

    @Test func adjudicateTakesSingleKeysAndEachRunsAResolve() throws {
        let dir = try Workspace.make()
        try Self.merged(in: dir)
        let tmux = TerminalTests.Tmux()
        let command =
            "cd '\(dir)' && env TERM=xterm-256color TAGBENCH_HISTORY= SOURCE_DATE_EPOCH=1700000000 "
            + "'\(Workspace.binary)' team/merged.json; echo EXIT=$?; sleep 30"
        try tmux.run(["-u", "new-session", "-d", "-s", "t", "-x", "100", "-y", "40", command])
        try tmux.waitFor("the prompt") { $0.contains("merged:qu-jiceng>") }
        try tmux.type("adjudicate")
        try tmux.key("Enter")
        // The screen is drawn from the top: waiting for its last line, the keys, sees it whole.
        let first = try tmux.waitFor("the first conflict") {
            $0.contains("adjudicate 0/3 done · c1") && $0.contains("1-9 pick")
        }
        #expect(first.contains("1 alice") && first.contains("2 bob") && first.contains("3 carol"), "\(first)")
        #expect(first.contains("1-9 pick  a all  x none"), "the keys are shown")
        // 1 picks alice's version; u takes it back; x decides none.
        try tmux.type("1")
        try tmux.waitFor("the pick") { $0.contains("resolved c1 (--pick 1)") && $0.contains("· c2 ·") }
        try tmux.type("u")
        try tmux.waitFor("the undo") { $0.contains("undid the decision on c1") && $0.contains("· c1 ·") }
        try tmux.type("x")
        try tmux.waitFor("none") { $0.contains("resolved c1 (--none)") && $0.contains("· c2 ·") }
        // Tab picks bob's span, l moves its start, Enter resolves with it as moved.
        try tmux.key("Tab")
        try tmux.waitFor("bob's span picked") { $0.contains("picked: 2 巡察 684:688") }
        try tmux.type("l")
        try tmux.waitFor("the moved start") { $0.contains("picked: 2 巡察 685:688 (moved from 684:688)") }
        try tmux.key("Enter")
        try tmux.waitFor("the moved span resolved") { $0.contains("resolved c2 (--as 巡察 --at 685:688)") }
        try tmux.type("q")
        try tmux.waitFor("the summary") { $0.contains("adjudicate: 2 resolved, 0 skipped; 1 open") }
        // Again: c3 is what is left; a takes every version and the walk ends by itself.
        try tmux.type("adjudicate")
        try tmux.key("Enter")
        try tmux.waitFor("the last conflict") { $0.contains("adjudicate 0/1 done · c3") }
        try tmux.type("a")
        try tmux.waitFor("the end") { $0.contains("adjudicate: 1 resolved, 0 skipped; 0 open") }
        try tmux.type("save")
        try tmux.key("Enter")
        try tmux.waitFor("saved") { $0.contains("saved merged.json") }
        try tmux.type("quit")
        try tmux.key("Enter")
        try tmux.waitFor("the exit") { $0.contains("EXIT=0") }

        let file = try MergeEndToEndTests.session(dir + "/team/merged.json")
        let conflicts = file["conflicts"] as! [[String: Any]]
        #expect(conflicts.map { $0["decision"] as? String } == ["--none", "--as 巡察 --at 685:688", "--all"])
        let spans = (file["annotations"] as! [[String: Any]]).map { "\($0["label"]!) \($0["start"]!):\($0["end"]!)" }
        #expect(spans == ["第一议题 465:469", "巡察 685:688"])
        let categories = (file["categories"] as! [[String: Any]]).map {
            "\($0["label"]!) \($0["unit"]!) \($0["index"]!)"
        }
        #expect(categories.contains("纪律建设 para 3"), "\(categories)")
        let log = (file["log"] as! [[String: Any]]).map { $0["command"] as! String }
        #expect(
            log.suffix(5) == [
                "resolve c1 --pick 1", "undo", "resolve c1 --none", "resolve c2 --as 巡察 --at 685:688",
                "resolve c3 --all"
            ], "\(log)")
        Workspace.keep(dir + "/team/merged.json", as: "adjudicated-by-keys-session.json")
    }

    @Test func adjudicateIsRefusedWithoutATerminal() throws {
        let dir = try Workspace.make()
        try Self.merged(in: dir)
        let piped = try tagbench(["team/merged.json"], in: dir, input: "adjudicate\n")
        #expect(piped.status == 1)
        #expect(piped.stderr.contains("adjudicate needs a terminal"), "\(piped.stderr)")
        #expect(piped.stderr.contains("use conflicts and resolve cN"), "\(piped.stderr)")
    }
}
