import ArgumentParser
import TagbenchCore

/// `tagbench merge OUT.json SESSION... [--strategy S]`: annotators' sessions merged into OUT.json.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge annotators' sessions into OUT.json: agreed spans accepted, the rest conflicts to resolve.",
        discussion:
            "Documents are matched by the SHA-256 of their text. Merging into an existing OUT.json keeps every decision and accepted span there. The inputs are read, never written (one open in a REPL included)."
    )

    @Argument(help: "The merged session (created if it does not exist).")
    var output: String

    @Argument(help: "The annotators' session files.")
    var sessions: [String]

    @Option(help: "unanimous (default), majority or min=K: how many annotators must agree on a span.")
    var strategy: String = "unanimous"

    func validate() throws {
        if sessions.isEmpty { throw ValidationError("name at least one session to merge") }
        if MergeStrategy(name: strategy) == nil {
            throw ValidationError("--strategy is unanimous, majority or min=K (K ≥ 1), not \(strategy)")
        }
    }

    func run() throws {
        let environment = CLIEnvironment.current()
        let console = Console.standard(environment: environment.variables)
        let renderer = OutputRenderer(console: console)
        let lock = try lockSession(output, environment: environment, console: console)
        let engine = try openSession(output, locked: lock, environment: environment, console: console)
        engine.lock = lock
        defer { engine.lock?.release() }
        // A journal a REPL left (its commands replayed by the open) is taken over, so the save
        // spends it; a merge into a session without one makes none (a refused merge into a new
        // file leaves nothing).
        let real = FileSystem.resolvingLinks(environment.absolute(output))
        if FileSystem.kind(of: Journal.path(for: real)) == .file { try startJournal(engine, console: console) }
        let command = Command.merge(
            sessions.map { environment.absolute($0) }, strategy: MergeStrategy(name: strategy)!)
        do {
            try engine.execute(
                command, context: ExecutionContext(baseDirectory: environment.currentDirectory, file: "", line: 0),
                emit: renderer.render)
            try engine.writeSession(displayPath: output)
        } catch let error as LocatedError {
            throw failure(error.error, console: console)
        } catch let error as TagbenchError {
            throw failure(error, console: console)
        }
        renderer.render(
            .message(
                "saved \(output): \(Format.count(engine.session.documents.count, "document")), \(Format.count(engine.session.annotationCount, "annotation"))"
            ))
        console.flush()
    }
}
