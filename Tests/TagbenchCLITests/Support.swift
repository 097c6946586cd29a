import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Locations and a temporary workspace per test; fixtures are copied, never written.
enum Workspace {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `tagbench` binary of the build these tests belong to: beside the test bundle, in
    /// whichever build folder it is (`.build`, or `.build-portable` for the portable build).
    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tagbench").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : root + "/.build/debug/tagbench"
    }()

    /// A new folder with copies of `Fixtures/`, `Schemas/` and `Sessions/`.
    static func make() throws -> String {
        let dir = Scratch.root + "/cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["Fixtures", "Schemas", "Sessions"] {
            try FileManager.default.copyItem(atPath: root + "/" + name, toPath: dir + "/" + name)
        }
        return dir
    }

    /// Copies a produced session or export where the Python interop suite checks it against the
    /// schema and with Python's own string indexing (`TAGBENCH_ARTIFACTS`, set by `make test`).
    static func keep(_ path: String, as name: String) {
        guard let dir = ProcessInfo.processInfo.environment["TAGBENCH_ARTIFACTS"] else { return }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let target = dir + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        try? FileManager.default.copyItem(atPath: path, toPath: target)
    }
}

/// What a run of the binary gave.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Killed by the watchdog (`limit`): it hung.
    var timedOut = false
}

/// Runs the built binary in `directory` with `arguments`, feeding `input` on stdin; with a
/// `limit`, a watchdog kills it after that many seconds (no time is asserted: it ends a hang).
/// `shell` is run by `/bin/sh` first, in the same process (`ulimit -n 8`).
func tagbench(
    _ arguments: [String], in directory: String, input: String? = nil, environment extra: [String: String] = [:],
    limit: Double? = nil, shell: String? = nil
) throws -> ProcessResult {
    let process = Process()
    if let shell {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", Workspace.binary] + arguments
    } else {
        process.executableURL = URL(fileURLWithPath: Workspace.binary)
        process.arguments = arguments
    }
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["SOURCE_DATE_EPOCH"] = "1700000000"
    environment["TAGBENCH_ANNOTATOR"] = "tester"
    environment["TAGBENCH_HISTORY"] = ""
    environment["COLUMNS"] = "100"
    for (k, v) in extra { environment[k] = v }
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let timedOut = Flag()
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem {
        timedOut.isSet = true
        kill(pid, SIGKILL)
    }
    if let limit { DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog) }
    // A tagbench that refuses its session exits without reading its input: writing to it then
    // fails (EPIPE), which must neither kill this process (SIGPIPE) nor fail the test.
    signal(SIGPIPE, SIG_IGN)
    if let input { try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
    try? stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut.isSet)
}

/// Set by the watchdog's thread, read after the process ended.
private final class Flag: @unchecked Sendable {
    var isSet = false
}

func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// Makes a Unix socket file at `path` (bound, then closed: the file stays); whether it worked.
func makeSocket(at path: String) -> Bool {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { path.utf8CString.withUnsafeBytes($0.copyMemory) }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    return bound == 0
}

/// Every test folder of this test process lives under one root, removed when the process ends
/// (and a root whose process is gone, left by a killed run, removed by the next): a test run
/// leaves nothing behind in the temporary folder.
enum Scratch {
    static let root: String = {
        let temporary = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where name.hasPrefix("tagbench-tests-") {
            if let pid = Int32(name.dropFirst("tagbench-tests-".count)), pid != getpid(), kill(pid, 0) != 0,
                errno == ESRCH
            {
                try? FileManager.default.removeItem(atPath: temporary + "/" + name)
            }
        }
        let root = temporary + "/tagbench-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit {
            try? FileManager.default.removeItem(
                atPath: FileManager.default.temporaryDirectory.path + "/tagbench-tests-\(getpid())")
        }
        return root
    }()
}
