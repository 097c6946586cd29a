#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// All terminal output goes through one console: results to stdout, diagnostics to stderr, colour
/// only on a terminal. Tests make one that captures both streams.
public final class Console {
    /// Where a console's bytes go.
    public enum Sink {
        /// A file descriptor (1 or 2).
        case descriptor(Int32)
        /// A buffer (tests).
        case buffer
    }

    private let outSink: Sink
    private let errSink: Sink
    /// What was written to stdout, for a buffered console.
    public private(set) var capturedOut = ""
    /// What was written to stderr, for a buffered console.
    public private(set) var capturedErr = ""
    private var pendingOut: [UInt8] = []
    /// Where a command's output longer than the screen goes (an interactive terminal only).
    var pager: Pager?
    /// Whether stdout is held until the command ends, to be paged if it is long.
    private var holding = false
    /// Whether to write ANSI colour.
    public let colour: Bool
    /// Whether stdout is an interactive terminal.
    public let isTerminal: Bool
    /// The width to wrap text at, in columns: the terminal's as it is now (asked at every use, so
    /// a resized window is followed), unless fixed (`COLUMNS`, a pipe, a test).
    public var width: Int {
        if let fixedWidth { return fixedWidth }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 80
    }
    private let fixedWidth: Int?

    /// A console over explicit sinks.
    /// `width` nil: the terminal's width whenever it is asked for.
    public init(out: Sink, err: Sink, isTerminal: Bool, colour: Bool, width: Int?) {
        self.outSink = out
        self.errSink = err
        self.isTerminal = isTerminal
        self.colour = colour
        self.fixedWidth = width
    }

    /// The process's stdout and stderr; colour only on a terminal without `NO_COLOR` or `TERM=dumb`.
    /// `TAGBENCH_AMBIGUOUS_WIDTH=2` makes every measure count East Asian Ambiguous characters
    /// (“ ” · — … │) as two columns, for terminals that draw them wide (`Format.ambiguousIsWide`).
    public static func standard(environment: [String: String]) -> Console {
        let tty = isatty(1) == 1
        let colour = tty && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        var width: Int? = tty ? nil : 80
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 20 { width = columns }
        let console = Console(out: .descriptor(1), err: .descriptor(2), isTerminal: tty, colour: colour, width: width)
        switch environment["TAGBENCH_AMBIGUOUS_WIDTH"] {
        case "2": Format.ambiguousIsWide = true
        case nil, "", "1": break
        case let other?:
            OutputRenderer(console: console).render(
                .warning("TAGBENCH_AMBIGUOUS_WIDTH=\"\(other)\" is not 1 or 2; “ ” · — … count as 1 column"))
        }
        return console
    }

    /// A console that captures output (no colour unless asked).
    public static func capturing(colour: Bool = false, width: Int = 80) -> Console {
        Console(out: .buffer, err: .buffer, isTerminal: false, colour: colour, width: width)
    }

    /// Writes a result line to stdout (buffered until `flush`).
    public func out(_ line: String) {
        switch outSink {
        case .buffer: capturedOut += line + "\n"
        case .descriptor:
            pendingOut.append(contentsOf: line.utf8)
            pendingOut.append(0x0A)
            if pendingOut.count > 1 << 16 && !holding { flush() }
        }
    }

    /// Writes text to stdout as it is, with no line end (terminal control for full-screen views).
    public func rawOut(_ text: String) {
        switch outSink {
        case .buffer: capturedOut += text
        case .descriptor: pendingOut.append(contentsOf: text.utf8)
        }
    }

    /// Writes a diagnostic line to stderr (after flushing stdout, to keep their order on a terminal).
    public func err(_ line: String) {
        switch errSink {
        case .buffer: capturedErr += line + "\n"
        case .descriptor(let fd):
            // A command that reports on stderr is not paged: its output keeps its order.
            holding = false
            flush()
            Self.writeAll(fd, Array((line + "\n").utf8))
        }
    }

    /// Holds the output of the command about to run, when there is a pager: `endCommand` shows it.
    func beginCommand() { holding = pager != nil }

    /// Writes what the command printed: through the pager when it is longer than the screen.
    func endCommand() {
        guard holding else { return flush() }
        holding = false
        guard let pager, case .descriptor(let fd) = outSink, fd == 1 else { return flush() }
        var size = winsize()
        let rows = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 2 ? Int(size.ws_row) : 24
        let lines = pendingOut.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        guard lines >= rows - 1, pager.show(pendingOut) else { return flush() }
        pendingOut.removeAll(keepingCapacity: true)
    }

    /// Holds nothing more for the pager in this command, and writes what was held: a full-screen
    /// view (`review`) draws straight to the terminal.
    func stopHolding() {
        holding = false
        flush()
    }

    /// Writes buffered stdout.
    public func flush() {
        guard case .descriptor(let fd) = outSink, !pendingOut.isEmpty, !holding else { return }
        Self.writeAll(fd, pendingOut)
        pendingOut.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        // A terminal or pipe that cannot take output has nowhere to report it either.
        _ = bytes.withUnsafeBytes { FileSystem.writeAll(fd, $0) }
    }

    /// `text` in a colour style, or as is without colour.
    public func styled(_ text: String, _ style: Style) -> String {
        guard colour else { return text }
        return style.code + text + "\u{1B}[0m"
    }

    /// ANSI styles used by the renderer.
    public enum Style {
        /// Errors.
        case red
        /// Warnings.
        case yellow
        /// Dim detail (margins).
        case dim
        /// Emphasis.
        case bold
        /// Reverse video (find hits).
        case reverse
        /// A label colour as a background, `#rrggbb`.
        case background(String)
        /// A label colour as foreground, `#rrggbb`.
        case foreground(String)

        var code: String {
            switch self {
            case .red: return "\u{1B}[31m"
            case .yellow: return "\u{1B}[33m"
            case .dim: return "\u{1B}[2m"
            case .bold: return "\u{1B}[1m"
            case .reverse: return "\u{1B}[7m"
            case .background(let hex):
                guard let (r, g, b) = Style.rgb(hex) else { return "\u{1B}[7m" }
                let light = (r * 299 + g * 587 + b * 114) / 1000 > 140
                return "\u{1B}[48;2;\(r);\(g);\(b)m" + (light ? "\u{1B}[30m" : "\u{1B}[97m")
            case .foreground(let hex):
                guard let (r, g, b) = Style.rgb(hex) else { return "\u{1B}[1m" }
                return "\u{1B}[38;2;\(r);\(g);\(b)m"
            }
        }

        static func rgb(_ hex: String) -> (Int, Int, Int)? {
            let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
            guard digits.count == 6, let v = Int(digits, radix: 16) else { return nil }
            return (v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF)
        }
    }
}
