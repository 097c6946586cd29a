import ArgumentParser
import TagbenchCore

/// `tagbench agree SESSION SESSION... [--labels L1,L2] [--docs D1,D2] [--json PATH|-] [--diff]`:
/// the REPL's `agree`, run on the first session against the others; none is locked or changed.
struct AgreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Inter-annotator agreement between sessions, one annotator each (read only).",
        discussion:
            "Documents are matched by the SHA-256 of their text. Spans: F1 exact and by overlap, with tp/fp/fn; characters: Cohen's κ per pair, Krippendorff's α and Fleiss' κ; category labels: κ and α per label."
    )

    @Argument(help: "The sessions (two or more; one is enough with --against).")
    var sessions: [String]

    @Option(help: "Only these labels (comma-separated names).")
    var labels: String?

    @Option(help: "Only these documents (comma-separated ids or globs).")
    var docs: String?

    @Option(help: "Also write the figures as JSON to PATH (`-`: to stdout, instead of the table).")
    var json: String?

    @Option(help: "A curated session (a merge, adjudicated): measure each session given against it.")
    var against: String?

    @Flag(help: "List every disagreement.")
    var diff = false

    @Flag(help: "Print how long opening the first session and comparing took, to stderr.")
    var timings = false

    func validate() throws {
        if sessions.count < (against == nil ? 2 : 1) {
            throw ValidationError(against == nil ? "name at least two sessions" : "name a session to measure")
        }
        for (option, value) in [("--labels", labels), ("--docs", docs)] {
            guard let value else { continue }
            do {
                _ = try AgreeRequest.list(value, of: option)
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    func run() throws {
        let request = AgreeRequest(
            sessions: Array(sessions.dropFirst()),
            options: AgreementOptions(
                labels: try labels.map { try AgreeRequest.list($0, of: "--labels") } ?? [],
                documents: try docs.map { try AgreeRequest.list($0, of: "--docs") } ?? [], listsDisagreements: diff),
            json: json, against: against)
        try runOne(.agree(request), session: sessions[0], timings: timings)
    }
}
