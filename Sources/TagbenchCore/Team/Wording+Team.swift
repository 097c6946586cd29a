/// The messages of merging and adjudicating (kept beside the rest of `Wording`).
extension Wording {
    /// What `merge` did.
    static func merged(
        _ annotators: [String], documents: Int, spans: Int, newSpans: Int, keptOut: Int = 0, categories: Int,
        conflicts: [Conflict], dropped: Int, open: Int
    ) -> String {
        let range =
            conflicts.isEmpty
            ? "" : conflicts.count == 1 ? " (\(conflicts[0].id))" : " (\(conflicts[0].id)–\(conflicts.last!.id))"
        return "merged \(Format.count(annotators.count, "session")) (\(annotators.joined(separator: ", "))) over "
            + "\(Format.count(documents, "document")): \(Format.count(spans, "span")) accepted (\(Format.grouped(newSpans)) new"
            + (keptOut > 0 ? ", \(Format.grouped(keptOut)) taken out here before and left out" : "") + "), "
            + "\(Format.count(categories, "label")) on units accepted; \(Format.count(conflicts.count, "new conflict"))\(range)"
            + (dropped > 0 ? ", \(Format.count(dropped, "open conflict")) no longer found" : "")
            + "; \(Format.grouped(open)) open: conflicts lists them, resolve decides them"
    }

    /// A decision that a new conflict overlaps: kept, and said.
    static func contradicted(_ decided: Conflict, by new: Conflict) -> String {
        "\(decided.id) was resolved (\(decided.decision!.arguments.joined(separator: " "))), but new input disagrees "
            + "there: see \(new.id); the decision is kept"
    }

    /// A span the merge accepts where a decided conflict lies: left out, and said.
    static func overruled(_ decided: Conflict, _ span: ConflictSpan) -> String {
        let place = decided.unit.map { "on \($0.rawValue) \(decided.index)" } ?? "\(span.range)"
        return "\(decided.id) was resolved (\(decided.decision!.arguments.joined(separator: " "))); the merge now "
            + "accepts \(span.label) \(place) there, which is left out: the decision is kept"
    }

    /// `conflicts` with none open.
    static func noOpenConflicts(decided: Int) -> String {
        "no open conflicts" + (decided > 0 ? " (\(Format.grouped(decided)) resolved)" : "")
    }

    /// `merge --strategy min=K` with fewer than K sessions.
    static func strategyAcceptsNothing(_ strategy: String, sessions: Int) -> String {
        "--strategy \(strategy) with \(Format.count(sessions, "session")) accepts nothing: every span and label "
            + "on a unit becomes a conflict"
    }

    /// `agree --against` a session with conflicts still open.
    static func curationUnfinished(_ path: String, open: Int) -> String {
        "\(path) has \(Format.count(open, "open conflict")): the curation is not finished, and what is still "
            + "open counts as nothing curated"
    }

    /// `agree --against` with an annotator who shares no document with the curated session.
    static func nothingInCommon(_ path: String, with curated: String) -> String {
        "\(path) has no document in common with \(curated) (by the SHA-256 of its text); left out"
    }

    /// What `conflict` did.
    static func conflictAdded(_ id: String, open: Int) -> String {
        "\(id) added (\(Format.grouped(open)) open): resolve decides it"
    }

    /// What `resolve` did: `added` spans or labels on units.
    static func resolved(_ conflict: Conflict, _ decision: ConflictDecision, added: Int, removed: Int = 0) -> String {
        let what = conflict.unit == nil ? "span" : "label on a unit"
        let plural = conflict.unit == nil ? "spans" : "labels on units"
        return "\(conflict.id) resolved (\(decision.arguments.joined(separator: " "))): "
            + "\(Format.count(added, what, plural: plural)) added"
            + (removed > 0 ? ", \(Format.grouped(removed)) a merge had accepted removed" : "")
    }
}

/// The lines of `adjudicate`.
extension Wording {
    /// `adjudicate` with no conflict open (`label`: the one asked for, if any).
    static func nothingToAdjudicate(for label: String?) -> String {
        "no open conflicts" + (label.map { " with \($0)" } ?? "") + " (merge makes them)"
    }

    /// A decision of `adjudicate` made.
    static func adjudicated(_ id: String, _ decision: ConflictDecision) -> String {
        "resolved \(id) (\(decision.arguments.joined(separator: " ")))"
    }

    /// The line `adjudicate` leaves with.
    static func adjudicationSummary(resolved: Int, skipped: Int, open: Int) -> String {
        "adjudicate: \(resolved) resolved, \(skipped) skipped; \(Format.grouped(open)) open"
    }

    /// `u` before any decision of this adjudication.
    static let nothingToUndoInAdjudication = "nothing decided in this adjudication to undo"

    /// `Tab` or Enter where no version has a span.
    static let noSpanToPick = "no version has a span here: pick one with its number, a all or x none"

    /// `h l H L` on a conflict over a unit's labels, or with no span.
    static let noSpanToMove = "nothing to move here: the versions are labels on a unit"
}
