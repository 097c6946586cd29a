#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import TagbenchCore

/// `tagbench`: the root command; with no subcommand it opens the REPL on a session.
public struct TagbenchCommand: ParsableCommand {
    /// The command's help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "tagbench",
        abstract: "Annotate Chinese documents with topic labels: a REPL, scripts, JSON sessions and exact exports.",
        version: "tagbench \(TagbenchVersion.current)",
        subcommands: [
            ReplCommand.self, RunCommand.self, ExportCommand.self, StatsCommand.self, ReportCommand.self,
            AgreeCommand.self, MergeCommand.self, MergeDriverCommand.self,
            RegexWorkerCommand.self
        ],
        defaultSubcommand: ReplCommand.self
    )

    /// Makes the command (ArgumentParser fills it in).
    public init() {}
}

/// Shows an error that ends a top-level command (no script line to name) and gives exit status 1.
func failure(_ error: TagbenchError, console: Console) -> ExitCode {
    OutputRenderer(console: console).render(LocatedError(file: "", line: 0, error: error), showLocation: false)
    console.flush()
    return ExitCode.failure
}

/// Where a journal whose replay stopped was kept, whole.
func keptJournal(_ path: String) -> OutputItem {
    .warning("the journal is kept whole as \(Paths.fileName(of: path))")
}

/// Starts journaling the session's changes; says where a journal whose replay stopped is kept.
func startJournal(_ engine: Engine, console: Console) throws {
    do {
        if let kept = try engine.attachJournal() { OutputRenderer(console: console).render(keptJournal(kept)) }
    } catch {
        throw failure(error, console: console)
    }
}

/// Opens the session under `lock`: a session that does not open is left unlocked, as a clean exit
/// leaves it (its next opener has no lock to take over).
func openSession(_ path: String?, locked lock: SessionLock?, environment: CLIEnvironment, console: Console) throws
    -> Engine
{
    do {
        return try openSession(path, environment: environment, console: console)
    } catch {
        lock?.release()
        throw error
    }
}

/// Takes the one-writer lock of a session named on the command line (kept until the process
/// ends); a lock held by another process is exit 1 with its process id.
func lockSession(_ path: String?, environment: CLIEnvironment, console: Console) throws -> SessionLock? {
    guard let path else { return nil }
    do {
        let lock = try SessionLock(sessionPath: environment.absolute(path), displayPath: path)
        if let pid = lock.tookOverFrom {
            // A process id can be in use again (or be 1): only a process that is gone is said to be.
            let gone = kill(pid, 0) != 0 && errno == ESRCH
            OutputRenderer(console: console).render(
                .warning(
                    "took over the lock of \(path) left by process \(pid), "
                        + (gone ? "which is no longer running" : "which does not hold it")))
        }
        return lock
    } catch {
        throw failure(error, console: console)
    }
}

/// Opens a session read from the command line, printing its warnings; failures become exit 1.
/// `history` false: only to be read (its undo history is left unread and it is never saved).
func openSession(_ path: String?, environment: CLIEnvironment, console: Console, history: Bool = true) throws
    -> Engine
{
    guard let path else { return environment.configured(Engine(annotator: environment.annotator), console: console) }
    do {
        let (engine, warnings) = try Engine.open(
            path: environment.absolute(path), displayPath: path, annotator: environment.annotator, history: history)
        for warning in warnings { OutputRenderer(console: console).render(.warning(warning)) }
        return environment.configured(engine, console: console)
    } catch {
        throw failure(error, console: console)
    }
}

