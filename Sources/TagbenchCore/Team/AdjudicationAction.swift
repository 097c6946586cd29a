/// What the adjudicator does with the conflict in focus (a driver maps keys to these).
public enum AdjudicationAction: Equatable, Sendable {
    /// Decide it with the K-th version (from 1): `resolve cN --pick K`.
    case pick(Int)
    /// Decide it with every version: `resolve cN --all`.
    case all
    /// Decide it with none: `resolve cN --none`.
    case none
    /// Make the next version with spans the picked one (whose span the keys below change).
    case nextVersion
    /// Move the start of the picked span by this many characters (kept inside the document and
    /// before the end).
    case moveStart(by: Int)
    /// Move the end of the picked span by this many characters (kept inside the document and
    /// after the start).
    case moveEnd(by: Int)
    /// Decide it with the picked span under the label at this index of the tag set:
    /// `resolve cN --as LABEL [--at S:E]`.
    case relabel(label: Int)
    /// Decide it with the picked span as it now is (moved): `resolve cN --as LABEL --at S:E`.
    case decidePicked
    /// Leave it open and go on to the next one.
    case skip
    /// Undo the last decision of this adjudication: its conflict is open again.
    case undo
    /// Nothing is done; the next screen says `text` (the list of keys, a key that means nothing).
    case explain(String)
    /// Leave.
    case leave
}
