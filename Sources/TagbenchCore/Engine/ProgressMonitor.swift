/// Told how far a corpus-wide command has got, and asked whether to stop (Ctrl-C). The CLI
/// shows progress on a terminal; a command that stops changes nothing.
public protocol ProgressMonitor: AnyObject {
    /// `done` of `total` documents of `task` are through.
    func progress(_ task: String, done: Int, of total: Int)
    /// Whether the user asked to stop.
    var shouldStop: Bool { get }
    /// The task is over (finished or stopped).
    func finished()
}
