import Foundation
import Testing
@testable import TagbenchCore

/// `load --split-at /RE/`: a file cut into documents at its title lines, their provenance kept,
/// cut again from the file on open; and `export … --split-by para|sent`, worked out by hand.
struct SplitTests {
    //                        0 1 2  3  4 5 6 7  8 9 10 11 12 13 14 15 16 17 18
    static let compilation = "前言\n\n甲报告\n一。\n\n乙报告\r\n二。"

    func harness(_ text: String = compilation) throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try text.write(toFile: dir + "/c.txt", atomically: true, encoding: .utf8)
        return EngineHarness(directory: dir)
    }

    func texts(_ h: EngineHarness) -> [String] {
        h.engine.session.documents.map { $0.text(TextRange(0, $0.length)) }
    }

    /// Each matching line (matched without its line break: `$` before a `\r\n` too) starts a part;
    /// the text before the first is a part of its own; ids are `STEM-N`; each part records its
    /// number, start and first line.
    @Test func aFileIsCutAtItsTitleLines() throws {
        let h = try harness()
        try h.run("load --split-at /^.{0,40}报告$/ c.txt")
        let documents = h.engine.session.documents
        #expect(documents.map(\.id) == ["c-1", "c-2", "c-3"])
        #expect(texts(h) == ["前言\n\n", "甲报告\n一。\n\n", "乙报告\r\n二。"])
        #expect(texts(h).joined() == Self.compilation)
        #expect(documents.map { $0.part?.number } == [1, 2, 3])
        #expect(documents.map { $0.part?.start } == [0, 4, 12])
        #expect(documents.map { $0.part?.line } == [1, 3, 6])
        #expect(documents.allSatisfy { $0.path == h.directory + "/c.txt" && $0.part?.pattern == "^.{0,40}报告$" })
        #expect(h.messages.last == "loaded 3 documents (19 characters): c-1, c-2, c-3")
        let rows = h.engine.documentRows()
        #expect(rows.map(\.part) == documents.map(\.part) && rows.allSatisfy { $0.source == "c.txt" })
    }

    /// A blank beginning is no part; a file with no matching line is an error that loads nothing;
    /// annotated data is not cut.
    @Test func aBlankBeginningIsNoPartAndNoMatchIsAnError() throws {
        let h = try harness("\n  \n甲报告\n一。\n")
        try h.run("load --split-at /报告$/ c.txt")
        #expect(texts(h) == ["甲报告\n一。\n"])
        #expect(h.engine.session.documents[0].part?.line == 3)
        let other = try harness()
        #expect(other.failure("load --split-at /^第.章$/ c.txt") == .noSplitLines(path: "c.txt", pattern: "^第.章$"))
        #expect(
            TagbenchError.noSplitLines(path: "c.txt", pattern: "^第.章$").message
                == "no line of c.txt matches /^第.章$/; nothing loaded")
        #expect(other.engine.session.documents.isEmpty)
        try "{\"text\": \"甲报告\"}\n".write(toFile: other.directory + "/d.jsonl", atomically: true, encoding: .utf8)
        #expect(
            other.failure("load --split-at /报告/ d.jsonl")
                == .invalidArgument(
                    command: "load", argument: "d.jsonl",
                    expected: "a text file (--split-at /报告/ cuts text files; annotated data keeps its documents)"))
    }

    /// Undo takes every part back at once; the log replays the cut.
    @Test func undoTakesThePartsBackAndTheLogKeepsTheExpression() throws {
        let h = try harness()
        try h.run("load --split-at /报告$/ c.txt")
        #expect(
            h.engine.session.log.last.map { CommandRenderer.render($0.command) }?.hasPrefix("load --split-at /报告$/ ")
                == true)
        try h.run("undo")
        #expect(h.engine.session.documents.isEmpty)
    }

    func saved(_ h: EngineHarness) throws -> String {
        try h.run(
            "label add 巡察", "load --split-at /报告$/ c.txt", "open c-2", "tag 巡察 \"一。\"", "open c-3",
            "tag 巡察 \"二\"", "save s.json")
        return h.directory + "/s.json"
    }

    /// The session records each part; reopening cuts it from the file again (the parts' texts, the
    /// spans on them), and the hash cache records no part under its file's name.
    @Test func reopeningReadsThePartsFromTheFile() throws {
        let h = try harness()
        let path = try saved(h)
        let file = try String(contentsOfFile: path, encoding: .utf8)
        let sha = Document.hash(Array(Self.compilation.utf8))
        #expect(
            file.contains(
                #"{"id": "c-2", "path": "c.txt", "sha256": "\#(Document.hash(Array("甲报告\n一。\n\n".utf8)))", "length": 8, "part": {"pattern": "报告$", "number": 2, "start": 4, "line": 3, "file_sha256": "\#(sha)"}}"#
            ))
        let (reopened, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(warnings.isEmpty)
        let again = EngineHarness(engine: reopened, directory: h.directory)
        #expect(texts(again) == texts(h))
        #expect(reopened.session.documents.map(\.part) == h.engine.session.documents.map(\.part))
        #expect(again.annotationFingerprint == h.annotationFingerprint)
        #expect(HashCache.read(for: path).entries[h.directory + "/c.txt"] == nil)
    }

    /// A changed file is cut again: a part whose text changed is re-anchored as any changed
    /// document (text added after its span, before the next title, belongs to it), one that
    /// only moved keeps its text at its new place; a part that is gone is
    /// reported as a document that cannot be read, its annotations kept.
    @Test func aChangedFileIsCutAgain() throws {
        let h = try harness()
        let path = try saved(h)
        // A line added at the end of part 1 (its old text still at its old place) and one in part 2.
        let changed = "前言\n\n新\n甲报告\n一。\n新增。\n\n乙报告\r\n二。"
        try changed.write(toFile: h.directory + "/c.txt", atomically: true, encoding: .utf8)
        let (reopened, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(
            warnings == [
                "document c-1 changed since it was annotated: 0 spans still in place, 0 moved with their text, 0 orphaned",
                "document c-2 changed since it was annotated: 1 span still in place, 0 moved with their text, 0 orphaned"
            ])
        let again = EngineHarness(engine: reopened, directory: h.directory)
        #expect(texts(again) == ["前言\n\n新\n", "甲报告\n一。\n新增。\n\n", "乙报告\r\n二。"])
        #expect(reopened.session.documents.map { $0.part?.start } == [0, 6, 18])
        #expect(reopened.session.annotation(number: 1)?.range == TextRange(4, 6))
        #expect(reopened.session.annotation(number: 2)?.range == TextRange(5, 6))
        try again.run("save")
        try "前言\n\n甲报告\n一。\n".write(toFile: h.directory + "/c.txt", atomically: true, encoding: .utf8)
        let (third, gone) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "t"))
        #expect(third.session.documents[2].isMissing)
        #expect(third.session.annotationCount == 2)
        #expect(
            gone.contains {
                $0.contains("document c-3 cannot be read") && $0.contains("it now has 2 parts, not part 3")
            }, "\(gone)")
    }

    // MARK: export --split-by

    /// `ExportTests`' document (an astral character, a span across the paragraph break, a note
    /// and a category on paragraph 2).
    static let text = ExportTests.text

    func exportHarness() throws -> EngineHarness { try ExportTests().harness() }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    // Worked out by hand. Paragraph 2 holds the rarest label (政治, once), so it is placed first,
    // into the first split (both equally short of their targets); paragraph 1 takes the room
    // left in the other. With --labels 减负 only paragraph 1 is labelled: it goes first.
    static let p1 = #""id": "mini:p1", "doc": "mini", "unit": "para", "index": 1, "offset": 0, "text": "巡察𠀀工作。减 负好。""#
    static let p2 = #""id": "mini:p2", "doc": "mini", "unit": "para", "index": 2, "offset": 13, "text": "第二段巡察。""#
    static let meta = #""meta": {"source": "mini.txt", "sha256": "SHA", "offset_unit": "codepoint"}"#
    static let splitBy: [(String, [String: String?])] = [
        (
            "export spans o.jsonl --split a=1,b=1 --split-by para",
            [
                "o-a.jsonl":
                    "{\(p2), "
                    + #""spans": [{"start": 3, "end": 5, "label": "巡察", "text": "巡察"}], "categories": [{"label": "政治", "unit": "para", "index": 2, "start": 0, "end": 6}], "#
                    + meta + "}\n",
                "o-b.jsonl":
                    "{\(p1), "
                    + #""spans": [{"start": 0, "end": 2, "label": "巡察", "text": "巡察", "note": "常规巡察"}, {"start": 2, "end": 5, "label": "减负", "text": "𠀀工作"}, {"start": 6, "end": 9, "label": "减负", "text": "减 负"}], "categories": [], "#
                    + meta + "}\n"
            ]
        ),
        (
            "export doccano o.jsonl --split a=1,b=1 --split-by para",
            [
                "o-a.jsonl": "{\(p2), " + #""label": [[3, 5, "巡察"]]}"# + "\n",
                "o-b.jsonl": "{\(p1), " + #""label": [[0, 2, "巡察"], [2, 5, "减负"], [6, 9, "减负"]]}"# + "\n"
            ]
        ),
        (
            // Only paragraph 2 makes a record (no --negatives): the one unit placed, b left empty.
            "export classify o.jsonl --split a=1,b=1 --split-by para",
            ["o-a.jsonl": "{\(p2), " + #""labels": ["政治"]}"# + "\n", "o-b.jsonl": nil]
        ),
        (
            // Sentence records, kept with their paragraph.
            "export bio o.jsonl --jsonl --labels 减负 --split a=1,b=1 --split-by para",
            [
                "o-a.jsonl":
                    #"{"id": "mini:s1", "doc": "mini", "unit": "sent", "index": 1, "offset": 0, "tokens": ["巡", "察", "𠀀", "工", "作", "。"], "ner_tags": [0, 0, 1, 2, 2, 0]}"#
                    + "\n"
                    + #"{"id": "mini:s2", "doc": "mini", "unit": "sent", "index": 2, "offset": 6, "tokens": ["减", "负", "好", "。"], "ner_tags": [1, 2, 0, 0]}"#
                    + "\n",
                "o-b.jsonl":
                    #"{"id": "mini:s3", "doc": "mini", "unit": "sent", "index": 3, "offset": 13, "tokens": ["第", "二", "段", "巡", "察", "。"], "ner_tags": [0, 0, 0, 0, 0, 0]}"#
                    + "\n"
            ]
        )
    ]

    @Test(arguments: splitBy)
    func splitByUnitWritesExactlyThis(line: String, files: [String: String?]) throws {
        let h = try exportHarness()
        try h.run(line)
        let sha = Document.hash(Array(Self.text.utf8))
        for (name, expected) in files {
            let path = h.directory + "/" + name
            if let expected {
                #expect(try read(path) == expected.replacingOccurrences(of: "SHA", with: sha), "\(name)")
            } else {
                #expect(!FileManager.default.fileExists(atPath: path), "\(name)")
            }
        }
    }

    /// The warnings count the spans across a unit boundary and name an empty split by its unit;
    /// the manifest says how the split was made.
    @Test func splitByUnitWarnsAndTheManifestSaysSo() throws {
        let h = try exportHarness()
        try h.run("export spans o.jsonl --split a=1,b=1 --split-by para")
        #expect(
            h.output.contains(
                .warning("1 span crosses a paragraph boundary; left out (splitting by document keeps them)")))
        #expect(
            h.messages.last
                == "exported 1 document, 2 records, 4 spans to o.jsonl (2 files); manifest o.jsonl.manifest.json")
        let manifest = try read(h.directory + "/o.jsonl.manifest.json")
        #expect(manifest.contains(#""command": "export spans o.jsonl --split a=1,b=1 --split-by para --seed 0""#))
        #expect(manifest.contains(#""split": {"a": 1, "b": 1}, "split_by": "para", "seed": 0"#))
        #expect(manifest.contains(#""totals": {"documents": 1, "records": 2"#))
        #expect(manifest.contains(#""meaning": "paragraphs stay whole"#))
        try h.run("export classify c.jsonl --split a=1,b=1 --split-by para")
        #expect(h.output.contains(.warning("split b has no paragraphs (1 for 2 splits); no file written for it")))
        // The same options give the same bytes.
        try h.run("export spans again.jsonl --split a=1,b=1 --split-by para")
        #expect(try read(h.directory + "/again-a.jsonl") == read(h.directory + "/o-a.jsonl"))
    }

    /// Many paragraphs: each in exactly one split, the counts as the weights say, every split
    /// with a weight given one while there are enough.
    @Test(arguments: [(10, [8, 1, 1]), (3, [1, 1, 1]), (2, [1, 1, 0])])
    func paragraphCountsFollowTheWeights(paragraphs: Int, expected: [Int]) throws {
        let text = (1...paragraphs).map { "第\($0)段巡察。" }.joined(separator: "\n")
        let h = try harness(text)
        try h.run(
            "label add 巡察", "load c.txt", "tag 巡察 all 巡察",
            "export spans o.jsonl --split train=8,dev=1,test=1 --split-by para --seed 5")
        var seen: [String] = []
        for (name, count) in zip(["train", "dev", "test"], expected) {
            let path = h.directory + "/o-\(name).jsonl"
            let lines = FileManager.default.fileExists(atPath: path) ? try read(path).split(separator: "\n") : []
            #expect(lines.count == count, "\(name)")
            for line in lines {
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let recordText = record["text"] as! String
                #expect(recordText == "第\(record["index"] as! Int)段巡察。")
                let span = (record["spans"] as! [[String: Any]])[0]
                let scalars = Array(recordText.unicodeScalars)
                #expect(
                    String(String.UnicodeScalarView(scalars[(span["start"] as! Int)..<(span["end"] as! Int)]))
                        == span["text"] as! String)
                seen.append(record["id"] as! String)
            }
        }
        #expect(Set(seen) == Set((1...paragraphs).map { "c:p\($0)" }) && seen.count == paragraphs)
    }

    /// A split by sentence keeps every sentence once; parts of a compilation split by paragraph
    /// carry their place in the file.
    @Test func aCompilationSplitByParagraphCarriesItsParts() throws {
        let h = try harness()
        try h.run("load --split-at /报告/ c.txt", "export spans o.jsonl --split a=1,b=1 --split-by para")
        let records = try ["a", "b"].flatMap { try read(h.directory + "/o-\($0).jsonl").split(separator: "\n") }
        #expect(records.count == 5)
        for record in records {
            let object = try JSONSerialization.jsonObject(with: Data(record.utf8)) as! [String: Any]
            let part = (object["meta"] as! [String: Any])["part"] as! [String: Int]
            let start = part["start"]! + (object["offset"] as! Int)
            let scalars = Array(Self.compilation.unicodeScalars)
            let text = object["text"] as! String
            #expect(String(String.UnicodeScalarView(scalars[start..<(start + text.unicodeScalars.count)])) == text)
        }
    }
}
