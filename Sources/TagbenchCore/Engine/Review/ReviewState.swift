/// Where a review stands, as its screen shows it: the suggestion in focus, the offsets it would
/// be accepted at, the progress and what the last action did.
public struct ReviewState {
    /// The session under review (read only: every change goes through the engine).
    public let session: Session
    /// The suggestion in focus.
    public let suggestion: Suggestion
    /// The offsets it would be accepted at: its own, or where the reviewer moved them.
    public let range: TextRange
    /// The suggestions decided in this review.
    public let done: Int
    /// The suggestions this review has had: decided and still waiting.
    public let total: Int
    /// What the last action did, or why it did nothing (empty at first).
    public let status: String
}
