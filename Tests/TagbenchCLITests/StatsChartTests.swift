import Foundation
import Testing
@testable import TagbenchCLI
@testable import TagbenchCore

/// `stats` drawn: bars of eighth blocks, aligned by display width, colour on a terminal only.
struct StatsChartTests {
    static let bars: [(Int, Int, Int, String)] = [
        (0, 10, 8, ""),
        (10, 10, 8, "████████"),
        (5, 10, 8, "████"),
        (1, 2, 1, "▌"),
        (1, 16, 1, "▏"),
        (1, 64, 1, "▏"),
        (1, 1000, 10, "▏"),
        (7, 8, 1, "▉"),
        (3, 8, 3, "█▏"),
        (12, 10, 4, "████")
    ]

    @Test(arguments: bars)
    func barsAreEighthBlocks(value: Int, maximum: Int, width: Int, expected: String) {
        #expect(BarChart.bar(value, of: maximum, width: width) == expected)
    }

    @Test func chartsAlignTheirBarsByDisplayWidthAndFillTheWidth() throws {
        let dir = try Workspace.make()
        let (engine, _) = try Engine.open(
            path: dir + "/Sessions/demo.json", displayPath: "demo.json", annotator: Annotator(name: "t", fixedTime: 0))
        for width in [60, 100] {
            let console = Console.capturing(width: width)
            OutputRenderer(console: console).render(.stats(engine.statsFigures(), StatsOptions()))
            let lines = console.capturedOut.split(separator: "\n").map(String.init)
            let barLines = lines.filter { $0.contains("█") || $0.contains("░") }
            #expect(barLines.count > 10)
            // Every bar starts in one column, CJK names taking two columns a character.
            let starts = Set(
                barLines.map { line in
                    Format.displayWidth(
                        String(line.prefix { $0 != "█" && $0 != "░" && !BarChart.partials.contains($0) }))
                })
            #expect(starts.count == 1, "bars start in columns \(starts) at width \(width)")
            // The full progress bar and its share reach the last column but one.
            let annotated = lines.first { $0.contains("documents annotated") }!
            #expect(Format.displayWidth(annotated) == width - 1)
            #expect(!console.capturedOut.contains("\u{1B}"), "no colour on a console without it")
        }
    }
}

/// `tagbench stats` from the command line: charts for people, JSON for machines.
struct StatsCommandTests {
    @Test func pipesGetPlainChartsAndJSONGetsTheFigures() throws {
        let dir = try Workspace.make()
        var result = try tagbench(["stats", "Sessions/demo.json", "--top", "2"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("4 documents, 6,050 characters, 45 spans, 2 categories\n"))
        #expect(result.stdout.contains("spans by document: the 2 most annotated of 4 (--all for every one)"))
        #expect(result.stdout.contains("    整改落实") && result.stdout.contains("█"))
        #expect(!result.stdout.contains("\u{1B}"), "a pipe gets no colour")
        result = try tagbench(["stats", "Sessions/demo.json", "--json"], in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["spans"] as? Int == 45)
        #expect((object["by_document"] as! [Any]).count == 4)
        result = try tagbench(["stats", "Sessions/demo.json", "--top", "0"], in: dir)
        #expect(result.status != 0)
    }
}
