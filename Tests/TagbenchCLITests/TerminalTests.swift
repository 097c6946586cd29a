import Foundation
import Testing
@testable import TagbenchCore

/// The REPL in a real terminal (tmux): Chinese typed, a Chinese label completed with Tab, Ctrl-C
/// cancelling a line, Ctrl-D warning then leaving, history kept with its Chinese; `review` on
/// single keys.
struct TerminalTests {
    final class Tmux {
        let socket = "tagbench-test-\(UUID().uuidString.prefix(8))"

        /// Runs a tmux command through /bin/sh with posix_spawn and waitpid: Foundation's Process
        /// waited forever here on the client that `new-session -d` leaves behind.
        @discardableResult
        func run(_ arguments: [String], output: Bool = false) throws -> String {
            let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
                .path
            defer { try? FileManager.default.removeItem(atPath: outFile) }
            let quoted = (["tmux", "-L", socket] + arguments).map {
                "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
            }
            let command = quoted.joined(separator: " ") + " >'\(outFile)' 2>/dev/null </dev/null"
            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
            defer { argv.forEach { free($0) } }
            guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { throw CocoaError(.fileNoSuchFile) }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return output ? ((try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "") : ""
        }

        func type(_ text: String) throws { try run(["send-keys", "-t", "t", "-l", text]) }
        func key(_ name: String) throws { try run(["send-keys", "-t", "t", name]) }
        func screen() throws -> String { try run(["capture-pane", "-t", "t", "-p", "-S", "-200"], output: true) }

        /// Waits (up to ten seconds) until the screen satisfies `condition`; returns the screen.
        @discardableResult
        func waitFor(_ what: String, _ condition: (String) -> Bool) throws -> String {
            var screen = ""
            for _ in 0..<100 {
                screen = try self.screen()
                if condition(screen) { return screen }
                Thread.sleep(forTimeInterval: 0.1)
            }
            Issue.record("timed out waiting for \(what); the screen was:\n\(screen)")
            return screen
        }

        /// The screen once `marker` is drawn and then the demo session's prompt after it: what
        /// came between them is whole (a screen read as soon as `marker` shows may not be).
        func waitForPrompt(after marker: String) throws -> String {
            try waitFor("\(marker), then the prompt") { screen in
                guard let at = screen.range(of: marker, options: .backwards) else { return false }
                return screen[at.upperBound...].contains("demo:")
            }
        }

        /// Starts tagbench on the demo session in `directory` (with `environment` before it) in a
        /// terminal of `width` × `height`, and waits for its prompt.
        func startDemo(in directory: String, environment: String, width: Int, height: Int) throws {
            let command =
                "cd '\(directory)' && env \(environment) SOURCE_DATE_EPOCH=1700000000 '\(Workspace.binary)' Sessions/demo.json; "
                + "echo EXIT=$?; sleep 30"
            try run(["-u", "new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height), command])
            try waitFor("the prompt") { $0.contains("demo:qu-jiceng>") }
        }

        /// Starts the demo session at 100 × 30, queues the tag set's suggestions and enters
        /// `review`; returns its first screen.
        @discardableResult
        func startReview(in directory: String) throws -> String {
            try startDemo(in: directory, environment: "TERM=xterm-256color TAGBENCH_HISTORY=", width: 100, height: 30)
            try type("suggest --corpus")
            try key("Enter")
            try waitFor("the queue") { $0.contains("queued") }
            try type("review")
            try key("Enter")
            return try waitFor("the first suggestion") { $0.contains("review 0/") }
        }

        deinit { _ = try? run(["kill-server"]) }
    }

    @Test func chineseInputCompletionCtrlCAndCtrlDInARealTerminal() throws {
        let dir = try Workspace.make()
        let history = dir + "/history"
        let tmux = Tmux()
        // LC_ALL=C: tagbench must fall back to a UTF-8 locale itself or it would drop Chinese input.
        try tmux.startDemo(
            in: dir, environment: "-u LANG LC_ALL=C TERM=xterm-256color TAGBENCH_HISTORY='\(history)'", width: 120,
            height: 40)

        try tmux.type("find 基层党建")
        try tmux.key("Enter")
        try tmux.waitFor("the hits") { $0.contains("h1  qu-jiceng") }

        try tmux.type("tag 基层")
        try tmux.key("Tab")
        try tmux.waitFor("the completed label") { $0.contains("tag 基层党建") }
        try tmux.type("h1")
        // The completion ended with a space: what was typed next is a new argument.
        try tmux.waitFor("the typed target") { $0.contains("tag 基层党建 h1") }
        try tmux.key("Enter")
        try tmux.waitFor("the new span") { $0.contains("a46  基层党建  qu-jiceng") }
        try tmux.waitFor("the unsaved mark") { $0.contains("demo:qu-jiceng*>") }

        try tmux.type("docs 未完成的行")
        // Ctrl-C once the line is on the screen, as a user presses it: a SIGINT that arrives while
        // tagbench is still taking in the typed keys (not waiting in read) may not cancel the line.
        try tmux.waitFor("the typed line") { $0.contains("docs 未完成的行") }
        try tmux.key("C-c")
        try tmux.type("labels")
        try tmux.key("Enter")
        let afterCancel = try tmux.waitFor("the labels") { $0.contains("形式主义官僚主义") }
        #expect(!afterCancel.contains("unexpected argument"), "Ctrl-C cancelled the line instead of running it")

        try tmux.key("C-d")
        try tmux.waitFor("the unsaved warning") { $0.contains("warning: unsaved changes") }
        #expect(!(try tmux.screen()).contains("EXIT="))
        try tmux.key("C-d")
        try tmux.waitFor("the exit") { $0.contains("EXIT=0") }

        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("find\\040基层党建"), "history keeps Chinese lines")
        #expect(!saved.contains("未完成"), "a cancelled line is not in the history")
    }

    @Test(arguments: [70, 110])
    func statsDrawsBarsToTheTerminalsWidthInColour(width: Int) throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        try tmux.startDemo(
            in: dir, environment: "-u NO_COLOR TERM=xterm-256color TAGBENCH_HISTORY= PAGER=", width: width, height: 60)
        try tmux.type("stats")
        try tmux.key("Enter")
        // (`swift test` sets NO_COLOR for what it runs: taken off, as a user's terminal has none.)
        let screen = try tmux.waitForPrompt(after: "documents annotated")
        let lines = screen.split(separator: "\n").map(String.init)
        // The full bar of the progress chart and its share end one column short of the edge.
        let annotated = lines.first { $0.contains("documents annotated") } ?? ""
        #expect(
            Format.displayWidth(annotated.replacingOccurrences(of: " +$", with: "", options: .regularExpression))
                == width - 1)
        // The longest label bar fills the width the columns leave.
        let longest = lines.first { $0.contains("整改落实") } ?? ""
        #expect(longest.filter { $0 == "█" }.count >= width - 40)
        // Bars in the label's colour (整改落实 is #808000), as the terminal received them.
        let coloured = try tmux.run(["capture-pane", "-t", "t", "-p", "-e", "-S", "-200"], output: true)
        let line = coloured.split(separator: "\n").first { $0.contains("整改落实") } ?? ""
        #expect(line.contains("\u{1B}[38;2;128;128;0m"), "\(line.debugDescription)")
    }

