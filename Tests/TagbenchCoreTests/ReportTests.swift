import Foundation
import CTagbenchBytes
import Testing
@testable import TagbenchCore

/// `report`: the HTML written (escaping, one mark per span, lanes, links) and where it may go.
struct ReportTests {
    static let escapes: [(String, String)] = [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a&b \"c\" 'd'", "a&amp;b &quot;c&quot; &#39;d&#39;"),
        ("行一\r\n行二", "行一&#13;\n行二"),
        ("𠀀巡察", "𠀀巡察"),
        ("", "")
    ]

    @Test(arguments: escapes)
    func textIsEscapedForElementsAndAttributes(text: String, expected: String) {
        #expect(JSONWriter.escapedHTML(text) == expected)
    }

    /// Escaping a long text (the 32-byte steps, each escaped byte at every place in them)
    /// equals escaping it a character at a time, as the table above defines it.
    @Test func longTextIsEscapedAsACharacterAtATimeWould() {
        let reference: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]
        let pieces: [String] = ["&", "<", ">", "\"", "'", "\r", "\n", "巡", "察", "𠀀", "a", " ", "=", "?", "\u{7F}"]
        for _ in 0..<2_000 {
            let text = String(
                (0..<Int.random(in: 0...90)).map { _ in Int.random(in: 0..<4) == 0 ? pieces.randomElement()! : "巡" }
                    .joined())
            var expected = ""
            for scalar in text.unicodeScalars {
                expected += scalar == "\r" ? "&#13;" : reference[Character(scalar)] ?? String(scalar)
            }
            #expect(JSONWriter.escapedHTML(text) == expected, "\(text.debugDescription)")
        }
    }

    /// The run finder, both ways, against its definition on buffers of every length around the
    /// 32-byte step.
    @Test func htmlRunFinderStopsAtTheFirstByteToEscapeBothWays() {
        let special: [UInt8] = [0x0D, 0x0A, 0x22, 0x26, 0x27, 0x3C, 0x3D, 0x3E, 0x3F, 0x80, 0xA6, 0xBC, 0xE5]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...100)
            var buffer = (0..<n).map { _ in UInt8.random(in: 0x80...0xFF) }
            for _ in 0..<Int.random(in: 0...2) where n > 0 {
                buffer[Int.random(in: 0..<n)] = special.randomElement()!
            }
            let expected = buffer.firstIndex { [0x26, 0x3C, 0x3E, 0x22, 0x27, 0x0D].contains($0) } ?? n
            buffer.withUnsafeBufferPointer { b in
                let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                #expect(tb_html_plain_prefix(base, n) == expected, "\(buffer)")
                #expect(tb_html_plain_prefix_portable(base, n) == expected, "\(buffer)")
            }
        }
    }

    @Test func colourOutsideHexIsGreyInTheStyleSheet() {
        #expect(JSONWriter.cssColour("#3cB44b") == "#3cB44b")
        #expect(JSONWriter.cssColour("red;}body{display:none") == "#888888")
        #expect(JSONWriter.cssColour("#12345") == "#888888")
    }

    /// A session over one document with nested and crossing spans, an astral character, and a
    /// label and a note of markup.
    func harness() throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try "首段𠀀巡察巡视整改<落实>&。\n\n次段开展巡察。\n".write(toFile: dir + "/x.txt", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run(
            "label add \"<script>x</script>\"", "label add 巡察", "label add 整改", "load x.txt", "open x",
            "tag \"<script>x</script>\" 0:14", "tag 巡察 2:5", "tag 巡察 3:7", "tag 整改 5:14", "tag 巡察 20:22",
            "note a2 \"<b>注</b>\"", "save")
        return h
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func everySpanIsOneMarkWithItsOffsetsAndNothingIsMarkup() throws {
        let h = try harness()
        try h.run("report out")
        #expect(h.messages.last == "wrote a report of 1 document and 5 spans: out/index.html")
        let page = try read(h.directory + "/out/docs/1.html")
        #expect(page.components(separatedBy: "<mark ").count - 1 == 5)
        for a in h.engine.session.allAnnotations {
            #expect(page.contains("id=\"a\(a.number)\""))
            #expect(page.contains("data-start=\"\(a.range.start)\" data-end=\"\(a.range.end)\""))
        }
        #expect(!page.contains("<script>x"), "the label is text")
        #expect(page.contains("data-label=\"&lt;script&gt;x&lt;/script&gt;\""))
        #expect(!page.contains("<b>注") && page.contains("&lt;b&gt;注&lt;/b&gt;"))
        #expect(page.contains("&lt;落实&gt;&amp;"))
        // a1 holds a2–a4 and a2 crosses a3: three lanes in the first paragraph's block, one in
        // the second's; a copy of the text for each further lane.
        #expect(page.contains("style=\"--n:3\"") && page.contains("style=\"--n:1\""))
        #expect(page.components(separatedBy: "aria-hidden=\"true\"").count - 1 == 2)
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains(" src="))
        let index = try read(h.directory + "/out/index.html")
        #expect(index.contains("<a href=\"docs/1.html\">x</a>") && index.contains("<svg"))
        #expect(index.contains("&lt;script&gt;x&lt;/script&gt;") && !index.contains("<script>"))
    }

    @Test func docsAndLabelsChooseWhatIsShown() throws {
        let h = try harness()
        try h.run("load Fixtures/corpus", "report out --docs x,qu-jiceng --labels 巡察")
        let names = try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs").sorted()
        #expect(names == ["1.html", "2.html"])
        let page = try read(h.directory + "/out/docs/1.html")
        #expect(page.components(separatedBy: "<mark ").count - 1 == 3)
        #expect(h.failure("report out --labels 巡查") == .unknownLabel("巡查", suggestion: "巡察"))
    }

    @Test func refusesTheSessionDocumentsAndFoldersItDidNotMake() throws {
        let h = try harness()
        #expect(h.failure("report s.json") == .exportOverInput("s.json"))
        #expect(h.failure("report x.txt") == .exportOverInput("x.txt"))
        if case .writeFailed(_, let reason)? = h.failure("report Fixtures") {
            #expect(reason.contains("no tagbench report made"))
        } else {
            Issue.record("a folder of other files was written over")
        }
        // A report folder holding a document (moved in after) is not replaced either.
        try h.run("report out")
        try FileManager.default.moveItem(atPath: h.directory + "/x.txt", toPath: h.directory + "/out/docs/x.html")
        try FileManager.default.createSymbolicLink(
            atPath: h.directory + "/x.txt", withDestinationPath: h.directory + "/out/docs/x.html")
        if case .writeFailed? = h.failure("report out") {
        } else {
            Issue.record("a report holding a document was replaced")
        }
        #expect(FileManager.default.fileExists(atPath: h.directory + "/out/docs/x.html"))
    }

    @Test func anEarlierReportIsReplacedWhole() throws {
        let h = try harness()
        try h.run("load Fixtures/corpus", "report out")
        #expect(FileManager.default.fileExists(atPath: h.directory + "/out/docs/5.html"))
        try h.run("report out --docs x")
        let names = try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs")
        #expect(names == ["1.html"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: h.directory).filter { $0.hasPrefix(".out") }
        #expect(leftovers.isEmpty)
    }

    /// Wherever a report replacing an earlier one stops for good (a crash after each operation
    /// of the seam in turn), OUT is the earlier report or the new one, whole: the two swap names
    /// in one step. Where the file system cannot swap (the portable build), OUT may be missing
    /// only with the earlier report set aside, and the next report puts a whole one in place.
    @Test func outIsAlwaysOneWholeReport() throws {
        let manager = FileManager.default
        let scratch = try Fixture.workspace()
        try manager.createDirectory(atPath: scratch + "/a", withIntermediateDirectories: false)
        try manager.createDirectory(atPath: scratch + "/b", withIntermediateDirectories: false)
        let canSwap = SystemFileOperations.shared.exchange(scratch + "/a", scratch + "/b") == 0
        let index = { (h: EngineHarness) in try read(h.directory + "/out/index.html") }
        let pages = { (h: EngineHarness) in try manager.contentsOfDirectory(atPath: h.directory + "/out/docs").sorted()
        }
        // The earlier report (every document) and the new one (`--docs x`), as made whole.
        let reference = try harness()
        try reference.run("load Fixtures/corpus", "report out")
        let (earlierIndex, earlierPages) = (try index(reference), try pages(reference))
        let counting = FaultyFileSystem(.fail(at: .max, error: EIO))
        reference.engine.files = counting
        try reference.run("report out --docs x")
        let (newIndex, newPages) = (try index(reference), try pages(reference))
        #expect(earlierPages.count == 5 && newPages == ["1.html"])
        for after in 0...counting.operations {
            let h = try harness()
            try h.run("load Fixtures/corpus", "report out")
            h.engine.files = FaultyFileSystem(.crash(after: after))
            _ = h.failure("report out --docs x")
            if manager.fileExists(atPath: h.directory + "/out") {
                let whole = try (index(h), pages(h))
                #expect(whole == (earlierIndex, earlierPages) || whole == (newIndex, newPages), "crash after \(after)")
            } else {
                #expect(!canSwap, "no OUT after a crash after operation \(after)")
                #expect(manager.fileExists(atPath: h.directory + "/.out.old.tmp-\(getpid())"))
                h.engine.files = SystemFileOperations.shared
                try h.run("report out --docs x")
                #expect(try (index(h), pages(h)) == (newIndex, newPages))
            }
        }
    }

    /// A session whose `report out` replaced an earlier report and could not remove all of it
    /// (its second page's `unlink` failed): `.out.old.tmp-PID` is left.
    func harnessWithAnEarlierReportLeft() throws -> EngineHarness {
        let h = try harness()
        try h.run("load Fixtures/corpus", "report out")
        // Where the earlier report's first page is removed, in a report that fails nothing.
        let counting = FaultyFileSystem(.fail(at: .max, error: EIO))
        h.engine.files = counting
        try h.run("report out")
        // The first `unlink` once the new report has OUT's name (swapped with the earlier, or
        // after the earlier stepped aside where the file system cannot swap).
        let placed = try #require(counting.log.lastIndex { $0.hasPrefix("exchange ") || $0.hasPrefix("rename ") })
        let at = try #require(counting.log[placed...].firstIndex { $0.hasPrefix("unlink ") }) + 1
        h.engine.files = FaultyFileSystem(.fail(at: at, error: EACCES))
        try h.run("report out")
        return h
    }

    /// An earlier report that cannot be removed once the new one took its name: the report is
    /// done (the new one in place), the rest of the earlier is named in a warning, and the next
    /// report removes it.
    @Test func anEarlierReportThatCannotBeRemovedIsSaidAndRemovedNextTime() throws {
        let h = try harnessWithAnEarlierReportLeft()
        let warning = try #require(h.warnings.last)
        #expect(
            warning.hasPrefix("the earlier report could not be removed entirely: what is left of it is in .out.old."))
        #expect(warning.hasSuffix(", which the next report to out removes if only report pages are left in it"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs").count == 5)
        let left = { try FileManager.default.contentsOfDirectory(atPath: h.directory).filter { $0.hasPrefix(".out") } }
        #expect(try left() == [".out.old.tmp-\(getpid())"])
        h.engine.files = SystemFileOperations.shared
        try h.run("report out --docs x")
        #expect(try left().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs") == ["1.html"])
    }

    /// A leftover the next report tries and fails to remove is said, and the report is made.
    @Test func aLeftoverThatCannotBeRemovedAgainIsSaid() throws {
        // Where the sweep removes the leftover's first page, seen in a run that fails nothing.
        let counting = FaultyFileSystem(.fail(at: .max, error: EIO))
        let seen = try harnessWithAnEarlierReportLeft()
        seen.engine.files = counting
        try seen.run("report out")
        let at = try #require(counting.log.firstIndex { $0.hasPrefix("unlink ") && $0.contains(".out.old.tmp-") }) + 1
        let h = try harnessWithAnEarlierReportLeft()
        h.engine.files = FaultyFileSystem(.fail(at: at, error: EBUSY))
        try h.run("report out --docs x")
        #expect(
            h.warnings.last
                == "what earlier reports left in .out.old.tmp-\(getpid()) could not be removed; the next report to out tries again"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs") == ["1.html"])
    }

    /// What is left of an earlier report that the next one may not remove (something not a
    /// report's was put in it) does not stand in the way of the reports after it.
    @Test func aLeftoverThatStaysDoesNotStopTheNextReport() throws {
        let h = try harnessWithAnEarlierReportLeft()
        let leftover = h.directory + "/.out.old.tmp-\(getpid())"
        try "笔记".write(toFile: leftover + "/docs/notes.txt", atomically: false, encoding: .utf8)
        h.engine.files = SystemFileOperations.shared
        for _ in 0..<2 {
            try h.run("report out --docs x")
            #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs") == ["1.html"])
            let left = try FileManager.default.contentsOfDirectory(atPath: h.directory).filter { $0.hasPrefix(".out") }
            #expect(left == [".out.old.tmp-\(getpid())"])
            #expect(try read(leftover + "/docs/notes.txt") == "笔记")
        }
    }

    /// The next report removes what a killed report left (a staging folder of a process that
    /// is gone), and only that: a folder of the user's by such a name, or one holding a
    /// document of the session or a page no report wrote, stays.
    @Test func onlyWhatAReportLeftIsRemovedByTheNext() throws {
        let h = try harness()
        let manager = FileManager.default
        let folder = { (name: String) in h.directory + "/" + name }
        // A page's head as every report page begins (the generator named in its first bytes).
        let page = "<!DOCTYPE html>\n<html><head><meta name=\"generator\" content=\"\(ReportWriter.generator)\">"
        try manager.createDirectory(atPath: folder(".out.tmp-999999991/docs"), withIntermediateDirectories: true)
        try page.write(toFile: folder(".out.tmp-999999991/docs/1.html"), atomically: false, encoding: .utf8)
        // Created and not yet written when the report was killed.
        try "".write(toFile: folder(".out.tmp-999999991/docs/2.html"), atomically: false, encoding: .utf8)
        try manager.createDirectory(atPath: folder(".out.old3.tmp-999999995/docs"), withIntermediateDirectories: true)
        try page.write(toFile: folder(".out.old3.tmp-999999995/index.html"), atomically: false, encoding: .utf8)
        // The shape of a report, but a page of the user's.
        try manager.createDirectory(atPath: folder(".out.old2.tmp-999999996/docs"), withIntermediateDirectories: true)
        try page.write(toFile: folder(".out.old2.tmp-999999996/index.html"), atomically: false, encoding: .utf8)
        try "<p>我的页面</p>".write(
            toFile: folder(".out.old2.tmp-999999996/docs/7.html"), atomically: false, encoding: .utf8)
        try manager.createDirectory(atPath: folder(".out.old.tmp-999999992/mine"), withIntermediateDirectories: true)
        try "论文".write(toFile: folder(".out.old.tmp-999999992/mine/thesis.txt"), atomically: false, encoding: .utf8)
        try manager.createDirectory(atPath: folder(".out.tmp-999999993/docs"), withIntermediateDirectories: true)
        try manager.moveItem(atPath: folder("x.txt"), toPath: folder(".out.tmp-999999993/docs/x.html"))
        try manager.createSymbolicLink(
            atPath: folder("x.txt"), withDestinationPath: folder(".out.tmp-999999993/docs/x.html"))
        try h.run("report out")
        #expect(!manager.fileExists(atPath: folder(".out.tmp-999999991")))
        #expect(!manager.fileExists(atPath: folder(".out.old3.tmp-999999995")))
        #expect(try read(folder(".out.old2.tmp-999999996/docs/7.html")) == "<p>我的页面</p>")
        #expect(try read(folder(".out.old.tmp-999999992/mine/thesis.txt")) == "论文")
        #expect(manager.fileExists(atPath: folder(".out.tmp-999999993/docs/x.html")))
        // Another report's, named the same only as Strings (`é` decomposed, not composed).
        try manager.createDirectory(atPath: folder(".e\u{301}.tmp-999999994/docs"), withIntermediateDirectories: true)
        try page.write(toFile: folder(".e\u{301}.tmp-999999994/docs/1.html"), atomically: false, encoding: .utf8)
        try h.run("report \u{E9}")
        #expect(manager.fileExists(atPath: folder(".e\u{301}.tmp-999999994/docs/1.html")))
    }

    /// Runs `action` once, when the first page is reported written: what another process
    /// might do to the folders while a report is being written.
    final class WhileWriting: ProgressMonitor {
        var action: (() throws -> Void)?
        init(_ action: @escaping () throws -> Void) { self.action = action }
        func progress(_ task: String, done: Int, of total: Int) {
            let run = action
            action = nil
            try? run?()
        }
        var shouldStop: Bool { false }
        func finished() {}
    }

    /// A folder of the user's with the files to keep that a test puts where a report should
    /// never reach: `notes.txt`, `sub/deep.txt`, pages as reports write them (`docs/1.html`,
    /// `index.html`) and one of the user's (`mine.html`).
    func victim(in directory: String) throws -> (path: String, intact: () throws -> Bool) {
        let path = directory + "/victim"
        let manager = FileManager.default
        try manager.createDirectory(atPath: path + "/sub", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: path + "/docs", withIntermediateDirectories: true)
        let page = "<!DOCTYPE html><meta name=\"generator\" content=\"\(ReportWriter.generator)\">我的"
        let files = [
            "notes.txt": "笔记", "sub/deep.txt": "深处", "docs/1.html": page, "index.html": page,
            "mine.html": "<p>我的页面</p>"
        ]
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: false, encoding: .utf8) }
        return (path, { try files.allSatisfy { try read(path + "/" + $0.key) == $0.value } })
    }

    /// Once the pages are written, moves `path` to `keptAt` and puts `victim` in its place, or
    /// with `link` a link to it: another process swapping a folder under the report.
    func swapWhileWriting(_ path: String, keptAt: String, for victim: String, link: Bool = false) -> WhileWriting {
        WhileWriting {
            try FileManager.default.moveItem(atPath: path, toPath: keptAt)
            if link {
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
            } else {
                try FileManager.default.moveItem(atPath: victim, toPath: path)
            }
        }
    }

    /// A folder or a link where the report's staging folder is to be made is never removed nor
    /// entered: the report fails.
    @Test func whatIsInTheStagingFoldersPlaceIsLeftAlone() throws {
        let h = try harness()
        let (victim, intact) = try victim(in: h.directory)
        let staging = h.directory + "/.out.tmp-\(getpid())"
        try FileManager.default.createSymbolicLink(atPath: staging, withDestinationPath: victim)
        if case .writeFailed? = h.failure("report out") {} else { Issue.record("a report through a link") }
        #expect(try intact())
        try FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        try "我的".write(toFile: staging + "/notes.txt", atomically: false, encoding: .utf8)
        if case .writeFailed? = h.failure("report out") {} else { Issue.record("a report into a folder of the user's") }
        #expect(try read(staging + "/notes.txt") == "我的")
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/out"))
    }

    /// OUT swapped, while the report is written, for a link or for a folder of the user's: the
    /// report fails, and what is there now is neither moved nor entered; the earlier report and
    /// the new one's staging folder are as a failed report leaves them.
    @Test(arguments: [true, false]) func anOutSwappedWhileTheReportIsWrittenIsLeftAlone(link: Bool) throws {
        let h = try harness()
        try h.run("report out")
        let (victim, intact) = try victim(in: h.directory)
        let out = h.directory + "/out"
        h.engine.monitor = swapWhileWriting(out, keptAt: h.directory + "/earlier", for: victim, link: link)
        #expect(h.failure("report out") == .writeFailed("out", reason: "it changed while the report was written"))
        #expect(FileSystem.isLink(out) == link)
        if !link { try FileManager.default.moveItem(atPath: out, toPath: victim) }
        #expect(try intact())
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/earlier/docs") == ["1.html"])
        let left = try FileManager.default.contentsOfDirectory(atPath: h.directory).filter { $0.hasPrefix(".out") }
        #expect(left.isEmpty, "\(left)")
    }

    /// The staging folder swapped for a link while the report is written: the report fails and
    /// nothing where the link leads is removed.
    @Test func aStagingFolderSwappedForALinkIsNotEntered() throws {
        let h = try harness()
        let (victim, intact) = try victim(in: h.directory)
        let staging = h.directory + "/.out.tmp-\(getpid())"
        h.engine.monitor = swapWhileWriting(staging, keptAt: h.directory + "/moved", for: victim, link: true)
        if case .writeFailed? = h.failure("report out") {} else { Issue.record("a report through a swapped link") }
        #expect(try intact())
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/out"))
    }

    /// The staging folder swapped for a link to a folder of the user's while the report is
    /// written: what is still to be written (the index) goes into the folder the report made,
    /// never where the link leads.
    @Test func aStagingFolderSwappedForALinkGetsNoFiles() throws {
        let h = try harness()
        let mine = h.directory + "/mine"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: false)
        try "笔记".write(toFile: mine + "/notes.txt", atomically: false, encoding: .utf8)
        let staging = h.directory + "/.out.tmp-\(getpid())"
        h.engine.monitor = swapWhileWriting(staging, keptAt: h.directory + "/moved", for: mine, link: true)
        if case .writeFailed? = h.failure("report out") {} else { Issue.record("a report through a swapped link") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine) == ["notes.txt"])
        #expect(try read(mine + "/notes.txt") == "笔记")
    }

    /// The earlier report's `docs` swapped for a folder of the user's while the report is
    /// written: the `docs` checked at the start is the one emptied, and the user's folder stays.
    @Test func anEarlierReportsDocsSwappedWhileTheReportIsWrittenIsLeftAlone() throws {
        let h = try harness()
        try h.run("report out")
        let (victim, intact) = try victim(in: h.directory)
        let docs = h.directory + "/out/docs"
        h.engine.monitor = swapWhileWriting(docs, keptAt: h.directory + "/checked", for: victim)
        try h.run("report out")
        let aside = try #require(
            try FileManager.default.contentsOfDirectory(atPath: h.directory).first { $0.hasPrefix(".out.old") })
        try FileManager.default.moveItem(atPath: h.directory + "/" + aside + "/docs", toPath: victim)
        #expect(try intact())
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/checked").isEmpty)
    }

    /// A leftover's `docs` swapped for a folder of the user's between the sweep's check and its
    /// removal: the folder checked is the one emptied.
    @Test func aLeftoversDocsSwappedAfterTheCheckIsLeftAlone() throws {
        let h = try harness()
        try h.run("report left")
        let (victim, intact) = try victim(in: h.directory)
        let left = try #require(ReportFolder(h.directory + "/left"))
        #expect(left.firstNotAReports(protected: ProtectedFiles([]), orEmpty: true) == nil)
        try FileManager.default.moveItem(atPath: h.directory + "/left/docs", toPath: h.directory + "/checked")
        try FileManager.default.moveItem(atPath: victim, toPath: h.directory + "/left/docs")
        #expect(!left.remove(files: SystemFileOperations.shared))
        try FileManager.default.moveItem(atPath: h.directory + "/left/docs", toPath: victim)
        #expect(try intact())
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/checked").isEmpty)
    }

    /// An earlier report with a page of the user's put among its pages is not replaced.
    @Test func anEarlierReportHoldingAPageOfTheUsersIsNotReplaced() throws {
        let h = try harness()
        try h.run("report out")
        try "<p>我的页面</p>".write(toFile: h.directory + "/out/docs/mine.html", atomically: false, encoding: .utf8)
        // The refusal names what is not a report's.
        #expect(
            h.failure("report out")
                == .writeFailed(
                    "out",
                    reason:
                        "a folder that is not empty and that no tagbench report made (docs/mine.html is not a report's; give a new or empty folder)"
                ))
        #expect(try read(h.directory + "/out/docs/mine.html") == "<p>我的页面</p>")
    }

    /// A page of the user's put into the earlier report after it was checked is not removed
    /// with it: the rest of the earlier report is left beside OUT, said in a warning.
    @Test func aPageOfTheUsersAddedToTheEarlierReportAfterTheCheckStays() throws {
        let h = try harness()
        try h.run("report out")
        h.engine.monitor = WhileWriting {
            try "<p>我的页面</p>".write(toFile: h.directory + "/out/docs/mine.html", atomically: false, encoding: .utf8)
        }
        try h.run("report out")
        let aside = try #require(
            try FileManager.default.contentsOfDirectory(atPath: h.directory).first { $0.hasPrefix(".out.old") })
        #expect(try read(h.directory + "/" + aside + "/docs/mine.html") == "<p>我的页面</p>")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: h.directory + "/" + aside + "/docs") == ["mine.html"])
        #expect(h.warnings.last?.hasPrefix("the earlier report could not be removed entirely") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs") == ["1.html"])
    }

    /// A file of the user's put into the report's staging folder while it is written (here
    /// where the index is to go, so the report fails) is not removed with the staging folder:
    /// a failed report removes only the files it created.
    @Test func aFileOfTheUsersInTheStagingFolderStaysWhenTheReportFails() throws {
        let h = try harness()
        let staging = h.directory + "/.out.tmp-\(getpid())"
        h.engine.monitor = WhileWriting {
            try "<p>我的</p>".write(toFile: staging + "/index.html", atomically: false, encoding: .utf8)
            try "笔记".write(toFile: staging + "/docs/notes.html", atomically: false, encoding: .utf8)
        }
        if case .writeFailed? = h.failure("report out") {} else { Issue.record("the index was written over a file") }
        #expect(try read(staging + "/index.html") == "<p>我的</p>")
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging + "/docs") == ["notes.html"])
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/out"))
    }

    /// The staging folder's `docs` swapped, while the pages are written, for a link or for a
    /// folder of the user's: the report fails rather than take OUT's name without its pages,
    /// and the earlier report stays.
    @Test(arguments: [true, false]) func aStagingDocsSwappedWhileTheReportIsWrittenFailsIt(link: Bool) throws {
        let h = try harness()
        try h.run("report out")
        let earlier = try read(h.directory + "/out/index.html")
        let (victim, intact) = try victim(in: h.directory)
        let docs = h.directory + "/.out.tmp-\(getpid())/docs"
        h.engine.monitor = swapWhileWriting(docs, keptAt: h.directory + "/moved", for: victim, link: link)
        #expect(
            h.failure("report out")
                == .writeFailed("out", reason: "it changed while the report was written (at docs)"))
        #expect(try read(h.directory + "/out/index.html") == earlier)
        #expect(!FileSystem.isLink(h.directory + "/out/docs"))
        if !link { try FileManager.default.moveItem(atPath: docs, toPath: victim) }
        #expect(try intact())
    }

    /// The staging folder's `docs` swapped for a link in the instant before the report takes
    /// OUT's name (after the last check): the report, found under OUT with a `docs` not its own,
    /// is put back, the earlier report is OUT again, and the report fails.
    @Test func aDocsSwappedJustBeforeTheReportTakesOutsNameIsPutBack() throws {
        let h = try harness()
        try h.run("report out")
        let earlier = try read(h.directory + "/out/index.html")
        let mine = h.directory + "/mine"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: false)
        let docs = h.directory + "/.out.tmp-\(getpid())/docs"
        h.engine.files = FaultyFileSystem(
            .beforeMoving {
                try? FileManager.default.moveItem(atPath: docs, toPath: h.directory + "/moved")
                try? FileManager.default.createSymbolicLink(atPath: docs, withDestinationPath: mine)
            })
        #expect(
            h.failure("report out")
                == .writeFailed("out", reason: "it changed while the report was written"))
        #expect(try read(h.directory + "/out/index.html") == earlier)
        #expect(!FileSystem.isLink(h.directory + "/out/docs"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine).isEmpty)
    }

    /// A page of the earlier report written over in place (the same file, new contents) while
    /// the report is written is the user's now: it is not removed with the earlier report.
    @Test func aPageOfTheEarlierReportWrittenOverSinceTheCheckStays() throws {
        let h = try harness()
        try h.run("load Fixtures/corpus", "report out")
        let page = h.directory + "/out/docs/2.html"
        h.engine.monitor = WhileWriting {
            let handle = try #require(FileHandle(forWritingAtPath: page))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("<p>我改过的</p>".utf8))
            try handle.close()
        }
        try h.run("report out")
        let aside = try #require(
            try FileManager.default.contentsOfDirectory(atPath: h.directory).first { $0.hasPrefix(".out.old") })
        #expect(try read(h.directory + "/" + aside + "/docs/2.html") == "<p>我改过的</p>")
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/" + aside + "/docs") == ["2.html"])
    }

    /// A leftover holding a file no report names so (here an empty `mine.html`, which a killed
    /// report's empty pages would otherwise pass for) is kept, and said at every report.
    @Test func aLeftoverHoldingAFileOfTheUsersIsKeptAndSaid() throws {
        let h = try harness()
        try h.run("report out")
        let leftover = h.directory + "/.out.tmp-999999991"
        try FileManager.default.createDirectory(atPath: leftover + "/docs", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: h.directory + "/out/docs/1.html", toPath: leftover + "/docs/1.html")
        #expect(FileManager.default.createFile(atPath: leftover + "/docs/mine.html", contents: Data()))
        for _ in 0..<2 {
            try h.run("report out")
            #expect(FileManager.default.fileExists(atPath: leftover + "/docs/mine.html"))
            #expect(
                h.warnings.last
                    == ".out.tmp-999999991 beside out holds files no report wrote and is left as it is; remove what you do not need yourself"
            )
        }
    }

    /// The report takes the permissions and the set-group-id bit of the folder it replaces: a
    /// folder kept from others stays so.
    @Test(arguments: [0o700, 0o2750]) func aReplacedFolderKeepsItsPermissions(mode: Int) throws {
        let h = try harness()
        try h.run("report out")
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: h.directory + "/out")
        try h.run("report out")
        var info = stat()
        #expect(lstat(h.directory + "/out", &info) == 0)
        #expect(Int(info.st_mode & 0o7777) == mode)
        try FileManager.default.createDirectory(atPath: h.directory + "/empty", withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: h.directory + "/empty")
        try h.run("report empty")
        #expect(lstat(h.directory + "/empty", &info) == 0 && info.st_mode & 0o7777 == 0o700)
    }

    /// The folder the user (or the script) is in is not replaced, however it is named.
    @Test func theFolderTheUserIsInIsRefusedByAnyName() throws {
        let h = try harness()
        let empty = h.directory + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        let inside = EngineHarness(engine: h.engine, directory: empty)
        for out in [empty, "../empty"] {
            #expect(
                inside.failure("report \(out)")
                    == .writeFailed(
                        out, reason: "a report replaces the folder it is written to; name a folder of its own"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/.empty.tmp-\(getpid())"))
        // Nor a report the user is inside of.
        try h.run("report out")
        let pages = try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs")
        let inDocs = EngineHarness(engine: h.engine, directory: h.directory + "/out/docs")
        for out in [h.directory + "/out", "../../out", ".."] {
            #expect(
                inDocs.failure("report \(out)")
                    == .writeFailed(
                        out, reason: "a report replaces the folder it is written to; name a folder of its own"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs") == pages)
    }

    /// The earlier report's `docs` swapped, while the report is written, for an empty folder of
    /// the user's: that folder is not removed with the earlier report.
    @Test func anEmptyFolderPutInPlaceOfTheEarlierDocsStays() throws {
        let h = try harness()
        try h.run("report out")
        let mine = h.directory + "/mine"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: false)
        h.engine.monitor = swapWhileWriting(h.directory + "/out/docs", keptAt: h.directory + "/checked", for: mine)
        try h.run("report out")
        let aside = try #require(
            try FileManager.default.contentsOfDirectory(atPath: h.directory).first { $0.hasPrefix(".out.old") })
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: h.directory + "/" + aside + "/docs", isDirectory: &isFolder))
        #expect(isFolder.boolValue)
    }

    /// The report's `docs` takes the permissions of the earlier report's.
    @Test func theDocsFolderKeepsItsPermissions() throws {
        let h = try harness()
        try h.run("report out")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: h.directory + "/out/docs")
        try h.run("report out")
        var info = stat()
        #expect(lstat(h.directory + "/out/docs", &info) == 0 && info.st_mode & 0o7777 == 0o700)
    }

    /// The permissions of `path` in the staging folder of `report out` while its pages are written.
    func modeWhileWriting(_ h: EngineHarness, of path: String) throws -> mode_t? {
        var seen: mode_t?
        h.engine.monitor = WhileWriting {
            var info = stat()
            if lstat(h.directory + "/.out.tmp-\(getpid())" + path, &info) == 0 { seen = info.st_mode & 0o7777 }
        }
        try h.run("report out")
        return seen
    }

    /// A report its owner made read-only is replaced by one as read-only: its docs' permissions
    /// are given once the pages are made (given before, its owner could not make them), and
    /// the staging docs are its owner's to write meanwhile.
    @Test func aReadOnlyReportsDocsGetTheirPermissionsAfterThePages() throws {
        let h = try harness()
        try h.run("report out")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: h.directory + "/out/docs")
        #expect(try modeWhileWriting(h, of: "/docs") == 0o700)
        var info = stat()
        #expect(lstat(h.directory + "/out/docs", &info) == 0 && info.st_mode & 0o7777 == 0o555)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: h.directory + "/out/docs")
    }

    /// Replacing a report, its pages are made as the earlier pages were (the umask applied): a
    /// report made read-only or private stays so.
    @Test(arguments: [0o444, 0o600]) func thePagesTakeTheEarlierPagesPermissions(mode: Int) throws {
        let h = try harness()
        try h.run("report out")
        for page in ["/out/index.html", "/out/docs/1.html"] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: h.directory + page)
        }
        try h.run("report out")
        for page in ["/out/index.html", "/out/docs/1.html"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: h.directory + page)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(page)")
        }
    }

    /// A replaced report's folder and its docs keep their group (a team's shared folder), here
    /// where the user may give it; one it may not is said (checked by hand: the tests run as root).
    @Test func theReportAndItsDocsKeepTheirGroup() throws {
        let h = try harness()
        try h.run("report out")
        var info = stat()
        #expect(lstat(h.directory + "/out", &info) == 0)
        let other = info.st_gid == 1 ? gid_t(2) : gid_t(1)
        #expect(chown(h.directory + "/out", uid_t.max, other) == 0)
        #expect(chown(h.directory + "/out/docs", uid_t.max, other) == 0)
        try h.run("report out")
        #expect(lstat(h.directory + "/out", &info) == 0 && info.st_gid == other)
        #expect(lstat(h.directory + "/out/docs", &info) == 0 && info.st_gid == other)
    }

    /// While the pages are written, the staging folder is kept from others (the pages hold
    /// the documents' text); the report then has the permissions any folder and file made here
    /// would (the user's umask decides: a team's 002 lets the group replace the report).
    @Test func theStagingFolderIsPrivateWhileWritten() throws {
        let h = try harness()
        #expect(try modeWhileWriting(h, of: "") == 0o700)
        // What mkdir and creat give a folder and a file here (the umask applied).
        var folder = stat(), file = stat(), info = stat()
        #expect(mkdir(h.directory + "/made", 0o777) == 0 && lstat(h.directory + "/made", &folder) == 0)
        let fd = open(h.directory + "/made.html", O_WRONLY | O_CREAT | O_EXCL, 0o666)
        #expect(fd >= 0 && close(fd) == 0 && lstat(h.directory + "/made.html", &file) == 0)
        for (path, made) in [
            ("/out", folder), ("/out/docs", folder), ("/out/index.html", file), ("/out/docs/1.html", file)
        ] {
            #expect(lstat(h.directory + path, &info) == 0 && info.st_mode & 0o7777 == made.st_mode & 0o7777, "\(path)")
        }
    }

    /// `.`, `..`, an empty name or `/` is not a folder to give a report: it would replace the
    /// folder the user is in, or its parent.
    @Test(arguments: [".", "..", "./", "sub/..", "/"]) func theCurrentOrParentFolderIsRefused(out: String) throws {
        let h = try harness()
        #expect(mkdir(h.directory + "/sub", 0o755) == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: h.directory).sorted()
        #expect(
            h.failure("report \(out)")
                == .writeFailed(
                    out == "/" ? out : out.hasSuffix("/") ? String(out.dropLast()) : out,
                    reason: "a report replaces the folder it is written to; name a folder of its own"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory).sorted() == before)
    }

    /// In a team's shared folder (set-group-id, a group of its own) every file of a report
    /// takes that group, as any file made there does: OUT, its index, docs and the pages, for a
    /// new report and for one that replaces a report whose folders have the group.
    @Test func aReportInASharedFolderTakesItsGroup() throws {
        let h = try harness()
        var info = stat()
        #expect(lstat(h.directory, &info) == 0)
        let team = info.st_gid == 1 ? gid_t(2) : gid_t(1)
        func groups(_ out: String) throws -> Set<gid_t> {
            let pages = try FileManager.default.contentsOfDirectory(atPath: out + "/docs").map { out + "/docs/" + $0 }
            #expect(!pages.isEmpty)
            return Set(
                ([out, out + "/index.html", out + "/docs"] + pages).map { path in
                    var info = stat()
                    return lstat(path, &info) == 0 ? info.st_gid : gid_t.max
                })
        }
        #expect(mkdir(h.directory + "/shared", 0o755) == 0)
        #expect(chown(h.directory + "/shared", uid_t.max, team) == 0 && chmod(h.directory + "/shared", 0o2775) == 0)
        try h.run("report shared/out")
        #expect(try groups(h.directory + "/shared/out") == [team])
        try h.run("report out")
        #expect(try groups(h.directory + "/out") == [info.st_gid])
        for folder in ["/out", "/out/docs"] {
            #expect(chown(h.directory + folder, uid_t.max, team) == 0 && chmod(h.directory + folder, 0o2770) == 0)
        }
        try h.run("report out")
        #expect(try groups(h.directory + "/out") == [team])
    }

    /// A link as OUT is refused as a link, whether it leads to a folder, to a file or nowhere, and
    /// stays as it was.
    @Test(arguments: ["folder", "file", "nowhere"]) func aLinkAsOutIsRefusedAsALink(to leadsTo: String) throws {
        let h = try harness()
        let target = h.directory + "/" + leadsTo
        if leadsTo == "folder" { #expect(mkdir(target, 0o755) == 0) }
        if leadsTo == "file" { #expect(FileManager.default.createFile(atPath: target, contents: Data("x".utf8))) }
        #expect(symlink(target, h.directory + "/out") == 0)
        #expect(
            h.failure("report out")
                == .writeFailed("out", reason: "it is a symbolic link; a report is written only into a real folder"))
        #expect(FileSystem.isLink(h.directory + "/out"))
        #expect(FileManager.default.fileExists(atPath: target) == (leadsTo != "nowhere"))
    }

    /// A failure in the staging folder is said of OUT, with where in it: the staging folder is
    /// gone when the error is shown.
    @Test func aFailedPageIsSaidOfOut() throws {
        let h = try harness()
        let counting = FaultyFileSystem(.fail(at: .max, error: EIO))
        h.engine.files = counting
        try h.run("report out")
        let at = try #require(counting.log.firstIndex { $0.hasPrefix("write ") }) + 1
        h.engine.files = FaultyFileSystem(.fail(at: at, error: ENOSPC))
        #expect(
            h.failure("report out")
                == .writeFailed("out", reason: "No space left on device (at docs/1.html)"))
    }

    /// An earlier report holding an empty page is not replaced: a finished report has none
    /// (only a killed report's leftovers may, and those are never OUT).
    @Test func anEarlierReportHoldingAnEmptyPageIsNotReplaced() throws {
        let h = try harness()
        try h.run("report out")
        #expect(FileManager.default.createFile(atPath: h.directory + "/out/docs/empty.html", contents: Data()))
        if case .writeFailed? = h.failure("report out") {} else { Issue.record("replaced an empty page of the user's") }
        #expect(FileManager.default.fileExists(atPath: h.directory + "/out/docs/empty.html"))
    }

    /// A `docs` found not empty when the report opens the one it just made (another folder
    /// swapped in between) is not adopted, and nothing in it is removed.
    @Test func aDocsFolderNotEmptyWhenOpenedIsNotAdopted() throws {
        let dir = try Fixture.workspace() + "/staging"
        try FileManager.default.createDirectory(atPath: dir + "/docs", withIntermediateDirectories: true)
        try "<p>我的页面</p>".write(toFile: dir + "/docs/1.html", atomically: false, encoding: .utf8)
        let folder = try #require(ReportFolder(dir))
        #expect(!folder.adoptEmptyDocs())
        #expect(!folder.remove(files: SystemFileOperations.shared))
        #expect(try read(dir + "/docs/1.html") == "<p>我的页面</p>")
    }

    /// A leftover removed part-way or whole by another report meanwhile (two reports sweeping
    /// the same leftovers) counts as removed.
    @Test func aFolderRemovedMeanwhileCountsAsRemoved() throws {
        let h = try harness()
        try h.run("report a", "report b")
        let a = try #require(ReportFolder(h.directory + "/a")), b = try #require(ReportFolder(h.directory + "/b"))
        #expect(
            a.firstNotAReports(protected: ProtectedFiles([]), orEmpty: true) == nil
                && b.firstNotAReports(protected: ProtectedFiles([]), orEmpty: true) == nil)
        #expect(a.remove(files: FaultyFileSystem(.removedMeanwhile)))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/a"))
        try FileManager.default.removeItem(atPath: h.directory + "/b")
        #expect(b.remove(files: SystemFileOperations.shared))
    }

    /// Stops a command after `after` documents, as Ctrl-C does.
    final class StopAfter: ProgressMonitor {
        let after: Int
        var seen = 0
        init(_ after: Int) { self.after = after }
        func progress(_ task: String, done: Int, of total: Int) { seen = done + 1 }
        var shouldStop: Bool { seen >= after }
        func finished() {}
    }

    @Test func anInterruptedReportLeavesNothingAndTheEarlierReportAsItWas() throws {
        let h = try harness()
        try h.run("report out")
        let before = try read(h.directory + "/out/index.html")
        try h.run("load Fixtures/corpus")
        h.engine.monitor = StopAfter(2)
        #expect(h.failure("report out") == .interrupted("report to out"))
        #expect(try read(h.directory + "/out/index.html") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.directory + "/out/docs") == ["1.html"])
        #expect(h.failure("report new") == .interrupted("report to new"))
        #expect(!FileManager.default.fileExists(atPath: h.directory + "/new"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: h.directory).filter {
            $0.hasPrefix(".out") || $0.hasPrefix(".new")
        }
        #expect(leftovers.isEmpty, "staging folders left: \(leftovers)")
    }

    /// Pages are made a batch at a time on every core: a report of more documents than two
    /// batches hold has every page, each the page a report of its document alone makes, and the
    /// index lists them in the session's order.
    @Test func pagesOfManyBatchesAreEachThePageOfTheirDocumentAlone() throws {
        let dir = try Fixture.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/many", withIntermediateDirectories: true)
        let count = ReportPages.batch * 2 + 3
        for k in 1...count {
            try "第\(k)篇巡察\(String(repeating: "整改", count: k % 7))巡察。\n".write(
                toFile: dir + "/many/" + String(format: "d%04d.txt", k), atomically: true, encoding: .utf8)
        }
        let h = EngineHarness(directory: dir, sessionPath: dir + "/s.json")
        try h.run("label add 巡察", "load many", "tag 巡察 all /巡察/ --corpus", "report out")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir + "/out/docs")
        #expect(pages.count == count)
        let index = try read(dir + "/out/index.html")
        let linked = index.components(separatedBy: "href=\"docs/").dropFirst().map { Int($0.prefix { $0 != "." })! }
        #expect(linked == Array(1...count))
        for k in [1, ReportPages.batch, ReportPages.batch + 1, count] {
            try h.run("report one --docs " + String(format: "d%04d", k))
            let alone = try read(dir + "/one/docs/\(k).html")
            #expect(try read(dir + "/out/docs/\(k).html") == alone, "page \(k)")
            #expect(alone.components(separatedBy: "<mark ").count == 3, "page \(k) marks both spans")
        }
    }
}
