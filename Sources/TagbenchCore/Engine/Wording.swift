/// What the engine tells the user, in one place: every message and warning a command, an open or
/// a recovery makes, built from the values it names. Counts go through `Format.count`, and any
/// other word that agrees with a number through `Format.agreeing`. Tests and scripts read these
/// messages: a change here is a change of behaviour.
enum Wording {
    // MARK: Opening and recovery

    /// A session opened from the checkpoint of unsaved changes.
    static func recoveredFromCheckpoint(_ displayPath: String) -> String {
        "recovered \(displayPath) from the checkpoint of unsaved changes beside it"
    }

    /// A document of the session that cannot be read (`reason`) or is missing.
    static func documentUnavailable(_ id: String, path: String, reason: String?, annotations: Int) -> String {
        let kept = "its \(Format.count(annotations, "annotation")) \(Format.agreeing(annotations, "is", "are")) kept"
        if let reason { return "document \(id) cannot be read: \(reason); \(kept)" }
        return "document \(id) is missing (\(path)); \(kept)"
    }

    /// A document whose text changed since it was annotated, and what became of its annotations.
    static func documentChanged(_ change: SessionCodec.Reanchoring) -> String {
        var text =
            "document \(change.document) changed since it was annotated: \(Format.count(change.kept, "span")) still in place, "
        text += "\(change.moved) moved with their text, \(change.orphaned) orphaned"
        if change.orphaned > 0 { text += " (orphans lists them; exports leave them out)" }
        if change.categoriesByNumber > 0 {
            text +=
                "; \(Format.count(change.categoriesByNumber, "category label")) on paragraphs or sentences kept by number: check them"
        }
        if change.categoriesDropped > 0 {
            text += "; \(Format.count(change.categoriesDropped, "category label")) dropped (the unit is gone)"
        }
        return text
    }

    /// A journal left by a save that was not emptied: its commands are in the saved file.
    static func journalFollowsEarlierSave(
        _ displayPath: String, commands: Int, unreadableLine: Int?, journalName: String
    )
        -> String
    {
        let base =
            "the journal of \(displayPath) follows an earlier save, which holds its \(Format.count(commands, "command"))"
        guard let unreadableLine else { return base + "; nothing to recover" }
        return base + "; line \(unreadableLine) and what follows cannot be read" + journalKept(journalName)
    }

    /// The journal's command `number` failed on replay; what follows stays in the journal.
    static func journalCommandFailed(_ number: Int, line: String, error: String, journalName: String) -> String {
        "the journal's command \(number) (\(line)) failed: \(error); it and what follows were not recovered"
            + journalKept(journalName)
    }

    /// A journal record that cannot be read, with more after it (a damaged journal).
    static func journalRecordUnreadable(_ line: Int, journalName: String) -> String {
        "line \(line) of the journal cannot be read; it and what follows were not recovered" + journalKept(journalName)
    }

    /// Where a journal whose replay stopped goes: a command that only reads the session (an
    /// export, `--read-only`) leaves it where it is; one that writes it (the REPL, `merge`, `run`
    /// when it saves) copies it aside whole, then empties it once what it recovered is kept.
    private static func journalKept(_ journalName: String) -> String {
        "; the journal keeps them, and a command that writes the session sets it aside as \(journalName).failed-…"
    }

    /// What a recovery replayed.
    static func recovered(_ commands: Int, from displayPath: String, torn: Bool) -> String {
        "recovered \(Format.count(commands, "command")) from the journal of \(displayPath) (not saved yet)"
            + (torn ? "; its last record was cut mid-write and was dropped" : "")
    }

    /// What a replayed `load` said (its messages).
    static func replayedLoad(_ line: String, said messages: [String]) -> String {
        "\(line): " + messages.joined(separator: "; ")
    }

    /// One replayed load, told after the count of commands recovered.
    static func recoveredLoad(_ replayed: String) -> String { "recovered " + replayed }

    // MARK: Documents

    /// A document file with no text.
    static func emptyDocument(_ displayPath: String, id: String) -> String {
        "\(displayPath) is empty; loaded as \(id) with no text"
    }

    /// Files named again in a load.
    static func alreadyLoaded(_ count: Int) -> String { "\(count) already loaded, skipped" }

    /// The encodings converted from (each `name: count`).
    static func readAs(_ encodings: [String]) -> String { "read as " + encodings.joined(separator: ", ") }

