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
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tagbench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["Fixtures", "Schemas"] {
            try FileManager.default.copyItem(atPath: root + "/" + name, toPath: dir + "/" + name)
        }
        // Copies keep the read-only fixtures writable for the test.
        return dir
    }
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
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tagbench-sha-\(UUID().uuidString)")
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
