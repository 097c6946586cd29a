import Foundation
import Testing

/// `tagbench report A.json B.json … OUT`: the index's agreement heatmap holds exactly the figures
/// `agree --json` gives for the same sessions, names are escaped, and `agree`'s errors leave
/// nothing written.
@Suite(.serialized)
struct ReportHeatmapTests {
    /// AgreeTests' alice and bob, and a third annotator whose name holds markup.
    static let markupName = "<b>carol</b> & co"

    static func workspace() throws -> String {
        let dir = try AgreeTests.workspace()
        let result = try tagbench(
            ["run", "-", "--session", "carol.json"], in: dir,
            input: "label add 巡察\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\nopen 2\nuntag a1\n",
            environment: ["TAGBENCH_ANNOTATOR": markupName])
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    /// A cell of the heatmap: its row and column names and its figures (nil: none, or `null`).
    struct Cell: Equatable {
        var a: String
        var b: String
        var figures: [Double?]?
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func cells(_ html: String) throws -> [Cell] {
        let pattern = try NSRegularExpression(
            pattern:
                "<g class=\"cell[^\"]*\" data-a=\"([^\"]*)\" data-b=\"([^\"]*)\""
                + "(?: data-f1-exact=\"([^\"]*)\" data-f1-overlap=\"([^\"]*)\" data-kappa=\"([^\"]*)\")?>")
        let text = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: text.length)).map { match in
            func group(_ k: Int) -> String? {
                match.range(at: k).location == NSNotFound ? nil : text.substring(with: match.range(at: k))
            }
            // Read by the parser that reads agree's JSON (Foundation's on Linux is not always
            // correctly rounded: the same text must go through the same parser).
            let figures = group(3).map { _ in
                [3, 4, 5].map { k in
                    group(k).flatMap {
                        (try? JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed)) as? Double
                    }
                }
            }
            return Cell(a: unescaped(group(1)!), b: unescaped(group(2)!), figures: figures)
        }
    }

    @Test func heatmapCellsHoldAgreesFiguresAndNamesAreEscaped() throws {
        let dir = try Self.workspace()
        let sessions = ["alice.json", "bob.json", "carol.json"]
        let report = try tagbench(["report"] + sessions + ["out"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let agree = try tagbench(["agree"] + sessions + ["--json", "-"], in: dir)
        #expect(agree.status == 0, "\(agree.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(agree.stdout.utf8)) as? [String: Any])
        let names = try #require(json["annotators"] as? [String])
        #expect(names == ["alice", "bob", Self.markupName])
        var expected: [Cell] = []
        let pairs = try #require(json["pairs"] as? [[String: Any]])
        for a in names {
            for b in names {
                guard a != b else {
                    expected.append(Cell(a: a, b: b, figures: nil))
                    continue
                }
                let pair = try #require(
                    pairs.first {
                        ($0["a"] as? String, $0["b"] as? String) == (a, b)
                            || ($0["a"] as? String, $0["b"] as? String) == (b, a)
                    })
                let spans = try #require(pair["spans"] as? [String: [String: Any]])
                let characters = try #require(pair["characters"] as? [String: Any])
                expected.append(
                    Cell(
                        a: a, b: b,
                        figures: [
                            spans["exact"]?["f1"] as? Double, spans["overlap"]?["f1"] as? Double,
                            characters["cohen_kappa"] as? Double
                        ]))
            }
        }
        let html = try String(contentsOfFile: dir + "/out/index.html", encoding: .utf8)
        let cells = try Self.cells(html)
        #expect(cells.count == 9)
        #expect(cells == expected)
        // The figures differ from pair to pair: the cells are not all alike by chance.
        #expect(Set(cells.compactMap { $0.figures?[0] }).count > 1)
        let overall = try #require(json["characters"] as? [String: Any])
        let alpha = try #require(overall["krippendorff_alpha"] as? Double)
        let fleiss = try #require(overall["fleiss_kappa"] as? Double)
        #expect(html.contains("<b class=\"alpha\">\(String(format: "%.4f", alpha))</b>"))
        #expect(html.contains("<b class=\"fleiss\">\(String(format: "%.4f", fleiss))</b>"))
        let documents = try #require(json["documents"] as? [String: Any])
        #expect(html.contains("\((documents["common"] as? [Any])?.count ?? -1) documents in common"))
        // The name is text everywhere, never markup.
        #expect(!html.contains("<b>carol"))
        #expect(html.contains("&lt;b&gt;carol&lt;/b&gt; &amp; co"))
        Workspace.keep(dir + "/out/index.html", as: "report-heatmap-index.html")
    }

    static let badInput: [(String, [String], String)] = [
        ("twice", ["alice.json", "bob.json", "./alice.json"], "error: session ./alice.json is given twice"),
        ("unreadable", ["alice.json", "folder.json"], "folder.json"),
        ("missing", ["alice.json", "nowhere.json"], "error: no such file or directory: nowhere.json"),
        ("no common document", ["alice.json", "other.json"], "have no document in common")
    ]

    @Test(arguments: badInput)
    func agreesErrorsLeaveNothingWritten(_ name: String, _ sessions: [String], _ expected: String) throws {
        let dir = try AgreeTests.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/folder.json", withIntermediateDirectories: false)
        try Data("另一篇文章。\n".utf8).write(to: URL(fileURLWithPath: dir + "/other.txt"))
        let made = try tagbench(["run", "-", "--session", "other.json"], in: dir, input: "load other.txt\n")
        #expect(made.status == 0, "\(made.stderr)")
        let before = try AgreeTests.snapshot(dir)
        let result = try tagbench(["report"] + sessions + ["out"], in: dir)
        #expect(result.status != 0, "\(name)")
        #expect(result.stderr.contains(expected), "\(name): \(result.stderr)")
        #expect(try AgreeTests.snapshot(dir) == before, "\(name) wrote something")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "\(name)")
    }
}
