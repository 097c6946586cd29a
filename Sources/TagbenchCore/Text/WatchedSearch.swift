import CTagbenchSystem
import Dispatch
import Synchronization

/// The regex runner of the library alone: the search runs on a thread of its own while the
/// calling thread watches it. A stopped search's thread is left to run only when a core is
/// otherwise idle and gives up at its next document, but a match already running cannot be cut
/// short: it ends when the process does. The command line runs searches in a process of their own
/// instead (`RegexWorkerRunner`), which a stop ends at once.
public struct WatchedSearch: RegexRunner {
    /// A runner on watched threads.
    public init() {}

    /// See `RegexRunner`.
    public func matches(
        of sources: [String], in documents: [Document], task: String, monitor: ProgressMonitor?,
        limit: Double
    ) throws(TagbenchError) -> [[[TextRange]]] {
        // The searching thread reads only the documents' text, which never changes (`let`), and
        // the compiled expressions, which nothing else uses.
        let input = UncheckedSendable((searches: try regexSearches(sources), documents: documents))
        let state = State()
        // A thread of its own: a search that never ends must not hold one of the shared pool's.
        Self.onOwnThread {
            state.started(thread: tb_thread_id())
            for document in input.value.documents {
                let found = input.value.searches.map { $0.matches(in: document) }
                if !state.add(found) { return }
            }
            state.finished.signal()
        }
        var waited = 0.0
        let slice = 0.05
        while state.finished.wait(timeout: .now() + slice) == .timedOut {
            waited += slice
            if let monitor {
                if monitor.shouldStop {
                    state.abandon()
                    throw .interrupted(task)
                }
                if documents.count > 1 { monitor.progress(task, done: state.done, of: documents.count) }
            } else if waited >= limit {
                state.abandon()
                throw .regexTooSlow(pattern: sources.first ?? "", seconds: limit)
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

    /// What the searching thread and the watcher share.
    private final class State: Sendable {
        /// Signalled by the searching thread when every document is searched.
        let finished = DispatchSemaphore(value: 0)
        private let shared = Mutex(Shared())

        private struct Shared {
            var results: [[[TextRange]]] = []
            /// The searching thread's id, for lowering its priority.
            var thread: Int32 = 0
            var abandoned = false
        }

        func started(thread id: Int32) {
            shared.withLock { shared in
                shared.thread = id
                if shared.abandoned { tb_make_thread_idle(id) }
            }
        }

        /// Adds a document's matches; false once the search is abandoned.
        func add(_ found: [[TextRange]]) -> Bool {
            shared.withLock { shared in
                shared.results.append(found)
                return !shared.abandoned
            }
        }

        var done: Int { shared.withLock { $0.results.count } }
        var results: [[[TextRange]]] { shared.withLock { $0.results } }

        func abandon() {
            shared.withLock { shared in
                shared.abandoned = true
                if shared.thread != 0 { tb_make_thread_idle(shared.thread) }
            }
        }
    }
}
