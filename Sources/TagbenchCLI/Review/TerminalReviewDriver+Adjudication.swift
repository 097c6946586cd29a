import TagbenchCore

/// `adjudicate` on a terminal: the same screen handling as `review` (alternate screen, single
/// keys), with adjudication's frames and keys. The engine walks the conflicts and runs each
/// decision as `resolve` (`AdjudicationRound`); this only shows and reads.
extension TerminalReviewDriver: AdjudicationDriver {
    /// Keys `adjudicate` keeps for itself: a label whose shortcut is one of them is chosen at the
    /// prompt (`resolve cN --as LABEL`), not by its key.
    static let adjudicationKeys: Set<String> = Set((1...9).map(String.init)).union([
        "a", "x", "h", "l", "H", "L", "s", "u", "q", "?", " "
    ])

    /// The keys, for `?`.
    static let adjudicationKeyHelp =
        "1-9 resolve with that version · a all · x none · Tab pick the next version's span · "
        + "h/← l/→ move its start · H/L move its end · Enter resolve with it as moved · "
        + "a label's shortcut resolves with it under that label · s skip · u undo · q leave"

    /// Takes the screen: raw keys, the alternate screen, no cursor.
    public func beginAdjudication() { beginReview() }

    /// Draws `state` and reads a key; the end of input leaves.
    public func nextAction(on state: AdjudicationState) -> AdjudicationAction {
        let screen = AdjudicationScreen(state: state, colour: console.colour, width: console.width)
        console.rawOut("\u{1B}[H\u{1B}[2J" + screen.lines().joined(separator: "\r\n"))
        console.flush()
        guard let key = keys.readKey() else { return .leave }
        return adjudicationAction(for: key, tagSet: state.session.tagSet)
    }

    /// Gives the screen back as it was.
    public func endAdjudication() { endReview() }

    /// What a key does; the fixed keys come before the labels' shortcuts.
    private func adjudicationAction(for key: Key, tagSet: TagSet) -> AdjudicationAction {
        switch key {
        case .character("a"): return .all
        case .character("x"): return .none
        case .character("s"): return .skip
        case .character("u"): return .undo
        case .character("q"), .escape, .interrupt: return .leave
        case _ where Self.boundaryMove(for: key) != nil:
            let move = Self.boundaryMove(for: key)!
            return move.start ? .moveStart(by: move.by) : .moveEnd(by: move.by)
        case .character("\t"): return .nextVersion
        case .character("\r"), .character("\n"): return .decidePicked
        case .character(let character):
            if character.count == 1, character >= "1", character <= "9", let k = Int(character) { return .pick(k) }
            guard let label = tagSet.index(ofShortcut: character) else {
                return .explain(
                    character == "?"
                        ? Self.adjudicationKeyHelp
                        : "\(character): not a key of adjudicate (? lists the keys)")
            }
            return .relabel(label: label)
        default:
            return .explain("not a key of adjudicate")
        }
    }
}
