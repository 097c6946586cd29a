/// A span a pattern proposes, waiting in the queue for accept or reject.
public struct Suggestion: Sendable, Equatable {
    /// The number in the id `sN`; never reused.
    public var number: Int
    /// Index of the document in the session.
    public var document: Int
    /// The code-point range.
    public var range: TextRange
    /// Index of the label in the tag set.
    public var label: Int
    /// The text matched.
    public var text: String
    /// The rule that proposed it (`rule:"巡察"`), which an accepted span keeps as its source.
    public var source: String

    /// `sN`, the id users type.
    public var id: String { "s\(number)" }

    /// Makes a suggestion.
    public init(number: Int, document: Int, range: TextRange, label: Int, text: String, source: String) {
        self.number = number
        self.document = document
        self.range = range
        self.label = label
        self.text = text
        self.source = source
    }

    var key: SpanKey { SpanKey(document: document, range: range, label: label) }
}

/// The suggestions of a session: those waiting (by number) and those rejected, which are kept so
/// they are never suggested again and can serve as negatives.
public struct SuggestionQueue: Sendable {
    /// Waiting suggestions, by number.
    public private(set) var pending: [Suggestion] = []
    /// Rejected suggestions, in the order they were rejected.
    public private(set) var rejected: [Suggestion] = []
    /// The number the next suggestion gets.
    public var nextNumber = 1
    private var pendingKeys: Set<SpanKey> = []
    private var rejectedKeys: Set<SpanKey> = []

    /// Whether an identical span is waiting or was rejected.
    func isKnown(_ key: SpanKey) -> Bool { pendingKeys.contains(key) || rejectedKeys.contains(key) }
    /// Whether an identical span was rejected.
    func wasRejected(_ key: SpanKey) -> Bool { rejectedKeys.contains(key) }

    /// The waiting suggestion `sN`.
    public func pending(number: Int) -> Suggestion? {
        let i = pending.partitioningIndex { $0.number >= number }
        return i < pending.count && pending[i].number == number ? pending[i] : nil
    }

    /// Puts suggestions (back) in the queue, keeping it in number order.
    mutating func enqueue(_ list: [Suggestion]) {
        guard !list.isEmpty else { return }
        let inOrder =
            (pending.last.map { $0.number < list[0].number } ?? true)
            && zip(list, list.dropFirst()).allSatisfy { $0.number < $1.number }
        pending += list
        if !inOrder { pending.sort { $0.number < $1.number } }
        for s in list { pendingKeys.insert(s.key) }
        nextNumber = max(nextNumber, (list.map(\.number).max() ?? 0) + 1)
    }

    /// Takes suggestions out of the queue.
    mutating func dequeue(_ numbers: Set<Int>) {
        pending.removeAll { s in
            guard numbers.contains(s.number) else { return false }
            pendingKeys.remove(s.key)
            return true
        }
    }

    /// Records suggestions as rejected.
    mutating func addRejected(_ list: [Suggestion]) {
        rejected += list
        for s in list { rejectedKeys.insert(s.key) }
    }

    /// Forgets the last `count` rejections (undo).
    mutating func removeLastRejected(_ count: Int) {
        for s in rejected.suffix(count) { rejectedKeys.remove(s.key) }
        rejected.removeLast(count)
    }

    /// Moves every label index through `moved`.
    mutating func remapLabels(_ moved: (Int) -> Int) {
        for i in pending.indices { pending[i].label = moved(pending[i].label) }
        for i in rejected.indices { rejected[i].label = moved(rejected[i].label) }
        pendingKeys = Set(pending.map(\.key))
        rejectedKeys = Set(rejected.map(\.key))
    }
}
