#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// Progress of corpus-wide commands on the terminal's stderr, redrawn at most ten times a second
/// and cleared when done; Ctrl-C (caught by the line reader) asks the command to stop. The line
/// is cut to the terminal's width (a wrapped line cannot be redrawn in place), and a terminal
/// without control sequences (`TERM=dumb`) has it overwritten with spaces instead of erased.
public final class TerminalProgress: ProgressMonitor {
    private var lastDraw: UInt64 = 0
    private var drawn = 0
    private let interrupted: () -> Bool
    private let plain: Bool

    /// A monitor that asks `interrupted` whether to stop; `environment` tells a dumb terminal.
    public init(environment: [String: String], interrupted: @escaping () -> Bool) {
        self.interrupted = interrupted
        self.plain = environment["TERM"] == "dumb"
    }

    /// Whether the user pressed Ctrl-C.
    public var shouldStop: Bool { interrupted() }

    /// Redraws `task done/total` when a tenth of a second has passed.
    public func progress(_ task: String, done: Int, of total: Int) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let ms = UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
        if drawn > 0 && ms - lastDraw < 100 { return }
        if drawn == 0 && lastDraw == 0 {
            lastDraw = ms
            return
        }
        lastDraw = ms
        var size = winsize()
        let width = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        let (frame, length) = Self.frame(task, done: done, of: total, width: width, plain: plain, drawn: drawn)
        drawn = length
        write(frame)
    }

    /// Clears the progress line.
    public func finished() {
        if drawn > 0 { write(Self.clearing(plain: plain, drawn: drawn)) }
        drawn = 0
        lastDraw = 0
    }

    /// What redraws the line over one `drawn` columns long, and the new line's length: the text
    /// cut to `width - 1` columns (the last column would wrap on some terminals).
    static func frame(
        _ task: String, done: Int, of total: Int, width: Int, plain: Bool, drawn: Int
    ) -> (text: String, length: Int) {
        var line = "\(task): \(Format.grouped(done))/\(Format.grouped(total)) documents (Ctrl-C stops)"
        line = Format.truncated(line, toWidth: max(1, width - 1))
        let length = Format.displayWidth(line)
        guard plain else { return ("\r\u{1B}[K" + line, length) }
        return ("\r" + line + String(repeating: " ", count: max(0, drawn - length)), length)
    }

    /// What erases a line `drawn` columns long and leaves the cursor at its start.
    static func clearing(plain: Bool, drawn: Int) -> String {
        plain ? "\r" + String(repeating: " ", count: drawn) + "\r" : "\r\u{1B}[K"
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
