import Foundation
import Testing

/// The compilation of the four real reports (Fixtures/compilation/reports.txt), cut into its
/// reports by the binary, and a dev/test set made of it by paragraph.
struct CompilationEndToEndTests {
    /// The titles the compilation gave the first three reports; the fourth has its own title
    /// line, below a reseller's three-line watermark that the compilation leaves out.
    static let titles = [
        "新区区委2023年落实全面从严治党主体责任情况报告", "XX区委2023年落实全面从严治党主体责任情况报告",
        "区委关于落实全面从严治党主体责任情况的报告"
    ]

    func expectedReports(_ dir: String) throws -> [String] {
        let reports = try FileManager.default.contentsOfDirectory(atPath: dir + "/Fixtures/reports").sorted()
        #expect(reports.count == 4)
        let texts = try reports.map { try String(contentsOfFile: dir + "/Fixtures/reports/" + $0, encoding: .utf8) }
        return zip(Self.titles, texts).map { $0 + "\n" + $1 }
            + [texts[3].split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).joined(separator: "\n")]
    }

    @Test func theCompilationIsCutIntoExactlyItsFourReports() throws {
        let dir = try Workspace.make()
        let input = """
            load --split-at /^.{0,40}报告$/ Fixtures/compilation/reports.txt
            docs
            save split-session.json

            """
        let result = try tagbench([], in: dir, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("loaded 4 documents (40,860 characters): reports-1 … reports-4")
        )
        #expect(
            result.stdout.contains(
                " 2  reports-2      5,711 chars        0 annotations  part 2 of reports.txt, line 33, at 13,160"))
        Workspace.keep(dir + "/split-session.json", as: "split-session.json")
        let export = try tagbench(["export", "split-session.json", "spans", "whole.jsonl"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        let records = try String(contentsOfFile: dir + "/whole.jsonl", encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(records.map { $0["text"] as! String } == (try expectedReports(dir)))
        #expect(
            records.map { ($0["meta"] as! [String: Any])["source"] as! String }
                == Array(repeating: "Fixtures/compilation/reports.txt", count: 4))
    }

    /// Few documents, but a dev and a test set all the same: paragraphs are split, each once.
    /// A file that now has fewer parts: `docs` says the missing part is no longer in its file
    /// (the file itself is there), not that the file is missing.
    @Test func aPartTheFileNoLongerHasIsNamedSo() throws {
        let dir = try Workspace.make()
        try Data("一号报告\n正文一。\n二号报告\n正文二。\n".utf8).write(to: URL(fileURLWithPath: dir + "/c.txt"))
        let made = try tagbench([], in: dir, input: "load --split-at /报告$/ c.txt\nsave c.json\n")
        #expect(made.status == 0, "\(made.stderr)")
        try Data("一号报告\n正文一。\n".utf8).write(to: URL(fileURLWithPath: dir + "/c.txt"))
        let reopened = try tagbench(["c.json", "--read-only"], in: dir, input: "docs\n")
        let rows = reopened.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.contains("c-2") && $0.contains("(not in its file now)") }, "\(rows)")
        #expect(!reopened.stdout.contains("file missing"), "\(reopened.stdout)")
    }

    @Test func aDevAndTestSetAreMadeOfItsParagraphs() throws {
        let dir = try Workspace.make()
        let input = """
            schema Schemas/governance.tagset.json
            load --split-at /^.{0,40}报告$/ Fixtures/compilation/reports.txt
            tag 巡察 all 巡察 --corpus
            save s.json

            """
        #expect(try tagbench([], in: dir, input: input).status == 0)
        let export = try tagbench(
            ["export", "s.json", "doccano", "d.jsonl", "--split", "train=8,dev=1,test=1", "--split-by", "para"], in: dir
        )
        #expect(export.status == 0, "\(export.stderr)")
        var ids: [String] = []
        for name in ["train", "dev", "test"] {
            let lines = try String(contentsOfFile: dir + "/d-\(name).jsonl", encoding: .utf8).split(separator: "\n")
            #expect(!lines.isEmpty, "\(name)")
            ids += try lines.map {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["id"] as! String
            }
        }
        #expect(Set(ids).count == ids.count)
        let paragraphs = try expectedReports(dir).map { report in
            report.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count
        }
        #expect(ids.count == paragraphs.reduce(0, +))
    }
}
