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
        // A prepended mark (U+0600) and the "/" after it are one Character.
        try FileManager.default.createSymbolicLink(atPath: dir + "/L\u{600}", withDestinationPath: dir + "/far/deep")
        try FileManager.default.createSymbolicLink(atPath: dir + "/D", withDestinationPath: dir + "/nowhere/x")
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("label add 巡察", "load x.txt", "open x", "tag 巡察 2:4", "save")
        return h
    }

    static let cannotFollow =
        "the system cannot follow it as far as its last .. (No such file or directory); name the place without .."

    /// After a link (L), the system would write beside where it leads, the text's tidying beside
    /// it; after a dangling link (D) the system could not write at all. Either is refused, with
    /// nothing written in either place. (`FAR` stands for where the system would write.)
    @Test(arguments: [
        ("export spans L/../o.jsonl", "a .. after a symbolic link leads to FAR; name the place without the link or .."),
        ("report L/../o", "a .. after a symbolic link leads to FAR; name the place without the link or .."),
        ("save L/../o", "a .. after a symbolic link leads to FAR; name the place without the link or .."),
        (
            "export spans L/../\u{301}o.jsonl",
            "a .. after a symbolic link leads to FAR; name the place without the link or .."
        ),
        ("save L\u{600}/../o", "a .. after a symbolic link leads to FAR; name the place without the link or .."),
        ("export spans D/../o.jsonl", cannotFollow), ("report D/../o", cannotFollow), ("save D/../o", cannotFollow)
    ])
    func aDotDotAfterALinkIsRefused(line: String, reason: String) throws {
        let h = try harness()
        let typed = String(line.split(separator: " ").last!)
        let name = Paths.fileName(of: typed)
        let far = h.directory + "/far/" + name
        #expect(h.failure(line) == .writeFailed(typed, reason: reason.replacingOccurrences(of: "FAR", with: far)))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/" + name))
        #expect(!FileManager.default.fileExists(atPath: far))
    }

    /// An absolute path's `..` is taken from `/`, whatever folder the command runs in; from a
    /// folder reached through a link (a script's), a `..` climbs from where the link leads, as the
    /// system does.
    @Test func anAbsolutePathAndALinkedFoldersDotDotAreTakenAsTheSystemTakesThem() throws {
        let h = try harness()
        try h.run("export spans \(h.directory)/sub/../abs.jsonl")
        #expect(FileManager.default.fileExists(atPath: h.directory + "/abs.jsonl"))
        try FileManager.default.createSymbolicLink(
            atPath: h.directory + "/SD", withDestinationPath: h.directory + "/far/deep")
        try EngineHarness(engine: h.engine, directory: h.directory + "/SD").run("save ../t.json")
        #expect(FileManager.default.fileExists(atPath: h.directory + "/far/t.json"))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/t.json"))
    }

    @Test(arguments: ["export spans sub/../o.jsonl", "export spans L/o.jsonl", "report sub/../r", "save sub/../t.json"])
    func aDotDotWithoutALinkBeforeItIsTidied(line: String) throws {
        let h = try harness()
        try h.run(line)
        let typed = String(line.split(separator: " ").last!)
        #expect(FileManager.default.fileExists(atPath: Paths.absolute(typed, base: h.directory)))
    }
}
