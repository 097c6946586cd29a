import Foundation
import Testing
@testable import TagbenchCLI
@testable import TagbenchCore

/// The REPL loop, fed lines by a scripted reader, output captured by a console: no terminal.
struct ReplTests {
    func make(_ inputs: [LineInput], session: String? = nil) throws -> (
        Repl, ScriptedLineReader, Console, Engine, String
    ) {
        let dir = try Workspace.make()
        let engine: Engine
        if let session {
            engine = try Engine.open(
                path: dir + "/" + session, displayPath: session, annotator: Annotator(name: "t", fixedTime: 0)
            ).0
        } else {
            engine = Engine(annotator: Annotator(name: "t", fixedTime: 0))
        }
        let reader = ScriptedLineReader(inputs)
        let console = Console.capturing()
        let repl = Repl(engine: engine, reader: reader, console: console, baseDirectory: dir, interactive: true)
        return (repl, reader, console, engine, dir)
    }

    @Test func promptShowsSessionDocumentAndUnsavedMark() throws {
        let (repl, reader, _, _, _) = try make(
            [.line("label add 新标签"), .line("save"), .line("quit")], session: "Sessions/demo.json")
        #expect(repl.run() == 0)
        #expect(reader.prompts == ["demo:qu-jiceng> ", "demo:qu-jiceng*> ", "demo:qu-jiceng> "])
    }

    @Test func quitWarnsOnceAboutUnsavedChanges() throws {
        let (repl, reader, console, _, _) = try make([
            .line("label add 巡察"), .line("quit"), .line("quit"), .line("docs")
        ])
        #expect(repl.run() == 0)
        #expect(console.capturedErr.components(separatedBy: "unsaved changes").count == 2)
        #expect(reader.prompts.count == 3, "the second quit leaves; docs is never read")
    }

    @Test func endOfInputWarnsOnceThenLeaves() throws {
        let (repl, _, console, _, _) = try make([.line("label add 巡察"), .endOfInput, .endOfInput])
        #expect(repl.run() == 0)
        #expect(console.capturedErr.contains("warning: unsaved changes"))
    }

    @Test func ctrlCCancelsTheLineAndTheLoopGoesOn() throws {
        let (repl, reader, console, engine, _) = try make([
            .interrupted, .line("label add 巡察"), .interrupted, .line("save s.json"), .endOfInput
        ])
        #expect(repl.run() == 0)
        #expect(engine.session.tagSet.labels.count == 1)
        #expect(console.capturedOut.contains("saved s.json"))
        #expect(reader.history == ["label add 巡察", "save s.json"])
    }

    @Test func errorsAreShownWithHintsAndTheLoopGoesOn() throws {
        let (repl, _, console, _, _) = try make([
            .line("tag 巡察 1:2"), .line("labls"), .line("label add 巡察"), .endOfInput, .endOfInput
        ])
        #expect(repl.run() == 0)
        #expect(
            console.capturedErr.contains(
                "error: unknown label \"巡察\"\n  hint: labels lists the tag set; label add NAME adds one"))
        #expect(console.capturedErr.contains("error: unknown command \"labls\" — did you mean labels?"))
        #expect(!console.capturedErr.contains("<stdin>"), "the line in error is the one just typed")
    }
}

struct CompleterTests {
    func completer() throws -> Completer {
        let dir = try Workspace.make()
        let engine = try Engine.open(
            path: dir + "/Sessions/demo.json", displayPath: "demo.json", annotator: Annotator(name: "t")
        ).0
        return Completer(engine: engine, baseDirectory: dir)
    }

