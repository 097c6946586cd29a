import Testing
@testable import TagbenchCore

struct PathsTests {
    @Test(arguments: [
        ("corpus/a.txt", "/work", "/work/corpus/a.txt"),
        ("/abs/./x//y.txt", "/work", "/abs/x/y.txt"),
        ("../up.txt", "/work/s", "/work/up.txt"),
        ("../../../../x", "/a", "/x"),
        (".", "/work", "/work"),
        ("", "/", "/"),
        ("語料/巡察 报告.txt", "/数据", "/数据/語料/巡察 报告.txt"),
        ("a/../b/./c/..", "/", "/b")
    ])
    func absolutePathsAreJoinedAndTidied(path: String, base: String, expected: String) {
        #expect(Paths.absolute(path, base: base) == expected)
    }

    @Test(arguments: [
        ("/work/corpus/a.txt", "/work", "corpus/a.txt"),
        ("/work/a.txt", "/work/sessions", "../a.txt"),
        ("/other/x", "/work/s", "../../other/x"),
        ("/work", "/work", "."),
        ("/数据/巡察.txt", "/数据/会话", "../巡察.txt"),
        // Compared as bytes: a composed é and a decomposed one are different directories.
        ("/caf\u{E9}/x", "/cafe\u{301}", "../caf\u{E9}/x")
    ])
    func relativePathsClimbToTheCommonDirectory(path: String, base: String, expected: String) {
        #expect(Paths.relative(path, to: base) == expected)
    }
}

/// A path's file name, stem and extension, split at its last "/" and the name's last ".".
struct PathNameTests {
    @Test(arguments: [
        ("/a/b/c.txt", "c.txt", "c", "txt"),
        ("c.txt", "c.txt", "c", "txt"),
        ("/dir.d/file", "file", "file", ""),
        ("/a/.hidden", ".hidden", ".hidden", ""),
        ("/a/.hidden.txt", ".hidden.txt", ".hidden", "txt"),
        ("/报告/巡察.报告.txt", "巡察.报告.txt", "巡察.报告", "txt"),
        ("/a/e\u{301}.txt", "e\u{301}.txt", "e\u{301}", "txt"),
        // A name that starts with a combining mark: "/" and the mark are one Character.
        ("/a/b/\u{301}n.json", "\u{301}n.json", "\u{301}n", "json"),
        ("/a/b/", "", "", ""),
        ("name.", "name.", "name", "")
    ])
    func namesStemsAndExtensions(path: String, name: String, stem: String, ext: String) {
        #expect(Paths.directory(of: path) + "/" + Paths.fileName(of: path) == (path.contains("/") ? path : "./" + path))
        #expect(Paths.fileName(of: path) == name)
        #expect(Paths.stem(of: path) == stem)
        #expect(Paths.fileExtension(of: path) == ext)
    }
}

/// The names of temporary files (`.NAME.tmp-PID`): what they stand in for and whose they are.
struct TemporaryNameTests {
    static let cases: [(String, String?, Int32?)] = [
        (".s.json.tmp-123", "s.json", 123),
        (".out-train.jsonl.tmp-9", "out-train.jsonl", 9),
        (".a.tmp-1.json.tmp-77", "a.tmp-1.json", 77),
        (".s.json.tmp-", nil, nil),
        (".s.json.tmp-+5", nil, nil),
        (".s.json.tmp-12x", nil, nil),
        ("s.json.tmp-12", nil, nil),
        (".tmp-12", nil, nil)
    ]

    @Test(arguments: cases)
    func temporaryNamesAreReadOrLeftAlone(entry: String, name: String?, pid: Int32?) {
        let parsed = FileSystem.temporary(entry)
        #expect(parsed?.name == name && parsed?.pid == pid)
    }
}
