import Testing

@testable import TagbenchCLI

/// A pager that cannot run, or fails before reading, must not swallow a command's output: `show`
/// answers false and the console writes the output itself.
@Suite struct PagerTests {
    @Test(arguments: [
        ("cat >/dev/null", true),
        ("head -c 1 >/dev/null", true),
        ("/nonexistent/pager", false),
        ("exit 3", false),
        ("exit 126", false)
    ])
    func aPagerThatShowedNothingLeavesTheOutputToTheConsole(command: String, shown: Bool) throws {
        let pager = try #require(Pager(environment: ["PAGER": command]))
        // More than a pipe holds, so that a pager that never reads makes the write fail.
        let bytes = [UInt8](repeating: 0x41, count: 1 << 17)
        #expect(pager.show(bytes) == shown, "\(command)")
    }
}