    static let cases: [(String, Completion)] = [
        ("ta", Completion(deleteCount: 0, replacement: "g ", candidates: ["tag"])),
        ("tag 主题", Completion(deleteCount: 0, replacement: "教育 ", candidates: ["主题教育"])),
        ("tag ztj", Completion(deleteCount: 3, replacement: "主题教育 ", candidates: ["主题教育"])),
        ("classify 政", Completion(deleteCount: 0, replacement: "治建设 ", candidates: ["政治建设"])),
        ("open xin", Completion(deleteCount: 0, replacement: "qu-2023 ", candidates: ["xinqu-2023"])),
        ("load Fixtures/cor", Completion(deleteCount: 0, replacement: "pus/", candidates: ["Fixtures/corpus/"])),
        ("tag 巡察 a", Completion(deleteCount: 0, replacement: "ll ", candidates: ["all"])),
        ("export la", Completion(deleteCount: 0, replacement: "bel-studio ", candidates: ["label-studio"])),
        ("export bio o.jsonl --ov", Completion(deleteCount: 0, replacement: "erlap ", candidates: ["--overlap"])),
        ("export bio o.jsonl --overlap l", Completion(deleteCount: 0, replacement: "ongest ", candidates: ["longest"])),
        ("export spans o.jsonl --labels zt", Completion(deleteCount: 2, replacement: "主题教育 ", candidates: ["主题教育"])),
        ("stats --j", Completion(deleteCount: 0, replacement: "son ", candidates: ["--json"])),
        ("report Fixtures/cor", Completion(deleteCount: 0, replacement: "pus/", candidates: ["Fixtures/corpus/"])),
        ("report out --la", Completion(deleteCount: 0, replacement: "bels ", candidates: ["--labels"])),
        ("report out --docs xin", Completion(deleteCount: 0, replacement: "qu-2023 ", candidates: ["xinqu-2023"])),
        ("agree b.json --di", Completion(deleteCount: 0, replacement: "ff ", candidates: ["--diff"])),
        ("agree b.json --labels xc", Completion(deleteCount: 2, replacement: "巡察 ", candidates: ["巡察"])),
        ("agree b.json --docs xin", Completion(deleteCount: 0, replacement: "qu-2023 ", candidates: ["xinqu-2023"])),
        ("par", Completion(deleteCount: 0, replacement: "as ", candidates: ["paras"])),
        ("paras --u", Completion(deleteCount: 0, replacement: "ntagged ", candidates: ["--untagged"])),
        ("next p", Completion(deleteCount: 0, replacement: "ara ", candidates: ["para"])),
        ("prev para --un", Completion(deleteCount: 0, replacement: "tagged ", candidates: ["--untagged"])),
        ("next para xc", Completion(deleteCount: 2, replacement: "巡察 ", candidates: ["巡察"])),
        ("next para --untagged 主题", Completion(deleteCount: 0, replacement: "教育 ", candidates: ["主题教育"])),
        ("zzz", Completion())
    ]

    @Test(arguments: cases)
    func completes(line: String, expected: Completion) throws {
        #expect(try completer().complete(line) == expected)
    }

    @Test func ambiguousPrefixListsTheChoices() throws {
        let completion = try completer().complete("tag 巡")
        #expect(completion.replacement == nil)
        #expect(completion.candidates == ["巡察", "巡视"])
        #expect(try completer().complete("un").replacement == nil)
        #expect(try completer().complete("un").candidates == ["unclassify", "undo", "untag"])
    }
}

struct RendererTests {
    func view(_ text: String, spans: [SpanRow]) -> OutputItem {
        .text(
            TextView(
                document: "d", lines: [TextLine(start: 100, text: text, paragraph: 3)], spans: spans, categories: []))
    }

    @Test func wrapsByDisplayWidthWithOffsetsInTheMargin() {
        let console = Console.capturing(width: 30)
        OutputRenderer(console: console).render(view(String(repeating: "巡察", count: 15), spans: []))
        let lines = console.capturedOut.split(separator: "\n").map(String.init)
        // 30 columns less an 8-column margin and a space leave 21: ten CJK characters a line.
        #expect(lines == ["     ¶3", "   100 │巡察巡察巡察巡察巡察", "   110 │巡察巡察巡察巡察巡察", "   120 │巡察巡察巡察巡察巡察"])
    }

    func span(_ id: String, _ label: String, _ colour: String, _ start: Int, _ end: Int) -> SpanRow {
        SpanRow(id: id, label: label, colour: colour, document: "d", range: TextRange(start, end), text: "", note: "")
    }

    @Test func marksSpansUnderTheTextWithoutColour() {
        let console = Console.capturing(width: 80)
        let span = SpanRow(
            id: "a1", label: "巡察", colour: "#3cb44b", document: "d", range: TextRange(102, 104), text: "巡察", note: "")
        OutputRenderer(console: console).render(view("开展巡察工作", spans: [span]))
        let lines = console.capturedOut.split(separator: "\n").map(String.init)
        #expect(lines[0] == "labels:  巡察")
        #expect(lines[2] == "   100 │开展巡察工作")
        #expect(lines[3] == "       │    ^^^^ a1 巡察")
        #expect(lines[4] == "a1  巡察  d  102:104  巡察")
        #expect(!console.capturedOut.contains("\u{1B}"))
    }

