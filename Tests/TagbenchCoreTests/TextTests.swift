import Testing
import Foundation
@testable import TagbenchCore

/// Code points, the way Python indexes `str`: a reference built from Swift's unicodeScalars.
func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

func document(_ text: String, id: String = "d") -> Document {
    Document(id: id, path: "/tmp/\(id).txt", bytes: Array(text.utf8))
}

struct CodePointTests {
    static let texts = [
        "", "abc", "巡察", "𠀀巡察😀", "e\u{301}\u{302}x", "line\r\nnext\r\n", "👍🏽👨‍👩‍👧", String(repeating: "巡察𠀀a", count: 300)
    ]

    /// Walking n code points over the bytes, either way, lands where counting scalars says, and
    /// stops at the ends of the text.
    @Test(arguments: texts)
    func walkingCodePointsOverBytesLandsOnTheRightCharacter(text: String) {
        let bytes = Array(text.utf8)
        // The byte offset of every code point, and of the end.
        var starts = [0]
        for s in text.unicodeScalars { starts.append(starts.last! + String(s).utf8.count) }
        bytes.withUnsafeBufferPointer { b in
            for (k, offset) in starts.enumerated() {
                for n in [0, 1, 2, 8, starts.count] {
                    #expect(UTF8Bytes.offset(offset, after: n, in: b) == starts[min(k + n, starts.count - 1)])
                    #expect(UTF8Bytes.offset(offset, before: n, in: b) == starts[max(k - n, 0)])
                }
            }
        }
    }

    @Test(arguments: texts)
    func lengthCountsCodePoints(text: String) {
        let d = document(text)
        #expect(d.length == text.unicodeScalars.count)
    }

    @Test(arguments: texts)
    func byteAndCodePointOffsetsAgree(text: String) {
        let d = document(text)
        let reference = scalars(text)
        var byte = 0
        for cp in 0...reference.count {
            #expect(d.byteOffset(cp) == byte)
            #expect(d.codePointOffset(ofByte: byte) == cp)
            if cp < reference.count { byte += String(reference[cp]).utf8.count }
        }
    }

    @Test(arguments: texts)
    func textOfARangeIsTheScalarSlice(text: String) {
        let d = document(text)
        let reference = scalars(text)
        guard reference.count >= 2 else { return }
        for (s, e) in [(0, 1), (1, reference.count), (reference.count / 2, reference.count)] {
            let expected = String(String.UnicodeScalarView(reference[s..<e]))
            #expect(d.text(TextRange(s, e)) == expected)
        }
    }

    static let invalidUTF8: [([UInt8], Int?)] = [
        (Array("巡察".utf8), nil),
        ([0x61, 0xFF], 1),
        ([0x61, 0x62, 0xC0, 0x80], 2),  // overlong
        ([0xE5, 0xB7], 0),  // truncated
        ([0xED, 0xA0, 0x80], 0),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
        (Array("abcdefghij".utf8) + [0x80], 10),  // lone continuation after the 8-byte fast path
        ([0xF0, 0xA0, 0x80, 0x80], nil)  // U+20000
    ]

    @Test(arguments: invalidUTF8)
    func findsTheFirstInvalidByte(bytes: [UInt8], expected: Int?) {
        #expect(bytes.withUnsafeBufferPointer { UTF8Bytes.firstInvalidOffset($0) } == expected)
    }

    /// Sequences at the edges of well-formed UTF-8 (Unicode Table 3-7) and just past them.
    static let sequences: [[UInt8]] = [
        [0x41], [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xE4, 0xB8, 0xAD], [0xED, 0x9F, 0xBF],
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF],
        [0xF4, 0x8F, 0xBF, 0xBF],
        // Ill-formed: lone continuations, overlongs, surrogates, above U+10FFFF, bytes never used, cut sequences.
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE4, 0xB8], [0xF0, 0x90, 0x80], [0xC2]
    ]

    /// The scan (vectorised, and a byte at a time) against the sequence-at-a-time check, a plain
    /// count of code-point starts and a NUL search, on random texts of every length around the
    /// 32-byte and 128-byte block edges.
    @Test func textScanAgreesWithByteAtATimeChecks() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            let pieces = Int(rng.next() % 120)
            let valid = round % 2 == 0
            for _ in 0..<pieces {
                var piece = Self.sequences[Int(rng.next() % UInt64(valid ? 13 : Self.sequences.count))]
                if valid && piece == [0x00] { piece = [0x20] }
                bytes += piece
            }
            if round % 5 == 1 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            bytes.withUnsafeBufferPointer { b in
                let expectedValid = UTF8Bytes.sequenceByteOffset(ofFirstInvalidIn: b) == nil
                let starts = b.filter { !UTF8Bytes.isContinuation($0) }.count
                for portable in [false, true] {
                    let scan = CodePointIndex.scan(b, portable: portable)
                    #expect(scan.isWellFormed == expectedValid, "\(bytes)")
                    #expect(scan.containsNUL == b.contains(0), "\(bytes)")
                    #expect(scan.index.count == starts, "\(bytes)")
                }
                #expect((UTF8Bytes.firstInvalidOffset(b) == nil) == expectedValid)
                #expect(UTF8Bytes.countCodePoints(b) == starts)
            }
        }
    }

    /// Offsets through a long text with every sequence length, against a walk over its scalars.
    @Test func indexConvertsEveryOffsetOfALongText() {
        let text = String(repeating: "巡察a𠀀\né", count: 200) + "末"
        let d = document(text)
        var byte = 0
        for (cp, scalar) in text.unicodeScalars.enumerated() {
            #expect(d.byteOffset(cp) == byte)
            let length = String(scalar).utf8.count
            for inside in byte..<(byte + length) { #expect(d.codePointOffset(ofByte: inside) == cp) }
            byte += length
        }
        #expect(d.byteOffset(d.length) == byte && d.codePointOffset(ofByte: byte) == d.length)
    }
}

