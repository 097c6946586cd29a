import Testing
@testable import TagbenchCore

struct CommandParserTests {
    static let valid: [(String, Command?)] = [
        ("", nil),
        ("   ", nil),
        ("# a comment", nil),
        ("load a.txt dir/ \"with space.txt\"", .load(["a.txt", "dir/", "with space.txt"])),
        (
            "conflict xinqu-2023 684:688 --version ours 巡察 684:688 --version theirs",
            .conflict(
                document: "xinqu-2023", range: TextRange(684, 688),
                versions: [
                    ConflictVersion(annotator: "ours", spans: [ConflictSpan(range: TextRange(684, 688), label: "巡察")]),
                    ConflictVersion(annotator: "theirs", spans: [])
                ])
        ),
        (
            "conflict d 1:9 --version \"a b\" X 5:9 X 1:3 --version c Y 2:4",
            .conflict(
                document: "d", range: TextRange(1, 9),
                versions: [
                    ConflictVersion(
                        annotator: "a b",
                        spans: [
                            ConflictSpan(range: TextRange(1, 3), label: "X"),
                            ConflictSpan(range: TextRange(5, 9), label: "X")
                        ]),
                    ConflictVersion(annotator: "c", spans: [ConflictSpan(range: TextRange(2, 4), label: "Y")])
                ])
        ),
        ("load --encoding gbk a.txt", .load(["a.txt"], encoding: .gb18030)),
        ("load a.txt --encoding auto b.txt", .load(["a.txt", "b.txt"], encoding: .auto)),
        ("load --split-at /^.{0,40}报告$/ c.txt", .load(["c.txt"], splitAt: "^.{0,40}报告$")),
        ("load --encoding auto c.txt --split-at /a\\/b/", .load(["c.txt"], encoding: .auto, splitAt: "a/b")),
        (
            "export bio o.jsonl --split a=1,b=1 --split-by para",
            .export(
                {
                    var o = ExportOptions(format: .bio, path: "o.jsonl")
                    o.split = [SplitShare(name: "a", weight: 1), SplitShare(name: "b", weight: 1)]
                    o.splitBy = .para
                    return o
                }())
        ),
        ("docs", .docs),
        ("open 3", .open(.name("3"))),
        ("open 000_5bc", .open(.name("000_5bc"))),
        ("next", .open(.next)),
        ("prev", .open(.previous)),
        ("show", .show(.document)),
        ("show para 2", .show(.paragraph(2))),
        ("show sent 10", .show(.sentence(10))),
        ("show para 20-30", .show(.paragraphs(20, 30))),
        ("show sent 5-9", .show(.sentences(5, 9))),
        ("show sent 5-5", .show(.sentence(5))),
        ("show 5:9", .show(.range(TextRange(5, 9)))),
        ("find 巡察", .find(.literal("巡察"), corpus: false)),
        ("find \"两个 维护\" --corpus", .find(.literal("两个 维护"), corpus: true)),
        ("find /巡[视察]/", .find(.regex("巡[视察]"), corpus: false)),
        ("find /a\\/b c/", .find(.regex("a/b c"), corpus: false)),
        ("find /\\d+年/ --corpus", .find(.regex("\\d+年"), corpus: true)),
        ("tag 巡察 12:14", .tag(label: "巡察", target: .range(TextRange(12, 14)))),
        ("tag xc h3", .tag(label: "xc", target: .hits(3, 3))),
        ("tag xc h3-h7", .tag(label: "xc", target: .hits(3, 7))),
        ("tag 巡察 \"巡察工作\"", .tag(label: "巡察", target: .text("巡察工作", occurrence: nil))),
        ("tag 巡察 \"巡察\"#2", .tag(label: "巡察", target: .text("巡察", occurrence: 2))),
        ("tag 巡察 \"say \\\"hi\\\" \\\\ok\"", .tag(label: "巡察", target: .text("say \"hi\" \\ok", occurrence: nil))),
        ("tag 巡察 巡察工作", .tag(label: "巡察", target: .text("巡察工作", occurrence: nil))),
        ("tag 巡察 sent 4", .tag(label: "巡察", target: .sentence(4))),
        ("tag 巡察 para 1", .tag(label: "巡察", target: .paragraph(1))),
        ("tag 巡察 all 巡察", .tagAll(label: "巡察", pattern: .literal("巡察"), corpus: false)),
        ("tag 巡察 all /巡察(工作)?/ --corpus", .tagAll(label: "巡察", pattern: .regex("巡察(工作)?"), corpus: true)),
        ("tag 巡察 \"all\"", .tag(label: "巡察", target: .text("all", occurrence: nil))),
        ("tag 巡察 12:14 # why", .tag(label: "巡察", target: .range(TextRange(12, 14)))),
        ("untag a3", .untag([3])),
        ("untag a3 a12", .untag([3, 12])),
        ("relabel a3 巡视", .relabel(3, label: "巡视")),
        ("note a3 \"需要 复核\"", .note(3, text: "需要 复核")),
        ("note a3", .note(3, text: "")),
        ("classify 政治建设 doc", .classify(label: "政治建设", unit: .document)),
        ("classify 政治建设 para 2", .classify(label: "政治建设", unit: .paragraph(2))),
        ("unclassify 政治建设 sent 9", .unclassify(label: "政治建设", unit: .sentence(9))),
        ("spans", .spans(label: nil, corpus: false)),
        ("spans 巡察 --corpus", .spans(label: "巡察", corpus: true)),
        ("spans 巡察 /整改/", .spans(label: "巡察", matching: .regex("整改"), corpus: false)),
        ("spans 巡察 整改 --corpus", .spans(label: "巡察", matching: .literal("整改"), corpus: true)),
        ("spans --corpus xc \"巡察 整改\"", .spans(label: "xc", matching: .literal("巡察 整改"), corpus: true)),
        ("next para", .stepParagraph(forward: true, .any)),
        ("prev para", .stepParagraph(forward: false, .any)),
        ("next para 巡察", .stepParagraph(forward: true, .labelled("巡察"))),
        ("prev para --untagged", .stepParagraph(forward: false, .untagged)),
        ("next para 巡察 --untagged", .stepParagraph(forward: true, .unlabelled("巡察"))),
        ("paras", .paras(.any)),
        ("paras --untagged", .paras(.untagged)),
        ("paras 巡察", .paras(.labelled("巡察"))),
        ("paras --untagged \"两 字\"", .paras(.unlabelled("两 字"))),
        ("labels", .labels),
        ("label add 巡察 --alias xc --alias xuncha", .labelAdd(Label(name: "巡察", aliases: ["xc", "xuncha"]))),
        ("label add 政治建设 --category", .labelAdd(Label(name: "政治建设", kind: .category))),
        (
            "label add 巡察 --colour 3CB44B --description \"巡察 工作\"",
            .labelAdd(Label(name: "巡察", colour: "#3cb44b", description: "巡察 工作"))
        ),
        ("label add 巡察 --colour \"#3cb44b\"", .labelAdd(Label(name: "巡察", colour: "#3cb44b"))),
        ("schema tags.json", .schema("tags.json")),
        ("undo", .undo(1)),
        ("undo 3", .undo(3)),
        ("redo", .redo(1)),
        ("save", .save(nil)),
        ("save out/s.json", .save("out/s.json")),
        ("export spans out.jsonl", .export(ExportOptions(format: .spans, path: "out.jsonl"))),
        (
            "export bio out.jsonl --jsonl --overlap longest --unit para",
            .export(
                {
                    var o = ExportOptions(format: .bio, path: "out.jsonl")
                    o.jsonl = true
                    o.overlap = .longest
                    o.unit = .para
                    return o
                }())
        ),
        (
            "export doccano \"my out.jsonl\" --split train=8,dev=1,test=1 --seed 7 --shard-size 100 --labels 巡察,xs --docs \"q*\"",
            .export(
                {
                    var o = ExportOptions(format: .doccano, path: "my out.jsonl")
                    o.split = [
                        SplitShare(name: "train", weight: 8), SplitShare(name: "dev", weight: 1),
                        SplitShare(name: "test", weight: 1)
                    ]
                    o.seed = 7
                    o.shardSize = 100
                    o.labels = ["巡察", "xs"]
                    o.documents = ["q*"]
                    return o
                }())
        ),
        (
            "export classify c.jsonl --unit sent --from-spans --negatives",
            .export(
                {
                    var o = ExportOptions(format: .classify, path: "c.jsonl")
                    o.unit = .sent
                    o.fromSpans = true
                    o.negatives = true
                    return o
                }())
        ),
        ("export label-studio ls.json", .export(ExportOptions(format: .labelStudio, path: "ls.json"))),
        ("export brat out/", .export(ExportOptions(format: .brat, path: "out/"))),
        ("stats", .stats(StatsOptions())),
        ("stats --all --top 3 --json", .stats(StatsOptions(all: true, top: 3, json: true))),
        ("history", .history),
        ("run script.tb", .run("script.tb")),
        ("help", .help(nil)),
        ("help tag", .help("tag")),
        ("quit", .quit),
        ("\u{3000}docs\u{3000}", .docs)
    ]

