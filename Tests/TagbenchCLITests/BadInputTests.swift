import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Every bad input gets a clear error, exit status 1, and changes nothing: each case runs piped
/// commands on a saved session and checks the message, the status and the session's bytes.
@Suite(.serialized)
struct BadInputTests {
    static let cases: [(name: String, input: String, message: String)] = [
        ("invalid UTF-8", "load bad/invalid.txt\n", "error: bad/invalid.txt is not valid UTF-8 (byte offset 3)"),
        ("binary file", "load bad/binary.txt\n", "error: bad/binary.txt looks binary: NUL byte at offset 2"),
        ("missing path", "load nowhere.txt\n", "error: no such file or directory: nowhere.txt"),
        ("not a regular file", "load bad/fifo.txt\n", "error: cannot read bad/fifo.txt: not a regular file"),
        ("directory without .txt", "load bad/empty-dir\n", "error: no .txt files in bad/empty-dir"),
        ("unknown command", "tga 巡察 1:2\n", "error: unknown command \"tga\" — did you mean tag?"),
        ("unknown option", "find 巡察 --everywhere\n", "error: find has no option --everywhere"),
        ("unbalanced quote", "tag 巡察 \"巡察工作\n", "<stdin>:1:8: error: unterminated quote"),
        ("invalid regex", "tag 巡察 all /巡(察/\n", "error: invalid regular expression /巡(察/"),
        (
            "offsets out of range", "tag 巡察 1000:99999\n",
            "error: range 1000:99999 is outside the document (length 1241)"
        ),
        ("hit with no find", "tag 巡察 h1\n", "error: no find results to refer to"),
        ("script that does not exist", "run missing.tb\n", "error: no such file or directory: missing.tb"),
        ("export over the session", "export spans s.json\n", "error: refusing to overwrite s.json"),
        (
            "export over a document", "export spans Fixtures/corpus/qu-jiceng.txt\n",
            "error: refusing to overwrite Fixtures/corpus/qu-jiceng.txt"
        ),
        (
            "save over a document", "save Fixtures/corpus/qu-jiceng.txt\n",
            "error: refusing to overwrite Fixtures/corpus/qu-jiceng.txt"
        ),
        (
            "export over a symbolic link to a document", "export spans link.jsonl\n",
            "error: refusing to overwrite link.jsonl"
        ),
        (
            "export over a hard link to a document", "export spans hard.jsonl\n",
            "error: refusing to overwrite hard.jsonl"
        ),
        (
            "export over the session by another name", "export spans ./bad/../s.json\n",
            "error: refusing to overwrite ./bad/../s.json"
        ),
        ("unknown label", "tag 巡查 1:3\n", "error: unknown label \"巡查\" — did you mean 巡察?"),
        ("unknown annotation", "untag a999\n", "error: no annotation a999"),
        ("unknown encoding", "load --encoding latin9 x.txt\n", "error: unknown encoding \"latin9\""),
        (
            "bytes invalid in the encoding", "load --encoding gb18030 bad/invalid-gb.txt\n",
            "error: bad/invalid-gb.txt is not valid gb18030 (byte offset 4)"
        )
    ]