    @Test func reviewTakesSingleKeysFullScreenInARealTerminal() throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        let first = try tmux.startReview(in: dir)
        #expect(first.contains("y accept  n reject"), "the keys are shown")
        #expect(!first.contains("demo:qu-jiceng"), "review has the screen to itself")
        let total = first.components(separatedBy: "review 0/")[1].prefix { $0.isNumber }
        // y, then n: no Enter needed; the second and third come up, the count of decisions grows.
        try tmux.type("y")
        try tmux.waitFor("the second suggestion") { $0.contains("review 1/\(total) done") }
        try tmux.type("n")
        try tmux.waitFor("the third suggestion") { $0.contains("rejected s2") }
        // The start moves left by one with the arrow key, shown in the header.
        try tmux.key("Left")
        try tmux.waitFor("the moved start") { $0.contains("moved from") }
        try tmux.type("q")
        let after = try tmux.waitFor("the summary and the prompt") {
            $0.contains("review: 1 accepted, 1 rejected, 0 skipped")
        }
        #expect(after.contains("demo:qu-jiceng*>"), "back at the prompt with the screen restored")
        try tmux.type("save")
        try tmux.key("Enter")
        try tmux.waitFor("saved") { $0.contains("saved demo.json") }
        try tmux.type("quit")
        try tmux.key("Enter")
        try tmux.waitFor("the exit") { $0.contains("EXIT=0") }
        let session = try String(contentsOfFile: dir + "/Sessions/demo.json", encoding: .utf8)
        #expect(session.contains("\"source\": \"rule:"), "the accepted suggestion is a span with its rule as source")
        #expect(session.contains("{\"command\": \"accept s1\"") && session.contains("{\"command\": \"reject s2\""))
        Workspace.keep(dir + "/Sessions/demo.json", as: "review-session.json")
    }

    /// `p` in review shows the paragraph around the candidate instead of its sentence, and back;
    /// the choice stays for the next suggestions, and `?` lists the key.
    @Test func reviewShowsTheParagraphAroundTheCandidateOnP() throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        // The first suggestion is in the sentence after the paragraph's first two.
        let paragraphStart = "（一）切实加强思想理论武装"
        let first = try tmux.startReview(in: dir)
        #expect(!first.contains(paragraphStart), "the sentence alone at first")
        #expect(first.contains("p paragraph"))
        try tmux.type("p")
        let paragraph = try tmux.waitFor("the paragraph") { $0.contains(paragraphStart) }
        #expect(paragraph.contains("p sentence") && paragraph.contains("review 0/"), "the same suggestion")
        try tmux.type("p")
        try tmux.waitFor("the sentence again") { !$0.contains(paragraphStart) && $0.contains("p paragraph") }
        try tmux.type("p")
        try tmux.waitFor("the paragraph again") { $0.contains(paragraphStart) }
        try tmux.type("n")
        try tmux.waitFor("the next suggestion, still with its paragraph") {
            $0.contains("rejected s1") && $0.contains("p sentence")
        }
        try tmux.type("?")
        try tmux.waitFor("the keys") { $0.contains("p paragraph or sentence") }
        try tmux.type("q")
        try tmux.waitFor("the summary") { $0.contains("review: 0 accepted, 1 rejected") }
    }

    /// Output longer than the screen goes through the pager (less), and the page read stays on the
    /// screen after q; output that fits is printed as it is.
    @Test func longOutputIsPagedAndShortOutputIsNot() throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        try tmux.startDemo(in: dir, environment: "NO_COLOR=1 TAGBENCH_HISTORY=", width: 100, height: 20)
        try tmux.type("help")
        try tmux.key("Enter")
        let paged = try tmux.waitFor("the pager") { $0.split(separator: "\n").last?.hasPrefix(":") == true }
        #expect(paged.contains("load"), "the first page of help")
        #expect(!paged.contains("quit "), "help's last lines are on a later page")
        try tmux.type("q")
        let after = try tmux.waitFor("the prompt after q") { $0.contains("demo:qu-jiceng>") }
        #expect(after.contains("  load [--encoding"), "the page read stays on the screen after q")
        try tmux.type("docs")
        try tmux.key("Enter")
        let short = try tmux.waitFor("docs") {
            $0.contains("xinqu-2023") && $0.split(separator: "\n").last?.hasPrefix(":") != true
        }
        #expect(
            short.components(separatedBy: "demo:qu-jiceng>").count >= 3,
            "docs fits: no pager, straight back to the prompt")
    }

    /// `show` wraps at the width the terminal has now: after the window grows, lines are longer.
    @Test func showFollowsTheTerminalWidthAfterAResize() throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        try tmux.startDemo(in: dir, environment: "NO_COLOR=1 TAGBENCH_HISTORY=", width: 70, height: 40)
        // The text lines (offsets, a rule, the text), not the span list under them.
        func widest(_ screen: String) -> Int {
            screen.split(separator: "\n").filter { $0.contains("│") }.map { Format.displayWidth(String($0)) }.max() ?? 0
        }
        // Resizes the window and waits until its terminal has the new size (what tagbench asks).
        let tty = try tmux.run(["display", "-p", "-t", "t", "#{pane_tty}"], output: true).trimmingCharacters(
            in: .whitespacesAndNewlines)
        func resize(to columns: Int) throws {
            try tmux.run(["resize-window", "-t", "t", "-x", String(columns), "-y", "40"])
            try tmux.waitFor("the terminal's new size") { _ in
                var size = winsize()
                let fd = open(tty, O_RDONLY | O_NOCTTY)
                defer { close(fd) }
                return ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && Int(size.ws_col) == columns
            }
        }
        try tmux.type("show para 2")
        try tmux.key("Enter")
        let narrow = try tmux.waitForPrompt(after: "¶2")
        #expect(widest(narrow) <= 70)
        try resize(to: 120)
        try tmux.type("show para 3")
        try tmux.key("Enter")
        let wide = try tmux.waitForPrompt(after: "¶3")
        #expect(widest(wide) > 100, "wrapped at 120 columns after the resize:\n\(wide)")
        // And the other way: narrower than at the start, no line is wider than the window.
        try resize(to: 50)
        try tmux.type("show para 4")
        try tmux.key("Enter")
        _ = try tmux.waitForPrompt(after: "¶4")
        // Lines the terminal wrapped are joined again (-J): a line wider than the window shows.
        let joined = try tmux.run(["capture-pane", "-t", "t", "-p", "-J", "-S", "-200"], output: true)
        let rows = joined.components(separatedBy: "show para 4").last ?? ""
        #expect(widest(rows) <= 50 && widest(rows) > 40, "wrapped at 50 columns after the resize:\n\(rows)")
    }

    /// With `TAGBENCH_AMBIGUOUS_WIDTH=2`, a terminal's span rows are cut and `show` is wrapped
    /// counting “ ” · — … │ as two columns each: nothing is wider than the window where the
    /// terminal draws them wide.
    @Test func ambiguousCharactersCountTwoColumnsOnATerminalWhenAsked() throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        try tmux.startDemo(
            in: dir, environment: "NO_COLOR=1 PAGER= TAGBENCH_AMBIGUOUS_WIDTH=2 TAGBENCH_HISTORY=", width: 60,
            height: 40)
        try tmux.type("tag 主题教育 para 3")
        try tmux.key("Enter")
        try tmux.waitFor("the paragraph's span") { $0.contains("a46  主题教育") }
        try tmux.type("spans 主题教育")
        try tmux.key("Enter")
        try tmux.waitFor("the list") { $0.components(separatedBy: "a46  主题教育").count > 2 }
        try tmux.type("show para 3")
        try tmux.key("Enter")
        // The listings above carry "¶3" too: wait for what only `show` prints after its command,
        // the text under the rule and then its span list.
        let screen = try tmux.waitFor("the paragraph") {
            let shown = $0.components(separatedBy: "show para 3").last ?? ""
            return shown.contains("│") && shown.contains("a46 ")
        }
        let shown = screen.components(separatedBy: "show para 3").last ?? ""
        let rows = shown.split(separator: "\n").map(String.init).filter { $0.contains("│") || $0.hasPrefix("a46 ") }
        #expect(rows.count > 5)
        #expect(rows.contains { $0.contains("“") }, "the rows have ambiguous characters")
        let over = rows.filter { Format.displayWidth($0, ambiguousWide: true) > 60 }
        #expect(over.isEmpty, "wider than the window:\n\(over.joined(separator: "\n"))")
    }

    /// Killed by SIGTERM or SIGHUP while `review` has the screen, tagbench leaves the alternate
    /// screen and gives the terminal back its settings (the shell after it echoes what is typed).
    @Test(arguments: ["TERM", "HUP"])
    func reviewGivesTheTerminalBackWhenKilled(signal: String) throws {
        let dir = try Workspace.make()
        let tmux = Tmux()
        try tmux.startReview(in: dir)
        #expect(
            try tmux.run(["display", "-p", "-t", "t", "#{alternate_on}"], output: true).hasPrefix("1"),
            "review is in the alternate screen")
        // The pane's shell runs tagbench as its child: only this test's tagbench gets the signal.
        let shell = try tmux.run(["display", "-p", "-t", "t", "#{pane_pid}"], output: true).trimmingCharacters(
            in: .whitespacesAndNewlines)
        try tmux.run(["run-shell", "pkill -\(signal) -P \(shell)"])
        let after = try tmux.waitFor("the exit") { $0.contains("EXIT=") }
        #expect(after.contains("demo:qu-jiceng"), "the screen before review is back")
        #expect(
            try tmux.run(["display", "-p", "-t", "t", "#{alternate_on}"], output: true).hasPrefix("0"),
            "the alternate screen is left")
        #expect(
            try tmux.run(["display", "-p", "-t", "t", "#{cursor_flag}"], output: true).hasPrefix("1"),
            "the cursor is shown again")
    }

    /// Ctrl-C pressed while a regular expression backtracks without end stops the search at
    /// once, ends the worker process it ran in, and gives the prompt back.
    @Test func ctrlCStopsACatastrophicSearchAndItsWorker() throws {
        let dir = try Workspace.make()
        try (String(repeating: "a", count: 40) + "\n").write(toFile: dir + "/aa.txt", atomically: true, encoding: .utf8)
        let tmux = Tmux()
        try tmux.startDemo(in: dir, environment: "TERM=xterm-256color TAGBENCH_HISTORY=", width: 100, height: 30)
        try tmux.type("load aa.txt")
        try tmux.key("Enter")
        try tmux.waitFor("the load") { $0.contains("loaded 1 document") }
        let shell = try tmux.run(["display", "-p", "-t", "t", "#{pane_pid}"], output: true).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let shellPID = try #require(Int32(shell))
        let tagbench = try #require(RegexWorkerTests.children(of: shellPID).first)
        try tmux.type("open aa")
        try tmux.key("Enter")
        try tmux.type("find /(a|aa)*b/")
        try tmux.key("Enter")
        var workers: [Int32] = []
        for _ in 0..<200 where workers.isEmpty {
            workers = RegexWorkerTests.workers(of: tagbench)
            usleep(50_000)
        }
        try #require(!workers.isEmpty, "the search did not start a worker")
        try tmux.key("C-c")
        let screen = try tmux.waitFor("the stop") { $0.contains("interrupted; nothing was changed") }
        #expect(screen.contains("find /(a|aa)*b/ interrupted; nothing was changed"), "\(screen)")
        #expect(workers.filter(RegexWorkerTests.isRunning).isEmpty, "the worker still runs")
        try tmux.type("docs")
        try tmux.key("Enter")
        try tmux.waitFor("the next command") {
            $0.contains("5 documents") || $0.components(separatedBy: "aa").count > 3
        }
    }
}
