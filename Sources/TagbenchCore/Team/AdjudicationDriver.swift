/// What `adjudicate` needs from a terminal: a screen to show the conflict in focus and a
/// keyboard to read the adjudicator's next action from. The engine walks the open conflicts and
/// runs each decision as the `resolve` a script would write; the driver only shows and reads.
/// Without one (no terminal), `adjudicate` fails with `needsTerminal`.
public protocol AdjudicationDriver: AnyObject {
    /// Takes the screen; called once, and only when there is a conflict open.
    func beginAdjudication()
    /// Shows `state` and waits for what the adjudicator does with its conflict.
    func nextAction(on state: AdjudicationState) -> AdjudicationAction
    /// Gives the screen back; called once after `beginAdjudication`, however it ended.
    func endAdjudication()
}
