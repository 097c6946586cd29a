import Foundation
import Testing
@testable import TagbenchCLI
@testable import TagbenchCore

/// Paragraph-level work through the built binary: ¶ and sentence numbers in listings, `paras`,
/// `next para`/`prev para` and `spans LABEL /RE/`, from piped input.
@Suite(.serialized)
struct NavigationEndToEndTests {
    @Test func pipedInputWorksThroughADocumentByParagraph() throws {
        let dir = try Workspace.make()
        let input = """
            schema Schemas/governance.tagset.json
            load Fixtures/corpus
            open xinqu-2023
            find 第一议题
            tag dyyt h1
            tag 巡察 all 巡察 --corpus
            paras
            paras --untagged
            show para 2
            next para
            next para dyyt
            next para dyyt
            prev para --untagged
            spans 巡察 /^巡察$/ --corpus
            save s.json
            history

            """
        let result = try tagbench(["s.json"], in: dir, input: input, environment: ["COLUMNS": "80"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // find and tag give the paragraph and sentence, as show para N and show sent N take them.
        #expect(lines.contains { $0.hasPrefix("h1  xinqu-2023  465:469  ¶4 sent 6  …") })
        #expect(lines.contains("a1  第一议题  xinqu-2023  465:469  ¶4 sent 6  第一议题"))
        #expect(lines.contains("a2  巡察  qu-jiceng     1091:1093  ¶5 sent 13   巡察"))
        // paras: a row a paragraph, cut to the width (COLUMNS; 80 on a pipe without it), then the count.
        let paras = lines.filter { $0.hasPrefix("¶") }
        #expect(paras.count == 5 + 4)
        #expect(paras.allSatisfy { Format.displayWidth($0) <= 80 && $0.hasSuffix("…") })
        #expect(paras[3].hasPrefix("¶4  417:1194   第一议题 1  1.不折不扣落实"))
        #expect(paras[0].hasPrefix("¶1  0:247      -           今年以来"))
        #expect(lines.contains("5 paragraphs in xinqu-2023: 1 annotated, 4 untagged"))
        #expect(lines.contains("4 of 5 paragraphs in xinqu-2023 are untagged"))
        // show para 2, then next para shows ¶3; next para dyyt ¶4; again: nothing further.
        let shown = lines.filter { $0.hasPrefix("     ¶") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(shown == ["¶2", "¶3", "¶4", "¶3"])
        #expect(lines.contains("no paragraph after ¶4 in xinqu-2023 has 第一议题"))
        #expect(lines.contains("5 of 5 spans of 巡察 hold /^巡察$/"))
        // Viewing commands are not in the history.
        let history = lines.drop { !$0.hasPrefix("saved s.json") }.dropFirst()
        #expect(
            Array(history.prefix(6)) == [
                "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023", "find \"第一议题\"",
                "tag 第一议题 h1", "tag 巡察 all \"巡察\" --corpus"
            ])
        #expect(!result.stdout.contains("next para\n") && !result.stdout.contains("paras\n"))
    }

    @Test func parasRowsKeepTheirColumnsAndFitTheWidth() {
        let console = Console.capturing(width: 40)
        let rows = [
            ParagraphRow(number: 9, range: TextRange(0, 30), labels: [], text: String(repeating: "巡察", count: 15)),
            ParagraphRow(number: 10, range: TextRange(31, 35), labels: ["巡察 2", "减负 1"], text: "短段落。")
        ]
        OutputRenderer(console: console).render(.paragraphs(rows))
        let lines = console.capturedOut.split(separator: "\n").map(String.init)
        // The labels column is as wide as "巡察 2, 减负 1" (14 columns): 12 are left for the text.
        #expect(lines == [" ¶9  0:30   -               巡察巡察巡…", "¶10  31:35  巡察 2, 减负 1  短段落。"])
        #expect(Format.displayWidth(lines[0]) <= 40)
    }
}
