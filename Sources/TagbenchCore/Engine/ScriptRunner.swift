/// Runs lines of the command language against an engine: scripts, piped stdin, and `run`.
public struct ScriptRunner {
    /// How a run of lines ended.
    public enum Outcome: Equatable, Sendable {
        /// Every line ran.
        case finished
        /// A `quit` line stopped it.
        case quit
    }

    /// The engine the lines apply to.
    public let engine: Engine
    /// Keep going after an error (report it and continue with the next line).
    public var keepGoing = false
    /// Told each command line run and how long it took, in seconds (for `--timings`).
    public var timing: ((String, Double) -> Void)?

    /// Makes a runner.
    public init(engine: Engine, keepGoing: Bool = false) {
        self.engine = engine
        self.keepGoing = keepGoing
    }

    /// Runs one line. `run SCRIPT` lines run the script here. Errors carry `context`'s file and line.
    public func runLine(
        _ line: String, context: ExecutionContext, emit: (OutputItem) -> Void,
        report: (LocatedError) -> Void
    ) throws(LocatedError) -> Outcome {
        let command: Command?
        do {
            command = try CommandParser.parse(line)
        } catch {
            throw LocatedError(file: context.file, line: context.line, column: error.column, error: error.error)
        }
        guard let command else { return .finished }
        switch command {
        case .quit:
            return .quit
        case .run(let path):
            return try runScript(path, context: context, emit: emit, report: report)
        default:
            let clock = ContinuousClock()
            let start = clock.now
            try engine.execute(command, context: context, emit: emit)
            if let timing {
                let elapsed = clock.now - start
                timing(
                    CommandRenderer.render(command),
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            return .finished
        }
    }

    /// Runs a script file; its relative paths resolve against its own folder.
    public func runScript(
        _ path: String, context: ExecutionContext, emit: (OutputItem) -> Void,
        report: (LocatedError) -> Void
    ) throws(LocatedError) -> Outcome {
        let absolute = Paths.absolute(path, base: context.baseDirectory)
        let located = { (error: TagbenchError) in LocatedError(file: context.file, line: context.line, error: error) }
        if context.scriptStack.contains(absolute) { throw located(.scriptRecursion(path)) }
        let bytes: [UInt8]
        do {
            bytes = try DocumentReader.read(absolute, displayPath: path)
        } catch {
            throw located(error)
        }
        var inner = ExecutionContext(baseDirectory: Paths.directory(of: absolute), file: path, line: 0)
        inner.scriptStack = context.scriptStack + [absolute]
        return try runLines(String(decoding: bytes, as: UTF8.self), context: inner, emit: emit, report: report)
    }

    /// Runs every line of `text`, numbering lines from `context.line + 1`.
    public func runLines(
        _ text: String, context: ExecutionContext, emit: (OutputItem) -> Void,
        report: (LocatedError) -> Void
    ) throws(LocatedError) -> Outcome {
        var context = context
        // Split on the scalar: as Characters, "\r\n" is one grapheme and would not split on "\n".
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(String.UnicodeScalarView(line))
            if l.unicodeScalars.last == "\r" { l.unicodeScalars.removeLast() }
            return l
        }
        var searchedAhead = -1
        for (i, l) in lines.enumerated() {
            context.line += 1
            if i > searchedAhead, let run = literalBulkTags(startingAt: i, in: lines) {
                // Several `tag … all TEXT --corpus` in a row: one pass over the corpus finds them all.
                let clock = ContinuousClock()
                let start = clock.now
                engine.prefetchCorpusMatches(of: run.texts)
                if let timing {
                    let elapsed = clock.now - start
                    timing(
                        "tag (search ahead for \(run.texts.count) bulk tags)",
                        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                }
                searchedAhead = run.last
            }
            do {
                if try runLine(l, context: context, emit: emit, report: report) == .quit { return .quit }
            } catch {
                guard keepGoing else { throw error }
                report(error)
            }
        }
        return .finished
    }

    /// The literal texts of the `tag LABEL all TEXT --corpus` lines from `start` on (blank lines
    /// and comments between them allowed), when there are at least two, and the last line's index.
    private func literalBulkTags(startingAt start: Int, in lines: [String]) -> (texts: [String], last: Int)? {
        var texts: [String] = []
        var last = start
        for i in start..<lines.count {
            let trimmed = lines[i].drop { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let command = try? CommandParser.parse(lines[i]), case .tagAll(_, .literal(let text), true) = command
            else { break }
            texts.append(text)
            last = i
        }
        return texts.count >= 2 ? (texts, last) : nil
    }
}
