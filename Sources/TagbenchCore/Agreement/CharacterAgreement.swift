import CTagbenchBytes

/// Character-level agreement: each character (whitespace left out, as `str.isspace` sees it)
/// has, for each annotator, the set of labels of the spans covering it (`O`: none). Counted by
/// sweeping the sorted span boundaries of each document: between two boundaries every
/// annotator's value is the same, so a stretch is weighed by its characters at once, and the
/// stretches no one tagged are counted together from the document's length.
struct CharacterTally {
    /// The number of annotators.
    let annotators: Int
    /// The number of span labels (values 1...labels are one label; higher ones are combinations).
    let labels: Int
    /// Characters compared.
    var total = 0
    /// `margins[a][v]`: characters annotator a gave value v (0: `O`, 1 + l: label l alone, then
    /// `combinations`).
    var margins: [[Int]]
    /// The label sets of the values past `labels`, in the order first met.
    var combinations: [[Int32]] = []
    private var combinationNumbers: [[Int32]: Int] = [:]
    /// Per pair (in `pairs` order): characters both gave the same value.
    var agreeing: [Int]
    /// Per pair: characters that either of the two tagged, those they agree on, and each one's
    /// value counts over them.
    var taggedTotal: [Int]
    var taggedAgreeing: [Int]
    var taggedMarginsA: [[Int]]
    var taggedMarginsB: [[Int]]
    /// Σ over characters of (m² − Σ_v n_v²), n_v the annotators giving value v: the coincidences
    /// of unequal values, times m − 1 (Krippendorff's α).
    var unequalPairs = 0
    /// Σ over characters of (Σ_v n_v² − m): the agreeing ordered pairs of annotators (Fleiss' κ).
    var equalPairs = 0
    /// The pairs (i < j) of annotators.
    let pairs: [(Int, Int)]

    init(annotators: Int, labels: Int) {
        self.annotators = annotators
        self.labels = labels
        var pairs: [(Int, Int)] = []
        for i in 0..<annotators { for j in (i + 1)..<max(i + 1, annotators) { pairs.append((i, j)) } }
        self.pairs = pairs
        let empty = [Int](repeating: 0, count: labels + 1)
        margins = Array(repeating: empty, count: annotators)
        agreeing = Array(repeating: 0, count: pairs.count)
        taggedTotal = agreeing
        taggedAgreeing = agreeing
        taggedMarginsA = Array(repeating: empty, count: pairs.count)
        taggedMarginsB = taggedMarginsA
    }

    /// The value of a combination of labels (two or more, sorted).
    mutating func value(of combination: [Int32]) -> Int {
        if let known = combinationNumbers[combination] { return known }
        let value = labels + 1 + combinations.count
        combinations.append(combination)
        combinationNumbers[combination] = value
        for a in margins.indices { margins[a].append(0) }
        for p in pairs.indices {
            taggedMarginsA[p].append(0)
            taggedMarginsB[p].append(0)
        }
        return value
    }

    /// Counts `weight` characters on which annotator a has value `values[a]`.
    mutating func add(_ values: [Int], weight: Int) {
        guard weight > 0 else { return }
        total += weight
        let m = annotators
        for a in 0..<m { margins[a][values[a]] += weight }
        for (p, (i, j)) in pairs.enumerated() {
            let same = values[i] == values[j]
            if same { agreeing[p] += weight }
            if values[i] != 0 || values[j] != 0 {
                taggedTotal[p] += weight
                if same { taggedAgreeing[p] += weight }
                taggedMarginsA[p][values[i]] += weight
                taggedMarginsB[p][values[j]] += weight
            }
        }
        var squares = 0
        for a in 0..<m {
            // n_v² summed over values: each annotator counts those with its value (itself included).
            var same = 0
            for b in 0..<m where values[b] == values[a] { same += 1 }
            squares += same
        }
        unequalPairs += weight * (m * m - squares)
        equalPairs += weight * (squares - m)
    }

    /// Counts `weight` characters that no annotator tagged.
    mutating func addUntagged(_ weight: Int) {
        guard weight > 0 else { return }
        total += weight
        for a in 0..<annotators { margins[a][0] += weight }
        for p in pairs.indices { agreeing[p] += weight }
        equalPairs += weight * (annotators * annotators - annotators)
    }

