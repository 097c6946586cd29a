#if canImport(Glibc)
    import Glibc
#endif

/// One key press.
public enum Key: Equatable, Sendable {
    /// A character key (any Unicode character).
    case character(String)
    /// Arrow keys; with shift, `shiftLeft` and `shiftRight`.
    case left, right, up, down, shiftLeft, shiftRight
    /// Escape alone, or a sequence tagbench does not know.
    case escape
    /// Ctrl-C.
    case interrupt
}

/// Reads single key presses, without Enter: the terminal in raw mode, or a list in tests.
public protocol KeyReader: AnyObject {
    /// Starts reading keys (raw mode); `end` restores the terminal.
    func begin()
    /// Restores what `begin` changed.
    func end()
    /// The next key, or nil at the end of input.
    func readKey() -> Key?
}

// What a signal handler needs to give the terminal back when SIGTERM or SIGHUP ends the process
// while keys are read raw (and `review` holds the alternate screen): set by `begin`, read only by
// the handler, which may run at any moment and so touches nothing else.
nonisolated(unsafe) private var settingsToRestore = termios()
nonisolated(unsafe) private var restoreArmed: sig_atomic_t = 0
/// Shows the cursor and leaves the alternate screen.
private let leaveFullScreen: [UInt8] = Array("\u{1B}[?25h\u{1B}[?1049l".utf8)

private func restoreTerminalAndDie(_ signal: Int32) {
    if restoreArmed != 0 {
        tcsetattr(0, TCSAFLUSH, &settingsToRestore)
        leaveFullScreen.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
    }
    // Then die of the signal as if nothing had caught it (the exit status says which).
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}

/// Keys from the terminal on standard input: canonical mode and echo off while reading, restored
/// after (libedit has its own terminal settings for lines; this is only for `review`).
public final class TerminalKeyReader: KeyReader {
    private var saved = termios()
    private var active = false
    private var previousHandlers: [(Int32, sigaction)] = []

    /// Makes a reader for standard input.
    public init() {}

    /// Turns off line editing, echo and signals (Ctrl-C arrives as a key) on standard input.
    public func begin() {
        guard !active, tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSAFLUSH, &raw)
        active = true
        settingsToRestore = saved
        // Touched here first: a global is initialized on first use, which a handler must not do.
        _ = leaveFullScreen.count
        restoreArmed = 1
        for signal in [SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = restoreTerminalAndDie
            sigemptyset(&action.sa_mask)
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            previousHandlers.append((signal, previous))
        }
    }

    /// Restores the terminal settings `begin` found.
    public func end() {
        guard active else { return }
        for (signal, var previous) in previousHandlers { sigaction(signal, &previous, nil) }
        previousHandlers = []
        restoreArmed = 0
        tcsetattr(0, TCSAFLUSH, &saved)
        active = false
    }

    private func byte(timeoutMilliseconds: Int32? = nil) -> UInt8? {
        if let timeout = timeoutMilliseconds {
            var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&fds, 1, timeout) > 0 else { return nil }
        }
        var b: UInt8 = 0
        while true {
            let n = read(0, &b, 1)
            if n == 1 { return b }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// The next key: a character, an arrow (escape sequences decoded), Escape or Ctrl-C; nil at
    /// the end of input (Ctrl-D).
    public func readKey() -> Key? {
        guard let first = byte() else { return nil }
        switch first {
        case 0x03: return .interrupt
        case 0x04: return nil
        case 0x1B:
            // An escape sequence arrives at once; Escape alone is followed by nothing.
            guard let second = byte(timeoutMilliseconds: 50) else { return .escape }
            guard second == UInt8(ascii: "[") || second == UInt8(ascii: "O") else { return .escape }
            var sequence: [UInt8] = []
            while let b = byte(timeoutMilliseconds: 50) {
                sequence.append(b)
                if b >= 0x40 && b <= 0x7E { break }
            }
            switch sequence {
            case [UInt8(ascii: "D")]: return .left
            case [UInt8(ascii: "C")]: return .right
            case [UInt8(ascii: "A")]: return .up
            case [UInt8(ascii: "B")]: return .down
            case Array("1;2D".utf8): return .shiftLeft
            case Array("1;2C".utf8): return .shiftRight
            default: return .escape
            }
        default:
            // A UTF-8 character: its length is in its first byte.
            var bytes = [first]
            let length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
            while bytes.count < length, let b = byte(timeoutMilliseconds: 50) { bytes.append(b) }
            return .character(String(decoding: bytes, as: UTF8.self))
        }
    }
}

/// Gives a fixed list of keys, for tests.
public final class ScriptedKeyReader: KeyReader {
    private var keys: [Key]

    /// Makes a reader that returns `keys`, then the end of input.
    public init(_ keys: [Key]) { self.keys = keys }

    /// Nothing to set up.
    public func begin() {}
    /// Nothing to restore.
    public func end() {}
    /// The next key of the list.
    public func readKey() -> Key? { keys.isEmpty ? nil : keys.removeFirst() }
}
