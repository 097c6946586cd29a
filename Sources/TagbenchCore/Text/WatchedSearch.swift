import CTagbenchShims
import Dispatch

/// The regex runner of the library alone: the search runs on a thread of its own while the
/// calling thread watches it. A stopped search's thread is left to run only when a core is
/// otherwise idle and gives up at its next document, but a match already running cannot be cut
/// short: it ends when the process does. The command line runs searches in a process of their own
/// instead (`RegexWorkerRunner`), which a stop ends at once.
public struct WatchedSearch: RegexRunner {
    /// A runner on watched threads.
    public init() {}

    /// See `RegexRunner`.
    public func matches(of sources: [String], in documents: [Document], task: String, monitor: ProgressMonitor?,
                        limit: Double) throws(TagbenchError) -> [[[TextRange]]] {
        let searches = UncheckedSendable(try regexSearches(sources))
        let texts = UncheckedSendable(documents)
        return try Self.run(documents.count, task: task, pattern: sources.first ?? "", monitor: monitor, limit: limit) { k in
            searches.value.map { $0.matches(in: texts.value[k]) }
        }
    }

    /// `body(k)` for each of `count` documents, in order, on a watched thread; `task` names the
    /// command in errors and progress, `pattern` the expression that was too slow.
    static func run<T>(_ count: Int, task: String, pattern: String, monitor: ProgressMonitor?, limit: Double,
                       _ body: @escaping (Int) -> T) throws(TagbenchError) -> [T] {
        let state = State<T>()
        let work = UncheckedSendable(body)
        // A thread of its own: a search that never ends must not hold one of the shared pool's.
        onOwnThread {
            state.started(thread: tb_thread_id())
            var results: [T] = []
            results.reserveCapacity(count)
            for k in 0..<count {
                if state.isAbandoned { return }
                results.append(work.value(k))
                state.done.store(k + 1)
            }
            state.results = results
            state.finished.signal()
        }
        var waited = 0.0
        let slice = 0.05
        while state.finished.wait(timeout: .now() + slice) == .timedOut {
            waited += slice
            if let monitor {
                if monitor.shouldStop { state.abandon(); throw .interrupted(task) }
                if count > 1 { monitor.progress(task, done: state.done.load(), of: count) }
            } else if waited >= limit {
                state.abandon()
                throw .regexTooSlow(pattern: pattern, seconds: limit)
            }
        }
        return state.results
    }

    /// Runs `body` on a new thread of its own (on Dispatch's pool only where none can be made).
    private static func onOwnThread(_ body: @escaping @Sendable () -> Void) {
        let job = Unmanaged.passRetained(Job(body)).toOpaque()
        if tb_run_on_own_thread({ job in Unmanaged<Job>.fromOpaque(job!).takeRetainedValue().body() }, job) != 0 {
            Unmanaged<Job>.fromOpaque(job).release()
            DispatchQueue.global().async(execute: body)
        }
    }

    /// A closure handed through C to `tb_run_on_own_thread`.
    private final class Job {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// What the watched thread and the watcher share.
    private final class State<T>: @unchecked Sendable {
        let finished = DispatchSemaphore(value: 0)
        let done = Counter()
        /// Written by the worker before `finished` is signalled, read after.
        var results: [T] = []
        private let lock = DispatchSemaphore(value: 1)
        /// The worker's thread id, for lowering its priority.
        private var thread: Int32 = 0
        private var abandoned = false

        func started(thread id: Int32) {
            lock.wait(); defer { lock.signal() }
            thread = id
            if abandoned { lower() }
        }

        var isAbandoned: Bool {
            lock.wait(); defer { lock.signal() }
            return abandoned
        }

        func abandon() {
            lock.wait(); defer { lock.signal() }
            abandoned = true
            if thread != 0 { lower() }
        }

        private func lower() { tb_make_thread_idle(thread) }
    }

    /// A count one thread writes and another reads.
    private final class Counter: @unchecked Sendable {
        private let lock = DispatchSemaphore(value: 1)
        private var value = 0
        func store(_ v: Int) { lock.wait(); value = v; lock.signal() }
        func load() -> Int { lock.wait(); defer { lock.signal() }; return value }
    }
}
