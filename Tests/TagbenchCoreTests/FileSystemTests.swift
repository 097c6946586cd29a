import Foundation
import Testing
@testable import TagbenchCore

/// Reading whole files: a large one is read in parts at once, and must come back byte for byte.
struct FileSystemTests {
    @Test(arguments: [1 << 24, (1 << 24) + 4_093, 3 * (1 << 23) + 1])
    func aLargeFileReadInPartsIsItsBytes(size: Int) throws {
        let dir = try Fixture.workspace()
        var bytes = [UInt8](repeating: 0, count: size)
        // Every offset different from its neighbours, so a part read to the wrong place shows.
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let path = dir + "/large.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try FileSystem.read(path)
        #expect(read.count == size)
        #expect(read == bytes)
    }

    @Test func filesAreListedInByteOrder() throws {
        let dir = try Fixture.workspace() + "/listed"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let names = ["b.txt", "B.txt", "a.txt", "巡察.txt", "a10.txt", "a2.txt", "é.txt"]
        for name in names { try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        #expect(try FileSystem.list(dir) == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    /// Temporaries of killed saves are matched to their files by the bytes of the names: `é.json`
    /// spelled with a combining accent is another session, whose temporary may be a live save's.
    @Test func staleTemporariesAreThoseOfTheFilesNamedByteForByte() throws {
        let dir = try Fixture.workspace() + "/temporaries"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let composed = "\u{E9}.json", decomposed = "e\u{301}.json"
        let kept = [".\(decomposed).tmp-99999998", "..\(decomposed).hashes.tmp-6", ".\(composed).tmp-notes"]
        for name in kept + [".\(composed).tmp-99999999", "..\(composed).hashes.tmp-7"] {
            try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        FileSystem.removeStaleTemporaries(of: [dir + "/" + composed, dir + "/." + composed + ".hashes"])
        #expect(Set(try FileSystem.list(dir).map { Array($0.utf8) }) == Set(kept.map { Array($0.utf8) }))
    }

    /// An export's sweep of ended processes' temporaries matches their names' start byte for
    /// byte too: `é.jsonl`'s export leaves `e\u{301}.jsonl`'s alone.
    @Test func anExportsSweepMatchesNamesByteForByte() throws {
        let dir = try Fixture.workspace() + "/export-temporaries"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let kept = [".e\u{301}.jsonl.tmp-99999998", ".\u{E9}.jsonl.tmp-\(getpid())"]
        for name in kept + [".\u{E9}.jsonl.tmp-99999999"] {
            try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        FileSystem.removeTemporariesOfEndedProcesses(in: dir, prefixes: [".\u{E9}."])
        #expect(Set(try FileSystem.list(dir).map { Array($0.utf8) }) == Set(kept.map { Array($0.utf8) }))
    }

    /// Files, and links that lead to files, are listed as files; folders, links to folders and
    /// dangling links are not.
    @Test func listingFilesFollowsLinksAndLeavesOutTheRest() throws {
        let dir = try Fixture.workspace() + "/list"
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        for name in ["b.txt", "a.txt", "巡察.txt"] {
            try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: "a.txt")
        try FileManager.default.createSymbolicLink(atPath: dir + "/folder-link", withDestinationPath: "sub")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.txt", withDestinationPath: "nowhere.txt")
        #expect(try FileSystem.listFiles(dir) == ["a.txt", "b.txt", "link.txt", "巡察.txt"])
        #expect(
            try FileSystem.list(dir) == ["a.txt", "b.txt", "dangling.txt", "folder-link", "link.txt", "sub", "巡察.txt"])
    }
}
