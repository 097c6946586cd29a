/// What `review` needs from a terminal: a screen to show where the review stands and a keyboard
/// to read the reviewer's next action from. The engine runs the queue and makes each decision a
/// command of its own; the driver only shows and reads. The CLI sets one on the engine only where
/// there is a terminal; without one, `review` fails with `needsTerminal`.
public protocol ReviewDriver: AnyObject {
    /// Takes the screen for the review; called once, and only when there is something to review.
    func beginReview()
    /// Shows `state` and waits for what the reviewer does with its suggestion.
    func nextAction(on state: ReviewState) -> ReviewAction
    /// Gives the screen back; called once after `beginReview`, however the review ended.
    func endReview()
}
