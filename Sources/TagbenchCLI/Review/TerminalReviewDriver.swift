import TagbenchCore

/// `review` on a terminal: each state of the review full screen (the alternate screen, restored
/// after), and single keys, without Enter, mapped to the reviewer's actions. The engine runs the
/// queue and the decisions (`ReviewRound`); this only shows and reads.
public final class TerminalReviewDriver: ReviewDriver {
    let console: Console
    let keys: KeyReader
    /// Whether the screen shows the paragraph around the candidate (`p` toggles it; it stays so
    /// for the next suggestions) rather than its sentence.
    private var showsParagraph = false

    /// A driver writing to `console` and reading `keys`.
    public init(console: Console, keys: KeyReader) {
        self.console = console
        self.keys = keys
    }

    /// The keys, for `?`.
    static let keyHelp =
        "y accept · n reject · s skip · h/← l/→ move the start · H/L move the end · "
        + "p paragraph or sentence · u undo · q leave · a label's shortcut accepts under that label"

    /// Takes the screen: raw keys, the alternate screen, no cursor.
    public func beginReview() {
        // The screens go straight to the terminal: nothing of this command is held for the pager.
        console.stopHolding()
        keys.begin()
        console.rawOut("\u{1B}[?1049h\u{1B}[?25l")
    }

    /// Draws `state` and reads keys until one is an action; the end of input leaves. `p` only
    /// changes what is shown, so it is taken here and the screen drawn again.
    public func nextAction(on state: ReviewState) -> ReviewAction {
        while true {
            let screen = ReviewScreen(
                session: state.session, suggestion: state.suggestion, range: state.range,
                done: state.done, total: state.total, status: state.status,
                colour: console.colour, width: console.width, paragraph: showsParagraph)
            console.rawOut("\u{1B}[H\u{1B}[2J" + screen.lines().joined(separator: "\r\n"))
            console.flush()
            guard let key = keys.readKey() else { return .leave }
            if key == .character("p") {
                showsParagraph.toggle()
                continue
            }
            return action(for: key, tagSet: state.session.tagSet)
        }
    }

    /// Gives the screen back as it was.
    public func endReview() {
        console.rawOut("\u{1B}[?25h\u{1B}[?1049l")
        console.flush()
        keys.end()
    }

    /// The boundary a key moves and by how much (`h`/← `l`/→ the start, `H`/`L` with shift the
    /// end), in `review` and `adjudicate` alike.
    static func boundaryMove(for key: Key) -> (start: Bool, by: Int)? {
        switch key {
        case .character("h"), .left: return (true, -1)
        case .character("l"), .right: return (true, 1)
        case .character("H"), .shiftLeft: return (false, -1)
        case .character("L"), .shiftRight: return (false, 1)
        default: return nil
        }
    }

    /// What a key does; the fixed keys come before the labels' shortcuts.
    private func action(for key: Key, tagSet: TagSet) -> ReviewAction {
        switch key {
        case .character("y"): return .accept
        case .character("n"): return .reject
        case .character("s"): return .skip
        case .character("u"): return .undo
        case .character("q"), .escape, .interrupt: return .leave
        case _ where Self.boundaryMove(for: key) != nil:
            let move = Self.boundaryMove(for: key)!
            return move.start ? .moveStart(by: move.by) : .moveEnd(by: move.by)
        case .character(let character):
            guard let label = tagSet.index(ofShortcut: character), tagSet.labels[label].kind == .span else {
                return .explain(
                    character == "?"
                        ? Self.keyHelp
                        : "\(character): not a key of review (? lists the keys)")
            }
            return .acceptAs(label: label)
        default:
            return .explain("not a key of review")
        }
    }
}
