/// One annotator's span (or label on a unit) in a conflict: offsets and the label's name.
public struct ConflictSpan: Sendable, Hashable, Comparable {
    /// The code-point range (the unit's, in a conflict over a unit).
    public var range: TextRange
    /// The label's name (kept by name: the conflict outlives changes to the tag set's order).
    public var label: String

    /// Makes a span of a version.
    public init(range: TextRange, label: String) {
        self.range = range
        self.label = label
    }

    /// By range, then label.
    public static func < (a: ConflictSpan, b: ConflictSpan) -> Bool {
        a.range != b.range ? a.range < b.range : a.label < b.label
    }
}

/// What one annotator made where a conflict is: possibly nothing.
public struct ConflictVersion: Sendable, Hashable {
    /// Who (the annotator of a merged session, or `ours`/`theirs` in a merge driver's conflict).
    public var annotator: String
    /// Their spans there, sorted; empty when they marked nothing.
    public var spans: [ConflictSpan]

    /// Makes a version.
    public init(annotator: String, spans: [ConflictSpan]) {
        self.annotator = annotator
        self.spans = spans.sorted()
    }
}

/// How a conflict was decided (`resolve cN --pick K | --all | --none | --as LABEL [--at S:E]`).
public enum ConflictDecision: Sendable, Hashable {
    /// The K-th version (from 1).
    case pick(Int)
    /// Every version's spans.
    case all
    /// None of them.
    case none
    /// One span of another label or at other offsets (the conflict's own range when nil).
    case relabel(String, at: TextRange?)

    /// The decision written as `arguments`; nil for anything else.
    public init?(arguments words: [String]) {
        switch words.first {
        case "--pick" where words.count == 2:
            guard let k = Int(words[1]), k >= 1, words[1].allSatisfy(\.isASCII) else { return nil }
            self = .pick(k)
        case "--all" where words.count == 1: self = .all
        case "--none" where words.count == 1: self = .none
        case "--as" where words.count == 2: self = .relabel(words[1], at: nil)
        case "--as" where words.count == 4 && words[2] == "--at":
            guard let range = CommandParser.parseRange(words[3]), range.start < range.end else { return nil }
            self = .relabel(words[1], at: range)
        default: return nil
        }
    }

    /// The options as `resolve` takes them, which is also how the session file records them.
    public var arguments: [String] {
        switch self {
        case .pick(let k): return ["--pick", String(k)]
        case .all: return ["--all"]
        case .none: return ["--none"]
        case .relabel(let label, let at): return ["--as", label] + (at.map { ["--at", $0.description] } ?? [])
        }
    }
}

/// A place where merged sessions disagree, kept for an adjudicator with every annotator's version.
public struct Conflict: Sendable, Equatable {
    /// The number in the id `cN`; never reused.
    public var number: Int
    /// Index of the document in the session.
    public var document: Int
    /// From the first version's start to the last one's end.
    public var range: TextRange
    /// For a conflict over the labels of a unit, which unit (nil for spans).
    public var unit: UnitKind?
    /// The unit's number when `unit` is set.
    public var index: Int
    /// Each annotator's version, in the order of the merged sessions.
    public var versions: [ConflictVersion]
    /// How it was decided; nil while it is open.
    public var decision: ConflictDecision?

    /// `cN`, the id users type.
    public var id: String { "c\(number)" }

    /// Makes a conflict.
    public init(
        number: Int, document: Int, range: TextRange, unit: UnitKind? = nil, index: Int = 0,
        versions: [ConflictVersion], decision: ConflictDecision? = nil
    ) {
        self.number = number
        self.document = document
        self.range = range
        self.unit = unit
        self.index = index
        self.versions = versions
        self.decision = decision
    }

    /// Whether another conflict is over the same place with the same versions (numbers and
    /// decisions aside): a re-merge that finds it again adds nothing.
    func sameDisagreement(_ other: Conflict) -> Bool {
        document == other.document && unit == other.unit && index == other.index && versions == other.versions
    }
}

/// A session's conflicts and the number the next one gets.
public struct ConflictList: Sendable, Equatable {
    /// Every conflict, open or decided, by number.
    public internal(set) var all: [Conflict] = []
    /// The number the next conflict gets (ids are never reused).
    public internal(set) var nextNumber = 1

    /// An empty list.
    public init() {}

    /// The conflicts still open.
    public var open: [Conflict] { all.filter { $0.decision == nil } }

    /// The conflict `cN`.
    public func conflict(number: Int) -> Conflict? { all.first { $0.number == number } }

    /// Adds conflicts, keeping the list by number.
    mutating func add(_ list: [Conflict]) {
        all += list
        all.sort { $0.number < $1.number }
        nextNumber = Swift.max(nextNumber, (list.map(\.number).max() ?? 0) + 1)
    }

    /// Removes the conflicts with these numbers.
    mutating func remove(_ numbers: Set<Int>) { all.removeAll { numbers.contains($0.number) } }

    /// Sets (or clears) the decision of `cN`.
    mutating func decide(_ number: Int, _ decision: ConflictDecision?) {
        guard let i = all.firstIndex(where: { $0.number == number }) else { return }
        all[i].decision = decision
    }

    /// Sets the next number (read from a session file, or taken back by undo).
    mutating func setNextNumber(_ number: Int) { nextNumber = number }
}
