/// Identifies a span for the "already tagged" check.
struct SpanKey: Hashable {
    var document: Int32
    var start: Int32
    var end: Int32
    var label: Int32

    init(_ a: Annotation) {
        self.init(document: a.document, range: a.range, label: a.label)
    }

    init(document: Int, range: TextRange, label: Int) {
        self.document = Int32(document)
        start = Int32(range.start)
        end = Int32(range.end)
        self.label = Int32(label)
    }

    // Two words instead of four fields: this set is touched for every span tagged or loaded.
    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(UInt32(bitPattern: document)) << 32 | UInt64(UInt32(bitPattern: start)))
        hasher.combine(UInt64(UInt32(bitPattern: end)) << 32 | UInt64(UInt32(bitPattern: label)))
    }
}

/// One entry of the session log: a state-changing command (or the `open`/`find` it depends on).
public struct LogEntry: Sendable, Equatable {
    /// The command; paths in it are absolute in memory and relative to the session file on disk.
    public var command: Command
    /// When it ran, as ISO 8601 UTC.
    public var time: String

    /// Makes a log entry.
    public init(command: Command, time: String) {
        self.command = command
        self.time = time
    }
}

/// Everything a session file holds, in memory, with the indexes that keep it fast at scale.
public final class Session {
    /// Format name written to and required in session files.
    public static let formatName = "tagbench-session"
    /// The newest format version this build reads and the one it writes.
    public static let formatVersion = 1

    /// The labels.
    public internal(set) var tagSet = TagSet()
    /// The documents, in load order.
    public private(set) var documents: [Document] = []
    private var documentLookup: [String: Int] = [:]
    /// Annotation `aN` is at index N-1 (while `slotRuns` is empty); removed ones are nil (ids
    /// are never reused).
    public private(set) var annotationSlots: [Annotation?] = []
    /// Where the slots of numbers after a large jump are (a `next_id` of 100,000,000): runs of
    /// consecutive numbers in consecutive slots, by number; empty while `aN` is at N-1, as it is
    /// unless an id jumped more than `SlotRun.largestGap(_:)` past the slots. Nothing is sized
    /// from an id.
    private var slotRuns: [SlotRun] = []
    /// Numbers of the live annotations of each document.
    private var byDocument: [[Int]] = []
    private var spanKeys = SpanKeySet()
    /// Live annotations per label index.
    public private(set) var labelCounts: [Int] = []
    /// Category labels on units.
    public private(set) var categories: [CategoryAnnotation] = []
    /// State-changing commands, in order.
    public internal(set) var log: [LogEntry] = []
    /// The undo history as the session file last read or written holds it (the engine's own is
    /// `Engine.undoHistory`; it sets this before each write).
    var keptUndo = KeptUndo()
    /// Spans whose document changed so that their text could not be found again: kept, never
    /// exported, listed by `orphans`. Their ids stay taken.
    public private(set) var orphans: [Annotation] = []
    /// The text around spans whose document cannot be read now (missing, or orphaned spans), as
    /// the session file had it, so that saving keeps it for re-anchoring later.
    public internal(set) var preservedContext: [Int: (prefix: String, suffix: String)] = [:]

    /// Moves a live annotation to the orphans.
    func orphan(number: Int) {
        orphans.append(contentsOf: remove(numbers: [number]))
    }

    /// Adds an orphan read from a session file.
    func addOrphan(_ a: Annotation) {
        orphans.append(a)
        nextNumber = max(nextNumber, a.number + 1)
    }
    /// The number the next annotation gets.
    public internal(set) var nextNumber = 1
    /// Suggestions waiting for review, and those rejected.
    public internal(set) var suggestions = SuggestionQueue()
    /// Where merged sessions disagree (`merge`, the merge driver), open or decided.
    public internal(set) var conflicts = ConflictList()

    /// An empty session.
    public init() {}

    // MARK: Documents

    /// The document with that id.
    public func documentIndex(id: String) -> Int? { documentLookup[id] }

    /// A unique id for a file stem: the stem itself, else `stem-2`, `stem-3`, … (not in the
    /// session nor in `taken`, the ids of documents about to be added).
    public func uniqueID(for stem: String, avoiding taken: Set<String> = []) -> String {
        var id = stem
        var n = 1
        while documentLookup[id] != nil || taken.contains(id) {
            n += 1
            id = "\(stem)-\(n)"
        }
        return id
    }

