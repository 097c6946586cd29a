/// Where a command runs: the folder relative paths resolve against, and its place in a script.
public struct ExecutionContext: Sendable {
    /// Relative paths in the command resolve against this absolute folder.
    public var baseDirectory: String
    /// The script's name as the user gave it, or `<stdin>` / `<repl>`.
    public var file: String
    /// The line in that file.
    public var line: Int
    /// Absolute paths of the scripts being run, outermost first (to refuse recursion).
    public var scriptStack: [String] = []

    /// Makes a context.
    public init(baseDirectory: String, file: String, line: Int) {
        self.baseDirectory = baseDirectory
        self.file = file
        self.line = line
    }
}
