/// Agreement on category labels: for each label, its presence (given or not) on every unit of the
/// kinds it is used on (the document, each paragraph, each sentence) of the common documents.
enum CategoryAgreement {
    /// A unit of a common document.
    struct Unit: Hashable {
        var document: Int
        var kind: UnitKind
        var index: Int
    }

    /// One category label given by one annotator to a unit of a common document.
    struct Mark {
        var unit: Unit
        var range: TextRange
        var label: Int
    }

    /// The figures for each label used (`names[l]` is label l's name), over `documents`.
    static func compare(
        _ marks: [[Mark]], names: [String], documents: [Document], pairs: [(Int, Int)]
    ) -> [CategoryLabelAgreement] {
        let m = marks.count
        // Who gave each label to each unit.
        var givers: [Int: [Unit: [Bool]]] = [:]
        var kinds: [Int: Set<UnitKind>] = [:]
        for (a, list) in marks.enumerated() {
            for mark in list {
                givers[mark.label, default: [:]][mark.unit, default: Array(repeating: false, count: m)][a] = true
                kinds[mark.label, default: []].insert(mark.unit.kind)
            }
        }
        var unitCounts: [UnitKind: Int] = [:]
        func units(of kind: UnitKind) -> Int {
            if let known = unitCounts[kind] { return known }
            let n: Int
            switch kind {
            case .doc: n = documents.count
            case .para: n = documents.reduce(0) { $0 + $1.paragraphs.count }
            case .sent: n = documents.reduce(0) { $0 + $1.sentences.count }
            }
            unitCounts[kind] = n
            return n
        }
        var result: [CategoryLabelAgreement] = []
        for label in givers.keys.sorted(by: { Agreement.inCodePointOrder(names[$0], names[$1]) }) {
            let used = UnitKind.allCases.filter { kinds[label]!.contains($0) }
            let total = used.reduce(0) { $0 + units(of: $1) }
            let given = givers[label]!
            var marked = [Int](repeating: 0, count: m)
            var unequalPairs = 0
            for flags in given.values {
                var k = 0
                for a in 0..<m where flags[a] {
                    marked[a] += 1
                    k += 1
                }
                unequalPairs += m * m - (k * k + (m - k) * (m - k))
            }
            var figures: [KappaFigures] = []
            for (i, j) in pairs {
                var both = 0
                var neither = total - given.count
                for flags in given.values {
                    if flags[i] && flags[j] { both += 1 } else if !flags[i] && !flags[j] { neither += 1 }
                }
                figures.append(
                    KappaFigures.of(
                        units: total, agreeing: both + neither, marginsA: [total - marked[i], marked[i]],
                        marginsB: [total - marked[j], marked[j]]))
            }
            let present = marked.reduce(0, +)
            let absent = m * total - present
            let alpha = CharacterTally.alpha(
                annotators: m, units: total, unequalPairs: unequalPairs,
                pooledSquares: Double(present) * Double(present) + Double(absent) * Double(absent))
            result.append(
                CategoryLabelAgreement(
                    label: names[label], units: used, unitCount: total, marked: marked, pairs: figures,
                    krippendorffAlpha: alpha))
        }
        return result
    }
}
