import TagbenchCore

/// `review [LABEL]`: the suggestion queue one at a time, full screen, single keys. Each decision
/// runs as the command a script would write (`accept s3 --as 巡视 --at 10:14`, `reject s4`,
/// `undo`), so it is one undo step, goes to the journal and the log, and replays from history.
final class Review {
    private let engine: Engine
    private let runner: ScriptRunner
    private let console: Console
    private let keys: KeyReader
    private let baseDirectory: String
    private let label: Int?
    private var accepted = 0
    private var rejected = 0
    private var skipped = Set<Int>()
    /// Suggestions decided here (and whether accepted), newest last, for `u`.
    private var decided: [(number: Int, accepted: Bool)] = []

    init(engine: Engine, runner: ScriptRunner, console: Console, keys: KeyReader, baseDirectory: String, label: String?) throws(TagbenchError) {
        self.engine = engine
        self.runner = runner
        self.console = console
        self.keys = keys
        self.baseDirectory = baseDirectory
        self.label = try label.map { (name) throws(TagbenchError) -> Int in try engine.session.tagSet.resolve(name) }
    }

    /// The suggestions still to decide: of the label asked for, and not already tagged since
    /// they were made (accepting one of those would add nothing).
    private var queue: [Suggestion] {
        let session = engine.session
        return session.suggestions.pending.filter { s in (label.map { s.label == $0 } ?? true) && !session.isAlreadyTagged(s) }
    }

    /// The keys, for `?`.
    static let keyHelp = "y accept · n reject · s skip · h/← l/→ move the start · H/L move the end · u undo · q leave · "
        + "a label's shortcut accepts under that label"


    /// Runs until the queue is done or `q`; returns the summary line.
    func run() -> String {
        guard !queue.isEmpty else { return "no suggestions waiting" + (label.map { " for \(engine.session.tagSet.labels[$0].name)" } ?? "") + " (suggest fills the queue)" }
        keys.begin()
        console.rawOut("\u{1B}[?1049h\u{1B}[?25l")
        defer {
            console.rawOut("\u{1B}[?25h\u{1B}[?1049l")
            console.flush()
            keys.end()
        }
        var focus: Int?
        var range: TextRange?
        var status = ""
        while true {
            let waiting = queue
            let open = waiting.filter { !skipped.contains($0.number) }
            guard let current = open.first(where: { $0.number == focus }) ?? open.first else { break }
            if current.number != focus { focus = current.number; range = current.range }
            let document = engine.session.documents[current.document]
            let shown = range ?? current.range
            let done = accepted + rejected
            let screen = ReviewScreen(session: engine.session, suggestion: current, range: shown, done: done, total: done + waiting.count,
                                      status: status, colour: console.colour, width: console.width)
            console.rawOut("\u{1B}[H\u{1B}[2J" + screen.lines().joined(separator: "\r\n"))
            console.flush()
            status = ""
            guard let key = keys.readKey() else { break }
            let at = shown != current.range ? shown : nil
            switch key {
            case .character("y"):
                status = decide(.accept(.numbers(current.number, current.number), label: nil, asLabel: nil, at: at), current, accept: true)
            case .character("n"):
                status = decide(.reject(.numbers(current.number, current.number), label: nil), current, accept: false)
            case .character("s"):
                skipped.insert(current.number)
                focus = nil
                status = "skipped \(current.id)"
            case .character("h"), .left: range = TextRange(max(0, shown.start - 1), shown.end)
            case .character("l"), .right: if shown.start + 1 < shown.end { range = TextRange(shown.start + 1, shown.end) }
            case .character("H"), .shiftLeft: if shown.end - 1 > shown.start { range = TextRange(shown.start, shown.end - 1) }
            case .character("L"), .shiftRight: range = TextRange(shown.start, min(document.length, shown.end + 1))
            case .character("u"):
                guard let last = decided.popLast() else { status = "nothing decided in this review to undo"; break }
                if let error = execute(.undo(1)) { status = error; decided.append(last); break }
                if last.accepted { accepted -= 1 } else { rejected -= 1 }
                focus = last.number
                range = nil
                status = "undid the decision on s\(last.number)"
            case .character("q"), .escape, .interrupt:
                return summary()
            case .character(let c):
                guard let target = engine.session.tagSet.index(ofShortcut: c), engine.session.tagSet.labels[target].kind == .span else {
                    status = c == "?" ? Self.keyHelp : "\(c): not a key of review (? lists the keys)"
                    break
                }
                let name = engine.session.tagSet.labels[target].name
                status = decide(.accept(.numbers(current.number, current.number), label: nil, asLabel: target == current.label ? nil : name, at: at),
                                current, accept: true, as: name)
            default:
                status = "not a key of review"
            }
        }
        return summary()
    }

    /// Runs a decision; on success it is remembered for `u` and the next suggestion comes up.
    private func decide(_ command: Command, _ s: Suggestion, accept: Bool, as name: String? = nil) -> String {
        if let error = execute(command) { return error }
        decided.append((s.number, accept))
        if accept { accepted += 1 } else { rejected += 1 }
        return (accept ? "accepted " : "rejected ") + s.id + (name.map { " as \($0)" } ?? "")
    }

    /// Runs a command as a typed line would run; returns its error message, if any.
    private func execute(_ command: Command) -> String? {
        let context = ExecutionContext(baseDirectory: baseDirectory, file: "<review>", line: 0)
        var failure: String?
        do {
            _ = try runner.runLine(CommandRenderer.render(command), context: context, emit: { _ in }, report: { failure = $0.error.message })
        } catch {
            failure = error.error.message + (error.error.hint.map { " (\($0))" } ?? "")
        }
        return failure
    }

    private func summary() -> String {
        "review: \(accepted) accepted, \(rejected) rejected, \(skipped.count) skipped; \(Format.grouped(queue.count)) waiting"
    }
}