    /// Appends a document; its id must be unique.
    func addDocument(_ document: Document) {
        precondition(documentLookup[document.id] == nil, "duplicate document id")
        documentLookup[document.id] = documents.count
        documents.append(document)
        byDocument.append([])
    }

    /// Puts `document` in the place of the document with the same id (a session being opened
    /// holds what it recorded of each document until the file has been read).
    func replaceDocument(at index: Int, with document: Document) {
        precondition(documents[index].id == document.id, "replacing a document by another id")
        documents[index] = document
    }

    /// Removes the last document (undo of `load`); it must have no annotations.
    func removeLastDocument() {
        guard let last = documents.popLast() else { return }
        precondition(byDocument.last?.isEmpty ?? true, "removing an annotated document")
        byDocument.removeLast()
        documentLookup[last.id] = nil
        categories.removeAll { $0.document == documents.count }
    }

    // MARK: Annotations

    /// The live annotation `aN`.
    public func annotation(number: Int) -> Annotation? {
        slot(of: number).flatMap { annotationSlots[$0] }
    }

    /// Whether `aN` is live (without copying it out).
    func hasAnnotation(number: Int) -> Bool {
        slot(of: number).map { annotationSlots[$0] != nil } ?? false
    }

    /// How many runs of slots the session keeps (see `slotRuns`).
    var slotRunCount: Int { slotRuns.count }

    /// The largest annotation number a session may hold (a number past it is an error in the
    /// file, and the next number after it must not overflow).
    public static let largestNumber = 1 << 53

    /// The index of `aN`'s slot, nil when it has none.
    @inline(__always)
    func slot(of number: Int) -> Int? {
        if slotRuns.isEmpty { return number >= 1 && number <= annotationSlots.count ? number - 1 : nil }
        return SlotRun.slot(of: number, in: slotRuns)
    }

    /// Number of live annotations.
    public private(set) var annotationCount = 0

    /// Makes room for `count` more annotations at once (reserving per insert made opening
    /// quadratic once), and for a quarter more besides when the slots must grow: they are one
    /// array, and the insert that outgrows it copies every slot, a pause a single `tag` must not
    /// take on a large session (docs/performance.md). Room not yet used is never touched, so it
    /// takes no memory.
    func reserveCapacity(annotations count: Int) {
        spanKeys.reserveCapacity(spanKeys.count + count)
        let needed = annotationSlots.count + count
        if annotationSlots.capacity < needed { annotationSlots.reserveCapacity(needed + needed / 4 + 16) }
    }

    /// Puts an annotation in its slot (new, or restored by undo/redo); returns false, changing
    /// nothing, when an identical span is already there.
    @discardableResult
    func insert(_ a: Annotation) -> Bool {
        var list = [a]
        return insert(contentsOf: &list, numbering: false).isEmpty
    }

    /// Inserts annotations in one step, each as `insert(_:)` would; with `numbering`, each one
    /// inserted gets the next number instead of its own (set in `list` too). Returns the
    /// positions in `list` of those left out because an identical span is already there (or
    /// earlier in `list`).
    ///
    /// The session's tables are moved into locals for the loop: a bulk tag or a session's
    /// opening inserts a million spans, and every access to a class's stored property is checked
    /// for exclusivity at run time.
    ///
    /// With `moving`, each annotation inserted is moved out of `list` (which keeps its number,
    /// document, range and label, but not its strings): an opened session's spans are not copied,
    /// retaining every string, only for the list to release them all again.
    @discardableResult
    func insert(contentsOf list: inout [Annotation], numbering: Bool, moving: Bool = false) -> [Int] {
        var slots = annotationSlots
        var runs = slotRuns
        var keys = spanKeys
        var perDocument = byDocument
        var counts = labelCounts
        annotationSlots = []
        spanKeys = SpanKeySet()
        byDocument = []
        labelCounts = []
        var duplicates: [Int] = []
        var next = nextNumber
        // The keys first, all in one pass over their table; then the slots of those added.
        let added = keys.insert(
            all: list.indices.map { SpanKey(document: list[$0].document, range: list[$0].range, label: list[$0].label) }
        )
        list.withUnsafeMutableBufferPointer { list in
            for k in list.indices {
                guard added[k] else {
                    duplicates.append(k)
                    continue
                }
                if numbering { list[k].number = next }
                let number = list[k].number
                let document = list[k].document
                let label = list[k].label
                let index: Int
                if runs.isEmpty && number >= 1 && number - slots.count <= SlotRun.largestGap(slots.count) {
                    while slots.count < number { slots.append(nil) }
                    index = number - 1
                } else {
                    index =
                        (runs.isEmpty
                            ? (number >= 1 && number <= slots.count ? number - 1 : nil)
                            : SlotRun.slot(of: number, in: runs))
                        ?? SlotRun.place(number, slots: &slots, runs: &runs)
                }
                precondition(slots[index] == nil, "annotation slot in use")
                if moving {
                    let place = list.baseAddress! + k
                    let a = place.move()
                    place.initialize(
                        to: Annotation(
                            number: a.number, document: a.document, range: a.range, label: a.label,
                            text: "", source: "", annotator: "", time: ""))
                    slots[index] = a
                } else {
                    slots[index] = list[k]
                }
                perDocument[document].append(number)
                while counts.count <= label { counts.append(0) }
                counts[label] += 1
                next = Swift.max(next, number + 1)
            }
        }
        annotationSlots = slots
        slotRuns = runs
        spanKeys = keys
        byDocument = perDocument
        labelCounts = counts
        annotationCount += list.count - duplicates.count
        nextNumber = next
        return duplicates
    }

