#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// Progress of corpus-wide commands on the terminal's stderr, redrawn at most ten times a second
/// and cleared when done; Ctrl-C (caught by the line reader) asks the command to stop.
public final class TerminalProgress: ProgressMonitor {
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private let interrupted: () -> Bool

    /// A monitor that asks `interrupted` whether to stop.
    public init(interrupted: @escaping () -> Bool) {
        self.interrupted = interrupted
    }

    /// Whether the user pressed Ctrl-C.
    public var shouldStop: Bool { interrupted() }

    /// Redraws `task done/total` when a tenth of a second has passed.
    public func progress(_ task: String, done: Int, of total: Int) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let ms = UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
        if drawn && ms - lastDraw < 100 { return }
        if !drawn && lastDraw == 0 {
            lastDraw = ms
            return
        }
        lastDraw = ms
        drawn = true
        write("\r\u{1B}[K\(task): \(Format.grouped(done))/\(Format.grouped(total)) documents (Ctrl-C stops)")
    }

    /// Clears the progress line.
    public func finished() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
        lastDraw = 0
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
