import Foundation
import Testing

@testable import TagbenchCore

/// A path to write whose `..` comes after a symbolic link: the system, following the link first,
/// would put the file beside where the link leads, the path tidied as text beside the link. It is
/// refused and nothing is written in either place; a `..` with no link before it is tidied.
struct WrittenPathTests {
    func harness() throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try "首段巡察。\n".write(toFile: dir + "/x.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/far/deep", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/L", withDestinationPath: dir + "/far/deep")
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("label add 巡察", "load x.txt", "open x", "tag 巡察 2:4", "save")
        return h
    }

    @Test(arguments: [("export spans L/../o.jsonl", "o.jsonl"), ("report L/../r", "r"), ("save L/../t.json", "t.json")])
    func aDotDotAfterALinkIsRefused(line: String, name: String) throws {
        let h = try harness()
        let typed = String(line.split(separator: " ").last!)
        #expect(
            h.failure(line)
                == .writeFailed(
                    typed,
                    reason:
                        "a .. after a symbolic link leads to \(h.directory)/far/\(name); name the place without the link or .."
                ))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/" + name))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/far/" + name))
    }

    @Test(arguments: ["export spans sub/../o.jsonl", "export spans L/o.jsonl", "report sub/../r", "save sub/../t.json"])
    func aDotDotWithoutALinkBeforeItIsTidied(line: String) throws {
        let h = try harness()
        try h.run(line)
        let typed = String(line.split(separator: " ").last!)
        #expect(FileManager.default.fileExists(atPath: Paths.absolute(typed, base: h.directory)))
    }
}
