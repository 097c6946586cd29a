@testable import TagbenchCore

/// A review driver that plays a fixed list of actions (then leaves) and keeps every state it was
/// shown, so that a test can drive `review` through the engine with no terminal.
final class ScriptedReviewDriver: ReviewDriver {
    private var actions: [ReviewAction]
    /// The states shown, in order.
    private(set) var shown: [ReviewState] = []
    /// How many times the review took and gave back the screen.
    private(set) var began = 0
    private(set) var ended = 0

    init(_ actions: [ReviewAction]) { self.actions = actions }

    func beginReview() { began += 1 }

    func nextAction(on state: ReviewState) -> ReviewAction {
        shown.append(state)
        return actions.isEmpty ? .leave : actions.removeFirst()
    }

    func endReview() { ended += 1 }
}
