import Foundation
import Testing
@testable import TagbenchCore

/// Paragraph and sentence numbers counted from a fixture's text alone, not through `Document`:
/// a paragraph is a line with something other than whitespace; a sentence starts at a paragraph's
/// first such character and at the first character after a run of 。！？!? that is neither a
/// closing quote or bracket nor whitespace.
struct UnitReference {
    /// The paragraph and sentence of each code point (nil on blank lines and the blanks around text).
    private(set) var paragraphAt: [Int?] = []
    private(set) var sentenceAt: [Int?] = []
    private(set) var paragraphCount = 0

    init(file path: String) throws {
        self.init(text: try String(contentsOfFile: path, encoding: .utf8))
    }

    init(text: String) {
        let scalars = Array(text.unicodeScalars)
        paragraphAt = Array(repeating: nil, count: scalars.count)
        sentenceAt = Array(repeating: nil, count: scalars.count)
        let terminators: Set<Unicode.Scalar> = ["。", "！", "？", "!", "?"]
        let closers: Set<Unicode.Scalar> = ["”", "’", "」", "』", "）", ")", "》"]
        var sentence = 0
        var lineStart = 0
        while lineStart < scalars.count {
            var lineEnd = lineStart
            while lineEnd < scalars.count && scalars[lineEnd] != "\n" { lineEnd += 1 }
            let content = (lineStart..<lineEnd).filter { !scalars[$0].properties.isWhitespace }
            if let first = content.first, let last = content.last {
                paragraphCount += 1
                var afterTerminators = false
                for position in first...last {
                    let scalar = scalars[position]
                    paragraphAt[position] = paragraphCount
                    if position == first {
                        sentence += 1
                    } else if afterTerminators && !terminators.contains(scalar) && !closers.contains(scalar)
                        && !scalar.properties.isWhitespace
                    {
                        sentence += 1
                        afterTerminators = false
                    }
                    if terminators.contains(scalar) { afterTerminators = true }
                    // Blanks between two sentences are in neither.
                    if !(afterTerminators && scalar.properties.isWhitespace) { sentenceAt[position] = sentence }
                }
            }
            lineStart = lineEnd + 1
        }
    }

    /// The place of a range whose first and last code points are in text.
    func place(of range: TextRange) -> UnitPlace {
        UnitPlace(
            paragraphs: paragraphAt[range.start]!...paragraphAt[range.end - 1]!,
            sentences: sentenceAt[range.start]!...sentenceAt[range.end - 1]!)
    }
}

/// The place of every range of a short text, found by binary search, is the one a scan of each
/// code point of the range gives.
@Test func everyRangesPlaceIsWhatAScanOfItsCodePointsGives() {
    let text = "第一段。第二句！”\n\n  \t第二段开头？　全角空格后\r\n最后 一段\n\n"
    let reference = UnitReference(text: text)
    let document = Document(id: "t", path: "", bytes: Array(text.utf8))
    #expect(document.paragraphs.count == reference.paragraphCount)
    func scanned(_ numbers: ArraySlice<Int?>) -> ClosedRange<Int>? {
        let found = numbers.compactMap { $0 }
        return found.isEmpty ? nil : found.min()!...found.max()!
    }
    var placed = 0
    for start in 0...document.length {
        for end in start...document.length {
            // An empty range is the point at its start (none at the very end).
            let covered = end > start ? start..<end : start..<min(start + 1, document.length)
            let expected = UnitPlace(
                paragraphs: scanned(reference.paragraphAt[covered]), sentences: scanned(reference.sentenceAt[covered]))
            #expect(UnitPlace(of: TextRange(start, end), in: document) == expected, "\(start):\(end)")
            if expected.paragraphs != nil { placed += 1 }
        }
    }
    // Ranges in blanks alone have no place; the others have one.
    #expect(placed > 0 && placed < (document.length + 1) * (document.length + 2) / 2)
    #expect(UnitPlace(of: TextRange(0, 3), in: document).description == "¶1 sent 1")
    #expect(UnitPlace(of: TextRange(2, 6), in: document).description == "¶1 sent 1-2")
}

