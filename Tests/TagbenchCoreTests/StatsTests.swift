import Foundation
import Testing
@testable import TagbenchCore

/// `stats`: the figures the engine computes (the CLI draws them) and their JSON.
struct StatsTests {
    func figures(_ h: EngineHarness, _ line: String = "stats") throws -> (StatsFigures, StatsOptions) {
        let output = try h.run(line)
        guard case .stats(let figures, let options)? = output.first else {
            Issue.record("stats gave \(output)")
            return (StatsFigures(), StatsOptions())
        }
        return (figures, options)
    }

    @Test func labelsComeInHierarchyOrderWithTheirDepth() throws {
        let labels = [
            Label(name: "child", parent: "root"), Label(name: "root"), Label(name: "orphan", parent: "gone"),
            Label(name: "grandchild", parent: "child"), Label(name: "a", parent: "b"), Label(name: "b", parent: "a"),
            Label(name: "self", parent: "self")
        ]
        let order = StatsFigures.hierarchyOrder(labels).map { "\(labels[$0.index].name):\($0.depth)" }
        // A parent before its children; a missing parent is no parent; a cycle is shown once.
        #expect(order == ["root:0", "child:1", "grandchild:2", "orphan:0", "self:0", "a:0", "b:1"])
    }

    @Test func figuresCountLabelsDocumentsLengthsAndSuggestions() throws {
        let h = EngineHarness(directory: try Fixture.workspace())
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "open xinqu-2023",
            "tag 第一议题 465:469", "tag 巡察 0:100", "suggest 巡察 巡视 --corpus", "accept s1", "reject s2")
        let (f, options) = try figures(h, "stats --top 2")
        #expect(options.top == 2)
        let session = h.engine.session
        #expect(f.documents == 4 && f.spans == session.annotationCount && f.spans == 3)
        #expect(f.labels.count == session.tagSet.labels.count)
        let byName = Dictionary(uniqueKeysWithValues: f.labels.map { ($0.name, $0) })
        #expect(byName["第一议题"]?.count == 1 && byName["巡察"]?.depth == 1 && byName["全面从严治党"]?.depth == 0)
        #expect(byName["减负"]?.depth == 2, "减负 sits under 作风建设 under 全面从严治党")
        // Lengths 4, 100 and the accepted suggestion's 2: buckets 2, 3–4 and 65–128, none above.
        #expect(f.lengths.map(\.spans).reduce(0, +) == 3)
        #expect(f.lengths.last?.from == 65 && f.lengths.last?.to == 128 && f.lengths.last?.spans == 1)
        #expect(f.lengths[1].spans == 1 && f.lengths[2].spans == 1)
        #expect(f.acceptedSuggestions == 1 && f.rejectedSuggestions == 1)
        #expect(f.waitingSuggestions == session.suggestions.pending.count && f.waitingSuggestions > 0)
        #expect(f.annotatedDocuments == Set(session.allAnnotations.map(\.document)).count)
        #expect(f.conflicts == nil, "no session is a merge yet")
        let shown = f.documentsShown(options)
        #expect(shown.count == 2 && shown[0].id == "xinqu-2023" && shown[0].spans == 2)
        #expect(f.documentsShown(StatsOptions(all: true)).count == 4)
    }

    @Test func jsonHoldsTheSameFigures() throws {
        let h = EngineHarness(directory: try Fixture.workspace())
        try h.run("schema Schemas/governance.tagset.json", "load Fixtures/corpus", "tag 巡察 all 巡察 --corpus")
        let (f, _) = try figures(h, "stats --json")
        let object = try JSONSerialization.jsonObject(with: Data(f.json())) as! [String: Any]
        #expect(object["spans"] as? Int == f.spans && f.spans > 0)
        let documents = object["by_document"] as! [[String: Any]]
        #expect(documents.map { $0["id"] as! String } == h.engine.session.documents.map(\.id))
        #expect(documents.map { $0["spans"] as! Int }.reduce(0, +) == f.spans)
        let lengths = object["span_lengths"] as! [[String: Any]]
        #expect(lengths.map { $0["spans"] as! Int }.reduce(0, +) == f.spans)
        let labels = object["labels"] as! [[String: Any]]
        #expect(labels.map { $0["name"] as! String } == f.labels.map(\.name))
        let progress = object["progress"] as! [String: Any]
        #expect(progress["conflicts"] is NSNull)
        #expect((progress["suggestions"] as! [String: Int])["waiting"] == 0)
    }
}
