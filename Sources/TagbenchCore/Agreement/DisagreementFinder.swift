/// Lists the places annotators disagree, so that every figure can be traced to the spans behind
/// it: each group of overlapping spans (of any annotator) that not every annotator has exactly,
/// and each unit whose category labels differ between annotators.
enum DisagreementFinder {
    /// The disagreements in the common documents (`documents[k]`: document k's index in each
    /// session), numbered from 1 by document and position.
    static func find(
        tables: [AgreementSpanTable], marks: [[CategoryAgreement.Mark]], documents: [[Int]], texts: [Document],
        names: [String]
    ) -> [Disagreement] {
        let m = tables.count
        var found: [(order: (Int, Int, Int, Int), item: Disagreement)] = []
        func disagreement(
            _ d: Int, _ range: TextRange, unit: (kind: UnitKind, index: Int)?, _ versions: [[DisagreementMark]]
        )
            -> Disagreement
        {
            // The text whole, as `text[start:end]` gives it (the table shortens a unit's).
            return Disagreement(
                number: 0, documents: documents[d], document: texts[d].id, range: range, unit: unit,
                text: texts[d].text(range),
                versions: versions)
        }
        var members: [(span: PackedSpan, annotator: Int)] = []
        for d in documents.indices {
            members.removeAll(keepingCapacity: true)
            for (a, table) in tables.enumerated() {
                for i in table.range(of: d) { members.append((table.byPosition[i], a)) }
            }
            members.sort { $0.span != $1.span ? $0.span < $1.span : $0.annotator < $1.annotator }
            var first = 0
            while first < members.count {
                // A group: spans that overlap, directly or through others.
                var end = members[first].span.end
                var last = first + 1
                while last < members.count && members[last].span.start < end {
                    end = max(end, members[last].span.end)
                    last += 1
                }
                var versions = Array(repeating: [DisagreementMark](), count: m)
                for k in first..<last {
                    let span = members[k].span
                    versions[members[k].annotator].append(
                        DisagreementMark(
                            range: TextRange(Int(span.start), Int(span.end)), label: names[Int(span.label)]))
                }
                if versions.contains(where: { $0 != versions[0] }) {
                    let range = TextRange(Int(members[first].span.start), Int(end))
                    found.append(((d, range.start, range.end, -1), disagreement(d, range, unit: nil, versions)))
                }
                first = last
            }
        }
        // Category labels by unit: a unit is listed when the annotators' sets of labels differ.
        var byUnit: [CategoryAgreement.Unit: (range: TextRange, labels: [Set<Int>])] = [:]
        for (a, list) in marks.enumerated() {
            for mark in list {
                byUnit[mark.unit, default: (mark.range, Array(repeating: [], count: m))].labels[a].insert(mark.label)
            }
        }
        for (unit, entry) in byUnit where entry.labels.contains(where: { $0 != entry.labels[0] }) {
            let versions = entry.labels.map { labels in
                labels.map { DisagreementMark(range: entry.range, label: names[$0]) }.sorted {
                    Agreement.inCodePointOrder($0.label, $1.label)
                }
            }
            found.append(
                (
                    (unit.document, entry.range.start, entry.range.end, unit.kind.order),
                    disagreement(unit.document, entry.range, unit: (unit.kind, unit.index), versions)
                ))
        }
        found.sort { $0.order < $1.order }
        return found.enumerated().map { number, entry in
            var item = entry.item
            item.number = number + 1
            return item
        }
    }
}