/// Paragraph-level work: ¶ and sentence numbers in listings, `paras`, `next/prev para`, and
/// `spans LABEL TEXT|/RE/`.
struct NavigationTests {
    func harness() throws -> EngineHarness {
        let h = EngineHarness(directory: try Fixture.workspace())
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023")
        return h
    }

    func references(_ h: EngineHarness) throws -> [String: UnitReference] {
        var result: [String: UnitReference] = [:]
        for id in ["qu-jiceng", "quwei-2023", "x-quwei-2020", "xinqu-2023"] {
            result[id] = try UnitReference(file: h.directory + "/Fixtures/corpus/\(id).txt")
        }
        return result
    }

    @Test func findSpansAndSuggestionsGiveParagraphAndSentenceNumbers() throws {
        let h = try harness()
        let reference = try references(h)
        try h.run("find /整改|巡[视察]/ --corpus")
        guard case .hits(let hits, let total) = h.output.last else {
            Issue.record("no hits")
            return
        }
        #expect(total > 20)
        // Hits in several paragraphs and sentences, each where the text alone puts it.
        #expect(Set(hits.map(\.place)).count > 10)
        for hit in hits { #expect(hit.place == reference[hit.document]!.place(of: hit.range), "\(hit)") }

        // A span across a paragraph break lists both paragraphs and every sentence between.
        let ref = reference["xinqu-2023"]!
        let start = ref.paragraphAt.firstIndex(of: 2)! + 3
        let end = ref.paragraphAt.firstIndex(of: 3)! + 5
        try h.run("tag 整改落实 all 整改 --corpus", "tag 巡察 \(start):\(end)", "spans --corpus")
        guard case .spans(let spans) = h.output.last else {
            Issue.record("no spans")
            return
        }
        #expect(spans.count > 20)
        for span in spans { #expect(span.place == reference[span.document]!.place(of: span.range), "\(span)") }
        let crossing = try #require(spans.first { $0.label == "巡察" })
        #expect(crossing.place?.paragraphs == 2...3)
        #expect(crossing.place?.description == "¶2-3 sent \(ref.sentenceAt[start]!)-\(ref.sentenceAt[end - 1]!)")

        try h.run("suggest 巡视 --corpus", "suggestions")
        guard case .lines(let lines) = h.output.last else {
            Issue.record("no suggestion lines")
            return
        }
        let queue = h.engine.session.suggestions.pending
        #expect(queue.count == lines.count && queue.count > 3)
        for (suggestion, line) in zip(queue, lines) {
            let id = h.engine.session.documents[suggestion.document].id
            let place = reference[id]!.place(of: suggestion.range)
            #expect(
                line.contains("  ¶\(place.paragraphs!.lowerBound) sent \(place.sentences!.lowerBound)  "),
                "\(line)")
        }
        // The contexts start in one column whatever the width of the numbers.
        let columns = lines.map { Format.displayWidth(String($0[..<$0.firstIndex(of: "…")!])) }
        #expect(Set(columns).count == 1)
    }

    func paragraphRows(_ h: EngineHarness) -> [ParagraphRow] {
        h.output.flatMap { item -> [ParagraphRow] in if case .paragraphs(let rows) = item { rows } else { [] } }
    }

    @Test func parasListsParagraphsWithTheirLabelsAndFilters() throws {
        let h = try harness()
        let ref = try references(h)["xinqu-2023"]!
        let count = ref.paragraphCount
        #expect(count == 5)
        // 第一议题 twice in one paragraph, 巡视 in the last, a category on paragraph 2 and one on a
        // sentence of paragraph 3, one on the whole document (no paragraph's).
        try h.run(
            "find 第一议题", "tag 第一议题 h1-h2", "tag 巡视 all 巡视", "classify 政治建设 para 2", "classify 纪律建设 doc")
        let firstOfThree = ref.sentenceAt[ref.paragraphAt.firstIndex(of: 3)!]!
        try h.run("classify 纪律建设 sent \(firstOfThree)")
        // A span on the line break after paragraph 1 is in no paragraph.
        let afterOne = ref.paragraphAt.lastIndex(of: 1)! + 1
        #expect(ref.paragraphAt[afterOne] == nil)
        try h.run("tag 减负 \(afterOne):\(afterOne + 1)")
        let yiti = Set(
            h.engine.session.allAnnotations.filter { $0.text == "第一议题" }.map { ref.paragraphAt[$0.range.start]! })
        let xunshi = Set(
            h.engine.session.allAnnotations.filter { $0.text == "巡视" }.map { ref.paragraphAt[$0.range.start]! })
        #expect(yiti.count == 1 && xunshi.count == 1 && yiti != xunshi && !yiti.contains(2) && !xunshi.contains(2))

        try h.run("paras")
        let all = paragraphRows(h)
        #expect(all.map(\.number) == Array(1...count))
        for row in all {
            #expect(ref.paragraphAt[row.range.start] == row.number && ref.paragraphAt[row.range.end - 1] == row.number)
            #expect(row.range.start == 0 || ref.paragraphAt[row.range.start - 1] == nil)
            #expect(row.text == h.engine.currentDocument!.text(row.range))
        }
        let labelled: [Int: [String]] = [
            2: ["政治建设 1"], 3: ["纪律建设 1"], yiti.first!: ["第一议题 2"], xunshi.first!: ["巡视 4"]
        ]
        #expect(
            Dictionary(uniqueKeysWithValues: all.filter { !$0.labels.isEmpty }.map { ($0.number, $0.labels) })
                == labelled)
        #expect(h.messages.last == "5 paragraphs in xinqu-2023: 4 annotated, 1 untagged")

        try h.run("paras --untagged")
        let untagged = Set(1...count).subtracting(labelled.keys).sorted()
        #expect(paragraphRows(h).map(\.number) == untagged)
        #expect(h.messages.last == "1 of 5 paragraphs in xinqu-2023 is untagged")

        try h.run("paras dyyt")  // an alias
        #expect(paragraphRows(h).map(\.number) == Array(yiti))
        #expect(h.messages.last == "1 of 5 paragraphs in xinqu-2023 has 第一议题")

        try h.run("paras --untagged 第一议题")
        #expect(paragraphRows(h).map(\.number) == Array(1...count).filter { !yiti.contains($0) })
        #expect(h.messages.last == "4 of 5 paragraphs in xinqu-2023 have no 第一议题")

        try h.run("paras 减负")
        #expect(paragraphRows(h).isEmpty)
        #expect(h.messages.last == "0 of 5 paragraphs in xinqu-2023 have 减负")
        #expect(h.failure("paras 减付") == .unknownLabel("减付", suggestion: "减负"))
    }