    @Test(arguments: valid)
    func parsesValidLines(line: String, expected: Command?) throws {
        #expect(try CommandParser.parse(line) == expected)
    }

    static let invalid: [(String, TagbenchError, Int?)] = [
        ("tga 巡察 1:2", .unknownCommand("tga", suggestion: "tag"), nil),
        (
            "conflict d 1:9 --version a",
            .missingArgument(command: "conflict", what: "two or more --version NAME [LABEL S:E]..."), nil
        ),
        (
            "conflict d 9:1 --version a --version b",
            .invalidArgument(command: "conflict", argument: "9:1", expected: "S:E with S < E"), nil
        ),
        ("conflict d 1:9 X 1:2", .invalidArgument(command: "conflict", argument: "X", expected: "--version NAME"), nil),
        ("conflict d 1:9 --version a X", .missingArgument(command: "conflict", what: "S:E after the label X"), nil),
        ("lables", .unknownCommand("lables", suggestion: "labels"), nil),
        ("frobnicate", .unknownCommand("frobnicate", suggestion: nil), nil),
        ("tag 巡察 \"unterminated", .unterminatedQuote(column: 8), 8),
        ("find /unterminated", .unterminatedRegex(column: 6), 6),
        ("tag", .missingArgument(command: "tag", what: "a label"), nil),
        (
            "tag 巡察", .missingArgument(command: "tag", what: "a target: S:E, hN, \"text\", sent N, para N or all TEXT"),
            nil
        ),
        ("untag 3", .invalidArgument(command: "untag", argument: "3", expected: "an annotation id such as a3"), nil),
        ("untag a0", .invalidArgument(command: "untag", argument: "a0", expected: "an annotation id such as a3"), nil),
        (
            "show para x",
            .invalidArgument(command: "show", argument: "x", expected: "a number from 1, or N-M with N ≤ M"), nil
        ),
        (
            "show para 0",
            .invalidArgument(command: "show", argument: "0", expected: "a number from 1, or N-M with N ≤ M"), nil
        ),
        (
            "show para 4-2",
            .invalidArgument(command: "show", argument: "4-2", expected: "a number from 1, or N-M with N ≤ M"), nil
        ),
        (
            "show sent 3-",
            .invalidArgument(command: "show", argument: "3-", expected: "a number from 1, or N-M with N ≤ M"), nil
        ),
        (
            "show nonsense",
            .invalidArgument(command: "show", argument: "nonsense", expected: "para N, sent N, S:E or dN"),
            nil
        ),
        ("find 巡察 --everywhere", .unknownOption("--everywhere", command: "find"), nil),
        ("load --encoding latin9 a.txt", .unknownEncoding("latin9"), nil),
        ("load --utf8 a.txt", .unknownOption("--utf8", command: "load"), nil),
        ("docs extra", .unexpectedArgument(command: "docs", argument: "extra"), nil),
        ("next 3", .invalidArgument(command: "next", argument: "3", expected: "para"), nil),
        ("prev sent", .invalidArgument(command: "prev", argument: "sent", expected: "para"), nil),
        ("next para 巡察 减负", .unexpectedArgument(command: "next", argument: "减负"), nil),
        ("paras --tagged", .unknownOption("--tagged", command: "paras"), nil),
        ("spans 巡察 整改 more", .unexpectedArgument(command: "spans", argument: "more"), nil),
        ("spans 巡察 /整改", .unterminatedRegex(column: 10), 10),
        (
            "tag ztjy h3-h1",
            .invalidArgument(command: "tag", argument: "h3-h1", expected: "a range of hits in order (h1-h3)"), nil
        ),
        ("undo 0", .invalidArgument(command: "undo", argument: "0", expected: "a positive number"), nil),
        ("export spans \"\"", .invalidArgument(command: "export", argument: "", expected: "a path to write to"), nil),
        (
            "export spans out/.",
            .invalidArgument(
                command: "export", argument: "out/.",
                expected: "a file path (one ending in /, . or .. is a folder; only brat writes one)"),
            nil
        ),
        (
            "export bio a/..",
            .invalidArgument(
                command: "export", argument: "a/..",
                expected: "a file path (one ending in /, . or .. is a folder; only brat writes one)"),
            nil
        ),
        (
            "export spans out/",
            .invalidArgument(
                command: "export", argument: "out/",
                expected: "a file path (one ending in /, . or .. is a folder; only brat writes one)"),
            nil
        ),
        ("report \"\"", .invalidArgument(command: "report", argument: "", expected: "a folder to write to"), nil),
        (
            "stats --top 0",
            .invalidArgument(command: "stats", argument: "0", expected: "a number of documents from 1"), nil
        ),
        ("stats --wide", .unknownOption("--wide", command: "stats"), nil),
        ("label add", .missingArgument(command: "label", what: "a label name"), nil),
        (
            "label add 巡察 --colour #3cb44b",
            .missingArgument(command: "label", what: "a colour after --colour (RRGGBB)"), nil
        ),
        (
            "label add 巡察 --colour green",
            .invalidArgument(command: "label", argument: "green", expected: "a colour RRGGBB such as 3cb44b"), nil
        ),
        ("label remove x", .invalidArgument(command: "label", argument: "remove", expected: "add"), nil),
        (
            "classify 政治建设 chapter 1",
            .invalidArgument(command: "classify", argument: "chapter", expected: "doc, para N or sent N"), nil
        ),
        ("export csv out.csv", .unknownExportFormat("csv"), nil),
        ("export spans", .missingArgument(command: "export", what: "an output path"), nil),
        ("export spans o.jsonl --jsonl", .invalidExportOption("--jsonl", reason: "applies to bio only"), nil),
        (
            "export doccano o.jsonl --negatives",
            .invalidExportOption("--negatives", reason: "applies to classify only"), nil
        ),
        (
            "export brat out --unit sent", .invalidExportOption("--unit sent", reason: "brat records are one of: doc"),
            nil
        ),
        (
            "export bio o --overlap widest",
            .invalidExportOption("--overlap widest", reason: "choose longest or first"), nil
        ),
        (
            "export spans o --split train=8",
            .invalidExportOption("--split train=8", reason: "give at least two shares, one of them above 0"), nil
        ),
        (
            "export spans o --split train=x,dev=1",
            .invalidExportOption(
                "--split train=x,dev=1",
                reason: "write NAME=WEIGHT,… such as train=8,dev=1,test=1 (names of letters, digits and _, each once)"),
            nil
        ),
        (
            "export spans o --shard-size 0",
            .invalidExportOption("--shard-size 0", reason: "the size is a number of records from 1"), nil
        ),
        (
            "export brat o --shard-size 5",
            .invalidExportOption("--shard-size", reason: "brat writes one file pair per document"), nil
        ),
        ("export spans o --seed", .missingArgument(command: "export", what: "a value after --seed"), nil),
        ("export spans o --zip", .unknownOption("--zip", command: "export"), nil),
        (
            "load --split-at 报告 c.txt",
            .invalidArgument(
                command: "load", argument: "--split-at", expected: "one /regular expression/ after --split-at"),
            nil
        ),
        (
            "export brat o --split a=1,b=1 --split-by para",
            .invalidExportOption("--split-by para", reason: "brat writes whole documents (a file pair each)"), nil
        ),
        (
            "export label-studio o --split a=1,b=1 --split-by sent",
            .invalidExportOption("--split-by sent", reason: "label-studio writes whole documents (a task each)"), nil
        ),
        (
            "export spans o --split-by para",
            .invalidExportOption("--split-by para", reason: "it says how --split divides; give --split too"), nil
        ),
        (
            "export spans o --unit doc --split a=1,b=1 --split-by para",
            .invalidExportOption(
                "--split-by para", reason: "records of a document cannot be split by paragraph (use --unit para)"),
            nil
        ),
        (
            "export bio o --unit para --split a=1,b=1 --split-by sent",
            .invalidExportOption(
                "--split-by sent", reason: "records of a paragraph cannot be split by sentence (use --unit sent)"),
            nil
        ),
        (
            "export spans o --split a=1,b=1 --split-by chapter",
            .invalidExportOption("--split-by chapter", reason: "split by doc, para or sent"), nil
        )
    ]

