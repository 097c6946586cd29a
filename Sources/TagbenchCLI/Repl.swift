import TagbenchCore

/// The command loop over a line reader: interactive on a terminal (prompt, history, errors shown
/// in place), or reading piped commands (no prompt, `<stdin>:LINE:` errors, stop at the first).
public final class Repl {
    private let engine: Engine
    private let reader: LineReader
    private let console: Console
    private let renderer: OutputRenderer
    private let baseDirectory: String
    private let interactive: Bool
    private let keepGoing: Bool

    /// Makes a loop; `interactive` selects the terminal behaviour. `review` runs where the
    /// engine has a review driver (set by the caller on a terminal).
    public init(
        engine: Engine, reader: LineReader, console: Console, baseDirectory: String, interactive: Bool,
        keepGoing: Bool = false
    ) {
        self.engine = engine
        self.reader = reader
        self.console = console
        self.renderer = OutputRenderer(console: console)
        self.baseDirectory = baseDirectory
        self.interactive = interactive
        self.keepGoing = keepGoing
    }

    /// The prompt: session name, current document, `*` when there are unsaved changes.
    public var prompt: String {
        let name = engine.sessionPath.map { Paths.stem(of: $0) } ?? "(new)"
        let document = engine.currentDocument.map { ":" + $0.id } ?? ""
        return "\(name)\(document)\(engine.hasChangesNoFileHolds ? "*" : "")> "
    }

    /// Runs until `quit` or the end of input; returns the exit status.
    public func run() -> Int32 {
        let runner = ScriptRunner(engine: engine, keepGoing: interactive || keepGoing)
        var lineNumber = 0
        var warnedUnsaved = false
        var failed = false
        while true {
            let input = reader.readLine(prompt: interactive ? prompt : "")
            lineNumber += 1
            let line: String
            switch input {
            case .interrupted:
                continue
            case .endOfInput:
                if interactive && engine.hasChangesNoFileHolds && !warnedUnsaved {
                    warnUnsaved()
                    warnedUnsaved = true
                    continue
                }
                if !interactive && engine.hasChangesNoFileHolds {
                    renderer.render(
                        .warning(
                            engine.journal != nil
                                ? "the input ended with unsaved changes: they are kept in the journal and recovered when the session is next opened (end the input with save to write them)"
                                : engine.isReadOnly
                                    ? "the input ended with changes the session does not hold: it was opened --read-only (save PATH writes them to a copy)"
                                    : "the input ended with unsaved changes; they were not saved (end it with save)"))
                }
                finish()
                return failed ? 1 : 0
            case .line(let text):
                line = text
            }
            if interactive && !line.allSatisfy({ $0 == " " || $0 == "\t" }) { reader.addHistory(line) }
            let context = ExecutionContext(baseDirectory: baseDirectory, file: "<stdin>", line: lineNumber)
            let wasDirty = engine.hasChangesNoFileHolds
            console.beginCommand()
            defer { console.endCommand() }
            do {
                let outcome = try runner.runLine(
                    line, context: context, emit: renderer.render, report: { self.report($0) })
                if outcome == .quit {
                    if interactive && engine.hasChangesNoFileHolds && !warnedUnsaved {
                        warnUnsaved()
                        warnedUnsaved = true
                        continue
                    }
                    finish()
                    return failed ? 1 : 0
                }
            } catch {
                report(error)
                if !interactive { failed = true }
                if !interactive && !keepGoing {
                    finish()
                    return 1
                }
            }
            if engine.hasChangesNoFileHolds && !wasDirty { warnedUnsaved = false }
            console.flush()
        }
    }

    /// Leaving: a clean session needs no journal; interactively, leaving after the unsaved-changes
    /// warning discards them; piped input keeps them in the journal, to be recovered.
    private func finish() {
        if !engine.isDirty || interactive { engine.discardJournal() }
        console.flush()
    }

    private func report(_ error: LocatedError) {
        // Interactively, the line in error is the one just typed; inside a script, name its place.
        renderer.render(error, showLocation: !interactive || error.file != "<stdin>")
    }

    private func warnUnsaved() {
        renderer.render(
            .warning(
                engine.isReadOnly
                    ? "changes the session does not hold (opened --read-only): save PATH writes them to a copy, or quit again (Ctrl-D) to discard them"
                    : "unsaved changes: save them with save, or quit again (Ctrl-D) to discard them"))
        console.flush()
    }
}