    /// The paragraph each `next para`/`prev para` showed, or nil when it said there was none.
    func stepped(_ h: EngineHarness, _ line: String) throws -> Int? {
        try h.run(line)
        if case .text(let view) = h.output.last {
            #expect(Set(view.lines.map(\.paragraph)).count == 1)
            return view.lines.first?.paragraph
        }
        return nil
    }

    @Test func nextAndPrevParaWalkTheDocumentWithAndWithoutALabel() throws {
        let h = try harness()
        let ref = try references(h)["xinqu-2023"]!
        let count = ref.paragraphCount
        // From the top: every paragraph in turn, then a message at the end, and the cursor stays.
        var shown: [Int?] = []
        for _ in 0..<count { shown.append(try stepped(h, "next para")) }
        #expect(shown == Array(1...count))
        #expect(try stepped(h, "next para") == nil)
        #expect(h.messages.last == "¶5 is the last paragraph of xinqu-2023 (next opens the next document)")
        #expect(try stepped(h, "prev para") == count - 1)
        try h.run("show para 1")
        #expect(try stepped(h, "prev para") == nil)
        #expect(h.messages.last == "¶1 is the first paragraph of xinqu-2023 (prev opens the previous document)")

        // With a label: only the paragraphs that have it; the others are stepped over.
        try h.run("tag 第一议题 all 第一议题", "tag 巡视 all 巡视")
        let yiti = ref.paragraphAt[h.engine.session.allAnnotations.first { $0.text == "第一议题" }!.range.start]!
        let xunshi = ref.paragraphAt[h.engine.session.allAnnotations.first { $0.text == "巡视" }!.range.start]!
        #expect(yiti == count - 1 && xunshi == count)
        try h.run("open xinqu-2023")  // opening starts before the first paragraph
        #expect(try stepped(h, "next para dyyt") == yiti)
        #expect(try stepped(h, "next para 第一议题") == nil)
        #expect(h.messages.last == "no paragraph after ¶\(yiti) in xinqu-2023 has 第一议题")
        #expect(try stepped(h, "next para --untagged") == nil)
        #expect(h.messages.last == "no paragraph after ¶\(yiti) in xinqu-2023 is untagged")
        #expect(try stepped(h, "prev para --untagged") == yiti - 1)
        #expect(try stepped(h, "next para --untagged 巡视") == yiti)
        #expect(try stepped(h, "prev para 巡视") == nil)
        #expect(h.messages.last == "no paragraph before ¶\(yiti) in xinqu-2023 has 巡视")
        #expect(try stepped(h, "next para xs") == xunshi)
        try h.run("show")  // the whole document: from the top again
        #expect(try stepped(h, "prev para") == count)

        // What was last shown or annotated moves the cursor: a sentence, a range, a tag, a classify.
        let lastOfTwo = ref.sentenceAt[ref.paragraphAt.lastIndex(of: 2)!]!
        try h.run("show sent \(lastOfTwo)")
        #expect(try stepped(h, "next para") == 3)
        let inFour = ref.paragraphAt.firstIndex(of: 4)! + 2
        try h.run("show 0:\(inFour + 1)")
        #expect(try stepped(h, "next para") == 5)
        try h.run("tag 减负 \(inFour):\(inFour + 2)")
        #expect(try stepped(h, "prev para") == 3)
        try h.run("classify 政治建设 para 1")
        #expect(try stepped(h, "next para") == 2)

        // Viewing only: nothing logged, journaled or made unsaved.
        let logged = h.engine.session.log.count
        try h.run("next para", "prev para 巡视", "paras --untagged")
        #expect(h.engine.session.log.count == logged)
        #expect(!Command.stepParagraph(forward: true, .any).belongsInJournal)
        #expect(!Command.paras(.untagged).belongsInJournal)
        #expect(h.failure("next para 减付") == .unknownLabel("减付", suggestion: "减负"))
    }

