import Foundation
import CTagbenchBytes
import Testing
@testable import TagbenchCore

struct SessionCodecTests {
    /// A saved session with spans, a note, categories and a log; returns the harness and file path.
    func savedSession() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        let path = dir + "/work/session.json"
        try FileManager.default.createDirectory(atPath: dir + "/work", withIntermediateDirectories: true)
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus Fixtures/edge", "open astral",
            "tag 巡察 all 巡察", "note a1 \"带 \\\"引号\\\" 的注释\"", "open xinqu-2023", "tag 第一议题 \"第一议题\"#1",
            "classify 政治建设 doc", "classify 纪律建设 sent 2", "tag 巡视 all 巡视 --corpus", "untag a4", "save")
        return (h, path)
    }

    @Test func savedSessionReopensToTheSameStateAndSavesByteIdentically() throws {
        let (h, path) = try savedSession()
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("\"text\": \"巡察\""), "CJK is written as is, not \\u-escaped")
        #expect(
            text.contains("\"path\": \"../Fixtures/corpus/xinqu-2023.txt\""), "paths are relative to the session file")
        let (reopened, warnings) = try Engine.open(
            path: path, displayPath: "session.json", annotator: Annotator(name: "x"))
        #expect(warnings.isEmpty)
        let again = EngineHarness(engine: reopened, directory: h.directory)
        #expect(again.annotationFingerprint == h.annotationFingerprint)
        #expect(reopened.session.log == h.engine.session.log)
        #expect(reopened.session.nextNumber == h.engine.session.nextNumber)
        let bytes = SessionCodec.encode(reopened.session, directory: Paths.directory(of: path))
        #expect(Data(bytes) == first)
    }

    /// A saved session with enough annotations (18,000, with gaps from untag) that the writer
    /// splits them over threads and the reader cuts them into pieces; returns the harness and folder.
    func largeSession() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        let long = String(repeating: "巡察工作，整改落实。𠀀\n", count: 6_000)
        try long.write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run(
            "label add 巡察", "label add 整改", "load long.txt", "tag 巡察 all 巡察 --corpus", "tag 整改 all 整改 --corpus",
            "tag 巡察 all 察工 --corpus", "untag a2 a7 a6001 a11999", "save")
        return (h, dir)
    }

    @Test func aLargeSessionWrittenInPiecesIsOneWellFormedFileInIdOrder() throws {
        let (h, dir) = try largeSession()
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/s.json"))
        // Hashed as its pieces were written, each in a buffer written into again: the hash is
        // the file's.
        #expect(h.engine.savedFileHash?.wait() == (try referenceSHA256(Array(data))))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let ids = (json["annotations"] as! [[String: Any]]).map { Int(($0["id"] as! String).dropFirst())! }
        #expect(ids.count == 18_000 - 4 && ids == ids.sorted())
        #expect(!ids.contains(2) && !ids.contains(11999))
        let (reopened, _) = try Engine.open(
            path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(Data(SessionCodec.encode(reopened.session, directory: dir)) == data)
        // Read back in pieces, a fault in the middle is still reported at its line and column.
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        let middle = lines.indices.first { lines[$0].contains("\"id\": \"a9000\"") }!
        lines[middle] = lines[middle].replacingOccurrences(of: "\"start\": ", with: "\"start\": x")
        try lines.joined(separator: "\n").write(toFile: dir + "/s.json", atomically: true, encoding: .utf8)
        let column =
            lines[middle].unicodeScalars.count
            - lines[middle].components(separatedBy: "\"start\": x")[1].unicodeScalars.count
        #expect {
            _ = try Engine.open(path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
        } throws: { error in
            (error as? TagbenchError)?.message.hasPrefix("s.json:\(middle + 1):\(column):") == true
        }
        // An id, or a span, repeated far apart (in pieces read on different threads) is found.
        let original = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        func line(_ id: String) -> Int { original.indices.first { original[$0].contains("{\"id\": \"\(id)\",") }! }
        var repeatedID = original
        repeatedID[line("a17000")] = repeatedID[line("a17000")].replacingOccurrences(of: "\"a17000\"", with: "\"a100\"")
        var repeatedSpan = original
        let first = original[line("a1")]
        repeatedSpan[line("a17000")] = first.replacingOccurrences(of: "\"a1\"", with: "\"a17000\"")
        // The fault reported is the first in file order, whichever piece finds it: a repeated id
        // before a bad document in the same piece, a repeated id and a bad document on one
        // annotation (its id is checked first), a bad document before a repeated id far after it.
        func edited(_ edits: [(String, String, String)]) -> [String] {
            var lines = original
            for (id, from, to) in edits { lines[line(id)] = lines[line(id)].replacingOccurrences(of: from, with: to) }
            return lines
        }
        let repeatThenBadDocument = edited([
            ("a9000", "\"a9000\"", "\"a100\""), ("a9001", "\"doc\": \"long\"", "\"doc\": \"nowhere\"")
        ])
        let repeatAndBadDocument = edited([
            ("a9000", "\"doc\": \"long\"", "\"doc\": \"nowhere\""), ("a9000", "\"a9000\"", "\"a100\"")
        ])
        let badDocumentThenRepeat = edited([
            ("a9000", "\"doc\": \"long\"", "\"doc\": \"nowhere\""), ("a17000", "\"a17000\"", "\"a100\"")
        ])
        for (lines, reason) in [
            (repeatedID, "annotation id a100 appears twice"),
            (repeatedSpan, "annotation a17000 duplicates another span (same document, offsets and label)"),
            (repeatThenBadDocument, "annotation id a100 appears twice"),
            (repeatAndBadDocument, "annotation id a100 appears twice"),
            (badDocumentThenRepeat, "annotation a9000 refers to document \"nowhere\", which the session does not have")
        ] {
            try lines.joined(separator: "\n").write(toFile: dir + "/s.json", atomically: true, encoding: .utf8)
            #expect(throws: TagbenchError.invalidSession(path: "s.json", reason: reason)) {
                _ = try Engine.open(path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
            }
        }
    }

    @Test func aSaveToASlowDiskHoldsFewPiecesAndUsesTheirBuffersAgain() throws {
        let (h, dir) = try largeSession()
        let pieces =
            (h.engine.session.annotationSlots.count + SessionFileWriter.annotationsPerPiece - 1)
            / SessionFileWriter.annotationsPerPiece
        #expect(pieces > SessionFileWriter.tasksAhead)
        // Where each piece's bytes are (the first piece is emitted without its first byte).
        var addresses: [Int] = []
        var emitted: [UInt8] = []
        SessionFileWriter.write(h.engine.session, directory: dir) { bytes in
            Thread.sleep(forTimeInterval: 0.05)
            addresses.append(
                bytes.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } - (addresses.count == 1 ? 1 : 0))
            emitted += bytes
        }
        #expect(emitted == SessionCodec.encode(h.engine.session, directory: dir))
        // The header, the pieces, the end of the file.
        #expect(addresses.count == pieces + 2)
        #expect(Set(addresses.dropFirst().dropLast()).count <= SessionFileWriter.tasksAhead)
    }

    @Test func documentsInOtherEncodingsAreReadBackTheSameWay() throws {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("label add 减负", "load --encoding auto Fixtures/encodings", "tag 减负 all 减负 --corpus", "save")
        let text = try String(contentsOfFile: dir + "/s.json", encoding: .utf8)
        #expect(text.contains("\"encoding\": \"gb18030\""))
        #expect(text.contains("load --encoding auto Fixtures/encodings"))
        let (reopened, warnings) = try Engine.open(
            path: dir + "/s.json", displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(warnings.isEmpty, "the same hash: no document reported changed")
        #expect(EngineHarness(engine: reopened, directory: dir).annotationFingerprint == h.annotationFingerprint)
    }

    @Test func missingDocumentsAreReportedAndTheirAnnotationsKept() throws {
        let (h, path) = try savedSession()
        try FileManager.default.removeItem(atPath: h.directory + "/Fixtures/edge/astral.txt")
        let (engine, warnings) = try Engine.open(
            path: path, displayPath: "session.json", annotator: Annotator(name: "x"))
        #expect(warnings.count == 1)
        #expect(warnings[0].hasPrefix("document astral is missing"))
        #expect(EngineHarness(engine: engine, directory: h.directory).annotationFingerprint == h.annotationFingerprint)
        // Saving again keeps what it cannot read, context included.
        let before = try String(contentsOfFile: path, encoding: .utf8)
        try engine.writeSession()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    }

    @Test func spansOfAChangedDocumentStayMoveWithTheirTextOrBecomeOrphans() throws {
        let dir = try Fixture.workspace()
        let path = dir + "/s.json"
        let original = "一、巡察工作。二、开展巡察整改。三、巡察结束。\n"
        try original.write(toFile: dir + "/d.txt", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir, sessionPath: path)
        try h.run(
            "label add 巡察", "label add 类 --category", "load d.txt", "tag 巡察 all 巡察", "tag 巡察 \"巡察工作\"",
            "tag 巡察 \"巡察结束\"",
            "classify 类 doc", "classify 类 sent 2", "classify 类 sent 3", "save")
        #expect(h.engine.session.annotationCount == 5)
        // Text inserted before everything (so every span must move), 结束 changed to 完毕 and a 。
        // removed (two sentences become one): a span
        // moves only where its text and its stored context (8 code points each side) are found
        // again, so the spans within 8 code points of the edit become orphans.
        let edited = "前言一、巡察工作。二、开展巡察整改三、巡察完毕\n"
        try edited.write(toFile: dir + "/d.txt", atomically: true, encoding: .utf8)
        let (engine, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(
            warnings == [
                "document d changed since it was annotated: 0 spans still in place, 2 moved with their text, 3 orphaned (orphans lists them; exports leave them out); 1 category label on paragraphs or sentences kept by number: check them; 1 category label dropped (the unit is gone)"
            ])
        let d = engine.session.documents[0]
        for a in engine.session.allAnnotations { #expect(d.text(a.range) == a.text, "\(a.id) is on its own text") }
        // 巡察 occurs three times in the new text: the first span went to the one whose context matches.
        #expect(engine.session.allAnnotations.map(\.range) == [TextRange(4, 6), TextRange(4, 8)])
        // The document label covers the new text; sentence 2 is still there, sentence 3 is not.
        #expect(engine.session.categories.map(\.range) == [TextRange(0, 24), TextRange(9, 23)])
        #expect(engine.session.orphans.map(\.text).sorted() == ["巡察", "巡察", "巡察结束"])
        // Saved, the orphans stay orphans and the rest opens cleanly.
        try engine.writeSession()
        let (again, more) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(more.isEmpty)
        #expect(again.session.orphans.count == 3 && again.session.annotationCount == 2)
        let result = try Exporter.export(
            again.session, options: ExportOptions(format: .spans, path: dir + "/out.jsonl"),
            provenance: ExportProvenance(sessionPath: path, sessionSHA256: nil, sessionDirectory: dir))
        #expect(result.spans == 2)
        #expect(result.warnings == ["3 orphaned spans left out (orphans lists them)"])
    }

    static let broken: [(String, String, String)] = [
        (
            "not JSON", "{\"format\": \"tagbench-session\",\n  \"version\": 1,\n  oops}",
            "session.json:3:3: malformed JSON: expected a string"
        ),
        (
            "truncated", "{\"format\": \"tagbench-session\", \"labels\": [",
            "session.json:1:43: malformed JSON: unexpected end of file, expected an object"
        ),
        (
            "newer version", "{\"format\": \"tagbench-session\", \"version\": 7}",
            "session.json has format version 7; this tagbench reads up to 1"
        ),
        (
            "other format", "{\"format\": \"something\", \"version\": 1}",
            "session.json is not a valid session: format is not \"tagbench-session\""
        ),
        (
            "no version", "{\"format\": \"tagbench-session\"}",
            "session.json is not a valid session: it has no \"version\""
        ),
        // A value under a key this build does not know is skipped, but checked as any other.
        (
            "bad escape in an unknown key", "{\"format\": \"tagbench-session\", \"version\": 1, \"zz\": \"\\q\"}",
            "session.json:1:54: malformed JSON: invalid escape"
        ),
        (
            "bad unicode escape in an unknown list",
            "{\"format\": \"tagbench-session\", \"version\": 1, \"zz\": [\"ok\", \"\\u12G4\"]}",
            "session.json:1:64: malformed JSON: invalid \\u escape"
        )
    ]

    @Test(arguments: broken)
    func malformedSessionsAreClearErrorsAndLeftAsTheyWere(name: String, content: String, message: String) throws {
        let dir = try Fixture.workspace()
        let path = dir + "/session.json"
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try Engine.open(path: path, displayPath: "session.json", annotator: Annotator(name: "x"))
        } throws: { error in
            (error as? TagbenchError)?.message == message
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
    }

    static let schemaBreaks: [(String, String, String)] = [
        (
            "\"start\": 153, \"end\": 157", "\"start\": 153, \"end\": 99999",
            "annotation a1 ends at 99999, beyond document xinqu-2023 (length 2074)"
        ),
        (
            "\"start\": 153, \"end\": 157", "\"start\": 157, \"end\": 157",
            "annotation a1 has start 157 and end 157: start must be ≥ 0 and < end"
        ),
        (
            "\"label\": \"主题教育\", \"text\"", "\"label\": \"无此标签\", \"text\"",
            "annotation a1 has label \"无此标签\", which is not in the tag set"
        ),
        ("{\"id\": \"a2\"", "{\"id\": \"a1\"", "annotation id a1 appears twice"),
        (
            "{\"id\": \"a1\", \"doc\": \"xinqu-2023\"", "{\"id\": \"a1\", \"doc\": \"nowhere\"",
            "annotation a1 refers to document \"nowhere\", which the session does not have"
        ),
        ("\"next_id\": 46", "\"next_id\": 3", "next_id 3 is not above every annotation id"),
        (
            "\"text\": \"主题教育\", \"prefix\": \"特色社会主义思想\"", "\"text\": \"主题思想\", \"prefix\": \"特色社会主义思想\"",
            "annotation a1 holds the text \"主题思想\", but document xinqu-2023 (unchanged) has \"主题教育\" at 153:157"
        )
    ]

    @Test(arguments: schemaBreaks)
    func sessionsThatBreakTheirSchemaAreRefused(find: String, replace: String, reason: String) throws {
        let dir = try Fixture.workspace()
        let demo = try String(contentsOfFile: Fixture.root + "/Sessions/demo.json", encoding: .utf8)
        #expect(demo.contains(find))
        try FileManager.default.createDirectory(atPath: dir + "/Sessions", withIntermediateDirectories: true)
        let path = dir + "/Sessions/demo.json"
        let broken = demo.replacingOccurrences(of: find, with: replace)
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TagbenchError.invalidSession(path: "demo.json", reason: reason)) {
            _ = try Engine.open(path: path, displayPath: "demo.json", annotator: Annotator(name: "x"))
        }
    }

    /// A session written when `p` could be a label's shortcut opens; the label loses the key,
    /// which is review's now (the paragraph around the candidate).
    @Test func aShortcutReviewTookLaterIsDroppedOnOpening() throws {
        let dir = try Fixture.workspace()
        let demo = try String(contentsOfFile: Fixture.root + "/Sessions/demo.json", encoding: .utf8)
        #expect(demo.contains("\"shortcut\": \"x\""))
        try FileManager.default.createDirectory(atPath: dir + "/Sessions", withIntermediateDirectories: true)
        let path = dir + "/Sessions/demo.json"
        try demo.replacingOccurrences(of: "\"shortcut\": \"x\"", with: "\"shortcut\": \"p\"").write(
            toFile: path, atomically: true, encoding: .utf8)
        let (engine, _) = try Engine.open(path: path, displayPath: "demo.json", annotator: Annotator(name: "x"))
        let tagSet = engine.session.tagSet
        #expect(tagSet.labels[try tagSet.resolve("巡察")].shortcut == "")
        #expect(tagSet.index(ofShortcut: "p") == nil)
        #expect(tagSet.labels[try tagSet.resolve("巡视")].shortcut == "v", "the other shortcuts are kept")
    }

    @Test func jsonStringsRoundTripThroughWriterAndReader() throws {
        let samples = ["", "plain", "巡察\"引号\"\\反斜杠", "tab\tnew\nline\r\u{01}\u{1F}", "𠀀😀é́", "\u{2028}\u{7F}"]
        var w = JSONWriter()
        w.raw("[")
        for (i, s) in samples.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(s)
        }
        w.raw("]")
        var r = try JSONReader(bytes: w.bytes, path: "x")
        try r.beginArray()
        var read: [String] = []
        while try r.nextElement() { read.append(try r.readString()) }
        #expect(read == samples)
        let decoded = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String]
        #expect(decoded == samples)
    }

    @Test func escapesAtEveryPositionOfTheWordAtATimeScan() throws {
        for k in 0..<20 {
            let s =
                String(repeating: "巡", count: k) + "\"" + String(repeating: "a", count: k % 9) + "\n\u{1}"
                + String(repeating: "x", count: 20 - k)
            var w = JSONWriter()
            w.string(s)
            #expect(try JSONSerialization.jsonObject(with: Data(w.bytes), options: .fragmentsAllowed) as? String == s)
        }
        // The run finder, both ways, against its definition on buffers of every length around
        // the 8- and 32-byte steps, biased towards the bytes that matter.
        let special: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xE5]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...100)
            var buffer = (0..<n).map { _ in UInt8.random(in: 0x20...0xFF) }
            for _ in 0..<Int.random(in: 0...2) where n > 0 {
                buffer[Int.random(in: 0..<n)] = special.randomElement()!
            }
            let expected = buffer.firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } ?? n
            buffer.withUnsafeBufferPointer { b in
                let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                #expect(tb_json_plain_prefix(base, n) == expected, "\(buffer)")
                #expect(tb_json_plain_prefix_portable(base, n) == expected, "\(buffer)")
            }
        }
    }

    @Test(arguments: [0, 7, 9, 10, 99, 100, 12345, -1, -10, -987654321, Int.max, Int.min])
    func integersAreWrittenInDecimal(value: Int) {
        var w = JSONWriter()
        w.int(value)
        #expect(String(decoding: w.bytes, as: UTF8.self) == String(value))
    }

    @Test func readerDecodesEscapesAndSurrogatePairs() throws {
        var r = try JSONReader(bytes: Array(#"["\u5de1\u5bdf", "\ud840\udc00", "a\/b"]"#.utf8), path: "x")
        try r.beginArray()
        var read: [String] = []
        while try r.nextElement() { read.append(try r.readString()) }
        #expect(read == ["巡察", "𠀀", "a/b"])
    }
}

/// The fields that repeat from one annotation to the next are written from the last value's
/// JSON while the value stays the same: every value must still come out as itself.
struct RepeatedJSONTests {
    @Test func everyValueIsWrittenAsItselfWhetherRepeatedOrNot() {
        // Long values (stored apart, by reference) equal but held twice, short ones (held in
        // place), an escape, and values coming back after others.
        let long = "all:\"巡察\" and more than fifteen bytes"
        let sameLong = String(decoding: Array(long.utf8), as: UTF8.self)
        let values = [long, long, sameLong, "bench", "bench", long + "!", "", sameLong, "a\nb", "a\nb", long]
        var repeated = RepeatedJSON()
        var writer = JSONWriter()
        var expected: [UInt8] = []
        for value in values {
            repeated.write(value, to: &writer)
            expected += JSONWriter.encoded(value)
        }
        #expect(writer.bytes == expected)
    }
}