    /// Adds another tally's counts (of other documents).
    mutating func merge(_ other: CharacterTally) {
        // The other's combinations are numbered in the order it met them: renumbered into ours.
        var map = Array(0...labels)
        for combination in other.combinations { map.append(value(of: combination)) }
        total += other.total
        for a in 0..<annotators { for (v, n) in other.margins[a].enumerated() { margins[a][map[v]] += n } }
        for p in pairs.indices {
            agreeing[p] += other.agreeing[p]
            taggedTotal[p] += other.taggedTotal[p]
            taggedAgreeing[p] += other.taggedAgreeing[p]
            for (v, n) in other.taggedMarginsA[p].enumerated() { taggedMarginsA[p][map[v]] += n }
            for (v, n) in other.taggedMarginsB[p].enumerated() { taggedMarginsB[p][map[v]] += n }
        }
        unequalPairs += other.unequalPairs
        equalPairs += other.equalPairs
    }

    /// Cohen's κ of pair p over every character, and over those either of the two tagged.
    func kappas(pair p: Int) -> (all: KappaFigures, tagged: KappaFigures) {
        let (i, j) = pairs[p]
        return (
            KappaFigures.of(units: total, agreeing: agreeing[p], marginsA: margins[i], marginsB: margins[j]),
            KappaFigures.of(
                units: taggedTotal[p], agreeing: taggedAgreeing[p], marginsA: taggedMarginsA[p],
                marginsB: taggedMarginsB[p])
        )
    }

    /// Σ_v n_v² over the pooled value counts n_v = Σ_a margins[a][v], as a Double (it can pass Int).
    private var pooledSquares: Double {
        var sum = 0.0
        for v in margins[0].indices {
            var n = 0
            for a in 0..<annotators { n += margins[a][v] }
            sum += Double(n) * Double(n)
        }
        return sum
    }

    /// Krippendorff's α (nominal, no missing values): 1 − (n − 1)·Σ_u(m² − Σ_v n_uv²) /
    /// ((m − 1)·(n² − Σ_v n_v²)), n = m · characters; nil when every value is the same.
    var krippendorffAlpha: Double? {
        Self.alpha(
            annotators: annotators, units: total, unequalPairs: unequalPairs, pooledSquares: pooledSquares)
    }

    /// Krippendorff's α (nominal) from the counts it is made of; nil when undefined.
    static func alpha(annotators m: Int, units: Int, unequalPairs: Int, pooledSquares: Double) -> Double? {
        guard m > 1, units > 0 else { return nil }
        let n = Double(m) * Double(units)
        let chance = n * n - pooledSquares
        guard chance > 0 else { return nil }
        return 1 - (n - 1) * Double(unequalPairs) / (Double(m - 1) * chance)
    }

    /// Fleiss' κ: (P̄ − P_e) / (1 − P_e), P̄ the mean share of agreeing pairs of annotators per
    /// character, P_e = Σ_v p_v²; nil when P_e = 1.
    var fleissKappa: Double? {
        let m = Double(annotators)
        guard annotators > 1, total > 0 else { return nil }
        let units = Double(total)
        let observed = Double(equalPairs) / (units * m * (m - 1))
        let expected = pooledSquares / (units * m * units * m)
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }
}

/// Sweeps the documents' span boundaries into a `CharacterTally`.
struct CharacterSweep {
    let tally: CharacterTally
    /// Each document's characters that are compared (whitespace left out).
    let characters: [Int]

    /// Tallies the common documents `documents` (each the text every session has), given each
    /// annotator's spans, on every core.
    init(documents: [Document], tables: [AgreementSpanTable], labels: Int) {
        let annotators = tables.count
        let chunks = min(documents.count, 64)
        let checkedTables = UncheckedSendable(tables)
        let checkedDocuments = UncheckedSendable(documents)
        let partial = Parallel.map(chunks) { chunk -> (CharacterTally, [Int]) in
            var tally = CharacterTally(annotators: annotators, labels: labels)
            var state = SweepState(annotators: annotators, labels: labels)
            let from = chunk * documents.count / chunks
            let to = (chunk + 1) * documents.count / chunks
            var characters: [Int] = []
            for d in from..<to {
                characters.append(
                    state.sweep(checkedDocuments.value[d], number: d, tables: checkedTables.value, into: &tally))
            }
            return (tally, characters)
        }
        var tally = CharacterTally(annotators: annotators, labels: labels)
        for part in partial { tally.merge(part.0) }
        self.tally = tally
        characters = partial.flatMap(\.1)
    }
}

