/// The messages of merging and adjudicating (kept beside the rest of `Wording`).
extension Wording {
    /// What `merge` did.
    static func merged(
        _ annotators: [String], documents: Int, spans: Int, newSpans: Int, categories: Int, conflicts: [Conflict],
        dropped: Int, open: Int
    ) -> String {
        let range =
            conflicts.isEmpty
            ? "" : conflicts.count == 1 ? " (\(conflicts[0].id))" : " (\(conflicts[0].id)–\(conflicts.last!.id))"
        return "merged \(Format.count(annotators.count, "session")) (\(annotators.joined(separator: ", "))) over "
            + "\(Format.count(documents, "document")): \(Format.count(spans, "span")) accepted (\(Format.grouped(newSpans)) new), "
            + "\(Format.count(categories, "label")) on units accepted; \(Format.count(conflicts.count, "new conflict"))\(range)"
            + (dropped > 0 ? ", \(Format.count(dropped, "open conflict")) no longer found" : "")
            + "; \(Format.grouped(open)) open: conflicts lists them, resolve decides them"
    }

    /// A decision that a new conflict overlaps: kept, and said.
    static func contradicted(_ decided: Conflict, by new: Conflict) -> String {
        "\(decided.id) was resolved (\(decided.decision!.arguments.joined(separator: " "))), but new input disagrees "
            + "there: see \(new.id); the decision is kept"
    }

    /// `conflicts` with none open.
    static func noOpenConflicts(decided: Int) -> String {
        "no open conflicts" + (decided > 0 ? " (\(Format.grouped(decided)) resolved)" : "")
    }

    /// What `resolve` did: `added` spans or labels on units.
    static func resolved(_ conflict: Conflict, _ decision: ConflictDecision, added: Int) -> String {
        let what = conflict.unit == nil ? "span" : "label on a unit"
        let plural = conflict.unit == nil ? "spans" : "labels on units"
        return "\(conflict.id) resolved (\(decision.arguments.joined(separator: " "))): "
            + "\(Format.count(added, what, plural: plural)) added"
    }
}