    /// Removes live annotations; returns them.
    @discardableResult
    func remove(numbers: [Int]) -> [Annotation] {
        var removed: [Annotation] = []
        removed.reserveCapacity(numbers.count)
        var touched = Set<Int>()
        for number in numbers {
            guard let index = slot(of: number), let a = annotationSlots[index] else { continue }
            annotationSlots[index] = nil
            spanKeys.remove(SpanKey(a))
            labelCounts[a.label] -= 1
            annotationCount -= 1
            touched.insert(a.document)
            removed.append(a)
        }
        for document in touched {
            byDocument[document].removeAll { !hasAnnotation(number: $0) }
        }
        return removed
    }

    /// Changes an annotation's label or note in place.
    func update(number: Int, label: Int? = nil, note: String? = nil) {
        guard let index = slot(of: number), var a = annotationSlots[index] else { return }
        if let label {
            spanKeys.remove(SpanKey(a))
            labelCounts[a.label] -= 1
            a.label = label
            while labelCounts.count <= label { labelCounts.append(0) }
            labelCounts[label] += 1
            spanKeys.insert(SpanKey(a))
        }
        if let note { a.note = note }
        annotationSlots[index] = a
    }

    /// Live annotations of one document, by position (start, end, id).
    public func annotations(inDocument document: Int) -> [Annotation] {
        annotations(inDocument: document) { _ in true }
    }

    /// The live annotations of one document that `keep` accepts, by position (start, end, id):
    /// chosen as they are taken out of their slots, with no second array.
    public func annotations(inDocument document: Int, where keep: (Annotation) -> Bool) -> [Annotation] {
        let slots = annotationSlots
        // Sorted as (range, number) pairs, then looked up: sorting the annotations themselves
        // moves whole values (strings retained and released) at every swap, and exports ask this
        // of every document.
        var keys: [(range: TextRange, number: Int)] = []
        keys.reserveCapacity(byDocument[document].count)
        let runs = slotRuns
        func index(_ n: Int) -> Int { runs.isEmpty ? n - 1 : SlotRun.slot(of: n, in: runs)! }
        for n in byDocument[document] {
            if let range = slots[index(n)]?.range { keys.append((range, n)) }
        }
        keys.sort { $0.range != $1.range ? $0.range < $1.range : $0.number < $1.number }
        var kept: [Annotation] = []
        kept.reserveCapacity(keys.count)
        for key in keys {
            let a = slots[index(key.number)]!
            if keep(a) { kept.append(a) }
        }
        return kept
    }

    /// The numbers of one document's live annotations, in no particular order.
    public func annotationNumbers(inDocument document: Int) -> [Int] { byDocument[document] }

    /// The number of live annotations of one document.
    public func annotationCount(inDocument document: Int) -> Int { byDocument[document].count }

    /// Every live annotation, by id.
    public var allAnnotations: [Annotation] { annotationSlots.compactMap { $0 } }

