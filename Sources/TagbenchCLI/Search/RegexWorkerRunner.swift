#if canImport(Glibc)
    import Glibc
#endif
import CTagbenchSystem
import Dispatch
import TagbenchCore

/// Runs regular-expression searches in a process of their own (`tagbench regex-worker`), so that
/// stopping a search (Ctrl-C, or the limit when nothing can interrupt) ends it at once: a match
/// inside Swift's `Regex` cannot be stopped, and a thread left to finish it would keep a core busy
/// until the REPL exits. The worker runs the same `TextSearch` on the same bytes, so its matches
/// are the ones the process would find itself (`RegexWorkerTests` compares them). A worker that
/// dies is replaced once, and the search fails if the second dies too; where none can be started,
/// the search runs in this process on a watched thread.
struct RegexWorkerRunner: RegexRunner {
    /// The executable started as the worker: this one.
    let executable: String

    /// The runner for this executable, where the system names it (Linux's /proc).
    static func forThisProcess() -> RegexWorkerRunner? {
        access("/proc/self/exe", X_OK) == 0 ? RegexWorkerRunner(executable: "/proc/self/exe") : nil
    }

    func matches(
        of sources: [String], in documents: [Document], task: String, monitor: ProgressMonitor?,
        limit: Double
    ) throws(TagbenchError) -> [[[TextRange]]] {
        let started = DispatchTime.now().uptimeNanoseconds
        // A worker that dies (killed by someone else) is replaced once, then the search fails:
        // a thread in this process could not be stopped. Only where no worker can be started at
        // all does the search run on a watched thread.
        var died = false
        for _ in 0..<2 {
            guard let worker = Worker.start(executable) else { break }
            if let records = try search(
                worker, sources: sources, documents: documents, task: task, monitor: monitor,
                limit: limit, started: started)
            {
                return records
            }
            died = true
        }
        if died { throw .searchProcessEnded(pattern: sources.first ?? "") }
        return try WatchedSearch().matches(of: sources, in: documents, task: task, monitor: monitor, limit: limit)
    }

    /// The worker's answer; nil if it failed before giving it whole.
    private func search(
        _ worker: Worker, sources: [String], documents: [Document], task: String, monitor: ProgressMonitor?,
        limit: Double, started: UInt64
    ) throws(TagbenchError) -> [[[TextRange]]]? {
        defer { worker.end() }
        guard worker.send(sources: sources, documents: documents) else { return nil }
        var answer = RegexWorkerWire.AnswerReader(sourceCount: sources.count)
        while true {
            switch worker.receive(into: &answer, waitingAtMost: 50) {
            case .more: break
            case .finished
            where answer.records.count == documents.count && !answer.hasPartialRecord && worker.exitedCleanly():
                return answer.records
            case .finished, .failed:
                if monitor?.shouldStop == true { throw .interrupted(task) }
                return nil
            }
            if let monitor {
                if monitor.shouldStop { throw .interrupted(task) }
                if documents.count > 1 { monitor.progress(task, done: answer.records.count, of: documents.count) }
            } else if Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 >= limit {
                throw .regexTooSlow(pattern: sources.first ?? "", seconds: limit)
            }
        }
    }

    /// One worker process and this end of the socket it reads and answers on.
    private final class Worker {
        private let pid: Int32
        private let socket: Int32
        private var reaped = false
        private var status: Int32 = 0

        private init(pid: Int32, socket: Int32) {
            self.pid = pid
            self.socket = socket
        }

        static func start(_ executable: String) -> Worker? {
            var ends: [Int32] = [0, 0]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
                return nil
            }
            let arguments = [executable, "regex-worker", String(getpid())]
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for argument in argv { free(argument) } }
            var pid: Int32 = 0
            let failed = tb_spawn_worker(executable, &argv, environ, ends[1], &pid) != 0
            close(ends[1])
            if failed {
                close(ends[0])
                return nil
            }
            return Worker(pid: pid, socket: ends[0])
        }

        /// Sends the whole request and closes the sending side; false if the worker is gone.
        func send(sources: [String], documents: [Document]) -> Bool {
            guard write(RegexWorkerWire.requestHeader(sources: sources, documentCount: documents.count)) else {
                return false
            }
            for document in documents {
                guard write(RegexWorkerWire.documentHeader(length: document.bytes.count)), write(document.bytes) else {
                    return false
                }
            }
            return shutdown(socket, Int32(SHUT_WR)) == 0
        }

        private func write(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    // MSG_NOSIGNAL: a worker that died is a failed send, not a SIGPIPE.
                    let sent = Glibc.send(
                        socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0 && errno == EINTR { continue }
                    guard sent > 0 else { return false }
                    offset += sent
                }
                return true
            }
        }

        enum Progress { case more, finished, failed }

        /// Reads what has arrived within `milliseconds` into `answer`.
        func receive(into answer: inout RegexWorkerWire.AnswerReader, waitingAtMost milliseconds: Int32) -> Progress {
            var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, milliseconds)
            if polled == 0 || (polled < 0 && errno == EINTR) { return .more }
            guard polled > 0 else { return .failed }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 { return errno == EINTR || errno == EAGAIN ? .more : .failed }
            if count == 0 { return .finished }
            return answer.feed(buffer[..<count]) ? .more : .failed
        }

        /// Whether the worker, its answer sent, exited with status 0.
        func exitedCleanly() -> Bool {
            reap()
            return status == 0
        }

        /// Ends the worker (killing it if it still runs) and closes the socket.
        func end() {
            if !reaped { kill(pid, SIGKILL) }
            reap()
            close(socket)
        }

        private func reap() {
            guard !reaped else { return }
            var result: Int32 = 0
            while waitpid(pid, &result, 0) < 0 && errno == EINTR {}
            status = result
            reaped = true
        }
    }
}