    @Test func spansOfALabelNarrowedByTextOrRegex() throws {
        let h = try harness()
        try h.run("tag 整改落实 all /整改[^，。、]{0,3}/ --corpus")
        let all = h.engine.session.allAnnotations
        let spanTexts = all.map(\.text)
        #expect(Set(spanTexts).count > 3 && spanTexts.contains("整改"))

        func listed(_ line: String) throws -> [String] {
            try h.run(line)
            return h.output.flatMap { item -> [String] in if case .spans(let rows) = item { rows.map(\.id) } else { [] }
            }
        }
        // A regex is searched in the span's text alone: ^ and $ are its ends.
        #expect(try listed("spans 整改落实 /^整改$/ --corpus") == all.filter { $0.text == "整改" }.map(\.id))
        #expect(h.messages.last == "\(spanTexts.filter { $0 == "整改" }.count) of \(all.count) spans of 整改落实 hold /^整改$/")
        // Four characters ending in 落实 (a span of three does not hold /.落实$/; 整改落实作 holds 落实 but
        // does not end in it).
        let fourEndingInLuoShi = all.filter { $0.text.unicodeScalars.count == 4 && $0.text.hasSuffix("落实") }
        #expect(try listed("spans 整改落实 /^..落实$/ --corpus") == fourEndingInLuoShi.map(\.id))
        #expect(!fourEndingInLuoShi.isEmpty)
        #expect(
            try listed("spans zgls 落实 --corpus") == all.filter { $0.text.contains("落实") }.map(\.id))
        // Without --corpus: the current document's only.
        let here = h.engine.session.annotations(inDocument: h.engine.current!)
        #expect(try listed("spans 整改落实 整改") == here.map(\.id))
        #expect(try listed("spans 整改落实 /没有/ --corpus").isEmpty)
        #expect(h.messages.last == "0 of \(all.count) spans of 整改落实 hold /没有/")
        #expect(h.failure("spans 整改落实 /(/") != nil)
        #expect(h.failure("spans 整改落实 \"\"") == .emptyPattern)
    }
}
