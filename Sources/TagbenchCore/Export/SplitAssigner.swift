/// Puts whole documents into named splits: deterministic for a seed, document counts as the
/// weights say, and each label's spans spread as close to the weights as whole documents allow.
///
/// Greedy stratification: documents holding the rarest labels are placed first (in a seeded
/// shuffled order), each into the split, among those with room left, whose labels are furthest
/// from their targets (as a part of each target).
struct SplitAssigner {
    /// How far the result is from the weights.
    struct Balance: Sendable {
        /// The largest difference, over labels and splits, between a split's share of a label's
        /// spans and its weight (0 is perfect).
        var maxLabelDeviation: Double
        /// The label and split where it is largest.
        var worst: (label: Int, split: Int)?

    }

    /// Split index of each document, in the order given.
    let assignment: [Int]
    /// How close the label shares came.
    let balance: Balance

    /// `labels[d]` is document d's (label index, count) pairs.
    init(weights: [Int], labels: [[(label: Int, count: Int)]], seed: UInt64) {
        let total = Double(weights.reduce(0, +))
        let share = weights.map { Double($0) / total }
        let n = labels.count
        // Document quotas by largest remainder, so they add up to n exactly.
        var quota = share.map { Int(($0 * Double(n)).rounded(.down)) }
        let remainders = share.enumerated().map { ($0.offset, $0.element * Double(n) - Double(quota[$0.offset])) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for (i, _) in remainders.prefix(n - quota.reduce(0, +)) { quota[i] += 1 }
        // Every split with a weight gets a document while there are enough: one taken from the
        // split with the most (an empty split is a file no consumer can load).
        for s in weights.indices.sorted(by: { weights[$0] > weights[$1] }) where weights[s] > 0 && quota[s] == 0 {
            guard let richest = quota.indices.max(by: { quota[$0] < quota[$1] }), quota[richest] > 1 else { break }
            quota[richest] -= 1
            quota[s] = 1
        }

        var labelTotals: [Int: Int] = [:]
        for doc in labels { for (l, c) in doc { labelTotals[l, default: 0] += c } }
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        // Rarest label first; unlabelled documents last; the shuffle breaks ties.
        let rarity = labels.map { doc in doc.map { labelTotals[$0.label]! }.min() ?? Int.max }
        order = order.enumerated().sorted {
            rarity[$0.element] != rarity[$1.element] ? rarity[$0.element] < rarity[$1.element] : $0.offset < $1.offset
        }.map(\.element)

        var assignment = Array(repeating: 0, count: n)
        var placed = Array(repeating: 0, count: weights.count)
        var have: [[Int: Int]] = Array(repeating: [:], count: weights.count)
        for d in order {
            var best = -1
            var bestScore = -Double.infinity
            var bestRoom = -Double.infinity
            for s in weights.indices where placed[s] < quota[s] {
                // The part of each of its labels' targets this split still lacks, so a split
                // filled halfway counts the same whatever its size.
                var score = 0.0
                for (l, c) in labels[d] {
                    let target = share[s] * Double(labelTotals[l]!)
                    score += Double(c) * (target - Double(have[s][l, default: 0])) / target
                }
                let room = Double(quota[s] - placed[s]) / Double(max(quota[s], 1))
                if score > bestScore + 1e-12 || (abs(score - bestScore) <= 1e-12 && room > bestRoom) {
                    best = s
                    bestScore = score
                    bestRoom = room
                }
            }
            assignment[d] = best
            placed[best] += 1
            for (l, c) in labels[d] { have[best][l, default: 0] += c }
        }
        self.assignment = assignment

        var balance = Balance(maxLabelDeviation: 0, worst: nil)
        for (l, t) in labelTotals.sorted(by: { $0.key < $1.key }) {
            for s in weights.indices {
                let deviation = abs(Double(have[s][l, default: 0]) / Double(t) - share[s])
                if deviation > balance.maxLabelDeviation + 1e-12 {
                    balance = Balance(maxLabelDeviation: deviation, worst: (l, s))
                }
            }
        }
        self.balance = balance
    }
}

/// A small seeded generator whose sequence is fixed by its seed on every platform (the
/// standard library's generator is not seedable).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
