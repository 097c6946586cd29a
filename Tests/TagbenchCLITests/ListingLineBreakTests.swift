import Foundation
import Testing

/// A hit or span that holds a line break keeps to one row in `find`, `tag` and `spans`: the break
/// is drawn as ⏎ (never a raw break, nor `\u{D}`), while the data keeps the exact text.
@Suite struct ListingLineBreakTests {
    @Test func aLineBreakInsideAHitOrASpanIsDrawnAsASymbol() throws {
        let dir = try Workspace.make()
        try Data("一是学习！\r\n二是巡察。\n三是整改。\n".utf8).write(to: URL(fileURLWithPath: dir + "/crlf.txt"))
        let input = "label add 巡察\nload crlf.txt\nfind /！\\s+二/\ntag 巡察 h1\nspans\nfind /。\\n三/\n"
        let result = try tagbench([], in: dir, input: input, environment: ["NO_COLOR": "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\r") && !result.stdout.contains("\\u{D}"), "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("h1 ") && $0.contains("【！⏎二】") }, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("a1 ") && $0.hasSuffix("  ！⏎二") }.count == 2, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("h1 ") && $0.contains("【。⏎三】") }, "\(lines)")
    }
}
