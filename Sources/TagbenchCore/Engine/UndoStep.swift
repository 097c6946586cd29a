/// One state change, kept so it can be undone and redone.
enum Change {
    case addedAnnotations([Annotation])
    case removedAnnotations([Annotation])
    case relabeled(number: Int, from: Int, to: Int)
    case noted(number: Int, from: String, to: String)
    case addedCategory(CategoryAnnotation)
    case removedCategory(CategoryAnnotation)
    case addedLabels([Label])
    case updatedLabels([(index: Int, before: Label, after: Label)])
    /// A tag-set file loaded: `map[i]` is where label i of `before` is in `after` (nil: removed, unused).
    case replacedTagSet(before: TagSet, after: TagSet, map: [Int?])
    case addedDocuments([Document])
    case queuedSuggestions([Suggestion])
    /// Suggestions taken off the queue, the annotations made of them, and those accepted under
    /// another label or at other offsets, which are also kept as rejected in their own form.
    case acceptedSuggestions([Suggestion], [Annotation], changed: [Suggestion])
    case rejectedSuggestions([Suggestion])
    /// Rejections read in with imported documents.
    case importedRejections([Suggestion])
    /// Conflicts a merge added and open ones it dropped; `nextBefore` is the next number before.
    case changedConflicts(added: [Conflict], removed: [Conflict], nextBefore: Int)
    /// A conflict decided.
    case decidedConflict(number: Int, ConflictDecision)
}

/// What one state-changing command did: undone and redone as a whole.
struct UndoStep {
    /// The command as a script line, for "undid: …".
    var summary: String
    var changes: [Change]
    /// The journal epoch in which the step was last done or undone: a step from an earlier epoch
    /// cannot be undone (or redone) by replaying the journal, so moving it needs a checkpoint.
    var epoch = 0
    /// The epoch whose saved state (the session file or checkpoint it started from) keeps this
    /// step: a replay of that epoch's journal reads the step back, and can move it.
    var keptInEpoch: Int?
    /// A step read back from a session file: its `changes` are empty until it is moved, when
    /// these are checked against the session and made changes.
    var kept: KeptStep?
}
