/// What reading a line gave.
public enum LineInput: Equatable, Sendable {
    /// A line, without its line end.
    case line(String)
    /// Ctrl-C: the line being typed was cancelled.
    case interrupted
    /// Ctrl-D or the end of input.
    case endOfInput
}

/// Reads command lines: libedit on a terminal, plain reads otherwise, a list in tests.
public protocol LineReader: AnyObject {
    /// Reads one line after showing `prompt` (if the reader shows prompts).
    func readLine(prompt: String) -> LineInput
    /// Remembers a line in the history (readers without history ignore it).
    func addHistory(_ line: String)
}

/// Reads lines from standard input when it is not a terminal: no prompt, no history.
public final class StandardInputReader: LineReader {
    /// Makes the reader.
    public init() {}

    /// The next line of stdin (UTF-8 whatever the locale), or the end of input.
    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }

    /// Piped input is never written to the history.
    public func addHistory(_ line: String) {}
}

/// Gives a fixed list of inputs, for tests.
public final class ScriptedLineReader: LineReader {
    private var inputs: [LineInput]
    /// The prompts shown, in order.
    public private(set) var prompts: [String] = []
    /// The lines added to the history.
    public private(set) var history: [String] = []

    /// Makes a reader that returns `inputs`, then end of input.
    public init(_ inputs: [LineInput]) { self.inputs = inputs }

    /// The next input.
    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }

    /// Records the line.
    public func addHistory(_ line: String) { history.append(line) }
}