    @Test(arguments: invalid)
    func rejectsInvalidLines(line: String, expected: TagbenchError, column: Int?) {
        do {
            _ = try CommandParser.parse(line)
            Issue.record("\(line) parsed")
        } catch {
            #expect(error.error == expected)
            if let column { #expect(error.column == column) }
        }
    }

    @Test(arguments: valid.compactMap(\.1))
    func renderingParsesBackToTheSameCommand(command: Command) throws {
        let line = CommandRenderer.render(command)
        #expect(try CommandParser.parse(line) == command, "rendered as \(line)")
    }

    @Test func unknownLabelMessageSuggestsTheNearestName() {
        let error = TagbenchError.unknownLabel(
            "巡查", suggestion: NameSuggester.nearest(to: "巡查", among: ["巡察", "主题教育", "减负"]))
        #expect(error.message == "unknown label \"巡查\" — did you mean 巡察?")
    }

    static let suggestions: [(String, [String], String?)] = [
        ("巡查", ["巡察", "主题教育", "减负"], "巡察"),
        ("主题", ["巡察", "主题教育", "减负"], "主题教育"),
        ("形式", ["形式主义", "形式主义官僚主义"], nil),
        ("ztj", ["ztjy", "xc"], "ztjy"),
        ("完全不同", ["巡察", "主题教育"], nil)
    ]

    /// Near by edit distance, else the one name it begins; nothing when two names begin with it.
    @Test(arguments: suggestions)
    func nearestNameIsCloseOrTheOnlyOneItBegins(typed: String, names: [String], expected: String?) {
        #expect(NameSuggester.nearest(to: typed, among: names) == expected)
    }
}