/// A hash left for later is the file's SHA-256 whoever computes it: any of several threads asking
/// at once.
struct DocumentHashTests {
    @Test func hashesLeftForLaterAreTheBytesHashesWhoeverComputesThem() throws {
        let texts = (0..<64).map { k in Array(String(repeating: "巡察整改\(k)𠀀\n", count: 500 + k * 37).utf8) }
        let expected = try texts.map { try referenceSHA256($0) }
        let documents = texts.enumerated().map {
            Document(id: "d\($0.offset)", path: "/d\($0.offset)", bytes: $0.element, hashLater: true)
        }
        #expect(Document.unhashed(documents).count == documents.count)
        let seen = Parallel.map(documents.count * 2) { documents[$0 % documents.count].sha256 }
        #expect(seen == expected + expected)
        // Known ones are not hashed again; a given hash is kept as given.
        #expect(Document.unhashed(documents).isEmpty)
        let given = Document(id: "g", path: "/g", bytes: texts[0], sha256: "recorded")
        #expect(Document.unhashed([given]).isEmpty)
        #expect(given.sha256 == "recorded")
    }
}

struct SegmenterTests {
    @Test func paragraphsAreTrimmedNonBlankLines() {
        let d = document("\u{A0}今年以来，巡察。\r\n\r\n  \u{3000}\n\u{3000}二、减负\u{3000}\r\n last")
        let texts = d.paragraphs.map { d.text($0) }
        #expect(texts == ["今年以来，巡察。", "二、减负", "last"])
        #expect(d.paragraphs[0] == TextRange(1, 9))
    }

    static let sentenceCases: [(String, [String])] = [
        ("一是加强学习。二是推进整改！三是？", ["一是加强学习。", "二是推进整改！", "三是？"]),
        ("他说：“坚持到底。”然后离开。", ["他说：“坚持到底。”", "然后离开。"]),
        ("真的吗？！（注）", ["真的吗？！", "（注）"]),
        ("1．不折不扣落实。7.3公里的路。", ["1．不折不扣落实。", "7.3公里的路。"]),
        ("没有句号的结尾", ["没有句号的结尾"]),
        ("Really?! Yes. (ok)", ["Really?!", "Yes. (ok)"]),
        ("《规定》。」』）)》后文", ["《规定》。」』）)》", "后文"]),
        ("第一段。\n第二段没有结尾\n", ["第一段。", "第二段没有结尾"])
    ]

    @Test(arguments: sentenceCases)
    func sentencesEndAfterTerminatorsAndClosers(text: String, expected: [String]) {
        let d = document(text)
        #expect(d.sentences.map { d.text($0.range) } == expected)
    }

    @Test func sentencesAreNumberedThroughTheDocumentAndKnowTheirParagraph() {
        let d = document("甲。乙。\n丙。")
        #expect(d.sentences.map(\.paragraph) == [1, 1, 2])
        #expect(d.sentences[2].range == TextRange(5, 7))
    }
}

struct TextSearchTests {
    @Test func literalMatchesOverlapLikePythonsFind() throws {
        let d = document("巡察巡察巡察")
        let ranges = try TextSearch(.literal("巡察巡察")).matches(in: d)
        #expect(ranges == [TextRange(0, 4), TextRange(2, 6)])
    }