    /// What an import of annotated data added.
    static func imported(documents: Int, spans: Int, categories: Int, from files: [String], labels: [String]) -> String
    {
        "imported \(Format.count(documents, "document")), "
            + "\(Format.count(spans, "span")), \(Format.count(categories, "category", plural: "categories")) from \(files.joined(separator: ", "))"
            + (labels.isEmpty ? "" : "; labels added: " + labels.joined(separator: ", "))
    }

    /// The documents a load added (the ids of at most three, else the first and last).
    static func loaded(_ ids: [String], characters: Int) -> String {
        "loaded \(Format.count(ids.count, "document")) (\(Format.grouped(characters)) characters): "
            + (ids.count <= 3 ? ids.joined(separator: ", ") : "\(ids[0]) … \(ids[ids.count - 1])")
    }

    /// Imported documents whose ids were taken.
    static func importedIDsRenamed(_ count: Int) -> String {
        "\(count) imported document \(Format.agreeing(count, "id was", "ids were")) taken; made unique with -2, -3, …"
    }

    /// Imported category labels on units the text does not have.
    static func importedUnitsMissing(_ count: Int) -> String {
        "\(Format.count(count, "category label")) \(Format.agreeing(count, "names", "name")) a paragraph or sentence the text does not have; left out"
    }

    /// `open next` at the last document, or `open previous` at the first.
    static func alreadyAtEnd(last: Bool) -> String { "already at the \(last ? "last" : "first") document" }

    /// The document `open` made current (`number` counts from 1).
    static func opened(_ number: Int, _ document: Document, annotations: Int) -> String {
        "\(number) \(document.id): \(Format.count(document.length, "character")), \(Format.count(document.paragraphs.count, "paragraph")), "
            + "\(Format.count(document.sentences.count, "sentence")), \(Format.count(annotations, "annotation"))"
            + (document.isMissing ? " (file missing)" : "")
    }

    // MARK: Viewing

    /// No orphaned spans.
    static let noOrphans = "no orphans"

    /// What the paragraphs a filter takes have in common, agreeing with `count`: `have 巡察`.
    private static func paragraphsThat(_ count: Int, _ filter: ParagraphFilter) -> String {
        switch filter {
        case .any: return ""
        case .untagged: return Format.agreeing(count, "is", "are") + " untagged"
        case .labelled(let label): return Format.agreeing(count, "has", "have") + " " + label
        case .unlabelled(let label): return Format.agreeing(count, "has", "have") + " no " + label
        }
    }

    /// The line under `paras`: how many paragraphs it listed of how many, or, unfiltered, how many
    /// have annotations and how many have none.
    static func paragraphsListed(
        _ shown: Int, of total: Int, in document: String, filter: ParagraphFilter, untagged: Int
    )
        -> String
    {
        if filter == .any {
            return "\(Format.count(total, "paragraph")) in \(document): \(Format.grouped(total - untagged)) annotated, "
                + "\(Format.grouped(untagged)) untagged"
        }
        return "\(Format.grouped(shown)) of \(Format.count(total, "paragraph")) in \(document) "
            + paragraphsThat(shown, filter)
    }

    /// `next para` at the last paragraph (`prev para` at the first), or with none the filter takes
    /// past the cursor (`from`: the cursor's paragraph, nil before the first).
    static func noFurtherParagraph(
        forward: Bool, from: Int?, paragraphs: Int, in document: String, filter: ParagraphFilter
    )
        -> String
    {
        if paragraphs == 0 { return "\(document) has no paragraphs" }
        guard filter == .any else {
            let place = from.map { (forward ? " after" : " before") + " ¶\($0)" } ?? ""
            return "no paragraph\(place) in \(document) " + paragraphsThat(1, filter)
        }
        return forward
            ? "¶\(from ?? paragraphs) is the last paragraph of \(document) (next opens the next document)"
            : "¶\(from ?? 1) is the first paragraph of \(document) (prev opens the previous document)"
    }

    /// The line under `spans LABEL TEXT|/RE/`: how many of the label's spans hold a match.
    static func spansMatching(_ matching: Int, of total: Int, label: String, _ pattern: Pattern) -> String {
        "\(Format.grouped(matching)) of \(Format.count(total, "span"))\(label.isEmpty ? "" : " of " + label) "
            + "\(Format.agreeing(matching, "holds", "hold")) \(pattern)"
    }

    /// The first line of `stats`.
    static func statsSummary(documents: Int, characters: Int, spans: Int, categories: Int) -> String {
        "\(Format.count(documents, "document")), \(Format.count(characters, "character")), "
            + "\(Format.count(spans, "span")), \(Format.count(categories, "category", plural: "categories"))"
    }

