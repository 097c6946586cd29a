import Testing
@testable import TagbenchCore

struct SpanKeySetTests {
    /// Random inserts, removals and lookups, on few documents and offsets so that keys repeat and
    /// probe chains cross the table's end, against `Set`; `reserve` starts from a sized table.
    @Test(arguments: [false, true])
    func agreesWithASetUnderRandomInsertsAndRemovals(reserve: Bool) {
        var set = SpanKeySet()
        if reserve { set.reserveCapacity(500) }
        var reference = Set<SpanKey>()
        for step in 0..<60_000 {
            let start = Int.random(in: 0..<40)
            let key = SpanKey(
                document: Int.random(in: 0..<4), range: TextRange(start, start + Int.random(in: 1...3)),
                label: Int.random(in: 0..<3))
            switch Int.random(in: 0..<3) {
            case 0:
                let inserted = set.insert(key)
                #expect(inserted == reference.insert(key).inserted, "insert at step \(step)")
            case 1:
                set.remove(key)
                reference.remove(key)
            default: #expect(set.contains(key) == reference.contains(key), "lookup at step \(step)")
            }
            #expect(set.count == reference.count)
            if step % 20_000 == 19_999 {
                set.removeAll(keepingCapacity: step < 40_000)
                reference.removeAll()
            }
        }
        // Every key of the reference is found, and nothing else is.
        for document in 0..<4 {
            for start in 0..<40 {
                for length in 1...3 {
                    for label in 0..<3 {
                        let key = SpanKey(document: document, range: TextRange(start, start + length), label: label)
                        #expect(set.contains(key) == reference.contains(key))
                    }
                }
            }
        }
    }

    /// Keys inserted in batches (repeating within a batch and keys inserted before, growing the
    /// table) are added exactly as one at a time adds them, against `Set`.
    @Test func insertingAllAtOnceAgreesWithOneAtATime() {
        var set = SpanKeySet()
        var reference = Set<SpanKey>()
        for batch in 0..<30 {
            let keys = (0..<Int.random(in: 0...(batch % 3 == 0 ? 3_000 : 40))).map { _ in
                let start = Int.random(in: 0..<200)
                return SpanKey(
                    document: Int.random(in: 0..<5), range: TextRange(start, start + Int.random(in: 1...2)),
                    label: Int.random(in: 0..<2))
            }
            let added = set.insert(all: keys)
            #expect(added == keys.map { reference.insert($0).inserted }, "batch \(batch)")
            #expect(set.count == reference.count)
        }
        #expect(reference.allSatisfy { set.contains($0) })
    }

    /// A table grown from empty to many keys keeps every one.
    @Test func growsWithoutLosingKeys() {
        var set = SpanKeySet()
        var allNew = true
        for n in 0..<100_000 {
            allNew = set.insert(SpanKey(document: n % 97, range: TextRange(n, n + 2), label: n % 5)) && allNew
        }
        #expect(allNew)
        #expect(set.count == 100_000)
        #expect(
            (0..<100_000).allSatisfy {
                set.contains(SpanKey(document: $0 % 97, range: TextRange($0, $0 + 2), label: $0 % 5))
            })
        #expect(!set.contains(SpanKey(document: 0, range: TextRange(0, 3), label: 0)))
        let again = set.insert(SpanKey(document: 0, range: TextRange(0, 2), label: 0))
        #expect(!again)
        #expect(set.count == 100_000)
    }
}

struct SessionInsertTests {
    static func spans() -> [Annotation] {
        [
            Annotation(
                number: 3, document: 0, range: TextRange(0, 2), label: 0, text: "巡察", source: "all:\"巡察\"",
                annotator: "analyst", time: "2023-11-14T22:13:20Z"),
            Annotation(
                number: 1, document: 1, range: TextRange(5, 9), label: 1, text: "整改落实", note: "见第二段",
                annotator: "analyst", time: "2023-11-14T22:13:21Z"),
            Annotation(
                number: 7, document: 0, range: TextRange(0, 2), label: 0, text: "巡察", annotator: "other",
                time: "2023-11-14T22:13:22Z")
        ]
    }

    @Test(arguments: [false, true])
    func insertedSpansAreWholeWhetherMovedOrCopied(moving: Bool) {
        let session = Session()
        session.addDocument(Document(id: "a", path: "/a.txt", bytes: Array("巡察工作".utf8)))
        session.addDocument(Document(id: "b", path: "/b.txt", bytes: Array("今年以来，整改落实".utf8)))
        var list = Self.spans()
        let duplicates = session.insert(contentsOf: &list, numbering: false, moving: moving)
        // The third is the first again (same document, range and label): left out, named by position.
        #expect(duplicates == [2])
        #expect(session.annotation(number: 3) == Self.spans()[0])
        #expect(session.annotation(number: 1) == Self.spans()[1])
        #expect(session.annotation(number: 7) == nil)
        #expect(session.annotationCount == 2)
        // What is left in the list still names each span; moved ones have lost their strings.
        #expect(list.map(\.number) == [3, 1, 7])
        #expect(list[2] == Self.spans()[2])
        #expect(list[0].text == (moving ? "" : "巡察") && list[1].note == (moving ? "" : "见第二段"))
    }
}
