import Foundation
import Testing
@testable import TagbenchCore

/// Every export format on one small document whose expected output was worked out by hand:
/// an astral character (two UTF-16 units, one code point), a space inside a span, a span across
/// a paragraph break, a note and a paragraph category.
struct ExportTests {
    //                      0 1 2  3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18
    static let text = "巡察𠀀工作。减 负好。\n\n第二段巡察。"

    func harness() throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try Self.text.write(toFile: dir + "/mini.txt", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir)
        try h.run(
            "label add 巡察", "label add 减负", "label add 政治 --category", "load mini.txt",
            "tag 巡察 0:2", "tag 减负 2:5", "tag 减负 6:9", "tag 巡察 16:18", "tag 减负 10:14",
            "note a1 常规巡察", "classify 政治 para 2")
        return h
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static let cases: [(String, String, String)] = [
        (
            "export doccano out.jsonl", "out.jsonl",
            #"{"id": "mini", "text": "巡察𠀀工作。减 负好。\n\n第二段巡察。", "label": [[0, 2, "巡察"], [2, 5, "减负"], [6, 9, "减负"], [10, 14, "减负"], [16, 18, "巡察"]]}"#
                + "\n"
        ),
        (
            "export doccano out.jsonl --unit para", "out.jsonl",
            #"{"id": "mini:p1", "text": "巡察𠀀工作。减 负好。", "label": [[0, 2, "巡察"], [2, 5, "减负"], [6, 9, "减负"]]}"# + "\n"
                + #"{"id": "mini:p2", "text": "第二段巡察。", "label": [[3, 5, "巡察"]]}"# + "\n"
        ),
        (
            "export bio out.conll", "out.conll",
            "巡\tB-巡察\n察\tI-巡察\n𠀀\tB-减负\n工\tI-减负\n作\tI-减负\n。\tO\n\n"
                + "减\tB-减负\n负\tI-减负\n好\tO\n。\tO\n\n"
                + "第\tO\n二\tO\n段\tO\n巡\tB-巡察\n察\tI-巡察\n。\tO\n\n"
        ),
        (
            "export bio out.jsonl --jsonl --unit para", "out.jsonl",
            #"{"id": "mini:p1", "doc": "mini", "unit": "para", "index": 1, "offset": 0, "tokens": ["巡", "察", "𠀀", "工", "作", "。", "减", "负", "好", "。"], "ner_tags": [1, 2, 3, 4, 4, 0, 3, 4, 0, 0]}"#
                + "\n"
                + #"{"id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "tokens": ["第", "二", "段", "巡", "察", "。"], "ner_tags": [0, 0, 0, 1, 2, 0]}"#
                + "\n"
        ),
        ("export bio out.jsonl --jsonl", "out.labels.json", #"["O", "B-巡察", "I-巡察", "B-减负", "I-减负"]"# + "\n"),
        (
            "export classify out.jsonl --unit para", "out.jsonl",
            #"{"id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "text": "第二段巡察。", "labels": ["政治"]}"#
                + "\n"
        ),
        (
            "export classify out.jsonl --unit para --from-spans", "out.jsonl",
            #"{"id": "mini:p1", "doc": "mini", "unit": "para", "index": 1, "offset": 0, "text": "巡察𠀀工作。减 负好。", "labels": ["巡察", "减负"]}"#
                + "\n"
                + #"{"id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "text": "第二段巡察。", "labels": ["巡察", "减负", "政治"]}"#
                + "\n"
        ),
        (
            "export classify out.jsonl --unit sent --negatives", "out.jsonl",
            #"{"id": "mini:s1", "doc": "mini", "unit": "sent", "index": 1, "offset": 0, "text": "巡察𠀀工作。", "labels": []}"#
                + "\n"
                + #"{"id": "mini:s2", "doc": "mini", "unit": "sent", "index": 2, "offset": 6, "text": "减 负好。", "labels": []}"#
                + "\n"
                + #"{"id": "mini:s3", "doc": "mini", "unit": "sent", "index": 3, "offset": 13, "text": "第二段巡察。", "labels": []}"#
                + "\n"
        ),
        (
            "export spans out.jsonl --unit sent --labels 巡察", "out.jsonl",
            #"{"id": "mini:s1", "doc": "mini", "unit": "sent", "index": 1, "offset": 0, "text": "巡察𠀀工作。", "spans": [{"start": 0, "end": 2, "label": "巡察", "text": "巡察", "note": "常规巡察"}], "categories": [], "meta": {"source": "mini.txt", "sha256": "SHA", "offset_unit": "codepoint"}}"#
                + "\n"
                + #"{"id": "mini:s2", "doc": "mini", "unit": "sent", "index": 2, "offset": 6, "text": "减 负好。", "spans": [], "categories": [], "meta": {"source": "mini.txt", "sha256": "SHA", "offset_unit": "codepoint"}}"#
                + "\n"
                + #"{"id": "mini:s3", "doc": "mini", "unit": "sent", "index": 3, "offset": 13, "text": "第二段巡察。", "spans": [{"start": 3, "end": 5, "label": "巡察", "text": "巡察"}], "categories": [], "meta": {"source": "mini.txt", "sha256": "SHA", "offset_unit": "codepoint"}}"#
                + "\n"
        ),
        (
            "export brat out", "out/mini.ann",
            "T1\t巡察 0 2\t巡察\nT2\t减负 2 5\t𠀀工作\nT3\t减负 6 9\t减 负\nT4\t减负 10 11;13 14\t。 第\nT5\t巡察 16 18\t巡察\n#1\tAnnotatorNotes T1\t常规巡察\n"
        ),
        ("export brat out", "out/annotation.conf", "[entities]\n巡察\n减负\n\n[relations]\n\n[events]\n\n[attributes]\n"),
        ("export brat out", "out/mini.txt", text)
    ]

    @Test(arguments: cases)
    func formatsWriteExactlyThis(line: String, file: String, expected: String) throws {
        try Self.expectExport(try harness(), line, writes: file, expected)
    }

    /// Runs the export `line` and checks that `file` holds exactly `expected`, where `SHA` stands
    /// for the hash of the text.
    static func expectExport(_ h: EngineHarness, _ line: String, writes file: String, _ expected: String) throws {
        try h.run(line)
        let sha = Document.hash(Array(text.utf8))
        #expect(
            try String(contentsOfFile: h.directory + "/" + file, encoding: .utf8)
                == expected.replacingOccurrences(of: "SHA", with: sha))
    }