    /// A report written.
    static func reported(documents: Int, spans: Int, index: String) -> String {
        "wrote a report of \(Format.count(documents, "document")) and \(Format.count(spans, "span")): \(index)"
    }

    // MARK: Tagging

    /// A `tag … all` that matched nothing (`place`: the current document's id, nil for the corpus).
    static func noMatch(_ pattern: Pattern, in place: String?) -> String {
        "no match for \(pattern)\(place.map { " in \($0)" } ?? " in the corpus"); nothing tagged"
    }

    /// Matches or suggestions the overlap policy kept out (`what`: "N matches" skipped, "N suggestions" left waiting).
    static func keptOutByOverlap(_ what: String, _ policy: OverlapPolicy) -> String {
        "\(what): the overlap policy (\(policy.rawValue)) does not allow them beside spans already there"
    }

    /// The one span asked for is there already.
    static func alreadyTagged(_ span: Annotation, label: String, document: String) -> String {
        "already tagged: \(span.id) \(label) \(document) \(span.range) \(span.text); nothing added"
    }

    /// Every span asked for is there already.
    static func allAlreadyTagged(_ count: Int, label: String) -> String {
        "all \(count) spans already tagged \(label); nothing added"
    }

    /// A bulk tag's spans (more than are listed one by one).
    static func tagged(_ spans: [Annotation], label: String, documents: Int) -> String {
        "tagged \(Format.count(spans.count, "span")) \(label) in \(Format.count(documents, "document")) "
            + "(a\(spans[0].number)–a\(spans[spans.count - 1].number))"
    }

    /// Spans of a tag that were there already.
    static func alreadyTaggedSkipped(_ count: Int, label: String) -> String {
        "\(count) already tagged \(label), skipped"
    }

    /// The spans `untag` removed (`id label text` each).
    static func removed(_ spans: [String]) -> String { "removed " + spans.joined(separator: ", ") }

    /// A target that already has the label (`target`: a span id or a unit).
    static func alreadyLabelled(_ target: String, _ label: String) -> String { "\(target) is already \(label)" }

    /// A span relabelled.
    static func relabelled(_ id: String, from old: String, to new: String) -> String { "\(id) \(old) → \(new)" }

    /// `note` with the note the span has.
    static func sameNote(_ id: String) -> String { "\(id) already has that note" }

    /// A span's note set (or removed, when empty).
    static func noted(_ id: String, _ text: String) -> String {
        text.isEmpty ? "\(id): note removed" : "\(id): note \(text)"
    }

    /// A category label added to, or removed from, a unit.
    static func classified(_ unit: String, _ label: String, removed: Bool) -> String {
        "\(unit): \(label)" + (removed ? " removed" : "")
    }

    // MARK: Tag set

    /// A label added with `label add`.
    static func labelAdded(_ label: Label) -> String {
        "added \(label.kind.rawValue) label \(label.name)"
            + (label.aliases.isEmpty ? "" : " (alias \(label.aliases.joined(separator: ", ")))")
    }

    /// A tag-set file with nothing new.
    static func tagSetUnchanged(_ path: String, labels: Int) -> String {
        "\(path): the tag set already has all \(labels) labels"
    }

    /// What merging a tag-set file changed.
    static func tagSetMerged(_ path: String, added: [String], updated: Int, removed: [String], overlap: OverlapPolicy?)
        -> String
    {
        var parts = [
            "\(Format.count(added.count, "label")) added" + (added.isEmpty ? "" : " (\(added.joined(separator: " ")))")
        ]
        if updated > 0 { parts.append("\(updated) updated") }
        if !removed.isEmpty { parts.append("\(removed.count) unused removed (\(removed.joined(separator: " ")))") }
        if let overlap { parts.append("overlap \(overlap.rawValue)") }
        return "\(path): " + parts.joined(separator: ", ")
    }

    // MARK: Suggestions

    /// `suggest` with no patterns to go on (`labels`: those named, none for the whole tag set).
    static func noPatterns(_ labels: [String]) -> String {
        labels.isEmpty
            ? "no label of the tag set has patterns (schema PATH loads a tag set with them)"
            : "\(labels.joined(separator: ", ")) \(Format.agreeing(labels.count, "has", "have")) no patterns"
    }

    /// Candidates `suggest` left out, as a tail for its message (empty when none).
    static func suggestionsSkipped(tagged: Int, rejectedBefore: Int) -> String {
        (tagged > 0 ? ", \(Format.grouped(tagged)) already tagged" : "")
            + (rejectedBefore > 0 ? ", \(Format.grouped(rejectedBefore)) rejected before" : "")
    }