/// The sweep's working state, reused from one document to the next.
private struct SweepState {
    let annotators: Int
    let labels: Int
    /// Boundary events: position << 32 | annotator << 24 | label, with bit 31 set for an end.
    var events: [UInt64] = []
    /// Spans of each label covering the sweep's position, per annotator (a · labels + l).
    var covering: [Int32]
    /// Labels covering the position, per annotator, and the sum of their numbers (the label
    /// itself when there is one).
    var distinct: [Int]
    var distinctSum: [Int]
    var values: [Int]

    init(annotators: Int, labels: Int) {
        self.annotators = annotators
        self.labels = labels
        covering = Array(repeating: 0, count: annotators * labels)
        distinct = Array(repeating: 0, count: annotators)
        distinctSum = distinct
        values = distinct
    }

    /// Tallies document d; returns its characters that are compared.
    mutating func sweep(
        _ document: Document, number d: Int, tables: [AgreementSpanTable], into tally: inout CharacterTally
    ) -> Int {
        let all = document.bytes.withUnsafeBufferPointer { bytes in
            document.length - (bytes.baseAddress.map { tb_count_whitespace($0, bytes.count) } ?? 0)
        }
        events.removeAll(keepingCapacity: true)
        for (a, table) in tables.enumerated() {
            for i in table.range(of: d) {
                let span = table.byPosition[i]
                let tail = UInt64(a) << 24 | UInt64(span.label)
                events.append(UInt64(span.start) << 32 | tail)
                events.append(UInt64(span.end) << 32 | 1 << 31 | tail)
            }
        }
        guard !events.isEmpty else {
            tally.addUntagged(all)
            return all
        }
        events.sort()
        var tagged = 0
        var k = 0
        var active = 0
        document.bytes.withUnsafeBufferPointer { bytes in
            let index = document.index
            var position = Int(events[0] >> 32)
            var byte = index.byteOffset(ofCodePoint: position, in: bytes)
            while k < events.count {
                // Every event at this position, then the stretch to the next one.
                while k < events.count && Int(events[k] >> 32) == position {
                    let event = events[k]
                    let a = Int(event >> 24 & 0x7F)
                    let label = Int(event & 0xFF_FFFF)
                    let slot = a * labels + label
                    if event & 1 << 31 != 0 {
                        covering[slot] -= 1
                        if covering[slot] == 0 {
                            distinct[a] -= 1
                            distinctSum[a] -= label
                            active -= 1
                        }
                    } else {
                        if covering[slot] == 0 {
                            distinct[a] += 1
                            distinctSum[a] += label
                            active += 1
                        }
                        covering[slot] += 1
                    }
                    k += 1
                }
                guard k < events.count else { break }
                let next = Int(events[k] >> 32)
                let nextByte = index.byteOffset(ofCodePoint: next, in: bytes)
                if active > 0 {
                    let weight = (next - position) - tb_count_whitespace(bytes.baseAddress! + byte, nextByte - byte)
                    if weight > 0 {
                        for a in 0..<annotators { values[a] = value(of: a, &tally) }
                        tally.add(values, weight: weight)
                        tagged += weight
                    }
                }
                position = next
                byte = nextByte
            }
        }
        tally.addUntagged(all - tagged)
        return all
    }

    /// Annotator a's value at the sweep's position.
    private func value(of a: Int, _ tally: inout CharacterTally) -> Int {
        switch distinct[a] {
        case 0: return 0
        case 1: return 1 + distinctSum[a]
        default:
            var combination: [Int32] = []
            for l in 0..<labels where covering[a * labels + l] > 0 { combination.append(Int32(l)) }
            return tally.value(of: combination)
        }
    }
}
