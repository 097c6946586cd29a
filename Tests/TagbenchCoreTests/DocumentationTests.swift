import Foundation
import Testing
@testable import TagbenchCore

/// The README's command table is `CommandReference` (what `help` prints) written as Markdown: one
/// row per command, in `help`'s order, `| `USAGE` | SUMMARY |`, with `|` escaped as `\|`.
struct DocumentationTests {
    /// The rows of the Markdown table whose header is `header`, each split into its cells
    /// (escaped pipes kept as `|`, cells trimmed).
    static func tableRows(in text: String, header: String) -> [[String]]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: header), start + 1 < lines.count, lines[start + 1].hasPrefix("|---")
        else { return nil }
        var rows: [[String]] = []
        for line in lines[(start + 2)...] {
            guard line.hasPrefix("|") else { break }
            var cells: [String] = []
            var cell = ""
            var escaped = false
            for character in line.dropFirst() {
                if escaped {
                    cell.append(character == "|" ? "|" : "\\\(character)")
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "|" {
                    cells.append(cell.trimmingCharacters(in: .whitespaces))
                    cell = ""
                } else {
                    cell.append(character)
                }
            }
            rows.append(cells)
        }
        return rows
    }

    /// A table row as the README writes it for a command.
    static func row(for entry: CommandReference) -> String {
        "| `\(entry.usage.replacingOccurrences(of: "|", with: "\\|"))` | \(entry.summary.replacingOccurrences(of: "|", with: "\\|")) |"
    }

    @Test func readmeCommandTableMatchesCommandReference() throws {
        let readme = try String(contentsOfFile: Fixture.root + "/README.md", encoding: .utf8)
        let rows = try #require(
            Self.tableRows(in: readme, header: "| command | what it does |"),
            "README.md has no table headed | command | what it does |")
        let documented = rows.map { cells -> [String] in
            guard cells.count == 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`"), cells[0].count >= 2 else {
                return cells
            }
            return [String(cells[0].dropFirst().dropLast()), cells[1]]
        }
        let expected = CommandReference.all.map { [$0.usage, $0.summary] }
        #expect(
            documented == expected,
            """
            README.md's command table differs from CommandReference.all; the table should read:
            | command | what it does |
            |---|---|
            \(CommandReference.all.map(Self.row).joined(separator: "\n"))
            """)
    }

    @Test func fullCommandReferenceNamesEveryCommand() throws {
        let reference = try String(contentsOfFile: Fixture.root + "/docs/commands.md", encoding: .utf8)
        let missing = CommandReference.names.filter { !reference.contains("`\($0)") }
        #expect(missing.isEmpty, "docs/commands.md does not describe \(missing)")
    }
}
