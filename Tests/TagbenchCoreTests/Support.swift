import Foundation
@testable import TagbenchCore

/// Fixtures are read-only: each test works in its own temporary copy.
enum Fixture {
    /// The package's root folder.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A new temporary folder holding copies of `Fixtures/` and `Schemas/`.
    static func workspace() throws -> String {
        let dir = Scratch.root + "/core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["Fixtures", "Schemas"] {
            try FileManager.default.copyItem(atPath: root + "/" + name, toPath: dir + "/" + name)
        }
        // Copies keep the read-only fixtures writable for the test.
        return dir
    }
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

/// Runs command lines on an engine, as a script would, collecting output.
final class EngineHarness {
    let engine: Engine
    let directory: String
    var output: [OutputItem] = []

    init(directory: String, sessionPath: String? = nil) {
        self.directory = directory
        engine = Engine(annotator: Annotator(name: "tester", fixedTime: 1_700_000_000), sessionPath: sessionPath)
    }

    init(engine: Engine, directory: String) {
        self.engine = engine
        self.directory = directory
    }

    /// Runs lines; the first error is thrown.
    @discardableResult
    func run(_ lines: String...) throws -> [OutputItem] {
        output = []
        let runner = ScriptRunner(engine: engine)
        for (i, line) in lines.enumerated() {
            _ = try runner.runLine(
                line, context: ExecutionContext(baseDirectory: directory, file: "<test>", line: i + 1),
                emit: { self.output.append($0) }, report: { _ in })
        }
        return output
    }

    /// Runs a line that must fail; returns its error.
    func failure(_ line: String) -> TagbenchError? {
        do {
            try run(line)
            return nil
        } catch let error as LocatedError {
            return error.error
        } catch {
            return nil
        }
    }

    var messages: [String] {
        output.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
    }

    var warnings: [String] {
        output.compactMap { if case .warning(let m) = $0 { return m } else { return nil } }
    }

    /// A fingerprint of the session's annotations: ids, documents, offsets, labels, texts, notes.
    var annotationFingerprint: [String] {
        let s = engine.session
        return s.allAnnotations.map {
            "\($0.id) \(s.documents[$0.document].id) \($0.range) \(s.tagSet.labels[$0.label].name) \($0.text) \($0.note)"
        }
            + s.categories.map {
                "cat \(s.documents[$0.document].id) \($0.unit) \($0.index) \(s.tagSet.labels[$0.label].name)"
            }
    }
}

/// The SHA-256 of `bytes` as coreutils' `sha256sum` computes it: a reference that shares no code
/// with tagbench's.
func referenceSHA256(_ bytes: [UInt8]) throws -> String {
    let file = URL(fileURLWithPath: Scratch.root + "/sha-\(UUID().uuidString)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [file.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
