import Foundation
import Testing
@testable import TagbenchCore

/// Locations and a temporary workspace per test; fixtures are copied, never written.
enum Workspace {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The built `tagbench` binary (`swift build` puts it here).
    static let binary = root + "/.build/debug/tagbench"

    /// A new folder with copies of `Fixtures/`, `Schemas/` and `Sessions/`.
    static func make() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tagbench-cli-\(UUID().uuidString)").path
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
}

/// Runs the built binary in `directory` with `arguments`, feeding `input` on stdin.
func tagbench(_ arguments: [String], in directory: String, input: String? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Workspace.binary)
    process.arguments = arguments
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
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: err, as: UTF8.self))
}

func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
