@preconcurrency import CLibEdit
import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

// libedit's callbacks are C function pointers that can capture nothing: the state they need lives
// here, touched only from the main thread that runs the REPL.
// The prompt libedit draws: storage of its own that stays where it is until the next prompt
// replaces it (a pointer into an array's buffer is valid only inside the call that lent it).
nonisolated(unsafe) private var currentPrompt = promptStorage("")
nonisolated(unsafe) private var activeCompleter: ((String) -> Completion)?
nonisolated(unsafe) private var interruptReceived: sig_atomic_t = 0

private func promptCallback(_ el: OpaquePointer?) -> UnsafePointer<wchar_t>? {
    UnsafePointer(currentPrompt.baseAddress)
}

/// `s` as a NUL-terminated wide string in newly allocated storage.
private func promptStorage(_ s: String) -> UnsafeMutableBufferPointer<wchar_t> {
    let text = wide(s)
    let storage = UnsafeMutableBufferPointer<wchar_t>.allocate(capacity: text.count)
    _ = storage.initialize(fromContentsOf: text)
    return storage
}

private func wide(_ s: String) -> [wchar_t] {
    s.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
}

private func completeCallback(_ el: OpaquePointer?, _ ch: Int32) -> UInt8 {
    guard let el, let info = el_wline(el), let completer = activeCompleter else { return UInt8(CC_ERROR) }
    var scalars = String.UnicodeScalarView()
    var p = info.pointee.buffer!
    while p < info.pointee.cursor {
        if let s = Unicode.Scalar(UInt32(bitPattern: p.pointee)) { scalars.append(s) }
        p += 1
    }
    let completion = completer(String(scalars))
    if let replacement = completion.replacement {
        if completion.deleteCount > 0 { el_deletestr(el, Int32(completion.deleteCount)) }
        let text = wide(replacement)
        _ = text.withUnsafeBufferPointer { el_winsertstr(el, $0.baseAddress!) }
        return UInt8(CC_REFRESH)
    }
    if completion.candidates.count > 1 {
        // List the choices under the line, then redraw the prompt and the line.
        var listing = "\n"
        let width = (completion.candidates.map { Format.displayWidth($0) }.max() ?? 0) + 2
        let perLine = max(1, 78 / width)
        for (i, c) in completion.candidates.enumerated() {
            listing += Format.padded(c, to: width)
            if (i + 1) % perLine == 0 || i == completion.candidates.count - 1 { listing += "\n" }
        }
        fputs(listing, stdout)
        fflush(stdout)
        return UInt8(CC_REDISPLAY)
    }
    return UInt8(CC_REFRESH_BEEP)
}

/// Reads lines on a terminal with libedit's wide-character API: Chinese input, history kept in a
/// file, Tab completion, Ctrl-C cancelling the line being typed.
public final class LibEditLineReader: LineReader {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?

    /// Sets up libedit; call `ensureUTF8Locale()` first.
    public init(historyPath: String?, completer: @escaping (String) -> Completion) {
        editLine = tb_el_init("tagbench")
        history = tb_history_init(1000)
        self.historyPath = historyPath
        activeCompleter = completer
        _ = wide("emacs").withUnsafeBufferPointer { tb_el_set_editor(editLine, $0.baseAddress) }
        tb_el_set_history(editLine, history)
        tb_el_set_prompt(editLine, promptCallback)
        let name = wide("tb-complete")
        let help = wide("complete a command, label, document or path")
        name.withUnsafeBufferPointer { n in
            help.withUnsafeBufferPointer { h in
                _ = tb_el_add_function(editLine, n.baseAddress, h.baseAddress, completeCallback)
            }
        }
        let key = wide("^I")
        key.withUnsafeBufferPointer { k in
            name.withUnsafeBufferPointer { n in _ = tb_el_bind(editLine, k.baseAddress, n.baseAddress) }
        }
        _ = tb_el_source_default(editLine)
        if let historyPath { tb_history_load(history, historyPath) }
        LibEditLineReader.catchInterrupts()
    }

    deinit {
        el_end(editLine)
        history_wend(history)
    }

    /// Whether Ctrl-C was pressed since the last line was read (a running command should stop).
    public static var interruptRequested: Bool { interruptReceived != 0 }

    /// Makes `LC_CTYPE` UTF-8 (falling back to C.UTF-8): without it libedit silently drops every
    /// non-ASCII byte typed, and a history file holding Chinese would be saved back without it.
    public static func ensureUTF8Locale() {
        _ = tb_ensure_utf8_locale()
    }

    /// Ctrl-C interrupts the read (no SA_RESTART) instead of killing the process.
    private static func catchInterrupts() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptReceived = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Reads a line with editing.
    public func readLine(prompt: String) -> LineInput {
        // libedit asks for the prompt only inside el_wgets: the last one is no longer in use.
        let previous = currentPrompt
        currentPrompt = promptStorage(prompt)
        previous.deallocate()
        interruptReceived = 0
        var count: Int32 = 0
        guard let line = el_wgets(editLine, &count) else {
            if interruptReceived != 0 || count < 0 {
                fputs("\n", stdout)
                fflush(stdout)
                return .interrupted
            }
            // Ctrl-D leaves "^D" on the prompt line; end it.
            fputs("\n", stdout)
            fflush(stdout)
            return .endOfInput
        }
        var scalars = String.UnicodeScalarView()
        for i in 0..<Int(count) {
            let value = UInt32(bitPattern: line[i])
            if value == 0x0A { break }
            if let s = Unicode.Scalar(value) { scalars.append(s) }
        }
        return .line(String(scalars))
    }

    /// Adds a line to the history and saves the history file.
    public func addHistory(_ line: String) {
        let text = wide(line)
        _ = text.withUnsafeBufferPointer { tb_history_enter(history, $0.baseAddress) }
        if let historyPath { tb_history_save(history, historyPath) }
    }
}