    @Test func offsetsStayExactAfterAstralCharacters() throws {
        let text = "𠀀😀é́巡察 and 👍🏽巡察"
        let d = document(text)
        let ranges = try TextSearch(.literal("巡察")).matches(in: d)
        let reference = scalars(text)
        #expect(ranges.count == 2)
        for r in ranges { #expect(String(String.UnicodeScalarView(reference[r.start..<r.end])) == "巡察") }
        // 𠀀, 😀, é and U+0301 come before: four code points, whatever their UTF-8 or UTF-16 lengths.
        #expect(ranges[0] == TextRange(4, 6))
    }

    @Test func regexMatchesGiveCodePointOffsets() throws {
        let d = document("𠀀第1轮巡察，第12轮巡察")
        let ranges = try TextSearch(.regex("第\\d+轮")).matches(in: d)
        #expect(ranges == [TextRange(1, 4), TextRange(7, 11)])
        #expect(d.text(ranges[1]) == "第12轮")
    }

    @Test func invalidRegexIsAnError() {
        #expect(throws: TagbenchError.self) { try TextSearch(.regex("巡(察")) }
        #expect(throws: TagbenchError.emptyPattern) { try TextSearch(.literal("")) }
    }

    @Test func displayWidthCountsCJKAsTwoColumns() {
        #expect(Format.displayWidth("巡察ab") == 6)
        #expect(Format.displayWidth("e\u{301}") == 1)
        #expect(Format.displayWidth("𠀀") == 2)
        #expect(Format.grouped(1234567) == "1,234,567")
    }

    /// The East Asian Ambiguous characters of Chinese text take two columns where the terminal
    /// draws them wide, one elsewhere.
    @Test(arguments: Array("“”‘’·—–…│─°※①■★§×÷←→∶¶€").map(String.init))
    func ambiguousCharactersTakeTwoColumnsOnlyWhenWide(character: String) {
        #expect(Format.displayWidth(character, ambiguousWide: true) == 2)
        #expect(Format.displayWidth(character, ambiguousWide: false) == 1)
    }

    /// Characters of other classes keep their width either way: narrow, wide, fullwidth, marks.
    @Test(arguments: [
        ("a", 1), ("›", 1), ("©", 1), ("«", 1), ("巡", 2), ("，", 2), ("《", 2), ("𠀀", 2), ("e\u{301}", 1), ("", 0)
    ])
    func otherCharactersKeepTheirWidthEitherWay(text: String, width: Int) {
        #expect(Format.displayWidth(text, ambiguousWide: true) == width)
        #expect(Format.displayWidth(text, ambiguousWide: false) == width)
    }

    @Test func ambiguousRangesAreInOrderAndApart() {
        let table = EastAsianWidth.ambiguous
        #expect(table.count % 2 == 0)
        for i in stride(from: 0, to: table.count, by: 2) {
            #expect(table[i] <= table[i + 1])
            if i + 2 < table.count { #expect(table[i + 1] + 1 < table[i + 2]) }
        }
    }
}

/// Cutting text to a number of terminal columns (CJK = 2), with … when cut; where ambiguous
/// characters are wide (the `Bool`), quotes and the `…` itself count two columns.
struct TruncationTests {
    static let cases: [(String, Int, Bool, String)] = [
        ("巡察整改", 8, false, "巡察整改"),
        ("巡察整改", 7, false, "巡察整…"),
        ("巡察整改", 6, false, "巡察…"),
        ("abc巡察", 5, false, "abc…"),
        ("abcdef", 4, false, "abc…"),
        ("", 3, false, ""),
        ("𠀀𠀀𠀀", 5, false, "𠀀𠀀…"),
        ("“巡察”整改", 10, false, "“巡察”整改"),
        ("“巡察”整改", 12, true, "“巡察”整改"),
        ("“巡察”整改", 11, true, "“巡察”…"),
        ("“巡察”整改", 9, true, "“巡察…"),
        ("a·b·c", 6, true, "a·b…")
    ]

    @Test(arguments: cases)
    func textIsCutToTheColumnsGiven(text: String, width: Int, ambiguousWide: Bool, expected: String) {
        let cut = Format.truncated(text, toWidth: width, ambiguousWide: ambiguousWide)
        #expect(cut == expected)
        #expect(Format.displayWidth(cut, ambiguousWide: ambiguousWide) <= width)
    }
}

/// Counts in messages: singular for one, grouped digits, a given plural.
struct CountTests {
    static let cases: [(Int, String, String?, String)] = [
        (1, "document", nil, "1 document"),
        (0, "document", nil, "0 documents"),
        (3_500, "document", nil, "3,500 documents"),
        (1, "match", "matches", "1 match"),
        (2, "match", "matches", "2 matches"),
        (1, "category", "categories", "1 category")
    ]

    @Test(arguments: cases)
    func countsAreSingularForOne(n: Int, singular: String, plural: String?, expected: String) {
        #expect(Format.count(n, singular, plural: plural) == expected)
    }
}
