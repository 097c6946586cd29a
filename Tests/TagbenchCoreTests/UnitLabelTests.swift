import Foundation
import Testing
@testable import TagbenchCore

/// A span label (主题教育) put on units as well as spans (issue 18, friction 3): `classify` and
/// `unclassify` take it, undo, history and the journal replay it, the session keeps it, exports
/// carry it as a unit label (never as a span), imports read it back; category labels stay
/// unit-only, with an error that says what to do.
struct UnitLabelTests {
    func harness(sessionPath: String? = nil) throws -> EngineHarness {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir, sessionPath: sessionPath.map { dir + "/" + $0 })
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023")
        return h
    }

    /// The entries on units, as `unit index label range`.
    func units(_ h: EngineHarness) -> [String] {
        let s = h.engine.session
        return s.categories.map { "\($0.unit.rawValue) \($0.index) \(s.tagSet.labels[$0.label].name) \($0.range)" }
    }

    @Test func aSpanLabelMarksTheDocumentAParagraphAndASentence() throws {
        let h = try harness()
        let d = try #require(h.engine.currentDocument)
        try h.run("classify 主题教育 para 2", "classify ztjy sent 5", "classify 巡察 doc")
        #expect(
            h.messages == [
                "para 2 of xinqu-2023: 主题教育", "sent 5 of xinqu-2023: 主题教育", "xinqu-2023: 巡察"
            ])
        #expect(
            Set(units(h)) == [
                "para 2 主题教育 \(d.paragraphs[1])", "sent 5 主题教育 \(d.sentences[4].range)", "doc 1 巡察 0:2074"
            ])
        // Units are not spans: no annotation was made, and the label stays a span label.
        #expect(h.engine.session.annotationCount == 0)
        let topic = try h.engine.session.tagSet.resolve("主题教育")
        #expect(h.engine.session.tagSet.labels[topic].kind == .span)
        // `labels` counts its spans and, apart, its units.
        try h.run("tag 主题教育 \"主题教育\"#1", "labels")
        guard case .labels(let rows) = h.output.last else {
            Issue.record("no labels")
            return
        }
        let row = try #require(rows.first { $0.label.name == "主题教育" })
        #expect(row.count == 1 && row.units == 2 && row.unitsNote == "+ 2 units")
        let category = try #require(rows.first { $0.label.name == "政治建设" })
        #expect(category.count == 0 && category.units == 0 && category.unitsNote.isEmpty)
        try h.run("classify 主题教育 para 2")
        #expect(h.messages == ["para 2 of xinqu-2023 is already 主题教育"])
        try h.run("stats")
        guard case .stats(let figures, _) = h.output.last else {
            Issue.record("no stats")
            return
        }
        let counted = Dictionary(uniqueKeysWithValues: figures.labels.map { ($0.name, [$0.count, $0.units]) })
        #expect(counted["主题教育"] == [1, 2] && counted["巡察"] == [0, 1] && counted["政治建设"] == [0, 0])
    }

    @Test func unclassifyUndoAndRedoOfASpanLabelOnAUnit() throws {
        let h = try harness()
        try h.run("classify 主题教育 para 2", "classify 巡察 doc")
        let both = units(h)
        try h.run("unclassify ztjy para 2")
        #expect(h.messages == ["para 2 of xinqu-2023: 主题教育 removed"])
        #expect(units(h) == ["doc 1 巡察 0:2074"])
        #expect(h.failure("unclassify 主题教育 para 2") == .categoryNotFound(label: "主题教育", unit: "para 2 of xinqu-2023"))
        try h.run("undo")
        #expect(h.messages == ["undid: unclassify ztjy para 2"])
        #expect(Set(units(h)) == Set(both))
        try h.run("undo", "undo")
        #expect(units(h).isEmpty)
        try h.run("redo 2")
        #expect(Set(units(h)) == Set(both))
    }

    @Test func aCategoryLabelStillTagsNoSpanAndTheErrorSaysWhatToDo() throws {
        let h = try harness()
        try h.run("tag 巡察 1:3")
        let before = h.annotationFingerprint
        for (line, command) in [("tag 政治建设 1:3", "tag"), ("relabel a1 zzjs", "relabel")] {
            let error = try #require(h.failure(line))
            #expect(error == .wrongLabelKind(label: "政治建设", expected: .span, command: command))
            #expect(error.message == "政治建设 is a category label; \(command) needs a span label")
            #expect(
                error.hint
                    == "category labels mark units only: classify 政治建设 doc|para N|sent N; "
                    + "for spans use a span label, which marks units too (label add NAME)")
        }
        #expect(h.annotationFingerprint == before)
    }

    @Test func historyAndTheJournalReplayASpanLabelOnUnits() throws {
        let h = try harness(sessionPath: "s.json")
        try h.run("save")
        try h.engine.attachJournal()
        try h.run(
            "classify 主题教育 para 2", "tag 主题教育 \"主题教育\"#1", "classify 巡察 sent 3", "unclassify 巡察 sent 3", "undo",
            "classify 减负 doc")
        #expect(units(h).count == 3)
        // The journal, on reopening without a save.
        let (recovered, _) = try Engine.open(
            path: h.directory + "/s.json", displayPath: "s.json",
            annotator: Annotator(name: "t", fixedTime: 1_700_000_000))
        #expect(
            EngineHarness(engine: recovered, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
        // The history, into an empty session.
        try h.run("history")
        guard case .lines(let script) = h.output.last else {
            Issue.record("no history")
            return
        }
        let replay = EngineHarness(directory: h.directory)
        for line in script { try replay.run(line) }
        #expect(replay.annotationFingerprint == h.annotationFingerprint)
    }

    @Test func theSessionKeepsASpanLabelOnUnitsAndSavesItByteIdentically() throws {
        let h = try harness(sessionPath: "s.json")
        let d = try #require(h.engine.currentDocument)
        try h.run("classify 主题教育 para 2", "tag 主题教育 \"主题教育\"#1", "classify 政治建设 doc", "save")
        let path = h.directory + "/s.json"
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: first, as: UTF8.self)
        // The unit is an entry of `categories` named by its label, as a category label's is.
        let p2 = d.paragraphs[1]
        #expect(
            text.contains(
                "{\"doc\": \"xinqu-2023\", \"unit\": \"para\", \"index\": 2, \"start\": \(p2.start), \"end\": \(p2.end), \"label\": \"主题教育\", \"annotator\": \"tester\", \"time\": \"2023-11-14T22:13:20Z\"}"
            ))
        let (reopened, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(warnings.isEmpty)
        #expect(
            EngineHarness(engine: reopened, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
        #expect(Data(SessionCodec.encode(reopened.session, directory: h.directory)) == first)
    }

    /// The demo session was written before span labels could mark units: it reads as it did
    /// (its one category label on two units, no span label on any) and saves to the same bytes.
    @Test func aSessionFromBeforeReadsAsBeforeAndSavesTheSameBytes() throws {
        let dir = try Fixture.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/Sessions", withIntermediateDirectories: true)
        let path = dir + "/Sessions/demo.json"
        try FileManager.default.copyItem(atPath: Fixture.root + "/Sessions/demo.json", toPath: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let (engine, warnings) = try Engine.open(path: path, displayPath: "demo.json", annotator: Annotator(name: "x"))
        #expect(warnings.isEmpty)
        let h = EngineHarness(engine: engine, directory: dir)
        #expect(units(h) == ["para 2 政治建设 248:284", "doc 1 政治建设 0:2074"])
        try h.run("labels")
        guard case .labels(let rows) = h.output.last else {
            Issue.record("no labels")
            return
        }
        #expect(rows.allSatisfy { $0.units == 0 })
        #expect(rows.first { $0.label.name == "政治建设" }?.count == 2)
        #expect(Data(SessionCodec.encode(engine.session, directory: dir + "/Sessions")) == bytes)
    }
}

/// Exports of the mini document of `ExportTests` with 巡察, a span label, on its first paragraph
/// and on the whole document too: the expected records worked out by hand from its offsets
/// (paragraphs 0:11 and 13:19; 政治, a category label, on paragraph 2).
struct UnitLabelExportTests {
    func harness() throws -> EngineHarness {
        let h = try ExportTests().harness()
        try h.run("classify 巡察 para 1", "classify 巡察 doc")
        return h
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static let meta = #""meta": {"source": "mini.txt", "sha256": "SHA", "offset_unit": "codepoint"}}"#

    static let cases: [(String, String, String)] = [
        (
            "export classify out.jsonl", "out.jsonl",
            #"{"id": "mini", "doc": "mini", "unit": "doc", "index": 1, "offset": 0, "text": "巡察𠀀工作。减 负好。\n\n第二段巡察。", "labels": ["巡察"]}"#
                + "\n"
        ),
        (
            "export classify out.jsonl --unit para", "out.jsonl",
            #"{"id": "mini:p1", "doc": "mini", "unit": "para", "index": 1, "offset": 0, "text": "巡察𠀀工作。减 负好。", "labels": ["巡察"]}"#
                + "\n"
                + #"{"id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "text": "第二段巡察。", "labels": ["政治"]}"#
                + "\n"
        ),
        (
            // With the labels of the spans over it, paragraph 1 holds 巡察 once.
            "export classify out.jsonl --unit para --from-spans --labels 巡察", "out.jsonl",
            #"{"id": "mini:p1", "doc": "mini", "unit": "para", "index": 1, "offset": 0, "text": "巡察𠀀工作。减 负好。", "labels": ["巡察"]}"#
                + "\n"
                + #"{"id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "text": "第二段巡察。", "labels": ["巡察"]}"#
                + "\n"
        ),
        (
            // The spans are the five tagged; the units are categories, the document's first.
            "export spans out.jsonl", "out.jsonl",
            #"{"id": "mini", "text": "巡察𠀀工作。减 负好。\n\n第二段巡察。", "spans": [{"start": 0, "end": 2, "label": "巡察", "text": "巡察", "note": "常规巡察"}, {"start": 2, "end": 5, "label": "减负", "text": "𠀀工作"}, {"start": 6, "end": 9, "label": "减负", "text": "减 负"}, {"start": 10, "end": 14, "label": "减负", "text": "。\n\n第"}, {"start": 16, "end": 18, "label": "巡察", "text": "巡察"}], "categories": [{"label": "巡察", "unit": "doc", "index": 1, "start": 0, "end": 19}, {"label": "巡察", "unit": "para", "index": 1, "start": 0, "end": 11}, {"label": "政治", "unit": "para", "index": 2, "start": 13, "end": 19}], "#
                + meta + "\n"
        ),
        (
            "export spans out.jsonl --unit para --labels 巡察", "out.jsonl",
            #"{"id": "mini:p1", "doc": "mini", "unit": "para", "index": 1, "offset": 0, "text": "巡察𠀀工作。减 负好。", "spans": [{"start": 0, "end": 2, "label": "巡察", "text": "巡察", "note": "常规巡察"}], "categories": [{"label": "巡察", "unit": "para", "index": 1, "start": 0, "end": 11}], "#
                + meta + "\n"
                + #"{"id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "text": "第二段巡察。", "spans": [{"start": 3, "end": 5, "label": "巡察", "text": "巡察"}], "categories": [], "#
                + meta + "\n"
        ),
        (
            // Span formats hold spans only: no unit label becomes a span.
            "export doccano out.jsonl", "out.jsonl",
            #"{"id": "mini", "text": "巡察𠀀工作。减 负好。\n\n第二段巡察。", "label": [[0, 2, "巡察"], [2, 5, "减负"], [6, 9, "减负"], [10, 14, "减负"], [16, 18, "巡察"]]}"#
                + "\n"
        ),
        (
            "export bio out.conll --unit para", "out.conll",
            "巡\tB-巡察\n察\tI-巡察\n𠀀\tB-减负\n工\tI-减负\n作\tI-减负\n。\tO\n减\tB-减负\n负\tI-减负\n好\tO\n。\tO\n\n"
                + "第\tO\n二\tO\n段\tO\n巡\tB-巡察\n察\tI-巡察\n。\tO\n\n"
        ),
        (
            "export brat out", "out/mini.ann",
            "T1\t巡察 0 2\t巡察\nT2\t减负 2 5\t𠀀工作\nT3\t减负 6 9\t减 负\nT4\t减负 10 11;13 14\t。 第\nT5\t巡察 16 18\t巡察\n#1\tAnnotatorNotes T1\t常规巡察\n"
        ),
        (
            // The document's 巡察 is a task choice, so the config offers 巡察 as a choice too.
            "export label-studio ls.json", "ls.config.xml",
            "<View>\n  <Labels name=\"label\" toName=\"text\">\n    <Label value=\"巡察\" background=\"#e6194b\"/>\n"
                + "    <Label value=\"减负\" background=\"#3cb44b\"/>\n  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n"
                + "  <Choices name=\"category\" toName=\"text\" choice=\"multiple\">\n    <Choice value=\"巡察\"/>\n"
                + "    <Choice value=\"政治\"/>\n  </Choices>\n</View>\n"
        )
    ]

    @Test(arguments: cases)
    func formatsWriteExactlyThis(line: String, file: String, expected: String) throws {
        try ExportTests.expectExport(try harness(), line, writes: file, expected)
    }

    @Test func labelStudioTasksHoldTheDocumentsSpanLabelAsAChoice() throws {
        let h = try harness()
        try h.run("export label-studio ls.json")
        let tasks =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: h.directory + "/ls.json")))
            as! [[String: Any]]
        let results = ((tasks[0]["annotations"] as! [[String: Any]])[0]["result"] as! [[String: Any]])
        #expect(results.filter { $0["type"] as? String == "labels" }.count == 5)
        #expect(results.compactMap { ($0["value"] as? [String: Any])?["choices"] as? [String] } == [["巡察"]])
        // Paragraph labels have no place in a task: 巡察 on paragraph 1 and 政治 on paragraph 2.
        #expect(h.output.contains(.warning("2 category labels left out (label-studio holds document categories only)")))
    }

    /// The manifest counts a label's spans and units together, as the records list them.
    @Test func theManifestCountsSpansAndUnitsOfALabel() throws {
        let h = try harness()
        try h.run("export spans out.jsonl")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: h.directory + "/out.jsonl.manifest.json")))
            as! [String: Any]
        #expect((manifest["totals"] as! [String: Any])["labels"] as? [String: Int] == ["巡察": 4, "减负": 3, "政治": 1])
    }

    /// Loaded back, the units keep their span label; a label new to the session that only units
    /// use comes in as a category label, and becomes a span label when a later span uses it.
    @Test func importsPutSpanLabelsOnUnits() throws {
        let h = try harness()
        try h.run("export spans out.jsonl")
        let fresh = EngineHarness(directory: h.directory)
        try fresh.run("label add 巡察", "load out.jsonl")
        let s = fresh.engine.session
        #expect(s.tagSet.labels.map { "\($0.name) \($0.kind.rawValue)" } == ["巡察 span", "减负 span", "政治 category"])
        #expect(s.annotationCount == 5)
        #expect(
            s.categories.map { "\($0.unit.rawValue) \($0.index) \(s.tagSet.labels[$0.label].name)" } == [
                "doc 1 巡察", "para 1 巡察", "para 2 政治"
            ])
        try fresh.run("export spans again.jsonl")
        #expect(try read(h.directory + "/again.jsonl") == read(h.directory + "/out.jsonl"))

        let units =
            #"{"id": "a", "text": "巡察工作", "categories": [{"label": "专项", "unit": "doc", "index": 1}]}"# + "\n"
            + #"{"id": "b", "text": "专项巡察", "spans": [{"start": 0, "end": 2, "label": "专项"}], "label": ["巡察", "政治"]}"#
            + "\n"
        try units.write(toFile: h.directory + "/units.jsonl", atomically: true, encoding: .utf8)
        let other = EngineHarness(directory: h.directory)
        try other.run("label add 巡察", "label add 政治 --category", "load units.jsonl")
        let t = other.engine.session
        #expect(t.tagSet.labels.map { "\($0.name) \($0.kind.rawValue)" } == ["巡察 span", "政治 category", "专项 span"])
        #expect(t.annotationCount == 1 && t.categories.count == 3)
        // A span under a category label is still refused, saying why.
        try #"{"id": "c", "text": "政治建设", "spans": [{"start": 0, "end": 2, "label": "政治"}]}"#.write(
            toFile: h.directory + "/bad.jsonl", atomically: true, encoding: .utf8)
        let error = try #require(other.failure("load bad.jsonl"))
        #expect(error == .wrongLabelKind(label: "政治", expected: .span, command: "load"))
        #expect(error.hint?.hasPrefix("政治 is a category label of the session, for units only") == true)
    }
}
