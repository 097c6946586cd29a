import Foundation
import Testing
@testable import TagbenchCore

/// A regular expression that backtracks without end (`(a|aa)*b` on a line of 40 `a`s) stops:
/// at Ctrl-C where a monitor can ask, after the engine's limit where nothing can; the command
/// fails and changes nothing. No time is asserted: the limit is set small and the pattern would
/// otherwise never end.
struct RegexBoundTests {
    static let catastrophic = "(a|aa)*b"

    /// A session with a 40-`a` line and a label whose tag-set pattern is `catastrophic`.
    func harness() throws -> EngineHarness {
        let dir = try Fixture.workspace()
        try (String(repeating: "a", count: 40) + "\n").write(toFile: dir + "/aa.txt", atomically: true, encoding: .utf8)
        let tagSet = """
            {"format": "tagbench-tagset", "version": 1, "labels": [
              {"name": "A", "kind": "span", "patterns": ["/\(Self.catastrophic)/"]},
              {"name": "B", "kind": "span", "patterns": ["/a{3}/"]}]}
            """
        try tagSet.write(toFile: dir + "/slow.tagset.json", atomically: true, encoding: .utf8)
        let h = EngineHarness(directory: dir)
        try h.run("schema slow.tagset.json", "load aa.txt", "load Fixtures/corpus", "open aa")
        return h
    }

    static let commands: [String] = [
        "find /\(catastrophic)/",
        "find /\(catastrophic)/ --corpus",
        "tag A all /\(catastrophic)/ --corpus",
        "suggest A --corpus"
    ]

    @Test(arguments: commands)
    func withoutATerminalTheSearchStopsAfterTheLimit(line: String) throws {
        let h = try harness()
        h.engine.regexTimeLimit = 0.3
        let before = h.annotationFingerprint
        guard case .regexTooSlow(let pattern, let seconds) = h.failure(line) else {
            Issue.record("\(line) did not stop")
            return
        }
        #expect(pattern == Self.catastrophic && seconds == 0.3)
        #expect(h.annotationFingerprint == before)
        #expect(h.engine.session.suggestions.pending.isEmpty)
        #expect(h.failure("tag A h1") == .noFindResults, "no find result was kept")
    }

    @Test(arguments: commands)
    func ctrlCStopsTheSearch(line: String) throws {
        let h = try harness()
        // A limit the test would not outlive: only the monitor can stop it.
        h.engine.regexTimeLimit = 1e9
        h.engine.monitor = EngineTests.StoppingMonitor(limit: 0)
        let before = h.annotationFingerprint
        guard case .interrupted = h.failure(line) else {
            Issue.record("\(line) was not interrupted")
            return
        }
        #expect(h.annotationFingerprint == before)
        #expect(h.engine.session.suggestions.pending.isEmpty)
    }

    @Test func ordinaryRegexSearchesAreUnchanged() throws {
        let h = try harness()
        h.engine.regexTimeLimit = 0.3
        try h.run("find /a{3}/", "tag B all /a{3}/ --corpus", "suggest B --corpus")
        #expect(h.engine.session.annotationCount == 13)
        #expect(h.messages.last?.hasPrefix("no new suggestions") == true)
    }
}
