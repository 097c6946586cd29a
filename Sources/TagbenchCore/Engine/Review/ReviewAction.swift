/// What the reviewer does with the suggestion in focus (a driver maps keys to these).
public enum ReviewAction: Equatable, Sendable {
    /// Accept it under its own label, at the offsets shown.
    case accept
    /// Accept it under the label at this index of the tag set, at the offsets shown.
    case acceptAs(label: Int)
    /// Reject it.
    case reject
    /// Leave it in the queue and go on to the next one.
    case skip
    /// Move the start of the offsets shown by this many characters (kept inside the document and
    /// before the end).
    case moveStart(by: Int)
    /// Move the end of the offsets shown by this many characters (kept inside the document and
    /// after the start).
    case moveEnd(by: Int)
    /// Undo the last decision of this review: its suggestion comes back.
    case undo
    /// Nothing is done; the next screen says `text` (the list of keys, a key that means nothing).
    case explain(String)
    /// Leave the review.
    case leave
}
