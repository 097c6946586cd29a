/// Where an adjudication stands, as its screen shows it: the conflict in focus, the version
/// picked and its span (as moved), the progress and what the last action did.
public struct AdjudicationState {
    /// The merged session (read only: every change goes through the engine).
    public let session: Session
    /// The conflict in focus.
    public let conflict: Conflict
    /// The index (from 0) of the version whose span `h l H L` and a label's shortcut change.
    public let picked: Int
    /// The picked span as it now is (moved or not); nil when no version has a span.
    public let span: ConflictSpan?
    /// The conflicts decided in this adjudication.
    public let done: Int
    /// The conflicts it has had: decided and still open.
    public let total: Int
    /// What the last action did, or why it did nothing (empty at first).
    public let status: String
}
