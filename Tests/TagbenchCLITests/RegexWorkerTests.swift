import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif
@testable import TagbenchCLI
@testable import TagbenchCore

/// Regular-expression searches run in a worker process: it finds exactly what a search in this
/// process finds, and a stopped search leaves nothing running (the worker ends with the search,
/// and with the process that started it).
@Suite(.serialized)
struct RegexWorkerTests {
    static let catastrophic = "(a|aa)*b"

    /// The four reports of `Fixtures/reports` and the edge cases of `Fixtures/edge`.
    static func documents() throws -> [Document] {
        let root = Workspace.root + "/Fixtures"
        var documents: [Document] = []
        for folder in ["reports", "edge", "corpus"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted() {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + folder + "/" + name)))
                // As `load` keeps them: UTF-8 without its BOM.
                let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
                documents.append(Document(id: name, path: name, bytes: text))
            }
        }
        return documents
    }

    /// Expressions of every kind a user writes: CJK classes, counted repeats, anchors, astral
    /// characters, case folding, empty matches (skipped), and several at once as `suggest` asks.
    static let searches: [[String]] = [
        ["巡[察视]"], ["整改.{0,3}问题"], ["^[一二三四五六七八九十]+、"], ["\\d+"], ["(?i)[A-Z]+"], ["x*"],
        ["[\\u{20000}-\\u{2FFFF}]"], ["(?m)。$"], ["主题教育", "巡察", "[减]负"], [".+"]
    ]

    @Test(arguments: searches)
    func theWorkerFindsWhatASearchInThisProcessFinds(sources: [String]) throws {
        let documents = try Self.documents()
        let runner = RegexWorkerRunner(executable: Workspace.binary)
        let inWorker = try runner.matches(of: sources, in: documents, task: "find", monitor: nil, limit: 60)
        let here = try WatchedSearch().matches(of: sources, in: documents, task: "find", monitor: nil, limit: 60)
        #expect(inWorker == here)
        #expect(inWorker.joined().joined().count > 0 || sources == ["x*"], "the table should find something")
    }

    /// A monitor that asks to stop once `after` progress reports or polls have passed.
    final class StopLater: ProgressMonitor {
        var polls = 0
        let after: Int
        init(after: Int) { self.after = after }
        var shouldStop: Bool {
            polls += 1
            return polls > after
        }
        func progress(_ task: String, done: Int, of total: Int) {}
        func finished() {}
    }

    @Test func ctrlCEndsTheWorker() throws {
        let documents = [Document(id: "aa", path: "aa", bytes: Array(String(repeating: "a", count: 40).utf8))]
        let runner = RegexWorkerRunner(executable: Workspace.binary)
        #expect(throws: TagbenchError.interrupted("find")) {
            try runner.matches(
                of: [Self.catastrophic], in: documents, task: "find", monitor: StopLater(after: 4), limit: 1e9)
        }
        #expect(Self.workers(of: getpid()).isEmpty)
    }

    /// A REPL on piped input (kept going after errors, unless `keepGoing` is false) with a line
    /// of 40 `a`s loaded, where `find /(a|aa)*b/` has been sent; the limit is `seconds`.
    func replSearchingWithoutEnd(seconds: Int, keepGoing: Bool = true) throws -> RunningRepl {
        let dir = try Workspace.make()
        try (String(repeating: "a", count: 40) + "\n").write(toFile: dir + "/aa.txt", atomically: true, encoding: .utf8)
        let repl = try RunningRepl(
            keepGoing ? ["--keep-going"] : [], in: dir, environment: ["TAGBENCH_REGEX_SECONDS": String(seconds)])
        try repl.send("load aa.txt", until: "loaded 1 document")
        try repl.send("find /\(Self.catastrophic)/", until: nil)
        return repl
    }

    /// The case in a REPL left running: after the limit stops the search, no worker is
    /// left and the REPL uses no processor while it waits for the next line.
    @Test func aStoppedSearchLeavesNothingRunning() throws {
        // Piped lines end at the first error unless --keep-going: the REPL must outlive this one.
        let repl = try replSearchingWithoutEnd(seconds: 1)
        defer { repl.kill() }
        let shown = try repl.send("", until: "was stopped after 1 s")
        #expect(shown.contains("nothing was changed"), "\(shown)")
        #expect(Self.workers(of: repl.pid).isEmpty)
        let before = try Self.processorSeconds(repl.pid)
        usleep(1_500_000)
        let used = try Self.processorSeconds(repl.pid) - before
        // A search left running would use the whole 1.5 s of a core; waiting uses none.
        #expect(used < 0.5, "the REPL used \(used) s of processor time while idle")
        try repl.send("docs", until: "aa")
    }

    /// A worker killed by someone else is replaced by a new one, so the search that is then
    /// stopped still leaves nothing running in the REPL.
    @Test func aKilledWorkerIsReplaced() throws {
        let repl = try replSearchingWithoutEnd(seconds: 3)
        defer { repl.kill() }
        func waitForWorker(other old: Int32?) -> Int32? {
            for _ in 0..<100 {
                if let worker = Self.workers(of: repl.pid).first(where: { $0 != old }) { return worker }
                usleep(20_000)
            }
            return nil
        }
        let first = try #require(waitForWorker(other: nil))
        kill(first, SIGKILL)
        let second = try #require(waitForWorker(other: first), "no new worker after the first was killed")
        let shown = try repl.send("", until: "was stopped after 3 s")
        #expect(shown.contains("nothing was changed"), "\(shown)")
        #expect(!Self.isRunning(second) && Self.workers(of: repl.pid).isEmpty)
        let before = try Self.processorSeconds(repl.pid)
        usleep(1_000_000)
        #expect(try Self.processorSeconds(repl.pid) - before < 0.5, "the REPL kept searching")
    }

    /// A worker killed, and its replacement killed too, fails the search with a clear error;
    /// nothing keeps running in the REPL (no thread takes the search over).
    @Test func aSearchWhoseWorkersAreKilledTwiceFailsAndLeavesNothingRunning() throws {
        let repl = try replSearchingWithoutEnd(seconds: 1000)
        defer { repl.kill() }
        var killed: [Int32] = []
        for _ in 0..<2 {
            var worker: Int32?
            for _ in 0..<200 where worker == nil {
                worker = Self.workers(of: repl.pid).first { !killed.contains($0) }
                if worker == nil { usleep(20_000) }
            }
            let found = try #require(worker, "no worker to kill")
            kill(found, SIGKILL)
            killed.append(found)
        }
        let shown = try repl.send("", until: "ended before it did; nothing was changed")
        #expect(
            shown.contains(
                "the search for /\(Self.catastrophic)/ stopped: the processes it ran in ended before it did"),
            "\(shown)")
        #expect(Self.workers(of: repl.pid).isEmpty)
        let before = try Self.processorSeconds(repl.pid)
        usleep(1_000_000)
        #expect(try Self.processorSeconds(repl.pid) - before < 0.5, "the REPL kept searching")
    }

    /// A tagbench killed while its worker searches takes the worker with it.
    @Test func theWorkerEndsWithItsParent() throws {
        let repl = try replSearchingWithoutEnd(seconds: 1000, keepGoing: false)
        let parent = repl.pid
        var workers: [Int32] = []
        for _ in 0..<200 where workers.isEmpty {
            workers = Self.workers(of: parent)
            usleep(50_000)
        }
        try #require(!workers.isEmpty, "no worker was started")
        repl.kill()
        var running = workers
        for _ in 0..<200 where !running.isEmpty {
            usleep(50_000)
            running = workers.filter(Self.isRunning)
        }
        #expect(running.isEmpty, "worker \(running) outlived its parent")
    }

    /// The worker processes started by `parent` (their command line names it).
    static func workers(of parent: Int32) -> [Int32] {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap(Int32.init).filter { pid in
            guard let line = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return false }
            let arguments = line.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.count == 3 && arguments[1] == "regex-worker" && arguments[2] == String(parent)
                && isRunning(pid)
        }
    }

    /// The fields of `/proc/PID/stat` after the process's name (which may hold spaces): index 0
    /// is the state, 1 the parent's id, 11 and 12 the user and system time (proc(5) fields 3–15).
    static func statFields(of pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// The processes whose parent is `parent`.
    static func children(of parent: Int32) -> [Int32] {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap(Int32.init).filter { statFields(of: $0)?[1] == Substring(String(parent)) }
    }

    /// Whether `pid` exists and is not a zombie (a container's first process may never reap one).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let state = statFields(of: pid)?.first else { return false }
        return state != "Z" && state != "X"
    }

    /// The user and system time `pid` has used, in seconds.
    static func processorSeconds(_ pid: Int32) throws -> Double {
        let fields = try #require(statFields(of: pid), "process \(pid) is gone")
        let ticks = Double(fields[11])! + Double(fields[12])!
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