    /// What uses a label ("3 spans, 1 category label"); empty when nothing does.
    public func uses(ofLabel label: Int) -> String {
        var parts: [String] = []
        let spans = label < labelCounts.count ? labelCounts[label] : 0
        if spans > 0 {
            let ids = annotationSlots.lazy.compactMap { $0 }.filter { $0.label == label }.prefix(3).map(\.id)
            parts.append("\(Format.count(spans, "span")): \(ids.joined(separator: ", "))\(spans > 3 ? ", …" : "")")
        }
        let cats = categoryCount(label: label)
        if cats > 0 { parts.append("\(Format.count(cats, "category label"))") }
        let orphaned = orphans.filter { $0.label == label }.count
        if orphaned > 0 { parts.append("\(Format.count(orphaned, "orphan"))") }
        let queued = suggestionUses(ofLabel: label)
        if queued > 0 { parts.append("\(Format.count(queued, "suggestion"))") }
        return parts.joined(separator: ", ")
    }

    /// Moves every reference to a label to its new index (`map[old]`; labels mapped to nil must
    /// be unused).
    func remapLabels(_ map: [Int?]) {
        func moved(_ l: Int) -> Int { map[l]! }
        spanKeys.removeAll(keepingCapacity: true)
        var counts = Array(repeating: 0, count: map.compactMap { $0 }.max().map { $0 + 1 } ?? 0)
        for i in annotationSlots.indices {
            guard var a = annotationSlots[i] else { continue }
            a.label = moved(a.label)
            annotationSlots[i] = a
            spanKeys.insert(SpanKey(a))
            counts[a.label] += 1
        }
        labelCounts = counts
        for i in categories.indices { categories[i].label = moved(categories[i].label) }
        for i in orphans.indices { orphans[i].label = moved(orphans[i].label) }
        remapSuggestionLabels(moved)
    }

    /// Whether an identical span (document, offsets, label) is annotated.
    func hasSpan(_ key: SpanKey) -> Bool { spanKeys.contains(key) }

    /// Whether the session already has the annotation this suggestion would make (same document,
    /// range and label): accepting it would add nothing, so it has no place in a queue to review.
    public func isAlreadyTagged(_ suggestion: Suggestion) -> Bool {
        hasSpan(SpanKey(document: suggestion.document, range: suggestion.range, label: suggestion.label))
    }

    /// Suggestions (waiting or rejected) with this label.
    func suggestionUses(ofLabel label: Int) -> Int {
        suggestions.pending.filter { $0.label == label }.count + suggestions.rejected.filter { $0.label == label }.count
    }

    func remapSuggestionLabels(_ moved: (Int) -> Int) { suggestions.remapLabels(moved) }

    /// The first live span of the document that the overlap policy does not allow beside `range`.
    public func spanInTheWay(of range: TextRange, inDocument document: Int, policy: OverlapPolicy) -> Annotation? {
        guard policy != .allow else { return nil }
        for number in byDocument[document] {
            if let a = annotation(number: number), !policy.permits(a.range, range) { return a }
        }
        return nil
    }

    // MARK: Categories

    /// Adds a category label on a unit.
    func addCategory(_ c: CategoryAnnotation) { categories.append(c) }

    /// Removes a category label on a unit; returns what was removed.
    @discardableResult
    func removeCategory(matching c: CategoryAnnotation) -> CategoryAnnotation? {
        guard let i = categories.firstIndex(where: { $0.sameTarget(c) }) else { return nil }
        return categories.remove(at: i)
    }

    /// Replaces the category labels of a document (after its text changed).
    func replaceCategories(ofDocument document: Int, with replacement: [CategoryAnnotation]) {
        categories.removeAll { $0.document == document }
        categories += replacement
    }

    /// Whether the unit already has that category label.
    public func hasCategory(_ c: CategoryAnnotation) -> Bool { categories.contains { $0.sameTarget(c) } }

    /// Category labels of one document, by unit.
    public func categories(inDocument document: Int) -> [CategoryAnnotation] {
        categories.filter { $0.document == document }.sorted(by: CategoryAnnotation.inUnitOrder)
    }

    /// The number of category labels (live) per label index.
    public func categoryCount(label: Int) -> Int { categories.reduce(0) { $0 + ($1.label == label ? 1 : 0) } }
}

extension UnitKind {
    var order: Int {
        switch self {
        case .doc: return 0
        case .para: return 1
        case .sent: return 2
        }
    }
}