/// `tagbench [SESSION]`: the REPL, or commands from piped stdin.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the REPL on SESSION (created on first save); with piped stdin, run its commands.",
        discussion:
            "When stdin is not a terminal, commands are read from it with no prompt; the first error stops them (exit status 1) unless --keep-going."
    )

    @Argument(help: "The session file (JSON).")
    var session: String?

    @Flag(help: "With piped input: report errors and go on with the next line.")
    var keepGoing = false

    @Flag(help: "Open the session without taking its lock (another tagbench may have it open); it is never saved over.")
    var readOnly = false

    func run() throws {
        let environment = CLIEnvironment.current()
        let interactive = isatty(0) == 1
        if interactive { LibEditLineReader.ensureUTF8Locale() }
        let console = Console.standard(environment: environment.variables)
        let lock = readOnly ? nil : try lockSession(session, environment: environment, console: console)
        let engine = try openSession(session, locked: lock, environment: environment, console: console)
        // The engine holds the lock from here (a save to another path moves it).
        engine.lock = lock
        defer { engine.lock?.release() }
        engine.isReadOnly = readOnly
        if session != nil && !readOnly { try startJournal(engine, console: console) }
        let reader: LineReader
        if interactive {
            let completer = Completer(engine: engine, baseDirectory: environment.currentDirectory)
            reader = LibEditLineReader(historyPath: environment.historyPath, completer: { completer.complete($0) })
            console.out(
                "tagbench \(TagbenchVersion.current): \(Format.count(engine.session.documents.count, "document")), \(Format.count(engine.session.annotationCount, "annotation")). help lists the commands."
            )
            console.flush()
        } else {
            reader = StandardInputReader()
        }
        if interactive && isatty(2) == 1 {
            engine.monitor = TerminalProgress(
                environment: environment.variables, interrupted: { LibEditLineReader.interruptRequested })
        }
        // Output longer than the screen is paged, at a terminal only (never for pipes and scripts).
        if interactive && console.isTerminal { console.pager = Pager(environment: environment.variables) }
        // `review` reads single keys: only where there is a terminal to read them from.
        if interactive {
            let driver = TerminalReviewDriver(console: console, keys: TerminalKeyReader())
            engine.reviewDriver = driver
            engine.adjudicationDriver = driver
        }
        let repl = Repl(
            engine: engine, reader: reader, console: console, baseDirectory: environment.currentDirectory,
            interactive: interactive, keepGoing: keepGoing)
        let status = repl.run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `tagbench run SCRIPT... [--session PATH]`: replay scripts as one transaction.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run annotation scripts; the session is written only if every command succeeded.",
        discussion: "Relative paths in a script resolve against the script's folder. `-` reads a script from stdin."
    )

    @Argument(help: "Script files (`-` for stdin).")
    var scripts: [String]

    @Option(help: "The session to apply the scripts to (created if it does not exist) and to write at the end.")
    var session: String?

    @Flag(help: "Print how long opening, each command and saving took, to stderr.")
    var timings = false

    func validate() throws {
        if scripts.isEmpty { throw ValidationError("name at least one script") }
    }

    func run() throws {
        let environment = CLIEnvironment.current()
        let console = Console.standard(environment: environment.variables)
        let renderer = OutputRenderer(console: console)
        let clock = ContinuousClock()
        var start = clock.now
        let lock = try lockSession(session, environment: environment, console: console)
        let engine = try openSession(session, locked: lock, environment: environment, console: console)
        engine.lock = lock
        defer { engine.lock?.release() }
        if lock != nil { engine.removeLeftovers() }
        ProcessEnd.keep(engine)
        if timings { console.err(Timing.line("open", since: start, clock)) }
        engine.defersSaves = true
        var runner = ScriptRunner(engine: engine)
        if timings { runner.timing = { console.err(Timing.line($0, seconds: $1)) } }
        let context = ExecutionContext(baseDirectory: environment.currentDirectory, file: "", line: 0)
        do {
            for script in scripts {
                let outcome: ScriptRunner.Outcome
                if script == "-" {
                    var text = ""
                    while let line = readLine(strippingNewline: false) { text += line }
                    var stdinContext = context
                    stdinContext.file = "<stdin>"
                    outcome = try runner.runLines(
                        text, context: stdinContext, emit: renderer.render, report: { renderer.render($0) })
                } else {
                    outcome = try runner.runScript(
                        script, context: context, emit: renderer.render, report: { renderer.render($0) })
                }
                if outcome == .quit { break }
            }
            if let target = engine.pendingSave ?? (engine.isDirty ? engine.sessionPath : nil) {
                let shown =
                    target == engine.sessionPath && session != nil
                    ? session! : Paths.relative(target, to: environment.currentDirectory)
                start = clock.now
                try engine.writeSession(to: target, displayPath: shown)
                if timings { console.err(Timing.line("save", since: start, clock)) }
                if let kept = engine.keptJournal { renderer.render(keptJournal(kept)) }
                renderer.render(
                    .message(
                        "saved \(shown): \(Format.count(engine.session.documents.count, "document")), \(Format.count(engine.session.annotationCount, "annotation"))"
                    ))
            }
        } catch let error as LocatedError {
            renderer.render(error)
            renderer.render(.warning("the run stopped; the session was not written"))
            console.flush()
            throw ExitCode.failure
        } catch let error as TagbenchError {
            throw failure(error, console: console)
        }
        console.flush()
    }
}

/// `tagbench export SESSION FORMAT OUT [options]`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a session's annotations as a training set, with a manifest.",
        discussion:
            "Options are those of the REPL's export command (tagbench export S spans out.jsonl --split train=8,dev=1,test=1 --seed 1); `help export` in the REPL lists them."
    )

    @Argument(help: "The session file.")
    var session: String
    @Argument(help: "The format: \(ExportFormat.names).")
    var format: String
    @Argument(help: "The output file (a directory for brat).")
    var output: String
    @Argument(
        parsing: .allUnrecognized,
        help:
            "Export options: --unit, --labels, --docs, --split, --seed, --shard-size, --from-spans, --negatives, --jsonl, --overlap."
    )
    var options: [String] = []

    @Flag(help: "Print how long opening the session and exporting took, to stderr.")
    var timings = false

    func run() throws {
        let parsed = try parsing { () throws(TagbenchError) in
            try ExportOptions.parse(format: format, path: output, options: options)
        }
        try runOne(.export(parsed), session: session, timings: timings)
    }
}

