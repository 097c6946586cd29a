/// Runs regular-expression searches over documents where a search that never ends can be
/// stopped. Swift's `Regex` backtracks and cannot be stopped once a match has started: a pattern
/// such as `(a|aa)*b` takes time exponential in a line's length. So a runner watches the search:
/// Ctrl-C (the monitor) stops it at once, and where nothing can interrupt it (a script, piped
/// input: no monitor) it stops after `limit` seconds; either way the command fails having changed
/// nothing.
public protocol RegexRunner: Sendable {
    /// The matches of every expression in `sources` in every document of `documents`: indexed
    /// `[document][source]`, each list as `TextSearch.matches(in:)` gives it. `task` names the
    /// command in errors and progress.
    func matches(
        of sources: [String], in documents: [Document], task: String, monitor: ProgressMonitor?,
        limit: Double
    ) throws(TagbenchError) -> [[[TextRange]]]
}

/// Compiles the expressions of a search (each already checked by `TextSearch.init` where the
/// command was parsed, so an error here means the text was damaged on its way).
func regexSearches(_ sources: [String]) throws(TagbenchError) -> [TextSearch] {
    var searches: [TextSearch] = []
    for source in sources { searches.append(try TextSearch(.regex(source))) }
    return searches
}