    /// A write that fails (a full disk, through a link to /dev/full) is an error naming the file,
    /// and no manifest is written; the device written in place (and the link to it) stays.
    @Test func aFailedWriteIsAnErrorAndLeavesNothingBehind() throws {
        let h = try harness()
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        try FileManager.default.createSymbolicLink(
            atPath: h.directory + "/full.jsonl", withDestinationPath: "/dev/full")
        let error = h.failure("export spans full.jsonl")
        #expect(error == .writeFailed(h.directory + "/full.jsonl", reason: FileSystem.errorText(ENOSPC)))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/full.jsonl.manifest.json"))
        #expect(
            (try? FileManager.default.destinationOfSymbolicLink(atPath: h.directory + "/full.jsonl")) == "/dev/full")
        // A good export afterwards works.
        try h.run("export spans ok.jsonl")
        #expect(try read(h.directory + "/ok.jsonl").hasPrefix("{\"id\": \"mini\""))
    }

    /// An export is written under temporary names and takes the place of the previous one only
    /// when complete: one stopped half way leaves the old files as they were, and no temporary.
    @Test func aStoppedExportLeavesThePreviousOneWhole() throws {
        let h = try harness()
        try "第二份报告，巡察。".write(toFile: h.directory + "/second.txt", atomically: true, encoding: .utf8)
        try h.run("load second.txt", "export bio out.conll --jsonl --shard-size 1")
        // One record a shard: the second document's one sentence is the fourth.
        let names = ["out-00001.conll", "out-00004.conll", "out.labels.json", "out.conll.manifest.json"]
        let before = try names.map { try read(h.directory + "/" + $0) }
        try h.run("tag 减负 all 第二份 --corpus")
        let monitor = EngineTests.StoppingMonitor(limit: 1)
        h.engine.monitor = monitor
        #expect(h.failure("export bio out.conll --jsonl --shard-size 1") == .interrupted("export to out.conll"))
        #expect(try names.map { try read(h.directory + "/" + $0) } == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory).filter { $0.contains(".tmp-") } == [])
        // Let through, the same export replaces them.
        monitor.limit = 100
        try h.run("export bio out.conll --jsonl --shard-size 1")
        #expect(try read(h.directory + "/out-00004.conll") != before[1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory).filter { $0.contains(".tmp-") } == [])
    }

    /// A span whose text is no longer the text at its offsets is left out of the export, counted
    /// in a warning; the spans around it, and the document, are exported as before.
    @Test func aSpanThatNoLongerMatchesItsTextIsLeftOutWithAWarning() throws {
        let h = try harness()
        let session = h.engine.session
        let stale = Annotation(
            number: session.nextNumber, document: 0, range: TextRange(16, 18), label: 1, text: "减负",
            annotator: "test", time: "2023-11-14T22:13:20Z")
        #expect(session.insert(stale))
        try h.run("export doccano out.jsonl")
        #expect(h.output.contains(.warning("1 span no longer matches its document's text; left out")))
        let expected =
            #"{"id": "mini", "text": "巡察𠀀工作。减 负好。\n\n第二段巡察。", "label": [[0, 2, "巡察"], [2, 5, "减负"], [6, 9, "减负"], [10, 14, "减负"], [16, 18, "巡察"]]}"#
            + "\n"
        #expect(try read(h.directory + "/out.jsonl") == expected)
    }

    /// A link is followed: what it points to is replaced and the link stays (a link to a device is
    /// written through, never replaced: `aFailedWriteIsAnErrorAndLeavesNothingBehind`).
    @Test func anExportThroughALinkReplacesItsTarget() throws {
        let h = try harness()
        try FileManager.default.createDirectory(atPath: h.directory + "/real", withIntermediateDirectories: false)
        try "old".write(toFile: h.directory + "/real/out.jsonl", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: h.directory + "/link.jsonl", withDestinationPath: h.directory + "/real/out.jsonl")
        try h.run("export spans link.jsonl")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: h.directory + "/link.jsonl") == h.directory
                + "/real/out.jsonl")
        #expect(try read(h.directory + "/real/out.jsonl").hasPrefix("{\"id\": \"mini\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/real") == ["out.jsonl"])
    }

    @Test func labelStudioTasksHoldSpansNotesAndDocumentCategories() throws {
        let h = try harness()
        try h.run("classify 政治 doc", "export label-studio ls.json")
        let tasks =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: h.directory + "/ls.json")))
            as! [[String: Any]]
        #expect(tasks.count == 1)
        let data = tasks[0]["data"] as! [String: Any]
        #expect(data["text"] as? String == Self.text && data["doc"] as? String == "mini")
        let results = ((tasks[0]["annotations"] as! [[String: Any]])[0]["result"] as! [[String: Any]])
        let values = results.map { $0["value"] as! [String: Any] }
        #expect(values.compactMap { $0["start"] as? Int } == [0, 2, 6, 10, 16])
        #expect(values.compactMap { ($0["labels"] as? [String])?.first } == ["巡察", "减负", "减负", "减负", "巡察"])
        #expect(values.compactMap { $0["choices"] as? [String] } == [["政治"]])
        #expect((results[0]["meta"] as? [String: [String]])?["text"] == ["常规巡察"])
        #expect(h.output.contains(.warning("1 category label left out (label-studio holds document categories only)")))
        #expect(try read(h.directory + "/ls.config.xml").contains("<Choice value=\"政治\"/>"))
    }

    @Test func spansAcrossUnitsAreLeftOutWithAWarning() throws {
        let h = try harness()
        try h.run("export bio out.conll")
        #expect(h.output.contains(.warning("1 span crosses a sentence boundary; left out (--unit doc keeps them)")))
        // The summary counts the spans written, as the manifest does (one fewer than the session has).
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: h.directory + "/out.conll.manifest.json")))
            as! [String: Any]
        let written = ((manifest["totals"] as! [String: Any])["labels"] as! [String: Int]).values.reduce(0, +)
        #expect(written == h.engine.session.annotationCount - 1)
        #expect(
            h.output.contains {
                if case .message(let m) = $0 { m.contains(", \(written) spans to out.conll") } else { false }
            })
    }

    @Test func overlappingSpansAreAnErrorForBioUnlessResolved() throws {
        let h = try harness()
        try h.run("tag 巡察 1:4")
        // Sorted by start, 巡察 0:2 is the first span that 巡察 1:4 runs into.
        #expect(
            h.failure("export bio out.conll")
                == .overlappingSpans(document: "mini", first: "a1 (巡察 0:2 \"巡察\")", second: "a6 (巡察 1:4 \"察𠀀工\")"))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/out.conll"), "a failed export leaves no file")
        try h.run("export bio longest.conll --overlap longest", "export bio first.conll --overlap first")
        // Longest keeps 巡察 1:4 (3 tokens) over 巡察 0:2 and 减负 2:5 (it takes 3 first, then neither fits).
        #expect(try read(h.directory + "/longest.conll").hasPrefix("巡\tO\n察\tB-巡察\n𠀀\tI-巡察\n工\tI-巡察\n作\tO\n"))
        // First keeps 巡察 0:2 (starts first), then 减负 2:5; 巡察 1:4 is dropped.
        #expect(try read(h.directory + "/first.conll").hasPrefix("巡\tB-巡察\n察\tI-巡察\n𠀀\tB-减负\n工\tI-减负\n作\tI-减负\n"))
        #expect(h.output.contains(.warning("1 overlapping span left out by --overlap first")))
    }

    @Test func shardsSplitsAndManifestAgreeWithTheFiles() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run(
            "schema Schemas/governance.tagset.json",
            "load Fixtures/corpus Fixtures/edge/astral.txt Fixtures/edge/crlf.txt",
            "tag 巡察 all 巡察 --corpus", "tag 整改落实 all 整改 --corpus", "tag 主题教育 all 主题教育 --corpus",
            "export doccano sets/d.jsonl --unit para --split train=4,dev=1,test=1 --seed 9 --shard-size 7")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: dir + "/sets/d.jsonl.manifest.json"))) as! [String: Any]
        let splits = manifest["splits"] as! [[String: Any]]
        #expect(splits.map { $0["name"] as! String } == ["train", "dev", "test"])
        // 6 documents by weights 4:1:1.
        #expect(splits.map { $0["documents"] as! Int } == [4, 1, 1])
        var seen = Set<String>()
        var records = 0
        for split in splits {
            var docs = Set<String>()
            for file in split["files"] as! [[String: Any]] {
                let path = dir + "/sets/" + (file["path"] as! String)
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                #expect(try referenceSHA256(Array(bytes)) == file["sha256"] as! String)
                let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
                #expect(lines.count == file["records"] as! Int && lines.count <= 7 && lines.count >= 1)
                for line in lines {
                    let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    docs.insert(String((record["id"] as! String).split(separator: ":")[0]))
                }
                records += lines.count
            }
            #expect(docs.count == split["documents"] as! Int)
            #expect(seen.isDisjoint(with: docs), "a document is in one split only")
            seen.formUnion(docs)
        }
        #expect(records == (manifest["totals"] as! [String: Any])["records"] as! Int)
        #expect(FileManager.default.fileExists(atPath: dir + "/sets/d-train-00001.jsonl"))
        // The same seed gives the same files; another seed may place documents differently.
        let first = try Data(contentsOf: URL(fileURLWithPath: dir + "/sets/d.jsonl.manifest.json"))
        try h.run("export doccano sets/d.jsonl --unit para --split train=4,dev=1,test=1 --seed 9 --shard-size 7")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/sets/d.jsonl.manifest.json")) == first)
    }

    @Test func splitAssignerFollowsTheWeightsAndSpreadsLabels() {
        // 100 documents; label 0 in every fifth, label 1 in every one.
        let labels: [[(label: Int, count: Int)]] = (0..<100).map { $0 % 5 == 0 ? [(0, 2), (1, 1)] : [(1, 1)] }
        let a = SplitAssigner(weights: [8, 1, 1], labels: labels, seed: 1)
        #expect((0..<3).map { s in a.assignment.filter { $0 == s }.count } == [80, 10, 10])
        let rare = (0..<3).map { s in labels.indices.filter { a.assignment[$0] == s && $0 % 5 == 0 }.count }
        #expect(rare == [16, 2, 2], "the rare label follows the weights: 20 documents as 16/2/2")
        #expect(a.balance.maxLabelDeviation < 0.0001)
        #expect(SplitAssigner(weights: [8, 1, 1], labels: labels, seed: 1).assignment == a.assignment)
        #expect(SplitAssigner(weights: [8, 1, 1], labels: labels, seed: 2).assignment != a.assignment)
    }

    /// Documents per split for few documents: every split with a weight gets one while there
    /// are enough; a split of weight 0 none.
    static let fewDocuments: [([Int], Int, [Int])] = [
        ([8, 1, 1], 4, [2, 1, 1]),
        ([8, 1, 1], 3, [1, 1, 1]),
        ([1, 1, 1, 1, 1], 4, [1, 1, 1, 1, 0]),
        ([3, 0, 1], 2, [1, 0, 1]),
        ([8, 1, 1], 10, [8, 1, 1])
    ]

    @Test(arguments: fewDocuments)
    func everyWeightedSplitGetsADocumentWhileThereAreEnough(weights: [Int], documents: Int, expected: [Int]) {
        let labels: [[(label: Int, count: Int)]] = (0..<documents).map { _ in [(0, 1)] }
        let a = SplitAssigner(weights: weights, labels: labels, seed: 1)
        #expect(weights.indices.map { s in a.assignment.filter { $0 == s }.count } == expected)
    }

    /// A split left with no documents is said, and no (empty) file is written for it; a split of
    /// weight 0 is empty as asked, without a warning.
    @Test func anEmptySplitWritesNoFileAndIsSaid() throws {
        let h = try harness()
        try h.run("export spans sp.jsonl --split a=1,b=1")
        #expect(h.output.contains(.warning("split b has no documents (1 for 2 splits); no file written for it")))
        #expect(FileManager.default.fileExists(atPath: h.directory + "/sp-a.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/sp-b.jsonl"))
        try h.run("export spans z.jsonl --split a=1,b=0")
        #expect(!h.output.contains { if case .warning = $0 { true } else { false } })
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/z-b.jsonl"))
    }

    /// brat writes into a new or empty folder, or one an earlier export made; any other folder is
    /// refused saying so (nothing in it is touched).
    @Test func bratRefusesAFolderItDidNotMake() throws {
        let h = try harness()
        try FileManager.default.createDirectory(atPath: h.directory + "/mine", withIntermediateDirectories: false)
        try "keep".write(toFile: h.directory + "/mine/notes.txt", atomically: false, encoding: .utf8)
        let error = h.failure("export brat mine")
        #expect(
            error?.message
                == "cannot write \(h.directory)/mine: a folder that is not empty and that no tagbench export made (give a new or empty folder)"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/mine") == ["notes.txt"])
    }

    /// A device takes one stream: a split or sharded export to it would make new files beside it.
    @Test(arguments: ["--split a=1,b=1", "--shard-size 1"])
    func aSplitOrShardedExportToADeviceIsRefused(option: String) throws {
        let h = try harness()
        let error = h.failure("export spans /dev/stdout " + option)
        #expect(
            error
                == .invalidExportOption(
                    String(option.split(separator: " ")[0]),
                    reason: "stdout is a device: it takes one stream, not several files"))
        for name in ["/dev/stdout-a", "/dev/stdout-00001"] { #expect(!FileManager.default.fileExists(atPath: name)) }
    }

    static let importable: [String] = ["spans out.jsonl", "doccano out.jsonl", "label-studio out.json", "brat out"]

    @Test(arguments: importable)
    func exportImportExportIsByteIdentical(format: String) throws {
        let dir = try Fixture.workspace()
        let first = EngineHarness(directory: dir)
        try first.run(
            "schema Schemas/governance.tagset.json",
            "load Fixtures/corpus Fixtures/edge/astral.txt Fixtures/edge/crlf.txt",
            "tag 巡察 all 巡察 --corpus", "tag 整改落实 all /整改[^，。]{0,6}/ --corpus", "open qu-jiceng", "note a1 第一处",
            "classify 政治建设 doc", "export \(format)")
        let parts = format.split(separator: " ")
        let out = String(parts[1])
        let second = EngineHarness(directory: dir)
        try second.run("load \(out)")
        #expect(second.engine.session.annotationCount == first.engine.session.annotationCount)
        #expect(second.engine.session.allAnnotations.allSatisfy { $0.source == "import" })
        try second.run("export \(parts[0]) again-\(out)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir + "/" + out)
        if files.isEmpty {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/" + out))
                    == Data(contentsOf: URL(fileURLWithPath: dir + "/again-" + out)))
        } else {
            for f in files {
                #expect(
                    try Data(contentsOf: URL(fileURLWithPath: dir + "/\(out)/\(f)"))
                        == Data(contentsOf: URL(fileURLWithPath: dir + "/again-\(out)/\(f)")), "\(f)")
            }
        }
        // Saved and reopened, the imported texts come from the session file itself.
        try second.run("save s.json")
        let (reopened, report) = try Engine.open(
            path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(report.isEmpty)
        #expect(reopened.session.documents.map(\.sha256) == second.engine.session.documents.map(\.sha256))
        #expect(reopened.session.allAnnotations.map(\.range) == second.engine.session.allAnnotations.map(\.range))
    }

    @Test func importAddsLabelsAndUndoTakesItAllBack() throws {
        let h = try harness()
        try h.run("export doccano d.jsonl")
        let fresh = EngineHarness(directory: h.directory)
        try fresh.run("label add 巡察", "load d.jsonl")
        #expect(fresh.engine.session.tagSet.labels.map(\.name) == ["巡察", "减负"])
        #expect(fresh.messages.contains("imported 1 document, 5 spans, 0 categories from d.jsonl; labels added: 减负"))
        try fresh.run("undo")
        #expect(fresh.engine.session.tagSet.labels.map(\.name) == ["巡察"])
        #expect(fresh.engine.session.documents.isEmpty && fresh.engine.session.annotationCount == 0)
        try fresh.run("redo")
        #expect(fresh.engine.session.annotationCount == 5)
    }

    static let badImports: [(String, String, String)] = [
        (
            "shifted span", #"{"text": "巡察工作", "spans": [{"start": 1, "end": 3, "label": "巡察", "text": "巡察"}]}"#,
            "bad.jsonl:1: span 1:3 巡察 says \"巡察\" but the text there is \"察工\""
        ),
        (
            "out of range", "{\"text\": \"abc\"}\n" + #"{"text": "巡察", "label": [[0, 3, "巡察"]]}"#,
            "bad.jsonl:2: span 0:3 巡察 is outside the text (2 characters; offsets are code points, end exclusive)"
        ),
        ("no text", #"{"id": 1, "label": []}"#, "bad.jsonl:1: the record has no \"text\""),
        ("bad json", #"{"text": "x",}"#, "bad.jsonl:1:14: malformed JSON: expected a string"),
        (
            "label with space", #"{"text": "巡察", "label": [[0, 2, "a b"]]}"#,
            "invalid label name \"a b\": names are non-empty and hold no spaces"
        )
    ]

    @Test(arguments: badImports)
    func badImportsAreErrorsThatChangeNothing(name: String, content: String, message: String) throws {
        let dir = try Fixture.workspace()
        try content.write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir)
        let error = h.failure("load bad.jsonl")
        #expect(error?.message == message)
        #expect(h.engine.session.documents.isEmpty && h.engine.session.tagSet.labels.isEmpty)
    }

    @Test func rejectedSuggestionsAreExportedAsNegativesAndReadBack() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "suggest 巡察 巡视 --corpus", "accept s1",
            "reject s2-s4",
            "export spans a.jsonl")
        let rejected = h.engine.session.suggestions.rejected
        #expect(rejected.count == 3)
        var found = 0
        for line in try read(dir + "/a.jsonl").split(separator: "\n") {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let text = Array((record["text"] as! String).unicodeScalars)
            for r in record["rejected"] as? [[String: Any]] ?? [] {
                let start = r["start"] as! Int, end = r["end"] as! Int
                #expect(String(String.UnicodeScalarView(text[start..<end])) == r["text"] as! String)
                found += 1
            }
        }
        #expect(found == 3)
        let back = EngineHarness(directory: dir)
        try back.run("load a.jsonl", "export spans b.jsonl")
        let ids = back.engine.session.documents.map(\.id)
        let original = h.engine.session.documents.map(\.id)
        #expect(
            Set(back.engine.session.suggestions.rejected.map { "\(ids[$0.document]) \($0.range) \($0.text)" })
                == Set(rejected.map { "\(original[$0.document]) \($0.range) \($0.text)" }))
        #expect(try read(dir + "/a.jsonl") == read(dir + "/b.jsonl"))
        // Rejections read in are never suggested again.
        try back.run("schema Schemas/governance.tagset.json", "suggest 巡察 巡视 --corpus")
        #expect(back.messages.last!.contains("3 rejected before"))
        try back.run("undo 3")
        #expect(back.engine.session.suggestions.rejected.isEmpty && back.engine.session.documents.isEmpty)
    }
}
