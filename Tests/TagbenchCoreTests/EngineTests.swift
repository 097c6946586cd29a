import Foundation
import Testing
@testable import TagbenchCore

struct EngineTests {
    func harness() throws -> EngineHarness {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023")
        return h
    }

    @Test func loadsDirectoriesSortedWithIdsFromFileNames() throws {
        let h = try harness()
        #expect(h.engine.session.documents.map(\.id) == ["qu-jiceng", "quwei-2023", "x-quwei-2020", "xinqu-2023"])
        // Loading the same files again adds nothing.
        try h.run("load Fixtures/corpus/*.txt")
        #expect(h.engine.session.documents.count == 4)
        #expect(h.messages == ["4 already loaded, skipped"])
    }

    @Test(arguments: [
        (0, "its 0 annotations are kept"), (1, "its 1 annotation is kept"), (2, "its 2 annotations are kept")
    ])
    func anUnavailableDocumentSaysHowManyAnnotationsAreKept(count: Int, said: String) {
        #expect(
            Wording.documentUnavailable("x", path: "x.txt", reason: nil, annotations: count)
                == "document x is missing (x.txt); " + said)
    }

    /// The check before a save that the session would open again computes no hash: a save
    /// computes those not yet known on every core, and asking here computed each on one thread.
    @Test func checkingASessionBeforeASaveComputesNoHash() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("load Fixtures/corpus")
        let documents = h.engine.session.documents
        #expect(Document.unhashed(documents).count == 4)
        try Engine.checkOpenable(h.engine.session, path: "s.json")
        #expect(Document.unhashed(documents).count == 4)
        try h.run("save")
        #expect(Document.unhashed(documents).isEmpty)
        // Still refused: a hash known to be empty.
        let empty = Document(id: "x", path: dir + "/x.txt", bytes: Array("巡察".utf8), sha256: "")
        #expect(empty.hasEmptyHash && !documents[0].hasEmptyHash)
    }

    @Test func scriptsWithCRLFLineEndsRunLineByLine() throws {
        let h = EngineHarness(directory: try Fixture.workspace())
        let runner = ScriptRunner(engine: h.engine)
        var errors: [LocatedError] = []
        do {
            _ = try runner.runLines(
                "label add 巡察\r\n# comment\r\nlabel add 主题教育 --alias ztjy\r\nfrobnicate\r\n",
                context: ExecutionContext(baseDirectory: h.directory, file: "crlf.tb", line: 0),
                emit: { _ in }, report: { errors.append($0) })
        } catch {
            errors.append(error)
        }
        #expect(h.engine.session.tagSet.labels.map(\.name) == ["巡察", "主题教育"])
        #expect(errors.map(\.line) == [4])
    }

    @Test func openingWithNothingLoadedSaysSo() throws {
        let h = EngineHarness(directory: try Fixture.workspace())
        #expect(h.failure("next") == .noDocuments)
        #expect(h.failure("tag 巡察 1:2") == .unknownLabel("巡察", suggestion: nil))
        try h.run("label add 巡察")
        #expect(h.failure("tag 巡察 1:2") == .noCurrentDocument)
    }

    @Test func sameFileNameInAnotherFolderGetsAUniqueId() throws {
        let h = try harness()
        try FileManager.default.createDirectory(atPath: h.directory + "/other", withIntermediateDirectories: true)
        try "巡察".write(toFile: h.directory + "/other/xinqu-2023.txt", atomically: true, encoding: .utf8)
        try h.run("load other/xinqu-2023.txt")
        #expect(h.engine.session.documents.last?.id == "xinqu-2023-2")
    }

    @Test func everyTargetFormTagsTheRightText() throws {
        let h = try harness()
        try h.run(
            "find 主题教育", "tag ztjy h1-h2", "tag 第一议题 \"第一议题\"#2", "tag 巡视 2012:2014", "tag 作风建设 sent 2",
            "tag 基层党建 para 1")
        let d = h.engine.currentDocument!
        let spans = h.engine.session.allAnnotations
        #expect(spans.map(\.id) == ["a1", "a2", "a3", "a4", "a5", "a6"])
        for a in spans { #expect(d.text(a.range) == a.text) }
        #expect(spans[0].text == "主题教育" && spans[1].text == "主题教育")
        #expect(spans[2].text == "第一议题")
        #expect(spans[3].text == "巡视")
        #expect(spans[4].range == d.sentences[1].range)
        #expect(spans[5].range == d.paragraphs[0])
    }

    @Test func quotedTextMustBeUniqueOrNumbered() throws {
        let h = try harness()
        #expect(h.failure("tag 第一议题 \"第一议题\"") == .textNotUnique("第一议题", occurrences: 2))
        #expect(h.failure("tag 第一议题 \"不存在的话\"") == .textNotUnique("不存在的话", occurrences: 0))
        #expect(h.failure("tag 第一议题 \"第一议题\"#9") == .occurrenceOutOfRange("第一议题", occurrence: 9, occurrences: 2))
        #expect(h.engine.session.annotationCount == 0)
    }

    @Test func errorsChangeNothing() throws {
        let h = try harness()
        try h.run("tag 巡视 2012:2014")
        let before = h.annotationFingerprint
        let log = h.engine.session.log
        let cases: [(String, TagbenchError)] = [
            ("tag 巡查 1:3", .unknownLabel("巡查", suggestion: "巡察")),
            ("tag 巡察 5:3", .offsetsOutOfRange(start: 5, end: 3, length: 2074)),
            ("tag 巡察 2000:9999", .offsetsOutOfRange(start: 2000, end: 9999, length: 2074)),
            ("tag 巡察 h1", .noFindResults),
            ("tag 巡察 sent 999", .unitOutOfRange(unit: .sent, number: 999, count: 34)),
            ("tag 政治建设 1:3", .wrongLabelKind(label: "政治建设", expected: .span, command: "tag")),
            ("relabel a1 政治建设", .wrongLabelKind(label: "政治建设", expected: .span, command: "relabel")),
            ("unclassify 巡察 doc", .categoryNotFound(label: "巡察", unit: "xinqu-2023")),
            ("untag a1 a99", .unknownAnnotation("a99")),
            ("relabel a7 巡察", .unknownAnnotation("a7")),
            ("open nowhere", .unknownDocument("nowhere", suggestion: nil)),
            ("open xinqu-2032", .unknownDocument("xinqu-2032", suggestion: "xinqu-2023")),
            ("label add 巡察", .labelNameInUse("巡察", by: "巡察")),
            ("label add 巡察二 --alias xc", .labelNameInUse("xc", by: "巡察")),
            ("tag 巡察 all /巡(/", .invalidRegex(pattern: "巡(", reason: "")),
            ("load Fixtures/corpus Fixtures/none.txt", .fileNotFound("Fixtures/none.txt")),
            ("redo", .nothingToRedo)
        ]
        for (line, expected) in cases {
            let error = h.failure(line)
            if case .invalidRegex = expected, case .invalidRegex(let p, _) = error {
                #expect(p == "巡(")
                continue
            }
            #expect(error == expected, "\(line)")
        }
        #expect(h.annotationFingerprint == before)
        #expect(h.engine.session.log == log)
        #expect(h.engine.session.documents.count == 4)
    }

    @Test func taggingTheSameSpanTwiceAddsNothingAndSaysSo() throws {
        let h = try harness()
        try h.run("tag 巡视 2012:2014")
        try h.run("tag xs 2012:2014")
        #expect(h.engine.session.annotationCount == 1)
        #expect(h.messages == ["already tagged: a1 巡视 xinqu-2023 2012:2014 巡视; nothing added"])
        // A different label on the same offsets is a different span.
        try h.run("tag 巡察 2012:2014")
        #expect(h.engine.session.annotationCount == 2)
    }

    @Test func aBulkTagSkipsSpansAlreadyThereAndNumbersTheRestInOrder() throws {
        let h = try harness()
        try h.run("tag 整改落实 all 整改 --corpus")
        let removed = try #require(h.engine.session.annotation(number: 5))
        try h.run("untag a5 a9")
        try h.run("tag 整改落实 all 整改 --corpus")
        #expect(h.messages.last == "25 already tagged 整改落实, skipped")
        #expect(h.engine.session.annotationCount == 27)
        // The two new spans take the next ids, in the order of the matches.
        let new = [28, 29].compactMap { h.engine.session.annotation(number: $0) }
        #expect(new.count == 2 && new[0].range == removed.range && new[0].document == removed.document)
        try h.run("undo")
        #expect(h.engine.session.annotationCount == 25)
    }

    @Test func bulkTagIsOneUndoStepAndIdsAreNeverReused() throws {
        let h = try harness()
        try h.run("tag 整改落实 all 整改 --corpus")
        let bulk = h.engine.session.annotationCount
        #expect(bulk == 27)
        try h.run("tag 巡视 2012:2014")
        try h.run("undo", "undo")
        #expect(h.engine.session.annotationCount == 0)
        try h.run("redo")
        #expect(h.engine.session.annotationCount == bulk)
        try h.run("undo")
        try h.run("tag 巡视 2012:2014")
        #expect(h.engine.session.allAnnotations.map(\.id) == ["a29"])
        #expect(h.failure("redo") == .nothingToRedo)
        // What is left to undo is the harness's own load and schema, then nothing.
        try h.run("undo 1", "undo")
        #expect(h.messages == ["undid: tag 巡视 2012:2014", "undid: load Fixtures/corpus"])
        try h.run("undo")
        #expect(h.engine.session.tagSet.labels.isEmpty && h.engine.session.documents.isEmpty)
        #expect(h.failure("undo") == .nothingToUndo)
    }

    @Test func undoAndRedoCoverEveryKindOfChange() throws {
        let h = try harness()
        let steps = [
            "tag 巡视 2012:2014", "note a1 复核", "relabel a1 巡察", "classify 政治建设 para 2", "unclassify 政治建设 para 2",
            "label add 新标签 --alias xbq", "untag a1", "load Fixtures/edge/bom.txt"
        ]
        var states: [[String]] = [h.annotationFingerprint]
        var labelCounts = [h.engine.session.tagSet.labels.count]
        for step in steps {
            try h.run(step)
            states.append(h.annotationFingerprint)
            labelCounts.append(h.engine.session.tagSet.labels.count)
        }
        for i in stride(from: steps.count - 1, through: 0, by: -1) {
            try h.run("undo")
            #expect(h.annotationFingerprint == states[i], "undo of \(steps[i])")
            #expect(h.engine.session.tagSet.labels.count == labelCounts[i])
        }
        try h.run("redo \(steps.count)")
        #expect(h.annotationFingerprint == states.last!)
        #expect(h.engine.session.documents.count == 5)
    }

    @Test func categoriesAreKeptPerUnit() throws {
        let h = try harness()
        try h.run("classify zzjs doc", "classify 政治建设 para 2", "classify 纪律建设 sent 3")
        try h.run("classify 政治建设 para 2")
        #expect(h.messages == ["para 2 of xinqu-2023 is already 政治建设"])
        #expect(h.engine.session.categories.count == 3)
        #expect(h.failure("unclassify 纪律建设 para 2") == .categoryNotFound(label: "纪律建设", unit: "para 2 of xinqu-2023"))
    }

    @Test func historyReplaysToTheSameAnnotations() throws {
        let h = try harness()
        try h.run(
            "find 主题教育", "open qu-jiceng", "tag ztjy h2", "tag 巡察 \"巡察\"#1", "note a2 \"复核 一下\"",
            "tag 整改落实 all /整改(工作)?/ --corpus", "undo", "open x-quwei-2020", "tag 整改落实 all 整改", "untag a30",
            "next", "classify 政治建设 doc", "relabel a1 巡视", "find 第一议题 --corpus", "tag 第一议题 h3-h4",
            "label add 新词 --alias xc2", "tag 新词 1:2", "undo", "redo")
        var script: [String] = []
        try h.run("history")
        if case .lines(let lines) = h.output.last { script = lines }
        #expect(script.contains("open qu-jiceng"))
        let replay = EngineHarness(directory: h.directory)
        for line in script { try replay.run(line) }
        #expect(replay.annotationFingerprint == h.annotationFingerprint)
        #expect(replay.engine.session.nextNumber == h.engine.session.nextNumber)
    }

    @Test func showListsLinesWithOffsetsAndTheSpansOverThem() throws {
        let h = try harness()
        let d = h.engine.currentDocument!
        try h.run("tag 第一议题 \"第一议题\"#1")
        let n = d.paragraphNumber(containing: h.engine.session.allAnnotations[0].range.start)!
        try h.run("show para \(n)")
        guard case .text(let view) = h.output.last else {
            Issue.record("no text view")
            return
        }
        #expect(view.lines.count == 1)
        #expect(view.lines[0].start == d.paragraphs[n - 1].start)
        #expect(view.lines[0].text == d.text(d.paragraphs[n - 1]))
        #expect(view.spans.map(\.id) == ["a1"])
        try h.run("show 460:470")
        guard case .text(let range) = h.output.last else {
            Issue.record("no text view")
            return
        }
        #expect(range.lines.map(\.text) == [d.text(TextRange(460, 470))])
        // Ranges of units: paragraphs 2 to 4, a line each; sentences 3 to 6, as one stretch cut at
        // paragraph ends.
        try h.run("show para 2-4")
        guard case .text(let paragraphs) = h.output.last else {
            Issue.record("no text view")
            return
        }
        #expect(paragraphs.lines.map(\.paragraph) == [2, 3, 4])
        #expect(paragraphs.lines.map(\.text) == (1...3).map { d.text(d.paragraphs[$0]) })
        try h.run("show sent 3-6")
        guard case .text(let sentences) = h.output.last else {
            Issue.record("no text view")
            return
        }
        #expect(
            sentences.lines.map(\.text).joined()
                == d.text(TextRange(d.sentences[2].range.start, d.sentences[5].range.end)).filter { $0 != "\n" })
        #expect(h.failure("show para 4-9") == .unitOutOfRange(unit: .para, number: 6, count: 5))
    }

    @Test func findListsHitsWithContextAndCountsAll() throws {
        let h = try harness()
        try h.run("find 整改 --corpus")
        guard case .hits(let rows, let total) = h.output.last else {
            Issue.record("no hits")
            return
        }
        #expect(total == 27)
        #expect(rows.count == 27)
        #expect(rows.allSatisfy { $0.match == "整改" })
        #expect(rows[0].before.unicodeScalars.count <= 12)
    }

    @Test func regexTagAllCoversCRLFAndAstralDocuments() throws {
        let h = try harness()
        try h.run("load Fixtures/edge", "open astral", "tag 巡察 all /巡察/")
        let d = h.engine.currentDocument!
        let spans = h.engine.session.annotations(inDocument: h.engine.current!)
        #expect(spans.count == 3)
        let reference = Array(d.string.unicodeScalars)
        for a in spans { #expect(String(String.UnicodeScalarView(reference[a.range.start..<a.range.end])) == "巡察") }
        try h.run("open crlf", "tag 主题教育 para 2")
        #expect(h.engine.session.allAnnotations.last?.text == "深入开展主题教育。扎实推进巡察整改！")
    }

    @Test func emptyFileLoadsWithAWarning() throws {
        let h = try harness()
        try h.run("load Fixtures/edge/empty.txt")
        #expect(h.output.contains(.warning("Fixtures/edge/empty.txt is empty; loaded as empty with no text")))
        #expect(h.engine.session.documents.last?.length == 0)
    }

    @Test func badFilesAreClearErrors() throws {
        let h = try harness()
        let dir = h.directory
        _ = FileManager.default.createFile(atPath: dir + "/bad.txt", contents: Data([0xE5, 0xB7, 0xA1, 0xFF, 0x41]))
        _ = FileManager.default.createFile(atPath: dir + "/bin.txt", contents: Data([0x41, 0x00, 0x42]))
        try FileManager.default.createDirectory(atPath: dir + "/nothing", withIntermediateDirectories: true)
        #expect(h.failure("load bad.txt") == .invalidUTF8(path: "bad.txt", byteOffset: 3))
        #expect(h.failure("load bin.txt") == .binaryFile(path: "bin.txt", byteOffset: 1))
        #expect(h.failure("load nothing") == .noTextFiles(directory: "nothing"))
        #expect(h.failure("load nothing/*.txt") == .fileNotFound("nothing/*.txt"))
        #expect(h.engine.session.documents.count == 4)
    }

    @Test func chineseEncodingsAreReadAsTheTextTheyHold() throws {
        let h = try harness()
        let expected = "二、减负\n为基层减负，减轻基层负担。开展巡察整改！𠀀之后\n"
        #expect(
            h.failure("load Fixtures/encodings/gb18030.txt")
                == .invalidUTF8(path: "Fixtures/encodings/gb18030.txt", byteOffset: 0))
        try h.run("load --encoding gb18030 Fixtures/encodings/gb18030.txt")
        #expect(h.messages.contains("read as gb18030: 1"))
        try h.run("load --encoding auto Fixtures/encodings/utf16le.txt Fixtures/edge/bom.txt")
        let documents = h.engine.session.documents.suffix(3)
        #expect(documents.map(\.string) == [expected, expected, "巡察工作要点：深化巡察整改。\n"])
        #expect(documents.map(\.encoding) == [.gb18030, .utf16le, .utf8])
        try h.run("open gb18030", "tag 减负 all 减负")
        #expect(h.engine.session.allAnnotations.map(\.range) == [TextRange(2, 4), TextRange(8, 10)])
    }

    @Test func bytesInvalidInTheGivenEncodingAreAnErrorWithTheirOffset() throws {
        let h = try harness()
        // Two GB18030 characters (巡察), then 0xFF, which no GB18030 sequence starts with.
        _ = FileManager.default.createFile(
            atPath: h.directory + "/bad-gb.txt", contents: Data([0xD1, 0xB2, 0xB2, 0xE9, 0xFF, 0x41]))
        #expect(
            h.failure("load --encoding gb18030 bad-gb.txt")
                == .invalidEncoding(path: "bad-gb.txt", encoding: "gb18030", byteOffset: 4))
        #expect(h.engine.session.documents.count == 4)
    }

    @Test func bomIsDroppedAndNothingElseChanges() throws {
        let h = try harness()
        try h.run("load Fixtures/edge/bom.txt")
        let d = h.engine.session.documents.last!
        #expect(d.string == "巡察工作要点：深化巡察整改。\n")
        #expect(d.sha256 == Document.hash(Array("巡察工作要点：深化巡察整改。\n".utf8)))
    }

    @Test func schemaMergesIntoTheTagSetAndKeepsAnnotations() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run("label add 巡察 --colour 112233", "load Fixtures/corpus", "tag 巡察 all 巡察 --corpus")
        let spans = h.engine.session.annotationCount
        try h.run("schema Schemas/governance.tagset.json")
        #expect(
            h.messages == [
                "Schemas/governance.tagset.json: 15 labels added (主题教育 巡视 减负 八项规定 意识形态 作风建设 廉洁文化 整改落实 基层党建 形式主义官僚主义 第一议题 警示教育 政治建设 纪律建设 全面从严治党), 1 updated"
            ])
        let xuncha = h.engine.session.tagSet.labels[0]
        #expect(
            xuncha.aliases == ["xc"] && xuncha.colour == "#3cb44b" && xuncha.shortcut == "x"
                && xuncha.parent == "全面从严治党")
        #expect(xuncha.patterns == [LabelPattern(.literal("巡察"), notInside: ["巡视巡察"])])
        #expect(h.engine.session.tagSet.path(of: h.engine.session.tagSet.index(of: "减负")!) == ["全面从严治党", "作风建设", "减负"])
        #expect(h.engine.session.annotationCount == spans)
        try h.run("schema Schemas/governance.tagset.json")
        #expect(h.messages == ["Schemas/governance.tagset.json: the tag set already has all 16 labels"])
        try h.run("undo")
        #expect(h.engine.session.tagSet.labels.count == 1)
        #expect(h.engine.session.tagSet.labels[0].colour == "#112233" && h.engine.session.tagSet.index(of: "xc") == nil)
    }

    @Test func schemaThatConflictsWithTheSessionChangesNothing() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run("label add 政治建设")
        #expect(
            h.failure("schema Schemas/governance.tagset.json")
                == .invalidTagSet(
                    path: "Schemas/governance.tagset.json",
                    reason: "label 政治建设 is a category label here but a span label in the session"))
        try h.run("label add 其他 --alias xs")
        #expect(h.failure("schema Schemas/governance.tagset.json") == .labelNameInUse("xs", by: "其他"))
        try FileManager.default.removeItem(atPath: dir + "/Schemas/governance.tagset.json")
        #expect(h.failure("schema Schemas/governance.tagset.json") == .fileNotFound("Schemas/governance.tagset.json"))
        #expect(h.engine.session.tagSet.labels.map(\.name) == ["政治建设", "其他"])
    }

    /// Stops after `limit` documents, recording the progress it was shown.
    final class StoppingMonitor: ProgressMonitor {
        var limit: Int
        var reports: [(String, Int, Int)] = []
        var finishedCount = 0
        init(limit: Int) { self.limit = limit }
        var shouldStop: Bool { reports.count >= limit }
        func progress(_ task: String, done: Int, of total: Int) { reports.append((task, done, total)) }
        func finished() { finishedCount += 1 }
    }

    @Test func corpusWideCommandsReportProgressAndStopChangingNothing() throws {
        let h = try harness()
        let monitor = StoppingMonitor(limit: 2)
        h.engine.monitor = monitor
        let log = h.engine.session.log
        #expect(h.failure("tag 巡察 all 巡察 --corpus") == .interrupted("tag 巡察 all \"巡察\""))
        #expect(monitor.reports.map(\.1) == [0, 1] && monitor.reports.allSatisfy { $0.2 == 4 })
        #expect(monitor.finishedCount == 1)
        #expect(h.engine.session.annotationCount == 0 && h.engine.session.log == log)
        #expect(h.failure("export spans out.jsonl") == .interrupted("export to out.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/out.jsonl"), "the partial export is removed")
        monitor.limit = 100
        try h.run("tag 巡察 all 巡察 --corpus")
        #expect(h.engine.session.annotationCount == 5)
        // One document: nothing to report, nothing to stop.
        monitor.limit = 0
        try h.run("find 巡察")
    }

    @Test func bulkTagsSearchedTogetherGiveWhatTheyGiveOneByOne() throws {
        let lines = [
            "tag 巡察 all 巡察 --corpus", "# a comment between them", "", "tag 巡视 all 巡视巡察 --corpus",
            "tag 整改落实 all 整改 --corpus", "tag 整改落实 all 整改落实 --corpus", "tag 主题教育 all 主题教育 --corpus",
            "tag 巡察 all 巡察 --corpus", "tag 减负 all 不存在的词 --corpus"
        ]
        let together = try harness()
        try "巡视巡察巡察，整改整改落实。𠀀巡察\n".write(toFile: together.directory + "/extra.txt", atomically: true, encoding: .utf8)
        try together.run("load extra.txt")
        var togetherOutput: [OutputItem] = []
        _ = try ScriptRunner(engine: together.engine).runLines(
            lines.joined(separator: "\n"),
            context: ExecutionContext(baseDirectory: together.directory, file: "s.tb", line: 0),
            emit: { togetherOutput.append($0) }, report: { _ in })
        let alone = try harness()
        try alone.run("load \(together.directory)/extra.txt")
        var aloneOutput: [OutputItem] = []
        for line in lines { aloneOutput += try alone.run(line) }
        #expect(together.annotationFingerprint == alone.annotationFingerprint)
        // What each line reports too: 整改 is 27 times in 3 of the fixtures (`grep -o`) and twice in extra.txt.
        #expect(togetherOutput == aloneOutput)
        #expect(
            togetherOutput.contains {
                if case .message(let m) = $0 { m.hasPrefix("tagged 29 spans 整改落实 in 4 documents") } else { false }
            })
        #expect(together.annotationFingerprint.count > 40)
        #expect(
            together.engine.session.log.suffix(5).map(\.command) == alone.engine.session.log.suffix(5).map(\.command))
    }
}
