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
        ("a/../b/./c/..", "/", "/b"),
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
        ("/caf\u{E9}/x", "/cafe\u{301}", "../caf\u{E9}/x"),
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
        ("/a/b/", "", "", ""),
        ("name.", "name.", "name", ""),
    ])
    func namesStemsAndExtensions(path: String, name: String, stem: String, ext: String) {
        #expect(Paths.fileName(of: path) == name)
        #expect(Paths.stem(of: path) == stem)
        #expect(Paths.fileExtension(of: path) == ext)
    }
}