    /// Overlapping spans (one range under two labels) and touching ones each get a marker line
    /// of their own with their id and label after an unbroken run of marks; spans apart from
    /// each other share one while their captions leave room; a span too close to the caption
    /// before it goes to the next line rather than lose its caption.
    @Test func overlappingSpansGetAMarkerLineEachWithTheirLabels() {
        let console = Console.capturing(width: 80)
        let spans = [
            span("a1", "主题教育", "#e6194b", 102, 106), span("a2", "减负", "#f58231", 102, 106),
            span("a3", "减负", "#f58231", 107, 112), span("a4", "巡察", "#3cb44b", 117, 119),
            span("a5", "整改落实", "#808000", 119, 123)
        ]
        OutputRenderer(console: console).render(view("开展主题教育和为基层减负工作，推动巡察整改落实到位", spans: spans))
        let lines = console.capturedOut.split(separator: "\n").map(String.init)
        #expect(lines[0] == "labels:  主题教育  减负  巡察  整改落实")
        #expect(
            Array(lines[1...6]) == [
                "     ¶3",
                "   100 │开展主题教育和为基层减负工作，推动巡察整改落实到位",
                "       │    ^^^^^^^^ a1 主题教育          ^^^^ a4 巡察",
                "       │    ^^^^^^^^ a2 减负                  ^^^^^^^^ a5 整改落实",
                "       │              ^^^^^^^^^^ a3 减负",
                "a1  主题教育  d  102:106  "
            ], "\(console.capturedOut)")
    }

    /// With colour, spans apart from each other are shown by colour alone, under a legend of
    /// swatches; overlapping spans get marker lines in their label's colour, with their labels.
    @Test func withColourOnlyOverlappingSpansGetMarkerLines() {
        let console = Console.capturing(colour: true, width: 80)
        let spans = [
            span("a1", "减负", "#f58231", 102, 106), span("a2", "主题教育", "#e6194b", 103, 106),
            span("a3", "巡察", "#3cb44b", 110, 112)
        ]
        OutputRenderer(console: console).render(view("开展主题教育和为基层减负巡察工作", spans: spans))
        let lines = console.capturedOut.split(separator: "\n").map(String.init)
        let plain = lines.map {
            $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        }
        #expect(lines[0].contains("\u{1B}[48;2;245;130;49m"), "a swatch of 减负's colour")
        #expect(plain[0] == "labels:     减负     主题教育     巡察")
        #expect(plain[3] == "       │    ^^^^^^^^ a1 减负")
        #expect(plain[4] == "       │      ^^^^^^ a2 主题教育")
        #expect(lines[4].contains("\u{1B}[38;2;230;25;75m^^^^^^ a2 主题教育"), "marks in the label's colour")
        #expect(!plain.contains { $0.contains("a3 巡察") && $0.contains("│") }, "a3 overlaps nothing: colour shows it")
    }

    /// On a terminal a span row keeps to one line (its text cut with …); a pipe gets it whole.
    @Test(arguments: [true, false])
    func longSpanTextsAreCutToTheTerminalsWidthOnly(terminal: Bool) {
        let console = Console(out: .buffer, err: .buffer, isTerminal: terminal, colour: false, width: 60)
        let text = String(repeating: "全面从严治党", count: 40)
        let span = SpanRow(
            id: "a12", label: "主题教育", colour: "#3cb44b", document: "xinqu", range: TextRange(0, 240), text: text,
            note: "长")
        OutputRenderer(console: console).render(.spans([span]))
        let line = console.capturedOut.split(separator: "\n").map(String.init)[0]
        if terminal {
            #expect(Format.displayWidth(line) <= 60 && Format.displayWidth(line) >= 58, "\(line)")
            #expect(line.hasPrefix("a12  主题教育  xinqu  0:240  全面从严治党") && line.hasSuffix("…"))
        } else {
            #expect(line == "a12  主题教育  xinqu  0:240  " + text + "  # 长")
        }
    }

    @Test func standardConsoleHasNoColourWithNoColorOrDumbTerminal() {
        #expect(!Console.standard(environment: ["NO_COLOR": "1", "TERM": "xterm"]).colour)
        #expect(!Console.standard(environment: ["TERM": "dumb"]).colour)
    }

    @Test func errorsRenderAsFileLineErrorWithHint() {
        let console = Console.capturing()
        OutputRenderer(console: console).render(LocatedError(file: "script.tb", line: 12, error: .noFindResults))
        #expect(
            console.capturedErr
                == "script.tb:12: error: no find results to refer to\n  hint: run find TEXT first; its hits are h1, h2, …\n"
        )
    }
}

/// `--timings` lines: seconds with four decimals, as printf's `%.4f` writes them.
struct TimingLineTests {
    @Test(arguments: [
        (0.0, "0.0000"), (0.00004, "0.0000"), (0.00005, "0.0001"), (0.1234, "0.1234"), (0.05, "0.0500"),
        (1.0, "1.0000"), (1.99996, "2.0000"), (12.3456789, "12.3457"), (-0.001, "0.0000")
    ])
    func secondsWithFourDecimals(seconds: Double, expected: String) {
        #expect(Timing.line("save", seconds: seconds) == "timing: save \(expected)")
    }
}
