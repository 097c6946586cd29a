#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// Shows a command's output that is longer than the screen through a pager: `$PAGER`, else
/// `less -R -F -X` (-R keeps the colours, -F quits at once when it fits after all, -X leaves the
/// text on the screen after `q`). Used only on an interactive terminal, never for pipes or scripts.
struct Pager {
    /// The shell command that pages its standard input.
    let command: String

    /// The pager the environment asks for; nil when `PAGER` is set empty (no paging).
    init?(environment: [String: String]) {
        let asked = environment["PAGER"] ?? "less -R -F -X"
        guard !asked.allSatisfy({ $0 == " " }) else { return nil }
        command = asked
    }

    /// Runs the pager on `bytes` and waits for it; false when it could not be started, could not
    /// run, or failed before it read the bytes (the caller then writes the bytes itself).
    func show(_ bytes: [UInt8]) -> Bool {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addclose(&actions, ends[1])
        // less shows CJK only with a UTF-8 character set; tagbench's own locale is not inherited.
        var environment = Self.inherited()
        if !environment.contains(where: { $0.hasPrefix("LESSCHARSET=") }) { environment.append("LESSCHARSET=utf-8") }
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp) == 0
        close(ends[0])
        guard started else {
            close(ends[1])
            return false
        }
        // The reader may quit before reading everything (q): a write to the closed pipe must not
        // end tagbench.
        let previous = signal(SIGPIPE, SIG_IGN)
        let failure = bytes.withUnsafeBytes { FileSystem.writeAll(ends[1], $0) }
        close(ends[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        signal(SIGPIPE, previous)
        // A pager that could not run (the shell's 126 and 127: not executable, not found), or that
        // failed without reading everything, showed nothing: the output must not be lost.
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        if exited && (code == 126 || code == 127 || (code != 0 && failure != nil)) { return false }
        return true
    }

    /// This process's environment as `NAME=value` strings.
    private static func inherited() -> [String] {
        var found: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            found.append(String(cString: pointer))
            entry += 1
        }
        return found
    }
}
