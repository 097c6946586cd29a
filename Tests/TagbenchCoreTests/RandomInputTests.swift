import Foundation
import Testing
@testable import TagbenchCore

/// Deterministic random inputs (a fixed seed; 110,000 in all) for the parts that read what users
/// and files give them: they must answer with a value or an error, never crash or hang.
struct RandomInputTests {
    /// The exporter's fixed-seed generator, so every run feeds the same inputs.
    typealias SplitMix = SplitMix64

    static let fragments = [
        "tag", "find", "load", "show", "para", "sent", "all", "--corpus", "h1", "h2-h9", "a1", "\"", "\\", "/",
        "#", " ", "  ", "\t", "巡察", "𠀀", "😀", "e\u{301}", "12:14", "0:0", "-1:3", "99999999999999999999:1",
        "label", "add", "--alias", "--colour", "#", "undo", "redo", "9", "\u{0}", "\r", "\u{3000}", "classify",
        "doc", "untag", "note", "/[/", "/(?=x)/", "\"a\"#2", "\"#\"", "relabel", "export", "spans", "help"
    ]

    @Test func commandParserNeverCrashesOnRandomLines() {
        var g = SplitMix(seed: 2026)
        var parsed = 0
        for _ in 0..<80_000 {
            var line = ""
            for _ in 0..<Int.random(in: 0...8, using: &g) {
                if Int.random(in: 0..<5, using: &g) == 0 {
                    line.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...127, using: &g)))
                } else {
                    line += Self.fragments.randomElement(using: &g)!
                }
            }
            if let command = try? CommandParser.parse(line) {
                parsed += 1
                // Whatever parses renders back to the same command.
                #expect(
                    (try? CommandParser.parse(CommandRenderer.render(command))) == command, "\(line.debugDescription)")
            }
        }
        #expect(parsed > 500, "the generator reaches valid commands too")
    }

    @Test func sessionDecoderNeverCrashesOnMutatedSessions() throws {
        let demo = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.root + "/Sessions/demo.json")))
        let path = Fixture.root + "/Sessions/demo.json"
        var g = SplitMix(seed: 7)
        var refused = 0
        for _ in 0..<5_000 {
            var bytes = demo
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                let i = Int.random(in: 0..<bytes.count, using: &g)
                switch Int.random(in: 0..<4, using: &g) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &g)
                case 1: bytes.remove(at: i)
                case 2: bytes.insert(Array("{}[],:\"\\0-e9".utf8).randomElement(using: &g)!, at: i)
                default: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...200, using: &g)))
                }
            }
            do {
                _ = try SessionCodec.decode(bytes, path: path, displayPath: "demo.json")
            } catch {
                refused += 1
            }
        }
        #expect(refused > 2_500)
    }

    @Test func jsonReaderAndTagSetDecoderNeverCrashOnRandomBytes() {
        var g = SplitMix(seed: 11)
        let alphabet = Array("{}[]:,\"\\ntrufalse0123456789-.eE /u巡".utf8)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
            _ = try? TagSetCodec.decode(bytes, displayPath: "t.json")
            if var r = try? JSONReader(bytes: bytes, path: "x") { _ = try? r.skipValue() }
        }
    }

    @Test func journalReaderNeverCrashesOnRandomTails() throws {
        let dir = try Fixture.workspace()
        let session = dir + "/s.json"
        var g = SplitMix(seed: 5)
        for _ in 0..<2_000 {
            var text = "{\"command\": \"label add 巡察\", \"time\": \"2023-11-14T22:13:20Z\"}\n"
            for _ in 0..<Int.random(in: 0...30, using: &g) { text += Self.fragments.randomElement(using: &g)! }
            try text.write(toFile: Journal.path(for: session), atomically: false, encoding: .utf8)
            let contents = Journal.read(sessionPath: session)
            #expect(contents?.commands.first == "label add 巡察")
        }
    }

    @Test func importersNeverCrashOnMutatedData() throws {
        let dir = try Fixture.workspace()
        let seeds: [(String, AnnotatedDataReader.Kind, String)] = [
            (
                "d.jsonl", .jsonLines,
                #"{"id": 1, "text": "巡察𠀀工作", "label": [[0, 2, "巡察"]], "meta": {"source": "a"}}"# + "\n"
                    + #"{"text": "ab", "spans": [{"start": 0, "end": 1, "label": "x", "text": "a", "note": "n"}], "categories": [{"label": "c", "unit": "doc", "index": 1}]}"#
            ),
            (
                "t.json", .labelStudio,
                #"[{"id": 3, "data": {"text": "巡察工作", "doc": "d"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 2, "text": "巡察", "labels": ["巡察"]}, "meta": {"text": ["n"]}}, {"type": "choices", "value": {"choices": ["c"]}}]}]}]"#
            )
        ]
        var g = SplitMix(seed: 13)
        var accepted = 0
        for (name, kind, seed) in seeds {
            let original = Array(seed.utf8)
            for _ in 0..<1_500 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &g) {
                    let i = Int.random(in: 0..<bytes.count, using: &g)
                    switch Int.random(in: 0..<3, using: &g) {
                    case 0: bytes[i] = Array("{}[],:\"\\0-9x".utf8).randomElement(using: &g)!
                    case 1: bytes.remove(at: i)
                    default: bytes.insert(Array("{}[],:\"\\0-9x".utf8).randomElement(using: &g)!, at: i)
                    }
                }
                try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
                if (try? AnnotatedDataReader.read(dir + "/" + name, displayPath: name, kind: kind)) != nil {
                    accepted += 1
                }
            }
        }
        // Some mutations keep valid data (inside texts, for instance); most are refused.
        #expect(accepted > 0 && accepted < 3_000)
    }
}
