import CTagbenchBytes
import Foundation
import Testing
@testable import TagbenchCore

/// `agree`'s figures on the edge cases, its options and errors, and `show dN`; the figures on
/// varied data are checked against the Python references in Tests/interop/test_agreement.py.
struct AgreementTests {
    /// A session of one annotator: the corpus, the labels, then `lines`.
    static func session(_ directory: String, _ lines: String...) throws -> Session {
        let harness = EngineHarness(directory: directory)
        try harness.run("label add 巡察", "label add 巡视", "label add 整改", "label add 政治建设 --category")
        try harness.run("load Fixtures/corpus")
        for line in lines { try harness.run(line) }
        return harness.engine.session
    }

    static func compare(_ sessions: [Session], _ options: AgreementOptions = AgreementOptions()) throws(TagbenchError)
        -> AgreementReport
    {
        try Agreement.compare(
            sessions.enumerated().map {
                AgreementSource(name: "a\($0.offset)", path: "s\($0.offset)", session: $0.element)
            },
            options: options)
    }

    @Test func identicalSessionsAgreeFully() throws {
        let dir = try Fixture.workspace()
        let lines = ["tag 巡察 all 巡察 --corpus", "tag 整改 all 整改 --corpus", "open 1", "classify 政治建设 para 2"]
        let a = try Self.session(dir, lines[0], lines[1], lines[2], lines[3])
        let b = try Self.session(dir, lines[0], lines[1], lines[2], lines[3])
        let report = try Self.compare([a, b], AgreementOptions(listsDisagreements: true))
        let pair = report.pairs[0]
        #expect(report.common.count == 4 && report.leftOut.isEmpty)
        #expect(pair.spans.exact.f1 == 1 && pair.spans.overlap.f1 == 1 && pair.spans.exact.fp == 0)
        #expect(pair.characters.kappa == 1 && pair.taggedCharacters.kappa == 1)
        #expect(report.krippendorffAlpha == 1 && report.fleissKappa == 1)
        #expect(report.categories.map(\.label) == ["政治建设"] && report.categories[0].pairs[0].kappa == 1)
        #expect(report.disagreements.isEmpty)
    }

    @Test func sessionsWithNoSpanHaveUndefinedChanceCorrectedFigures() throws {
        // Every character is O for both: p_e = 1, so κ, α and Fleiss' κ are 0/0 (the references
        // give NaN); reported as nil, never as 1.
        let dir = try Fixture.workspace()
        let report = try Self.compare([try Self.session(dir), try Self.session(dir)])
        #expect(report.pairs[0].spans.exact.f1 == nil && report.pairs[0].spans.overlap.f1 == nil)
        #expect(report.pairs[0].characters.kappa == nil && report.pairs[0].characters.observed == 1)
        #expect(report.pairs[0].characters.expected == 1)
        #expect(report.krippendorffAlpha == nil && report.fleissKappa == nil)
        #expect(report.characters > 6000)
    }

