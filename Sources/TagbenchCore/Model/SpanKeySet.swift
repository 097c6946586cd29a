import CTagbenchBytes

/// The set of spans (document, offsets, label) a session holds, for the "already tagged" check
/// made on every span tagged or read from a session file.
///
/// Open addressing with linear probing over one flat array of keys, packed into two words and
/// mixed with a per-process random seed: a bulk tag or a session's opening inserts a million keys,
/// and `Set<SpanKey>` spent most of that time in `Hasher` and in its generic insert path.
struct SpanKeySet {
    /// A slot's first word when nothing is in it (no key packs to it: a document index and a
    /// start of `UInt32.max` each are beyond any session).
    private static let empty = UInt64.max
    /// Slot `i` is words `2i` and `2i + 1` (both in one cache line).
    private var words: [UInt64] = []
    private var mask = -1
    private(set) var count = 0
    private let seed = UInt64.random(in: 0...UInt64.max)

    init() {}

    /// Makes room for `capacity` keys without growing.
    mutating func reserveCapacity(_ capacity: Int) {
        var slots = 16
        // At most half full: probes stay short.
        while slots < capacity * 2 { slots *= 2 }
        if slots > words.count / 2 { rehash(slots: slots) }
    }

    /// Adds `key`; false when it was already there.
    @discardableResult
    mutating func insert(_ key: SpanKey) -> Bool {
        if (count + 1) * 2 > words.count / 2 { rehash(slots: Swift.max(16, words.count)) }
        let (a, b) = Self.pack(key)
        let (i, present) = find(a, b)
        if present { return false }
        words[2 * i] = a
        words[2 * i + 1] = b
        count += 1
        return true
    }

    /// Adds `keys` in order, each as `insert(_:)` would (a key already there, or earlier in
    /// `keys`, is left out); returns which were added. One pass over the table's words, the slots
    /// of the keys a few places ahead fetched meanwhile: opening a session and a bulk tag insert
    /// a million keys, and each `insert` checked and retained the table anew.
    mutating func insert(all keys: [SpanKey]) -> [Bool] {
        reserveCapacity(count + keys.count)
        var added = [Bool](repeating: false, count: keys.count)
        let seed = self.seed
        let mask = self.mask
        var inserted = 0
        // How many keys ahead the table's slots are fetched.
        let ahead = 8
        keys.withUnsafeBufferPointer { keys in
            added.withUnsafeMutableBufferPointer { added in
                words.withUnsafeMutableBufferPointer { w in
                    for k in keys.indices {
                        if k + ahead < keys.count {
                            let (a, b) = Self.pack(keys[k + ahead])
                            tb_prefetch_for_write(w.baseAddress! + 2 * Self.slot(a, b, seed: seed, mask: mask))
                        }
                        let (a, b) = Self.pack(keys[k])
                        let (i, present) = Self.find(a, b, in: UnsafeBufferPointer(w), seed: seed, mask: mask)
                        guard !present else { continue }
                        w[2 * i] = a
                        w[2 * i + 1] = b
                        added[k] = true
                        inserted += 1
                    }
                }
            }
        }
        count += inserted
        return added
    }

    /// Whether `key` is there.
    func contains(_ key: SpanKey) -> Bool {
        guard count > 0 else { return false }
        let (a, b) = Self.pack(key)
        return find(a, b).present
    }

    /// Removes `key` if it is there.
    mutating func remove(_ key: SpanKey) {
        guard count > 0 else { return }
        let (a, b) = Self.pack(key)
        let (i, present) = find(a, b)
        guard present else { return }
        // Backward-shift deletion: keys after the hole that could sit in it move up, so no probe
        // for them ever meets an empty slot before finding them.
        var hole = i
        var j = i
        while true {
            j = (j + 1) & mask
            if words[2 * j] == Self.empty { break }
            let home = slot(words[2 * j], words[2 * j + 1])
            // `j`'s key may fill the hole when its home is not within (hole, j], cyclically.
            let between = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if !between {
                words[2 * hole] = words[2 * j]
                words[2 * hole + 1] = words[2 * j + 1]
                hole = j
            }
        }
        words[2 * hole] = Self.empty
        count -= 1
    }

    /// Removes every key, keeping the room.
    mutating func removeAll(keepingCapacity: Bool) {
        guard keepingCapacity else {
            self = SpanKeySet()
            return
        }
        for i in stride(from: 0, to: words.count, by: 2) { words[i] = Self.empty }
        count = 0
    }

    @inline(__always)
    private static func pack(_ key: SpanKey) -> (UInt64, UInt64) {
        (
            UInt64(UInt32(bitPattern: key.document)) << 32 | UInt64(UInt32(bitPattern: key.start)),
            UInt64(UInt32(bitPattern: key.end)) << 32 | UInt64(UInt32(bitPattern: key.label))
        )
    }

    /// The key's home slot: the words mixed with the seed (the finaliser of MurmurHash3), so
    /// offsets chosen to collide in one process do not collide in the next.
    /// The slot that holds the packed key `(a, b)`, or the empty one where it would go (the table
    /// always has one).
    @inline(__always)
    private func find(_ a: UInt64, _ b: UInt64) -> (slot: Int, present: Bool) {
        words.withUnsafeBufferPointer { Self.find(a, b, in: $0, seed: seed, mask: mask) }
    }

    @inline(__always)
    private static func find(_ a: UInt64, _ b: UInt64, in w: UnsafeBufferPointer<UInt64>, seed: UInt64, mask: Int) -> (
        slot: Int, present: Bool
    ) {
        var i = slot(a, b, seed: seed, mask: mask)
        while w[2 * i] != empty {
            if w[2 * i] == a && w[2 * i + 1] == b { return (i, true) }
            i = (i + 1) & mask
        }
        return (i, false)
    }

    @inline(__always)
    private func slot(_ a: UInt64, _ b: UInt64) -> Int {
        Self.slot(a, b, seed: seed, mask: mask)
    }

    @inline(__always)
    private static func slot(_ a: UInt64, _ b: UInt64, seed: UInt64, mask: Int) -> Int {
        var h = a ^ seed ^ (b &* 0x9E37_79B9_7F4A_7C15)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h) & mask
    }

    private mutating func rehash(slots: Int) {
        let old = words
        words = [UInt64](unsafeUninitializedCapacity: slots * 2) { buffer, count in
            buffer.initialize(repeating: Self.empty)
            count = buffer.count
        }
        mask = slots - 1
        for k in stride(from: 0, to: old.count, by: 2) where old[k] != Self.empty {
            var i = slot(old[k], old[k + 1])
            while words[2 * i] != Self.empty { i = (i + 1) & mask }
            words[2 * i] = old[k]
            words[2 * i + 1] = old[k + 1]
        }
    }
}