/// `tagbench stats SESSION`.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Charts of a session: spans by label and by document, span lengths, progress.")

    @Argument(help: "The session file.")
    var session: String

    @Flag(help: "Chart every document, not only the most annotated.")
    var all = false

    @Option(help: "How many of the most annotated documents to chart.")
    var top = StatsOptions.defaultTop

    @Flag(help: "The figures as JSON (every document included).")
    var json = false

    func validate() throws {
        if top < 1 { throw ValidationError("--top takes a number of documents from 1") }
    }

    func run() throws {
        try runOne(.stats(StatsOptions(all: all, top: top, json: json)), session: session)
    }
}

/// `tagbench report SESSION [SESSION...] OUT [--docs …] [--labels …]`: with several sessions (one
/// an annotator), the first one's report, whose index also shows their agreement (the REPL's
/// `report OUT --with SESSION...` on the first).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report of a session: OUT/index.html and a page a document, with the spans marked.",
        usage: "tagbench report <session> [<session> ...] <output> [--docs D1,D2] [--labels L1,L2] [--timings]",
        discussion:
            "Self-contained pages (no network). OUT is a new or empty folder, or an earlier report, replaced whole. With several sessions (one an annotator), the pages are the first session's and the index also shows the agreement `agree` computes as a heatmap: span F1 (exact) of every pair, with F1 by overlap and character κ, Krippendorff's α and Fleiss' κ."
    )

    @Argument(help: "The session file.")
    var session: String
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "The output folder, after any more sessions (other annotators); then --docs D1,D2 and --labels L1,L2.",
            valueName: "output"))
    var words: [String] = []

    @Flag(help: "Print how long opening the session and writing the report took, to stderr.")
    var timings = false

    func validate() throws {
        if !words.contains(where: { !$0.hasPrefix("--") }) {
            throw ValidationError("Missing expected argument '<output>'")
        }
    }

    func run() throws {
        // The paths come before the options: the last of them is OUT, the others more sessions.
        let paths = Array(words.prefix { !$0.hasPrefix("--") })
        let options = Array(words.dropFirst(paths.count))
        var parsed = try parsing { () throws(TagbenchError) in
            try ReportOptions.parse(path: paths.last!, options: options)
        }
        parsed.sessions = Array(paths.dropLast()) + parsed.sessions
        try runOne(.report(parsed), session: session, timings: timings, progress: true)
    }
}

/// The options `parse` makes of a subcommand's words; an error in them is shown and is exit 1.
private func parsing<T>(_ parse: () throws(TagbenchError) -> T) throws -> T {
    do {
        return try parse()
    } catch {
        throw failure(error, console: Console.standard(environment: CLIEnvironment.current().variables))
    }
}

/// Runs one command on a session that must exist (opened without its lock: read only).
/// With `progress`, a terminal on stderr shows how far it has got (Ctrl-C's SIGINT stops it: the
/// command defers the signal to a document's end).
func runOne(_ command: Command, session: String, timings: Bool = false, progress: Bool = false) throws {
    let environment = CLIEnvironment.current()
    let console = Console.standard(environment: environment.variables)
    let renderer = OutputRenderer(console: console)
    // Anything there but a file (a folder, a FIFO) is refused by the open, saying what it is.
    guard FileSystem.kind(of: environment.absolute(session)) != .missing else {
        throw failure(.fileNotFound(session), console: console)
    }
    let clock = ContinuousClock()
    var start = clock.now
    let engine = try openSession(session, environment: environment, console: console, history: false)
    ProcessEnd.keep(engine)
    if progress && isatty(2) == 1 {
        engine.monitor = TerminalProgress(environment: environment.variables, interrupted: { false })
    }
    if timings { console.err(Timing.line("open", since: start, clock)) }
    do {
        start = clock.now
        try engine.execute(
            command, context: ExecutionContext(baseDirectory: environment.currentDirectory, file: "", line: 0),
            emit: renderer.render)
        if timings { console.err(Timing.line(CommandRenderer.render(command), since: start, clock)) }
    } catch {
        throw failure(error.error, console: console)
    }
    console.flush()
}

/// `timing: STEP SECONDS` lines for `--timings` (the benchmark reads them).
enum Timing {
    static func line(_ step: String, seconds: Double) -> String {
        // Four decimals, as printf's %.4f (without Foundation: loading it took longer than many commands).
        let tenThousandths = Int((max(seconds, 0) * 10_000).rounded())
        let fraction = String(tenThousandths % 10_000)
        return
            "timing: \(step) \(tenThousandths / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    static func line(_ step: String, since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> String {
        let d = clock.now - start
        return line(step, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
