import ArgumentParser
import TagbenchCore

/// `tagbench merge-driver BASE OURS THEIRS [PATH]`: git's merge driver for session files
/// (`git config merge.tagbench.driver "tagbench merge-driver %O %A %B %P"`).
struct MergeDriverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-driver",
        abstract: "Three-way merge of a session file for git: the result is written to OURS.",
        discussion:
            "Exit 0 when OURS holds the merged session; on any error OURS is left as it was and the exit status is 1, so git reports a conflict."
    )

    @Argument(help: "The common ancestor (%O).") var base: String
    @Argument(help: "Our version (%A), replaced by the merge.") var ours: String
    @Argument(help: "Their version (%B).") var theirs: String
    @Argument(help: "The session's path in the repository (%P): documents are found relative to it.")
    var path: String?

    func run() throws {
        let environment = CLIEnvironment.current()
        let console = Console.standard(environment: environment.variables)
        let result: Result<String, TagbenchError> = Result { () throws(TagbenchError) -> String in
            try merge(environment: environment, console: console)
        }
        switch result {
        case .success(let summary):
            console.out(summary)
            console.flush()
        case .failure(let error):
            throw failure(error, console: console)
        }
    }

    /// Merges and writes OURS; the summary line.
    func merge(environment: CLIEnvironment, console: Console) throws(TagbenchError) -> String {
        // Documents are relative to where the session lives, not to git's temporary files.
        let located = environment.absolute(path ?? ours)
        let directory = Paths.directory(of: located)
        var sessions: [Session] = []
        for (file, name) in [(base, "BASE"), (ours, "OURS"), (theirs, "THEIRS")] {
            let bytes = try FileSystem.read(environment.absolute(file), regularOnly: true)
            // Both branches made the file (git's add/add): no common ancestor, an empty BASE.
            if name == "BASE" && bytes.isEmpty {
                sessions.append(Session())
                continue
            }
            let shown = "\(file) (\(name) of \(path ?? ours))"
            sessions.append(try SessionCodec.decode(bytes, path: located, displayPath: shown).0)
        }
        let engine = environment.configured(Engine(annotator: environment.annotator), console: console)
        engine.adopt(sessions[1])
        let report = try engine.mergeThreeWay(base: sessions[0], theirs: sessions[2], directory: directory)
        let bytes = SessionCodec.encode(engine.session, directory: directory)
        // Checked as any open would check it before OURS is replaced.
        _ = try SessionCodec.decode(bytes, path: located, displayPath: path ?? ours)
        try FileSystem.writeAtomically(bytes, to: environment.absolute(ours))
        return
            "tagbench merge-driver \(path ?? ours): \(Format.count(report.commands.count, "change")) of theirs applied"
            + (report.conflicts.isEmpty
                ? ""
                : "; \(Format.count(report.conflicts.count, "conflict")) to resolve (\(report.conflicts.joined(separator: " ")))")
            + (report.unread.isEmpty
                ? ""
                : "; \(Format.count(report.unread.count, "document")) not written yet (\(report.unread.joined(separator: " "))): "
                    + "kept with their spans, read when the session next opens")
    }
}
