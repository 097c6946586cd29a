#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// What the command line takes from the process environment, read in one place.
public struct CLIEnvironment {
    /// The environment variables.
    public let variables: [String: String]
    /// The working directory.
    public let currentDirectory: String

    /// The process's environment.
    public static func current() -> CLIEnvironment {
        var variables: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                variables[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return CLIEnvironment(variables: variables, currentDirectory: FileSystem.currentDirectory())
    }

    /// Who annotates: `TAGBENCH_ANNOTATOR`, else `USER`; times fixed by `SOURCE_DATE_EPOCH`.
    public var annotator: Annotator {
        Annotator(
            name: variables["TAGBENCH_ANNOTATOR"] ?? variables["USER"] ?? "unknown",
            fixedTime: Timestamp.sourceDateEpoch(variables))
    }

    /// `engine` with the settings the environment gives: `TAGBENCH_REGEX_SECONDS`, how long a
    /// regular-expression search may run where Ctrl-C cannot stop it (scripts, piped input).
    /// A value that is not a number of seconds above 0 is said, and the default kept. Searches
    /// run in a worker process, which a stop ends at once.
    func configured(_ engine: Engine, console: Console) -> Engine {
        if let runner = RegexWorkerRunner.forThisProcess() { engine.regexRunner = runner }
        if let text = variables["TAGBENCH_REGEX_SECONDS"] {
            if let seconds = Double(text), seconds > 0, seconds.isFinite {
                engine.regexTimeLimit = seconds
            } else {
                OutputRenderer(console: console).render(
                    .warning(
                        "TAGBENCH_REGEX_SECONDS=\"\(text)\" is not a number of seconds above 0; "
                            + "regex searches stop after \(Format.grouped(Int(engine.regexTimeLimit))) s"))
            }
        }
        return engine
    }

    /// The REPL history file: `TAGBENCH_HISTORY`, else `~/.tagbench_history`.
    public var historyPath: String? {
        if let path = variables["TAGBENCH_HISTORY"] { return path.isEmpty ? nil : path }
        return variables["HOME"].map { $0 + "/.tagbench_history" }
    }

    /// A user-given path made absolute.
    public func absolute(_ path: String) -> String { Paths.absolute(path, base: currentDirectory) }
}
