import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// An export replaces an earlier one whole or not at all: a stop or a failed write leaves the
/// earlier files and the manifest that describes them; brat removes only files it wrote before.
struct ExportReplacementTests {
    /// A session of the four fixture documents in `corpus`, a span in each of two.
    func harness() throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try FileManager.default.copyItem(atPath: dir + "/Fixtures/corpus", toPath: dir + "/corpus")
        let h = EngineHarness(directory: dir)
        try h.run(
            "schema Schemas/governance.tagset.json", "load corpus", "open xinqu-2023", "tag 主题教育 1:3",
            "open qu-jiceng", "tag 基层党建 0:2")
        return h
    }

    func names(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    @Test func bratNeverRemovesADocumentOfTheSession() throws {
        let h = try harness()
        try FileManager.default.createDirectory(atPath: h.directory + "/src", withIntermediateDirectories: false)
        try "另一份文件。".write(toFile: h.directory + "/src/extra.txt", atomically: true, encoding: .utf8)
        try h.run("load src/extra.txt", "export brat out")
        // A session whose documents live in the brat folder (one a file the export wrote before):
        // exporting there again replaces the export's files and keeps the documents.
        let second = EngineHarness(directory: h.directory)
        try second.run("schema Schemas/governance.tagset.json", "load corpus", "load out/extra.txt")
        let document = try Data(contentsOf: URL(fileURLWithPath: h.directory + "/out/extra.txt"))
        try second.run("export brat out --docs xinqu-2023")
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.directory + "/out/extra.txt")) == document)
        #expect(try names(h.directory + "/out") == ["annotation.conf", "extra.txt", "xinqu-2023.ann", "xinqu-2023.txt"])
        // Its own name is refused, with nothing changed.
        let before = try PathSafetyTests.snapshot(h.directory)
        #expect(second.failure("export brat out --docs extra") == .exportOverInput(h.directory + "/out/extra.txt"))
        #expect(try PathSafetyTests.snapshot(h.directory) == before)
        // A brat folder loaded as brat is the documents' source: refused whole.
        let third = EngineHarness(directory: h.directory)
        try third.run("schema Schemas/governance.tagset.json", "load out")
        #expect(third.failure("export brat out") == .exportOverInput("out"))
        #expect(try PathSafetyTests.snapshot(h.directory) == before)
    }

    @Test func bratRemovesOnlyTheFilesItsLastManifestListed() throws {
        let h = try harness()
        try h.run("export brat out")
        try "mine".write(toFile: h.directory + "/out/notes.txt", atomically: true, encoding: .utf8)
        try h.run("export brat out --docs xinqu-2023")
        #expect(try names(h.directory + "/out") == ["annotation.conf", "notes.txt", "xinqu-2023.ann", "xinqu-2023.txt"])
        #expect(try String(contentsOfFile: h.directory + "/out/notes.txt", encoding: .utf8) == "mine")
    }

    @Test func aStoppedBratExportLeavesTheEarlierOneWhole() throws {
        let h = try harness()
        try h.run("export brat out")
        let before = try PathSafetyTests.snapshot(h.directory)
        h.engine.monitor = EngineTests.StoppingMonitor(limit: 2)
        #expect(h.failure("export brat out") == .interrupted("export to out"))
        #expect(try PathSafetyTests.snapshot(h.directory) == before)
    }

    /// A write that fails (a full disk, here a folder in the way of one file's temporary name)
    /// fails the export with the earlier one whole: each file of a brat export, and the manifest
    /// of a JSONL export alone.
    static let blocked: [(String, String)] = [
        ("export brat out", "out/.qu-jiceng.ann"),
        ("export brat out", "out/.xinqu-2023.txt"),
        ("export brat out", "out/.annotation.conf"),
        ("export brat out", ".out.manifest.json"),
        ("export spans out.jsonl", ".out.jsonl.manifest.json"),
        ("export spans out.jsonl --split a=1,b=1", ".out.jsonl.manifest.json"),
        ("export bio out.jsonl --jsonl", ".out.labels.json")
    ]

    @Test(arguments: blocked)
    func aFailedWriteLeavesTheEarlierExportWhole(line: String, blockedName: String) throws {
        let h = try harness()
        try h.run(line)
        try h.run("tag 主题教育 5:7")
        let before = try PathSafetyTests.snapshot(h.directory)
        let temporary = h.directory + "/" + blockedName + ".tmp-\(getpid())"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        guard case .writeFailed = h.failure(line) else {
            Issue.record("\(line) with \(blockedName) blocked did not fail")
            return
        }
        try FileManager.default.removeItem(atPath: temporary)
        #expect(try PathSafetyTests.snapshot(h.directory) == before)
    }
}
