/// Aho–Corasick over UTF-8 bytes: finds every occurrence of every one of many literal texts in one
/// pass over a document, overlapping ones included, as a byte-indexed table of transitions.
public struct PatternAutomaton: Sendable {
    /// `next[state * 256 + byte]`: the full transition function (failure links folded in).
    private var next: [Int32]
    /// The patterns that end at each state (through dictionary suffix links).
    private var outputs: [[Int32]]
    private let lengths: [Int]

    /// Builds the automaton for `patterns` (non-empty texts; duplicates allowed).
    public init(_ patterns: [[UInt8]]) {
        lengths = patterns.map(\.count)
        var goto: [[Int32]] = [Array(repeating: -1, count: 256)]
        var out: [[Int32]] = [[]]
        for (p, bytes) in patterns.enumerated() where !bytes.isEmpty {
            var state = 0
            for b in bytes {
                if goto[state][Int(b)] < 0 {
                    goto[state][Int(b)] = Int32(goto.count)
                    goto.append(Array(repeating: -1, count: 256))
                    out.append([])
                }
                state = Int(goto[state][Int(b)])
            }
            out[state].append(Int32(p))
        }
        // Breadth first: each state's failure is the longest proper suffix that is a state.
        var fail = Array(repeating: 0, count: goto.count)
        var table = Array(repeating: Int32(0), count: goto.count * 256)
        var queue: [Int] = []
        for b in 0..<256 {
            let s = goto[0][b]
            if s > 0 { queue.append(Int(s)); table[b] = s } else { table[b] = 0 }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            out[state] += out[fail[state]]
            for b in 0..<256 {
                let s = goto[state][b]
                if s > 0 {
                    fail[Int(s)] = Int(table[fail[state] * 256 + b])
                    table[state * 256 + b] = s
                    queue.append(Int(s))
                } else {
                    table[state * 256 + b] = table[fail[state] * 256 + b]
                }
            }
        }
        next = table
        outputs = out
    }

    /// Calls `found(pattern, startByte, endByte)` for every occurrence, in order of their ends.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ found: (Int, Int, Int) -> Void) {
        var state = 0
        for i in 0..<bytes.count {
            state = Int(next[state &* 256 &+ Int(bytes[i])])
            let hits = outputs[state]
            if !hits.isEmpty {
                for p in hits { found(Int(p), i + 1 - lengths[Int(p)], i + 1) }
            }
        }
    }
}