    @Test func disjointLabelsShareNoSpan() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir, "tag 巡察 all 巡察 --corpus")
        let b = try Self.session(dir, "tag 巡视 all 巡察 --corpus")
        let report = try Self.compare([a, b])
        let pair = report.pairs[0]
        #expect(report.labels == ["巡察", "巡视"])
        #expect(pair.spans.exact.tp == 0 && pair.spans.exact.fn == 5 && pair.spans.exact.fp == 5)
        #expect(pair.spans.exact.f1 == 0 && pair.spans.overlap.f1 == 0)
        #expect(pair.byLabel[0].exact.fn == 5 && pair.byLabel[1].exact.fp == 5)
        // Same characters tagged, other labels: κ over all characters is carried by O alone, the
        // tagged characters' κ is 0.
        #expect(pair.taggedCharacters.observed == 0 && pair.taggedCharacters.kappa == 0)
        #expect((pair.characters.kappa ?? 0) > 0.4)
    }

    @Test func anEmptySessionFindsNothing() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir, "tag 巡察 all 巡察 --corpus")
        let report = try Self.compare([a, try Self.session(dir)])
        let pair = report.pairs[0]
        #expect(pair.spans.exact.f1 == 0 && pair.spans.exact.fn == 5 && pair.spans.exact.tp == 0)
        #expect(pair.spans.exact.precision == nil && pair.spans.exact.recall == 0)
        // One annotator all O: p_o = p_e, κ = 0.
        #expect(abs(pair.characters.kappa ?? 1) < 1e-12)
        #expect(pair.taggedCharacters.units == 10 && pair.taggedCharacters.observed == 0)
    }

    @Test func overlapMatchesWhatExactMatchingMisses() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir, "open 1", "tag 巡察 1091:1093", "tag 巡察 1182:1184")
        let b = try Self.session(dir, "open 1", "tag 巡察 1090:1093", "tag 巡察 1183:1186", "tag 巡察 1091:1092")
        let pair = try Self.compare([a, b]).pairs[0]
        #expect(pair.spans.exact.tp == 0 && pair.spans.exact.fp == 3 && pair.spans.exact.fn == 2)
        #expect(pair.spans.overlap.tp == 2 && pair.spans.overlap.tpB == 3 && pair.spans.overlap.fp == 0)
        #expect(pair.spans.overlap.fn == 0 && pair.spans.overlap.f1 == 1)
    }

    @Test func documentsAreMatchedByTheirTextNotTheirIds() throws {
        let dir = try Fixture.workspace()
        try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: dir + "/Fixtures/corpus/xinqu-2023.txt", toPath: dir + "/other/renamed.txt")
        let a = try Self.session(dir, "tag 巡视 all 巡视 --corpus")
        let harness = EngineHarness(directory: dir)
        try harness.run("label add 巡视", "load other/renamed.txt", "tag 巡视 all 巡视")
        let report = try Self.compare([a, harness.engine.session], AgreementOptions(listsDisagreements: true))
        #expect(report.common.map(\.ids) == [["xinqu-2023", "renamed"]])
        #expect(report.leftOut.map(\.id) == ["qu-jiceng", "quwei-2023", "x-quwei-2020"])
        #expect(report.leftOut.allSatisfy { $0.reason == "not in every session" })
        #expect(report.pairs[0].spans.exact.f1 == 1)
    }

    @Test func aTextOneSessionCannotReadIsLeftOutForThatReasonInEvery() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir, "tag 巡察 all 巡察 --corpus")
        let b = try Self.session(dir, "tag 巡察 all 巡察 --corpus")
        b.documents[1].isMissing = true  // Document is a class: the session's copy changes
        let report = try Self.compare([a, b])
        #expect(report.common.count == 3)
        #expect(
            report.leftOut.map { "\($0.annotator) \($0.id) \($0.reason)" } == [
                "a0 quwei-2023 not readable in every session", "a1 quwei-2023 text not readable"
            ])
        #expect(report.notChosen == 0)
    }

    @Test func documentsDocsDidNotChooseAreCountedNotListed() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir)
        let harness = EngineHarness(directory: dir)
        try harness.run("load Fixtures/corpus/xinqu-2023.txt", "load Fixtures/corpus/qu-jiceng.txt")
        let report = try Self.compare([a, harness.engine.session], AgreementOptions(documents: ["xinqu-2023"]))
        #expect(report.common.map { $0.ids[0] } == ["xinqu-2023"] && report.leftOut.isEmpty)
        // Three of the first session's four documents, one of the second's two.
        #expect(report.notChosen == 4)
        let json = String(decoding: report.json(), as: UTF8.self)
        #expect(json.contains("\"left_out\": [], \"not_chosen\": 4}, \"labels\""))
    }

    @Test func noCommonDocumentIsAnErrorNeverAScore() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir)
        try FileManager.default.createDirectory(atPath: dir + "/solo", withIntermediateDirectories: true)
        try "只有这一份。".write(toFile: dir + "/solo/only.txt", atomically: true, encoding: .utf8)
        let harness = EngineHarness(directory: dir)
        try harness.run("load solo/only.txt")
        #expect(throws: TagbenchError.noCommonDocument(sessions: ["s0", "s1"])) {
            try Self.compare([a, harness.engine.session])
        }
        // --docs that leaves nothing common is the same error, saying --docs chose none.
        try harness.run("load Fixtures/corpus")
        #expect(throws: TagbenchError.noCommonDocument(sessions: ["s0", "s1"], chosen: true)) {
            try Self.compare([a, harness.engine.session], AgreementOptions(documents: ["only"]))
        }
    }

    @Test func optionsNameOnlyWhatASessionHas() throws {
        let dir = try Fixture.workspace()
        let a = try Self.session(dir, "tag 巡察 all 巡察 --corpus", "tag 整改 all 整改 --corpus")
        let b = try Self.session(dir, "tag 巡察 all 巡察 --corpus")
        #expect(throws: TagbenchError.unknownLabel("巡查", suggestion: "巡察")) {
            try Self.compare([a, b], AgreementOptions(labels: ["巡查"]))
        }
        #expect(throws: TagbenchError.unknownDocument("xinqu-2024", suggestion: "xinqu-2023")) {
            try Self.compare([a, b], AgreementOptions(documents: ["xinqu-2024"]))
        }
        let report = try Self.compare([a, b], AgreementOptions(labels: ["巡察"], documents: ["x*", "1"]))
        #expect(report.labels == ["巡察"] && report.pairs[0].spans.exact.f1 == 1)
        #expect(report.common.map { $0.ids[0] } == ["qu-jiceng", "x-quwei-2020", "xinqu-2023"])
    }

    @Test func disagreementsAreGroupedWhereSpansOverlapAndShownInContext() throws {
        let dir = try Fixture.workspace()
        let harness = EngineHarness(directory: dir)
        try harness.run("label add 巡察", "label add 巡视", "label add 政治建设 --category", "load Fixtures/corpus")
        try harness.run("open 1", "tag 巡察 1091:1093", "tag 巡察 1182:1184", "classify 政治建设 para 2", "save a.json")
        let other = EngineHarness(directory: dir)
        try other.run("label add 巡察", "label add 巡视", "label add 政治建设 --category", "load Fixtures/corpus")
        try other.run("open 1", "tag 巡视 1091:1094", "tag 巡察 1092:1093", "tag 巡察 1182:1184", "save b.json")
        #expect(harness.failure("show d1") != nil)
        try harness.run("agree b.json")
        guard case .agreement(let report, listing: false) = harness.output.last else {
            Issue.record("no agreement in \(harness.output)")
            return
        }
        #expect(report.disagreements.count == 2)
        let spans = report.disagreements[1]
        #expect(spans.range == TextRange(1091, 1094) && spans.text == "巡察监" && spans.unit == nil)
        #expect(spans.versions[0].map(\.label) == ["巡察"])
        #expect(spans.versions[1].map { "\($0.label) \($0.range)" } == ["巡视 1091:1094", "巡察 1092:1093"])
        #expect(report.disagreements[0].unit?.kind == .para && report.disagreements[0].versions[1].isEmpty)
        try harness.run("show d2")
        guard case .disagreement(let view) = harness.output.last else {
            Issue.record("no view in \(harness.output)")
            return
        }
        #expect(view.start == 1071 && view.annotators == ["a", "b"])
        #expect(view.text.unicodeScalars.count == 43 && view.disagreement == spans)
        #expect(harness.failure("show d3") != nil)
    }

    @Test func whitespaceIsCountedAsPythonsIsspaceCountsIt() {
        // Every whitespace scalar, its neighbours, and CJK, at every alignment of the 32-byte steps.
        let edges: [UInt32] = [
            0x08, 0x09, 0x0D, 0x0E, 0x1B, 0x1C, 0x1F, 0x20, 0x21, 0x84, 0x85, 0x86, 0x9F, 0xA0, 0xA1, 0x167F, 0x1680,
            0x1681, 0x1FFF, 0x2000, 0x2005, 0x200A, 0x200B, 0x2027, 0x2028, 0x2029, 0x202A, 0x202E, 0x202F, 0x2030,
            0x205E, 0x205F, 0x2060, 0x2FFF, 0x3000, 0x3001, 0x4E00, 0x20000, 0x9A80, 0x8080
        ]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var scalars: [Unicode.Scalar] = []
            for _ in 0..<(round % 90) {
                let value = Bool.random(using: &generator) ? edges.randomElement()! : UInt32.random(in: 0x4E00...0x9FFF)
                scalars.append(Unicode.Scalar(value)!)
            }
            let bytes = Array(String(String.UnicodeScalarView(scalars)).utf8)
            let expected = scalars.filter { UTF8Bytes.isWhitespace($0.value) }.count
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                #expect(tb_count_whitespace(base, buffer.count) == expected)
                #expect(tb_count_whitespace_portable(base, buffer.count) == expected)
            }
        }
    }

    static let commands: [(String, Command)] = [
        ("agree b.json", .agree(AgreeRequest(sessions: ["b.json"]))),
        (
            "agree b.json c.json --labels 巡察,巡视 --docs x*,3 --json out.json --diff",
            .agree(
                AgreeRequest(
                    sessions: ["b.json", "c.json"],
                    options: AgreementOptions(labels: ["巡察", "巡视"], documents: ["x*", "3"], listsDisagreements: true),
                    json: "out.json"))
        ),
        ("agree b.json --json -", .agree(AgreeRequest(sessions: ["b.json"], json: "-"))),
        ("agree --against merged.json", .agree(AgreeRequest(sessions: [], against: "merged.json"))),
        (
            "agree a.json --against m.json --diff",
            .agree(
                AgreeRequest(
                    sessions: ["a.json"], options: AgreementOptions(listsDisagreements: true), against: "m.json"))
        ),
        ("show d12", .show(.disagreement(12)))
    ]

    @Test(arguments: commands)
    func parsesAndRendersBack(_ line: String, _ command: Command) throws {
        #expect(try CommandParser.parse(line) == command)
        #expect(try CommandParser.parse(CommandRenderer.render(command)) == command)
    }

    @Test(arguments: ["agree", "agree --diff", "agree b.json --json", "agree b.json --weights 2", "show d0"])
    func refusesIncompleteAgreeLines(_ line: String) {
        #expect(throws: LocatedError.self) { try CommandParser.parse(line) }
    }
}
