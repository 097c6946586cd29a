import Foundation
import Testing
@testable import TagbenchCore

/// Names (document ids, labels) hold no control characters, line separators or bidirectional
/// overrides, whichever way they come in; brat and Label Studio files are never broken by a
/// label; a brat import reads only the folder's own files.
struct NameSafetyTests {
    /// Characters no name may hold.
    static let forbidden: [Unicode.Scalar] = [
        "\u{0}", "\u{1B}", "\u{7}", "\u{7F}", "\u{85}", "\u{202E}", "\u{2066}", "\u{2028}", "\n"
    ]

    func harness() throws -> EngineHarness {
        EngineHarness(directory: try Fixture.workspace())
    }

    /// One JSON string holding `scalar` (escaped as JSON writes it).
    static func json(_ scalar: Unicode.Scalar) -> String {
        String(format: "\\u%04X", scalar.value)
    }

    @Test(arguments: forbidden)
    func anImportedIdOrLabelWithAForbiddenCharacterIsRefused(scalar: Unicode.Scalar) throws {
        let h = try harness()
        let id = #"{"id": "foo.txt\#(Self.json(scalar))", "text": "巡察工作", "spans": []}"#
        try (id + "\n").write(toFile: h.directory + "/ids.jsonl", atomically: true, encoding: .utf8)
        guard case .invalidImport(_, 1, let reason) = h.failure("load ids.jsonl") else {
            Issue.record("an id holding U+\(String(scalar.value, radix: 16)) was let in")
            return
        }
        #expect(reason.contains("which ids may not hold"))
        let label =
            #"{"id": "d", "text": "巡察工作", "spans": [{"start": 0, "end": 2, "label": "巡\#(Self.json(scalar))察"}]}"#
        try (label + "\n").write(toFile: h.directory + "/labels.jsonl", atomically: true, encoding: .utf8)
        guard case .invalidName("label", _, scalar.value) = h.failure("load labels.jsonl") else {
            Issue.record("a label holding U+\(String(scalar.value, radix: 16)) was let in")
            return
        }
        #expect(h.engine.session.documents.isEmpty && h.engine.session.tagSet.labels.isEmpty)
    }

    @Test(arguments: forbidden)
    func aTagSetLabelOrAFileNameWithAForbiddenCharacterIsRefused(scalar: Unicode.Scalar) throws {
        let h = try harness()
        let tagSet =
            #"{"format": "tagbench-tagset", "version": 1, "labels": [{"name": "a\#(Self.json(scalar))b", "kind": "span"}]}"#
        try tagSet.write(toFile: h.directory + "/t.tagset.json", atomically: true, encoding: .utf8)
        #expect(h.failure("schema t.tagset.json") != nil)
        #expect(h.engine.session.tagSet.labels.isEmpty)
        guard scalar != "\u{0}" && scalar != "/" else { return }
        try FileManager.default.createDirectory(atPath: h.directory + "/odd", withIntermediateDirectories: false)
        try "巡察".write(
            toFile: h.directory + "/odd/x" + String(Character(scalar)) + "y.txt", atomically: true, encoding: .utf8)
        guard case .invalidName(_, _, let character) = h.failure("load odd") else {
            Issue.record("a file name holding U+\(String(scalar.value, radix: 16)) became an id")
            return
        }
        #expect(character == scalar.value)
        #expect(h.engine.session.documents.isEmpty)
    }

    @Test func whatIsShownOnTheTerminalHasNoControlCharacters() {
        #expect(Names.visible("a\u{1B}[31mb\u{7}c\u{202E}d") == "a\\u{1B}[31mb\\u{7}c\\u{202E}d")
        #expect(Names.visible("巡察\t工作\n") == "巡察\t工作\n")
        #expect(TagbenchError.invalidName(what: "label", name: "x", character: 0x1B).message.contains("U+001B"))
    }

    /// Labels that mean something else in brat's annotation.conf are refused by a brat export;
    /// Label Studio's XML escapes what it must.
    @Test(arguments: ["[relations]", "!abstract", "#comment", "<MACRO>", "a:b", "a=b"])
    func bratRefusesALabelItsConfigurationWouldMisread(label: String) throws {
        let h = try harness()
        try "巡察工作".write(toFile: h.directory + "/d.txt", atomically: true, encoding: .utf8)
        let tagSet = #"{"format": "tagbench-tagset", "version": 1, "labels": [{"name": "\#(label)", "kind": "span"}]}"#
        try tagSet.write(toFile: h.directory + "/t.tagset.json", atomically: true, encoding: .utf8)
        try h.run("schema t.tagset.json", "load d.txt")
        guard case .invalidExportOption = h.failure("export brat out") else {
            Issue.record("brat took label \(label)")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/out/annotation.conf"))
    }

    @Test func labelStudioEscapesALabelInItsConfig() throws {
        let h = try harness()
        try "巡察工作".write(toFile: h.directory + "/d.txt", atomically: true, encoding: .utf8)
        let tagSet = #"{"format": "tagbench-tagset", "version": 1, "labels": [{"name": "a<b&c\"d", "kind": "span"}]}"#
        try tagSet.write(toFile: h.directory + "/t.tagset.json", atomically: true, encoding: .utf8)
        try h.run("schema t.tagset.json", "load d.txt", "export label-studio out.json")
        let config = try String(contentsOfFile: h.directory + "/out.config.xml", encoding: .utf8)
        #expect(config.contains(#"<Label value="a&lt;b&amp;c&quot;d""#))
    }

    @Test func bratImportReadsNoSymbolicLink() throws {
        let h = try harness()
        let folder = h.directory + "/b"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try "secret".write(toFile: h.directory + "/secret", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/passwd.txt", withDestinationPath: h.directory + "/secret")
        try "".write(toFile: folder + "/passwd.ann", atomically: true, encoding: .utf8)
        guard case .invalidImport(let path, _, let reason) = h.failure("load b") else {
            Issue.record("a linked .txt was read")
            return
        }
        #expect(path == "b/passwd.txt" && reason.contains("symbolic link"))
        #expect(h.engine.session.documents.isEmpty)
    }

    @Test func bratSaysAnEmptySpanIsEmpty() throws {
        let h = try harness()
        let folder = h.directory + "/b"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try "巡察工作".write(toFile: folder + "/d.txt", atomically: true, encoding: .utf8)
        try "T1\t巡察 2 2\t\n".write(toFile: folder + "/d.ann", atomically: true, encoding: .utf8)
        guard case .invalidImport(_, _, let reason) = h.failure("load b") else {
            Issue.record("an empty span was let in")
            return
        }
        #expect(reason == "span 2:2 巡察 is empty (its start is its end)")
    }

    @Test func aSessionFileWithAForbiddenIdIsRefused() throws {
        let h = try harness()
        try "巡察工作".write(toFile: h.directory + "/d.txt", atomically: true, encoding: .utf8)
        try h.run("load d.txt", "save s.json")
        let text = try String(contentsOfFile: h.directory + "/s.json", encoding: .utf8)
        let hostile = text.replacingOccurrences(of: #""id": "d""#, with: #""id": "d\u001B[2J""#)
        #expect(hostile != text)
        try hostile.write(toFile: h.directory + "/s.json", atomically: true, encoding: .utf8)
        #expect(throws: TagbenchError.self) {
            _ = try Engine.open(
                path: h.directory + "/s.json", displayPath: "s.json", annotator: Annotator(name: "t", fixedTime: 1))
        }
    }
}
