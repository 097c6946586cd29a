import Foundation
import Testing
@testable import TagbenchCore

/// The hashes kept beside a session: recorded for files left alone long enough, trusted only
/// while a file's stamp is unchanged, ignored when unreadable.
struct HashCacheTests {
    static func stat(modifiedSecondsAgo ago: Int64, now: Int64, regular: Bool = true) -> stat {
        var info = Glibc.stat()
        info.st_mode = regular ? S_IFREG | 0o644 : S_IFDIR | 0o755
        info.st_mtim = timespec(tv_sec: Int((now / 1_000_000_000) - ago), tv_nsec: 0)
        info.st_ctim = info.st_mtim
        return info
    }

    /// A workspace with three short texts in `texts/`, left long enough to be trusted: files
    /// changed within `FileStamp.settling` seconds are not.
    static func settledTexts() throws -> (directory: String, texts: [String: String]) {
        let dir = try Fixture.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/texts", withIntermediateDirectories: true)
        let texts = ["a": "巡察工作。", "b": "减负增效。", "c": "整改落实。"]
        for (name, text) in texts {
            try text.write(toFile: dir + "/texts/\(name).txt", atomically: false, encoding: .utf8)
        }
        Thread.sleep(forTimeInterval: Double(FileStamp.settling) + 0.3)
        return (dir, texts)
    }

    @Test(arguments: [(Int64(10), true), (4, true), (2, false), (0, false), (-5, false)])
    func aStampIsTrustedOnlyOnceTheFileHasSettled(secondsAgo: Int64, trusted: Bool) {
        let now = FileStamp.now()
        #expect((FileStamp(Self.stat(modifiedSecondsAgo: secondsAgo, now: now), now: now) != nil) == trusted)
        #expect(FileStamp(Self.stat(modifiedSecondsAgo: secondsAgo, now: now, regular: false), now: now) == nil)
    }

    /// Three documents written, left to settle, loaded and saved: the cache holds each one's
    /// hash under its stamp. A cached hash is used while the stamp is unchanged (a wrong one
    /// planted under a true stamp is believed), never once the file changed.
    @Test func cachedHashesAreUsedWhileFilesAreUnchanged() throws {
        let (dir, texts) = try Self.settledTexts()
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("label add 巡察", "load texts", "tag 巡察 all 巡察 --corpus")
        try h.engine.writeSession()
        var cache = HashCache.read(for: dir + "/s.json")
        #expect(cache.entries.count == 3)
        for (name, text) in texts {
            let entry = try #require(cache.entries[dir + "/texts/\(name).txt"])
            #expect(entry.sha256 == (try referenceSHA256(Array(text.utf8))) && entry.encoding == .utf8)
        }
        // A wrong hash under a's true stamp, and c rewritten (same length, other text).
        let a = dir + "/texts/a.txt"
        var planted = cache.entries[a]!
        planted.sha256 = String(repeating: "0", count: 64)
        try "整改落实！".write(toFile: dir + "/texts/c.txt", atomically: false, encoding: .utf8)
        cache.record(a, planted)
        cache.write(for: dir + "/s.json")
        let (_, report) = try SessionCodec.decode(
            try FileSystem.read(dir + "/s.json"), path: dir + "/s.json", displayPath: "s.json",
            knownHashes: HashCache.read(for: dir + "/s.json"))
        // a is believed changed (its planted hash was used); c is found changed by hashing it; b is as it was.
        #expect(Set(report.changed.map(\.document)) == ["a", "c"])
        // Without the cache, only the real change shows.
        let (_, plain) = try SessionCodec.decode(
            try FileSystem.read(dir + "/s.json"), path: dir + "/s.json", displayPath: "s.json")
        #expect(plain.changed.map(\.document) == ["c"])
        cache = HashCache.read(for: dir + "/s.json")
        #expect(cache.entries[a]?.sha256 == planted.sha256)
    }

    /// Loading a corpus again for the same session file (a script that rebuilds it) takes the
    /// hashes of unchanged files from the cache the last save left, and hashes changed ones.
    @Test func loadingAgainTakesCachedHashesOfUnchangedFiles() throws {
        let (dir, texts) = try Self.settledTexts()
        let first = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try first.run("load texts")
        try first.engine.writeSession()
        var cache = HashCache.read(for: dir + "/s.json")
        let a = dir + "/texts/a.txt"
        var planted = try #require(cache.entries[a])
        planted.sha256 = String(repeating: "0", count: 64)
        cache.record(a, planted)
        cache.write(for: dir + "/s.json")
        try "整改落实！".write(toFile: dir + "/texts/c.txt", atomically: false, encoding: .utf8)
        // The session rebuilt from nothing: same path, the cache beside it.
        try FileManager.default.removeItem(atPath: dir + "/s.json")
        let again = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try again.run("load texts")
        let hashes = Dictionary(uniqueKeysWithValues: again.engine.session.documents.map { ($0.id, $0.sha256) })
        #expect(hashes["a"] == planted.sha256)
        #expect(hashes["b"] == (try referenceSHA256(Array(texts["b"]!.utf8))))
        #expect(hashes["c"] == (try referenceSHA256(Array("整改落实！".utf8))))
        // Without a session file name there is no cache to take from.
        let unnamed = EngineHarness(directory: dir)
        try unnamed.run("load texts")
        #expect(
            unnamed.engine.session.documents.first { $0.id == "a" }?.sha256
                == (try referenceSHA256(Array(texts["a"]!.utf8))))
    }

    @Test func filesChangedJustNowAreNotRecorded() throws {
        let dir = try Fixture.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/texts", withIntermediateDirectories: true)
        try "巡察工作。".write(toFile: dir + "/texts/a.txt", atomically: false, encoding: .utf8)
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("load texts")
        try h.engine.writeSession()
        #expect(FileManager.default.fileExists(atPath: HashCache.path(for: dir + "/s.json")))
        #expect(HashCache.read(for: dir + "/s.json").entries.isEmpty)
    }

    @Test(arguments: [
        "", "{", "[]", "{\"format\": \"other\", \"version\": 1, \"files\": []}",
        "{\"format\": \"tagbench-hashes\", \"version\": 2, \"files\": [{\"path\": \"/x\"}]}"
    ])
    func anUnreadableCacheIsIgnored(contents: String) throws {
        let dir = try Fixture.workspace()
        try contents.write(toFile: HashCache.path(for: dir + "/s.json"), atomically: false, encoding: .utf8)
        #expect(HashCache.read(for: dir + "/s.json").entries.isEmpty)
    }
}
