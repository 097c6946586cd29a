/// The undo history as a session file keeps it (`undo` and `redo`): each step's changes in the
/// file's own terms (ids, document ids, label names). Nothing in it is checked on open: a step is
/// checked against the session only when it is undone or redone, so that a file edited by hand
/// or a document whose text changed can make a step refused, never make it corrupt the session.
struct KeptUndo: Equatable {
    /// Steps `undo` takes back, the oldest first.
    var undo: [KeptStep] = []
    /// Steps `redo` does again, the next to redo last.
    var redo: [KeptStep] = []

    /// The most steps kept (of both lists together): the recent past of a sitting, enough to
    /// take back a mistake found after reopening, while the file stays small and quick to open.
    static let stepLimit = 100
    /// The most annotations the kept steps may name in all: one bulk tag over a corpus can add a
    /// hundred thousand spans, and each would be read on every open.
    static let annotationLimit = 100_000

    /// Whether nothing is kept.
    var isEmpty: Bool { undo.isEmpty && redo.isEmpty }
}

/// One step of a kept undo history.
struct KeptStep: Equatable {
    /// The command as a script line, for "undid: …" and for errors.
    var command = ""
    /// False for the first step past what was kept (beyond the bound, or a change of a kind not
    /// kept): it is named, so that `undo` reaching it can say why it stops there.
    var kept = true
    /// The changes, in the order they were made.
    var changes: [KeptChange] = []
}

/// One change of a kept step.
enum KeptChange: Equatable {
    /// Annotations added (`added`) or removed. Those the session holds while the step is where
    /// it is (added, on the undo list; removed, on the redo list) are named by reference only.
    case annotations(added: Bool, [KeptAnnotation])
    /// `relabel`: the annotation's label before and after.
    case relabeled(id: Int, from: String, to: String)
    /// `note`: the annotation's note before and after.
    case noted(id: Int, from: String, to: String)
    /// `classify` (`added`) or `unclassify`.
    case category(added: Bool, CategoryRecord)
    /// `label add`.
    case labels([Label])
}

/// An annotation of a kept step: in full, or a reference (id, document, offsets, label) to one
/// the session holds.
struct KeptAnnotation: Equatable {
    /// Its fields; a reference has no text, note or provenance.
    var raw: RawAnnotation
    /// Whether it is a reference.
    var isReference: Bool
}