    /// `suggest` found nothing new.
    static func noNewSuggestions(_ skipped: String) -> String { "no new suggestions" + skipped }

    /// What `suggest` queued (`detail`: the count of each label).
    static func queued(_ suggestions: [Suggestion], detail: String, skipped: String) -> String {
        "queued \(Format.count(suggestions.count, "suggestion")) (\(suggestions[0].id)–\(suggestions[suggestions.count - 1].id)): "
            + "\(detail)\(skipped); suggestions lists them, review walks them"
    }

    /// An empty queue, or none of the label asked for.
    static func noSuggestionsWaiting(for label: String?) -> String {
        label.map { "no suggestions waiting for \($0)" } ?? "no suggestions waiting (suggest fills the queue)"
    }

    /// The tail of a suggestion list longer than is shown.
    static func moreSuggestions(_ more: Int, waiting: Int) -> String {
        "… \(Format.grouped(more)) more (\(Format.grouped(waiting)) waiting)"
    }

    /// `accept` or `reject` (`verb`) with nothing chosen.
    static func noSuggestionsTo(_ verb: String) -> String { "no suggestions to \(verb)" }

    /// An accept too large to list the spans one by one.
    static func accepted(_ spans: [Annotation]) -> String {
        "accepted \(Format.count(spans.count, "suggestion")) as spans (a\(spans[0].number)–a\(spans[spans.count - 1].number))"
    }

    /// Accepted suggestions whose spans were there already.
    static func acceptedAlreadyTagged(_ count: Int) -> String { "\(count) already tagged; taken off the queue" }

    /// What `reject` rejected (one is named).
    static func rejected(_ suggestions: [Suggestion], labelOfFirst: String) -> String {
        suggestions.count == 1
            ? "rejected \(suggestions[0].id) \(labelOfFirst) \(suggestions[0].text)"
            : "rejected \(Format.count(suggestions.count, "suggestion"))"
    }

    // MARK: Review

    /// `review` with nothing to review (`label`: the one asked for, if any).
    static func nothingToReview(for label: String?) -> String {
        "no suggestions waiting" + (label.map { " for \($0)" } ?? "") + " (suggest fills the queue)"
    }

    /// The line `review` leaves with.
    static func reviewSummary(accepted: Int, rejected: Int, skipped: Int, waiting: Int) -> String {
        "review: \(accepted) accepted, \(rejected) rejected, \(skipped) skipped; \(Format.grouped(waiting)) waiting"
    }

    /// A decision of `review` made (`label`: the label it was accepted under, when one was chosen).
    static func reviewDecided(_ id: String, accepted: Bool, as label: String?) -> String {
        (accepted ? "accepted " : "rejected ") + id + (label.map { " as \($0)" } ?? "")
    }

    /// A suggestion `review` left in the queue.
    static func reviewSkipped(_ id: String) -> String { "skipped \(id)" }

    /// A decision of `review` undone: its suggestion is back.
    static func reviewUndid(_ id: String) -> String { "undid the decision on \(id)" }

    /// `u` before any decision of this review.
    static let nothingToUndoInReview = "nothing decided in this review to undo"

    /// A decision of `review` that failed, said on its screen (one line: the hint in brackets).
    static func reviewDecisionFailed(_ error: TagbenchError) -> String {
        error.message + (error.hint.map { " (\($0))" } ?? "")
    }

    // MARK: Undo

    /// One step undone or redone.
    static func moved(_ summary: String, undone: Bool) -> String { (undone ? "undid: " : "redid: ") + summary }

    // MARK: Files

    /// A `save` in a run, done when the run succeeds.
    static func willSave(_ path: String) -> String { "will save \(path) when the run succeeds" }

    /// A save done.
    static func saved(_ path: String, documents: Int, annotations: Int, categories: Int) -> String {
        "saved \(path): \(Format.count(documents, "document")), "
            + "\(Format.count(annotations, "annotation")), \(Format.count(categories, "category", plural: "categories"))"
    }

    /// An export's summary and the manifest it wrote (as the user typed its path).
    static func withManifest(_ summary: String, _ manifest: String) -> String { summary + "; manifest \(manifest)" }

    /// What an export wrote (`records` and `spans` nil where the format does not count them).
    static func exported(documents: Int, records: Int?, spans: Int?, to path: String, files: Int) -> String {
        "exported \(Format.count(documents, "document"))" + (records.map { ", \(Format.count($0, "record"))" } ?? "")
            + (spans.map { ", \(Format.count($0, "span"))" } ?? "") + " to \(path)"
            + (files > 1 ? " (\(Format.count(files, "file")))" : "")
    }
}
