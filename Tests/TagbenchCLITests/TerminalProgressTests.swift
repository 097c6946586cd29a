import Testing
@testable import TagbenchCLI

/// The progress line on stderr: cut to the terminal's width (a wrapped line cannot be redrawn in
/// place), erased with `ESC [K` where the terminal knows control sequences and overwritten with
/// spaces on `TERM=dumb`.
struct TerminalProgressTests {
    static let full = "report: 256/3,500 documents (Ctrl-C stops)"

    static let frames: [(width: Int, plain: Bool, drawn: Int, text: String, length: Int)] = [
        (100, false, 0, "\r\u{1B}[K" + full, 42),
        (43, false, 42, "\r\u{1B}[K" + full, 42),
        (30, false, 0, "\r\u{1B}[Kreport: 256/3,500 documents …", 29),
        (100, true, 0, "\r" + full, 42),
        (100, true, 50, "\r" + full + "        ", 42),
        (30, true, 43, "\r" + "report: 256/3,500 documents …" + String(repeating: " ", count: 14), 29),
        (1, false, 0, "\r\u{1B}[K…", 1)
    ]

    @Test(arguments: frames)
    func theLineFitsTheTerminalAndIsRedrawnInPlace(
        frame: (width: Int, plain: Bool, drawn: Int, text: String, length: Int)
    ) {
        let made = TerminalProgress.frame(
            "report", done: 256, of: 3500, width: frame.width, plain: frame.plain, drawn: frame.drawn)
        #expect(made.text == frame.text)
        #expect(made.length == frame.length)
        #expect(!frame.plain || !made.text.contains("\u{1B}"), "no control sequence on a dumb terminal")
    }

    @Test func clearingLeavesNothingOnTheLine() {
        #expect(TerminalProgress.clearing(plain: false, drawn: 29) == "\r\u{1B}[K")
        #expect(TerminalProgress.clearing(plain: true, drawn: 3) == "\r   \r")
    }
}
