import Foundation
import Testing
@testable import TagbenchCore

/// A span label on units, through the built binary: `labels` and `stats` show its units apart
/// from its spans, the error for a category label used on a span says what to do, and the saved
/// session is kept for the interop suite's schema check.
@Suite(.serialized)
struct UnitLabelEndToEndTests {
    @Test func labelsAndStatsShowASpanLabelsUnitsApart() throws {
        let dir = try Workspace.make()
        let input = """
            schema Schemas/governance.tagset.json
            load Fixtures/corpus
            open xinqu-2023
            tag 主题教育 "主题教育"#1
            classify 主题教育 para 2
            classify ztjy doc
            classify 政治建设 doc
            labels
            stats
            save units-session.json

            """
        let result = try tagbench([], in: dir, input: input, environment: ["NO_COLOR": "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // kind padded to 8, the count to 8, then the units column (as wide as "+ 2 units").
        #expect(lines.contains { $0.hasPrefix("主题教育 ") && $0.contains(" span           1  + 2 units  [t]  › ") })
        #expect(lines.contains { $0.hasPrefix("巡察 ") && $0.contains(" span           0             [x]  › ") })
        #expect(lines.contains { $0.hasPrefix("政治建设 ") && $0.contains(" category       1             ") })
        // stats: the chart's row for a span label on units ends with its units; a category
        // label's row is named so, its count being its units.
        #expect(lines.contains { $0.hasPrefix("    主题教育 ") && $0.contains(" 1  █") && $0.hasSuffix("  + 2 units") })
        #expect(lines.contains { $0.hasPrefix("  政治建设 (category) ") && $0.contains(" 1  █") })
        Workspace.keep(dir + "/units-session.json", as: "units-session.json")

        let refused = try tagbench(["units-session.json"], in: dir, input: "open xinqu-2023\ntag 政治建设 1:3\n")
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "<stdin>:2: error: 政治建设 is a category label; tag needs a span label\n"
                + "  hint: category labels mark units only: classify 政治建设 doc|para N|sent N; "
                + "for spans use a span label, which marks units too (label add NAME)\n")
    }
}
