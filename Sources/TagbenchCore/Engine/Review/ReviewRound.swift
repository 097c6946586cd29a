/// One run of `review [LABEL]`: the waiting suggestions shown one at a time through a driver, and
/// each decision run through `Engine.execute` as the command a script would write (`accept s3
/// --as 巡视 --at 10:14`, `reject s4`, `undo`), so that it is one undo step, is journaled before the
/// next action is read, and goes to the session log, from which `history` replays it.
struct ReviewRound {
    private let engine: Engine
    private let driver: any ReviewDriver
    /// The label asked for (its index in the tag set), if any.
    private let label: Int?
    /// Where the decisions run: the review's folder, under a name that no script has.
    private let context: ExecutionContext
    private var accepted = 0
    private var rejected = 0
    private var skipped = Set<Int>()
    /// Suggestions decided here (and whether accepted), newest last, for `undo`.
    private var decided: [(number: Int, accepted: Bool)] = []

    init(engine: Engine, driver: any ReviewDriver, label: Int?, baseDirectory: String) {
        self.engine = engine
        self.driver = driver
        self.label = label
        self.context = ExecutionContext(baseDirectory: baseDirectory, file: "<review>", line: 0)
    }

    /// The suggestions still to decide: of the label asked for, and not already tagged since
    /// they were made (accepting one of those would add nothing).
    private var queue: [Suggestion] {
        let session = engine.session
        return session.suggestions.pending.filter { suggestion in
            (label.map { suggestion.label == $0 } ?? true) && !session.isAlreadyTagged(suggestion)
        }
    }

    /// Runs until the queue is done or the reviewer leaves; returns the summary line.
    mutating func run() -> String {
        guard !queue.isEmpty else {
            return Wording.nothingToReview(for: label.map { engine.session.tagSet.labels[$0].name })
        }
        driver.beginReview()
        defer { driver.endReview() }
        var focus: Int?
        var movedRange: TextRange?
        var status = ""
        while true {
            let waiting = queue
            let open = waiting.filter { !skipped.contains($0.number) }
            guard let current = open.first(where: { $0.number == focus }) ?? open.first else { break }
            if current.number != focus {
                focus = current.number
                movedRange = current.range
            }
            let shown = movedRange ?? current.range
            let done = accepted + rejected
            let state = ReviewState(
                session: engine.session, suggestion: current, range: shown, done: done,
                total: done + waiting.count, status: status)
            let action = driver.nextAction(on: state)
            status = ""
            // Offsets moved from the suggestion's own are accepted there (`--at`).
            let at = shown != current.range ? shown : nil
            let target = SuggestionTarget.numbers(current.number, current.number)
            switch action {
            case .accept:
                status = decide(.accept(target, label: nil, asLabel: nil, at: at), on: current, accepting: true)
            case .acceptAs(let chosen):
                let name = engine.session.tagSet.labels[chosen].name
                let command = Command.accept(target, label: nil, asLabel: chosen == current.label ? nil : name, at: at)
                status = decide(command, on: current, accepting: true, as: name)
            case .reject:
                status = decide(.reject(target, label: nil), on: current, accepting: false)
            case .skip:
                skipped.insert(current.number)
                focus = nil
                status = Wording.reviewSkipped(current.id)
            case .moveStart(let offset):
                // The span stays inside the document and keeps at least one character.
                let start = max(0, shown.start + offset)
                if start < shown.end { movedRange = TextRange(start, shown.end) }
            case .moveEnd(let offset):
                let end = min(engine.session.documents[current.document].length, shown.end + offset)
                if end > shown.start { movedRange = TextRange(shown.start, end) }
            case .undo:
                guard let last = decided.popLast() else {
                    status = Wording.nothingToUndoInReview
                    break
                }
                if let failure = execute(.undo(1)) {
                    status = failure
                    decided.append(last)
                    break
                }
                if last.accepted { accepted -= 1 } else { rejected -= 1 }
                focus = last.number
                movedRange = nil
                status = Wording.reviewUndid("s\(last.number)")
            case .explain(let text):
                status = text
            case .leave:
                return summary
            }
        }
        return summary
    }

    /// Runs a decision; on success it is remembered for `undo` and the next suggestion comes up.
    private mutating func decide(
        _ command: Command, on suggestion: Suggestion, accepting: Bool,
        as name: String? = nil
    ) -> String {
        if let failure = execute(command) { return failure }
        decided.append((suggestion.number, accepting))
        if accepting { accepted += 1 } else { rejected += 1 }
        return Wording.reviewDecided(suggestion.id, accepted: accepting, as: name)
    }

    private func execute(_ command: Command) -> String? { engine.runDecision(command, context: context) }

    private var summary: String {
        Wording.reviewSummary(accepted: accepted, rejected: rejected, skipped: skipped.count, waiting: queue.count)
    }
}