    func prepared() throws -> String {
        let dir = try Workspace.make()
        try FileManager.default.createDirectory(atPath: dir + "/bad/empty-dir", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: dir + "/bad/invalid.txt", contents: Data([0x41, 0x42, 0x43, 0xC3, 0x28]))
        _ = FileManager.default.createFile(atPath: dir + "/bad/binary.txt", contents: Data([0x41, 0x42, 0x00, 0x43]))
        mkfifo(dir + "/bad/fifo.txt", 0o644)
        _ = FileManager.default.createFile(
            atPath: dir + "/bad/invalid-gb.txt", contents: Data([0xD1, 0xB2, 0xB2, 0xE9, 0xFF, 0x41]))
        symlink("Fixtures/corpus/qu-jiceng.txt", dir + "/link.jsonl")
        link(dir + "/Fixtures/corpus/qu-jiceng.txt", dir + "/hard.jsonl")
        // The demo session, saved as s.json here (its document paths then relative to here).
        let result = try tagbench(["Sessions/demo.json"], in: dir, input: "save s.json\n")
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    @Test(arguments: cases)
    func badInputIsAClearErrorAndChangesNothing(name: String, input: String, message: String) throws {
        let dir = try prepared()
        let before = try read(dir + "/s.json")
        let result = try tagbench(["s.json"], in: dir, input: input + "save\n")
        #expect(result.status == 1, "\(name)")
        #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
        #expect(!result.stdout.contains("saved"), "\(name): the line after the error did not run")
        #expect(try read(dir + "/s.json") == before, "\(name): the session is unchanged")
        #expect(!exists(dir + "/.s.json.journal"), "\(name): no journal left behind")
    }

    static let badSessions: [(name: String, content: String, message: String)] = [
        (
            "newer format", "{\"format\": \"tagbench-session\", \"version\": 2}",
            "error: bad.json has format version 2; this tagbench reads up to 1"
        ),
        (
            "malformed", "{\"format\": \"tagbench-session\",\n\"version\": 1,,}",
            "bad.json:2:14: error: malformed JSON: expected a string"
        ),
        ("not a session", "[1, 2, 3]", "bad.json:1:1: error: malformed JSON: expected an object"),
        (
            "span out of range", "\"start\": 153, \"end\": 157|\"start\": 153, \"end\": 99999",
            "annotation a1 ends at 99999, beyond document xinqu-2023"
        ),
        (
            "start not before end", "\"start\": 153, \"end\": 157|\"start\": 157, \"end\": 153",
            "annotation a1 has start 157 and end 153"
        ),
        (
            "unknown label", "\"label\": \"主题教育\", \"text\"|\"label\": \"无此标签\", \"text\"",
            "annotation a1 has label \"无此标签\", which is not in the tag set"
        ),
        ("duplicate ids", "{\"id\": \"a2\"|{\"id\": \"a1\"", "annotation id a1 appears twice"),
        (
            "unknown document", "{\"id\": \"a1\", \"doc\": \"xinqu-2023\"|{\"id\": \"a1\", \"doc\": \"nowhere\"",
            "annotation a1 refers to document \"nowhere\""
        )
    ]

    @Test(arguments: badSessions)
    func badSessionFilesAreRefusedAndLeftAsTheyWere(name: String, content: String, message: String) throws {
        let dir = try Workspace.make()
        // "FIND|REPLACE" breaks the demo session; anything else is the whole file.
        let edit = content.split(separator: "|", maxSplits: 1).map(String.init)
        var text = content
        if edit.count == 2 {
            text = try read(dir + "/Sessions/demo.json").replacingOccurrences(of: edit[0], with: edit[1])
        }
        let name = edit.count == 2 ? "Sessions/bad.json" : "bad.json"
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try tagbench([name], in: dir, input: "label add x\nsave\n")
        #expect(result.status == 1, "\(name)")
        #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
        #expect(try read(path) == text, "\(name): the file is left as it was")
    }

    @Test func aChangedDocumentIsReportedAndItsLostSpansListedAsOrphans() throws {
        let dir = try prepared()
        let path = dir + "/Fixtures/corpus/qu-jiceng.txt"
        let text = try read(path)
        // Replace the second 巡察 (one of the demo's spans) and prepend a line: the rest move.
        let second = text.range(of: "巡察", range: text.range(of: "巡察")!.upperBound..<text.endIndex)!
        try ("新增一行。\n" + text.replacingCharacters(in: second, with: "检查")).write(
            toFile: path, atomically: true, encoding: .utf8)
        var result = try tagbench(["s.json"], in: dir, input: "orphans\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: document qu-jiceng changed since it was annotated: 0 spans still in place, 2 moved with their text, 1 orphaned"
            ))
        #expect(result.stdout.contains("巡察  qu-jiceng  1182:1184  巡察"))
        result = try tagbench(["export", "s.json", "spans", "out.jsonl"], in: dir)
        #expect(result.stderr.contains("warning: 1 orphaned span left out (orphans lists them)"))
        Workspace.keep(dir + "/s.json", as: "orphans-session.json")
    }

    /// An argument that is not UTF-8 (a GBK file name) is refused before anything is read or
    /// written: read as a String, it would name another file (U+FFFD in place of its bytes).
    @Test func anArgumentThatIsNotUTF8IsRefused() throws {
        let dir = try Workspace.make()
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        // 测试 in GBK: B2 E2 CA D4.
        let result = try tagbench(
            ["report", "Sessions/demo.json"], in: dir, shell: "set -- \"$@\" \"$(printf '\\262\\342\\312\\324')\"")
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: argument 3 ("), "\(result.stderr)")
        #expect(result.stderr.contains(") is not UTF-8"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before)
    }

    @Test func anEmptyFileIsLoadedWithAWarning() throws {
        let dir = try prepared()
        _ = FileManager.default.createFile(atPath: dir + "/empty.txt", contents: Data())
        let result = try tagbench(["s.json"], in: dir, input: "load empty.txt\ndocs\nsave\n")
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: empty.txt is empty; loaded as empty with no text"))
        #expect(result.stdout.contains(" 5  empty ") && result.stdout.contains("0 chars"))
    }

    @Test func aTenMegabyteOneLineDocumentWorks() throws {
        let dir = try Workspace.make()
        let line = String(repeating: "全面从严治党，深化巡察整改。", count: 250_000)
        try line.write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        #expect(line.utf8.count > 10_000_000)
        let result = try tagbench(
            ["s.json"], in: dir, input: "label add 巡察\nload long.txt\ntag 巡察 all 巡察\nfind 整改\nsave\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tagged 250,000 spans 巡察"))
        #expect(result.stdout.contains("250,000 matches"))
    }

    static let badCommandLines: [[String]] = [
        ["agree", "a.json"], ["export"], ["merge"], ["stats", "s.json", "--width"], ["tag", "--nonsense"]
    ]

    /// A wrong command line (not a wrong input) exits 64, sysexits' EX_USAGE, with the usage on
    /// stderr: scripts can tell "you called me wrong" from "your data is wrong" (1).
    @Test(arguments: badCommandLines)
    func aWrongCommandLineExits64WithTheUsage(_ arguments: [String]) throws {
        let dir = try Workspace.make()
        let result = try tagbench(arguments, in: dir)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Usage: tagbench"), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
