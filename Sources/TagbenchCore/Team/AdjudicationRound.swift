/// One run of `adjudicate [LABEL]`: the open conflicts shown one at a time through a driver, and
/// each decision run through `Engine.execute` as the command a script would write (`resolve c2
/// --pick 1`, `resolve c3 --as 巡察 --at 684:688`, `undo`), so that it is one undo step, is
/// journaled before the next key is read, and goes to the session log, from which `history`
/// replays it.
struct AdjudicationRound {
    private let engine: Engine
    private let driver: any AdjudicationDriver
    /// The label asked for (its name), if any.
    private let label: String?
    /// Where the decisions run: the session's folder, under a name that no script has.
    private let context: ExecutionContext
    private var skipped = Set<Int>()
    /// Conflicts decided here, newest last, for `undo`.
    private var decided: [Int] = []

    init(engine: Engine, driver: any AdjudicationDriver, label: String?, baseDirectory: String) {
        self.engine = engine
        self.driver = driver
        self.label = label
        self.context = ExecutionContext(baseDirectory: baseDirectory, file: "<adjudicate>", line: 0)
    }

    /// The conflicts still open (with the label asked for, those where a version uses it).
    private var queue: [Conflict] {
        engine.session.conflicts.open.filter { conflict in
            label.map { name in conflict.versions.contains { $0.spans.contains { $0.label == name } } } ?? true
        }
    }

    /// Runs until no conflict is open or the adjudicator leaves; returns the summary line.
    mutating func run() -> String {
        guard !queue.isEmpty else { return Wording.nothingToAdjudicate(for: label) }
        driver.beginAdjudication()
        defer { driver.endAdjudication() }
        var focus: Int?
        var picked = 0
        var span: ConflictSpan?
        var status = ""
        while true {
            let open = queue
            guard
                let current = open.first(where: { $0.number == focus })
                    ?? open.first(where: { !skipped.contains($0.number) })
            else { break }
            if current.number != focus {
                focus = current.number
                picked = current.versions.firstIndex { !$0.spans.isEmpty } ?? 0
                span = current.versions[picked].spans.first
            }
            let state = AdjudicationState(
                session: engine.session, conflict: current, picked: picked, span: span, done: decided.count,
                total: decided.count + open.count, status: status)
            let action = driver.nextAction(on: state)
            status = ""
            switch action {
            case .pick(let k): status = decide(current, .pick(k))
            case .all: status = decide(current, .all)
            case .none: status = decide(current, .none)
            case .nextVersion:
                let withSpans = current.versions.indices.filter { !current.versions[$0].spans.isEmpty }
                guard let next = withSpans.first(where: { $0 > picked }) ?? withSpans.first else {
                    status = Wording.noSpanToPick
                    break
                }
                picked = next
                span = current.versions[next].spans.first
            case .moveStart(let offset), .moveEnd(let offset):
                guard current.unit == nil, let shown = span else {
                    status = Wording.noSpanToMove
                    break
                }
                let length = engine.session.documents[current.document].length
                var range = shown.range
                if case .moveStart = action {
                    range.start = max(0, range.start + offset)
                } else {
                    range.end = min(length, range.end + offset)
                }
                // The span keeps at least one character.
                if range.start < range.end { span = ConflictSpan(range: range, label: shown.label) }
            case .relabel(let index):
                status = decide(current, relabelling: span, as: engine.session.tagSet.labels[index].name)
            case .decidePicked:
                guard let span else {
                    status = Wording.noSpanToPick
                    break
                }
                status = decide(current, relabelling: span, as: span.label)
            case .skip:
                skipped.insert(current.number)
                focus = nil
                status = Wording.reviewSkipped(current.id)
            case .undo:
                guard let last = decided.popLast() else {
                    status = Wording.nothingToUndoInAdjudication
                    break
                }
                if let failure = execute(.undo(1)) {
                    status = failure
                    decided.append(last)
                    break
                }
                focus = nil
                skipped.remove(last)
                // The conflict undone comes up again, with its versions as they were.
                if let again = queue.first(where: { $0.number == last }) {
                    focus = again.number
                    picked = again.versions.firstIndex { !$0.spans.isEmpty } ?? 0
                    span = again.versions[picked].spans.first
                }
                status = Wording.reviewUndid("c\(last)")
            case .explain(let text):
                status = text
            case .leave:
                return summary
            }
        }
        return summary
    }

    /// `resolve cN --as LABEL [--at S:E]` with the picked span (`--at` left out where it is the
    /// conflict's own range, and on a unit, where the range is the unit's).
    private mutating func decide(_ conflict: Conflict, relabelling span: ConflictSpan?, as name: String) -> String {
        let range = span?.range ?? conflict.range
        let at = conflict.unit == nil && range != conflict.range ? range : nil
        return decide(conflict, .relabel(name, at: at))
    }

    /// Runs a decision; on success it is remembered for `undo` and the next conflict comes up.
    private mutating func decide(_ conflict: Conflict, _ decision: ConflictDecision) -> String {
        if let failure = execute(.resolve(conflict.number, decision)) { return failure }
        decided.append(conflict.number)
        return Wording.adjudicated(conflict.id, decision)
    }

    private func execute(_ command: Command) -> String? { engine.runDecision(command, context: context) }

    private var summary: String {
        Wording.adjudicationSummary(resolved: decided.count, skipped: skipped.count, open: queue.count)
    }
}
