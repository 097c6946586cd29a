import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Files and input that would hang or exhaust a careless reader, through the built binary: each
/// run has a watchdog (`limit`), so a hang fails the test instead of stopping the suite.
@Suite(.serialized)
struct HostileInputEndToEndTests {
    /// A saved session `s.json` of the fixture corpus, copied to `corpus/`.
    func session() throws -> String {
        let dir = try Workspace.make()
        try FileManager.default.copyItem(atPath: dir + "/Fixtures/corpus", toPath: dir + "/corpus")
        let made = try tagbench(
            ["s.json"], in: dir, input: "schema Schemas/governance.tagset.json\nload corpus\nsave s.json\n")
        #expect(made.status == 0, "\(made.stderr)")
        return dir
    }

    @Test func documentsThatAreNotRegularFilesAreRefusedSayingWhatTheyAre() throws {
        let dir = try session()
        let corpus = dir + "/corpus/"
        try FileManager.default.removeItem(atPath: corpus + "qu-jiceng.txt")
        #expect(mkfifo(corpus + "qu-jiceng.txt", 0o644) == 0)
        try FileManager.default.removeItem(atPath: corpus + "x-quwei-2020.txt")
        try FileManager.default.createSymbolicLink(
            atPath: corpus + "x-quwei-2020.txt", withDestinationPath: "/dev/zero")
        try FileManager.default.removeItem(atPath: corpus + "xinqu-2023.txt")
        try FileManager.default.createDirectory(atPath: corpus + "xinqu-2023.txt", withIntermediateDirectories: false)
        try Data([0xFF, 0xFE, 0x41]).write(to: URL(fileURLWithPath: corpus + "quwei-2023.txt"))
        for arguments in [["stats", "s.json"], ["export", "s.json", "spans", "out.jsonl"], ["--read-only", "s.json"]] {
            let result = try tagbench(arguments, in: dir, input: "docs\n", limit: 60)
            #expect(!result.timedOut, "\(arguments) hung")
            #expect(
                result.stderr.contains(
                    "document qu-jiceng cannot be read: cannot read corpus/qu-jiceng.txt: it is a FIFO (named pipe), not a regular file"
                ), "\(result.stderr)")
            #expect(
                result.stderr.contains(
                    "document x-quwei-2020 cannot be read: cannot read corpus/x-quwei-2020.txt: it is a device, not a regular file"
                ))
            #expect(
                result.stderr.contains(
                    "document xinqu-2023 cannot be read: cannot read corpus/xinqu-2023.txt: it is a directory"))
            #expect(
                result.stderr.contains(
                    "document quwei-2023 cannot be read: corpus/quwei-2023.txt is not valid UTF-8 (byte offset 0)"))
            #expect(!result.stderr.contains("is missing"))
        }
    }

    /// A damaged journal (a record that cannot be read, with more after it) is left as it is by
    /// a command that only reads the session, which says where the journal goes; the next open
    /// for writing sets it aside, whole, and journals afresh.
    @Test func aDamagedJournalIsLeftByAReadAndSetAsideByAWrite() throws {
        let dir = try session()
        let journal = ["open qu-jiceng", "untag \\q", "open quwei-2023"].map { "{\"command\": \"\($0)\"}\n" }.joined()
        let journalPath = dir + "/.s.json.journal"
        try Data(journal.utf8).write(to: URL(fileURLWithPath: journalPath))
        let said =
            "line 2 of the journal cannot be read; it and what follows were not recovered; the journal keeps them, "
            + "and a command that writes the session sets it aside as .s.json.journal.failed-…"
        let setAside = { try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".failed-") } }
        for arguments in [["export", "s.json", "spans", "out.jsonl"], ["stats", "s.json"], ["s.json", "--read-only"]] {
            let result = try tagbench(arguments, in: dir, input: "quit\n", limit: 60)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(said), "\(arguments): \(result.stderr)")
            #expect(try read(journalPath) == journal, "\(arguments)")
            #expect(try setAside().isEmpty, "\(arguments)")
        }
        let written = try tagbench(["s.json"], in: dir, input: "quit\n", limit: 60)
        #expect(written.status == 0 && written.stderr.contains(said), "\(written.stderr)")
        let kept = try setAside()
        #expect(kept.count == 1 && kept.first?.hasPrefix(".s.json.journal.failed-") == true, "\(kept)")
        #expect(try kept.first.map { try read(dir + "/" + $0) } == journal)
    }

    /// Writes a journal whose first two commands replay and whose third record cannot be read,
    /// with one more after it; returns it.
    @discardableResult
    func writeDamagedJournal(in dir: String, label: String = "巡察", text: String = "巡察") throws -> String {
        let journal = ["open qu-jiceng", "tag \(label) all \(text)", "untag \\q", "open quwei-2023"].map {
            "{\"command\": \"\($0)\"}\n"
        }.joined()
        try Data(journal.utf8).write(to: URL(fileURLWithPath: dir + "/.s.json.journal"))
        return journal
    }

    /// The spans of `label` in qu-jiceng, listed by a writing open that saves; and how many
    /// times the fixture holds `text`.
    func spans(_ label: String, of text: String, in dir: String) throws -> (listed: Int, inText: Int) {
        let listed = try tagbench(["s.json"], in: dir, input: "spans --corpus\nsave\n", limit: 60)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(!listed.stderr.contains("follows an earlier save"), "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n")
        let count = lines.filter { $0.contains(" \(label) ") && $0.contains(" qu-jiceng ") }.count
        return (count, try read(dir + "/corpus/qu-jiceng.txt").components(separatedBy: text).count - 1)
    }

    /// What the replay of a damaged journal recovered outlives the writing open that sets the
    /// journal aside, though the REPL's input ends unsaved (a checkpoint keeps it); the journal
    /// is set aside whole, and never over a file already there by that name.
    @Test func whatADamagedJournalRecoveredOutlivesAnUnsavedOpenThatSetsItAside() throws {
        let dir = try session()
        let journal = try writeDamagedJournal(in: dir)
        // Files of the user's by the names the next seconds would give.
        let now = Int(time(nil))
        for t in now..<(now + 60) {
            try Data("mine \(t)".utf8).write(to: URL(fileURLWithPath: dir + "/.s.json.journal.failed-\(t)"))
        }
        let unsaved = try tagbench(["s.json"], in: dir, input: "", limit: 60)
        #expect(unsaved.status == 0, "\(unsaved.stderr)")
        let (listed, inText) = try spans("巡察", of: "巡察", in: dir)
        #expect(listed == inText && listed > 0)
        for t in now..<(now + 60) { #expect(try read(dir + "/.s.json.journal.failed-\(t)") == "mine \(t)") }
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("-2") }
        #expect(kept.count == 1 && kept.first?.hasPrefix(".s.json.journal.failed-") == true, "\(kept)")
        #expect(try kept.first.map { try read(dir + "/" + $0) } == journal)
        #expect(
            unsaved.stderr.contains("warning: the journal is kept whole as \(kept.first ?? "?")\n"), "\(unsaved.stderr)"
        )
    }

    /// `run` with a damaged journal beside its session replays what it can and, once it has
    /// saved that, sets the journal aside: the next open does not take it for spent.
    @Test func runSavesWhatADamagedJournalRecoveredAndSetsItAside() throws {
        let dir = try session()
        let journal = try writeDamagedJournal(in: dir, label: "基层党建", text: "党建")
        try "open quwei-2023\n".write(toFile: dir + "/x.tb", atomically: false, encoding: .utf8)
        let ran = try tagbench(["run", "x.tb", "--session", "s.json"], in: dir, limit: 60)
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(!exists(dir + "/.s.json.journal"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".failed-") }
        #expect(kept.count == 1)
        #expect(ran.stderr.contains("warning: the journal is kept whole as \(kept.first ?? "?")\n"), "\(ran.stderr)")
        #expect(try kept.first.map { try read(dir + "/" + $0) } == journal)
        let (listed, inText) = try spans("基层党建", of: "党建", in: dir)
        #expect(listed == inText && listed > 0)
    }

    /// Descriptors 3 to 9 open, as a parent may leave them to its child.
    static let sevenOpen = (3...9).map { "exec \($0)</dev/null" }.joined(separator: "; ") + "; "
    /// Descriptors 5 to 9 open: some above a limit lowered after they were opened.
    static let fiveOpen = (5...9).map { "exec \($0)</dev/null" }.joined(separator: "; ") + "; "

    /// Shell commands run before tagbench, and the error each should give (nil: it runs).
    static let limits: [(shell: String, refused: String?)] = [
        ("ulimit -Sn 4", nil), ("ulimit -n 4", "only 4 files open at once (ulimit -n); tagbench needs 16"),
        ("ulimit -n 15", "only 15 files open at once (ulimit -n); tagbench needs 16"), ("ulimit -n 16", nil),
        (sevenOpen + "ulimit -Sn 16", nil), (sevenOpen + "ulimit -n 23", nil), (fiveOpen + "ulimit -Sn 6", nil),
        (
            fiveOpen + "ulimit -Sn 4; ulimit -Hn 20",
            "only 20 files open at once (ulimit -n); tagbench needs 21 (it was started with 5 open beside the standard three)"
        ),
        (
            fiveOpen + "ulimit -n 20",
            "only 20 files open at once (ulimit -n); tagbench needs 21 (it was started with 5 open beside the standard three)"
        ),
        (
            sevenOpen + "ulimit -n 22",
            "only 22 files open at once (ulimit -n); tagbench needs 23 (it was started with 7 open beside the standard three)"
        )
    ]

    /// Too few open files allowed (beside those the process was started with): a soft limit is
    /// raised (the report is written), a hard one is an error saying so before anything is read
    /// or written, not a crash part-way (with 4 the dispatch library trapped: SIGILL, status 132).
    @Test(arguments: limits)
    func tooFewOpenFilesAreRaisedOrRefused(shell: String, refused: String?) throws {
        let dir = try session()
        let result = try tagbench(["report", "s.json", "out"], in: dir, limit: 60, shell: shell)
        #expect(result.status == (refused == nil ? 0 : 1), "\(result.stderr)")
        #expect(exists(dir + "/out/index.html") == (refused == nil))
        if let refused {
            #expect(
                result.stderr
                    == "error: this process may have \(refused)\n"
                    + "  hint: raise the limit first, e.g. ulimit -n 1024 (past the hard limit, ulimit -Hn, only root can)\n"
            )
        }
    }

    /// A FIFO planted where a side file goes hangs nothing: the journal and the lock are refused
    /// with a clear error; the hash cache and a checkpoint are ignored (they are only helpers).
    @Test(arguments: [("journal", true), ("lock", true), ("hashes", false), ("checkpoint", false)])
    func aFifoInPlaceOfASideFileHangsNothing(side: String, refused: Bool) throws {
        let dir = try session()
        try? FileManager.default.removeItem(atPath: dir + "/.s.json." + side)
        #expect(mkfifo(dir + "/.s.json." + side, 0o644) == 0)
        for arguments in [["s.json"], ["stats", "s.json"]] {
            let result = try tagbench(arguments, in: dir, input: "docs\n", limit: 60)
            #expect(!result.timedOut, "\(side): \(arguments) hung")
            if refused && arguments == ["s.json"] {
                #expect(
                    result.status == 1
                        && result.stderr.contains(
                            "refusing to use \(dir)/.s.json.\(side): it is a link or not a regular file"),
                    "\(result.stderr)")
            } else {
                #expect(result.status == 0, "\(side): \(arguments): \(result.stderr)")
            }
        }
    }

    /// A regex time limit that is not a number of seconds is said, and the default kept.
    @Test(arguments: ["abc", "0", "-3", "inf"])
    func anInvalidRegexTimeLimitIsSaid(value: String) throws {
        let dir = try Workspace.make()
        let result = try tagbench(["s.json"], in: dir, input: "docs\n", environment: ["TAGBENCH_REGEX_SECONDS": value])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "warning: TAGBENCH_REGEX_SECONDS=\"\(value)\" is not a number of seconds above 0; regex searches stop after 20 s"
            ), "\(result.stderr)")
    }

    @Test(arguments: ["fifo", "zero", "socket"])
    func aSessionFileThatIsNotRegularIsRefused(kind: String) throws {
        let dir = try Workspace.make()
        if kind == "fifo" {
            #expect(mkfifo(dir + "/s.json", 0o644) == 0)
        } else if kind == "socket" {
            // A socket cannot even be opened: it must still be named for what it is.
            #expect(makeSocket(at: dir + "/s.json"))
        } else {
            try FileManager.default.createSymbolicLink(atPath: dir + "/s.json", withDestinationPath: "/dev/zero")
        }
        for arguments in [["stats", "s.json"], ["--read-only", "s.json"]] {
            let result = try tagbench(arguments, in: dir, limit: 60)
            #expect(!result.timedOut, "\(arguments) hung")
            #expect(result.status == 1)
            let what = ["fifo": "a FIFO (named pipe)", "zero": "a device", "socket": "a socket"][kind]!
            #expect(result.stderr.contains("it is \(what), not a regular file"), "\(result.stderr)")
        }
    }

    /// The issue's reproduction, piped: `find /(a|aa)*b/` on a 40-character line stops after the
    /// limit `TAGBENCH_REGEX_SECONDS` sets, with a clear error, and the session is not changed.
    @Test func aCatastrophicRegexFromPipedInputStopsAfterTheLimit() throws {
        let dir = try session()
        try (String(repeating: "a", count: 40) + "\n").write(toFile: dir + "/aa.txt", atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/s.json"))
        let result = try tagbench(
            ["s.json"], in: dir, input: "load aa.txt\nfind /(a|aa)*b/ --corpus\nsave\n",
            environment: ["TAGBENCH_REGEX_SECONDS": "1"], limit: 60)
        #expect(!result.timedOut, "the search did not stop")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "<stdin>:2: error: the search for /(a|aa)*b/ was stopped after 1 s; nothing was changed"),
            "\(result.stderr)")
        #expect(result.stderr.contains("TAGBENCH_REGEX_SECONDS sets the limit"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/s.json")) == before)
    }

    /// A name holding terminal controls reaches the terminal only escaped, even in the error that
    /// refuses it; a document text with them is shown escaped by find.
    @Test func controlCharactersReachTheTerminalEscaped() throws {
        let dir = try Workspace.make()
        try "巡察\u{1B}[2J工作\u{7}".write(toFile: dir + "/d.txt", atomically: true, encoding: .utf8)
        let result = try tagbench(
            ["--keep-going"], in: dir, input: "label add a\u{1B}[31mb\u{202E}c\nload d.txt\nfind 巡察\n", limit: 60)
        #expect(result.stderr.contains("label \"a\\u{1B}[31mb\\u{202E}c\" holds U+001B"), "\(result.stderr)")
        #expect(result.stdout.contains("\\u{1B}[2J工作\\u{7}"), "\(result.stdout)")
        #expect(
            !(result.stdout + result.stderr).unicodeScalars.contains {
                $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}"
            })
    }

    /// `show` draws a control character of the text as its escape (a tab as a space), and the
    /// marks under a span after one stay under the span's characters.
    @Test func showDrawsControlCharactersEscapedWithTheMarksInPlace() throws {
        let dir = try Workspace.make()
        try "巡察\u{1B}[2J工作\u{85}\t整改\n".write(toFile: dir + "/d.txt", atomically: true, encoding: .utf8)
        let result = try tagbench(
            [], in: dir, input: "label add 整改\nload d.txt\ntag 整改 10:12\nshow\n", environment: ["NO_COLOR": "1"],
            limit: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{85}" })
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // The tab is drawn as one space (a terminal would move it, and what follows, to a tab stop).
        let text = try #require(lines.first { $0.contains("\\u{1B}[2J工作\\u{85} 整改") }, "\(result.stdout)")
        let marks = try #require(lines.first { $0.contains("^^^^") }, "\(result.stdout)")
        // The run starts where 整改 starts on the text line, in display columns.
        let before = String(text[..<text.range(of: "整改")!.lowerBound])
        #expect(
            Format.displayWidth(String(marks.prefix { $0 != "^" })) == Format.displayWidth(before), "\(result.stdout)")
    }
}
