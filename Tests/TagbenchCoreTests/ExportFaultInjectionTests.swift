import Foundation
import Testing
@testable import TagbenchCore

/// Every operation of an export through the file-system seam failed in turn (ENOSPC, EIO), and
/// the process "killed" after every one: a failed export is reported and leaves the earlier
/// export exactly as it was, with no temporary file; a killed one leaves any manifest beside the
/// files describing them exactly.
@Suite(.serialized)
struct ExportFaultInjectionTests {
    static let exports = [
        "export spans out.jsonl --split a=1,b=1", "export brat out-brat", "export bio out.jsonl --jsonl"
    ]

    /// Every file under `dir` but the inputs, by path relative to it, with its bytes.
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir)!
        while let name = enumerator.nextObject() as? String {
            guard !name.hasPrefix("Fixtures"), !name.hasPrefix("Schemas"), !name.hasPrefix("Sessions") else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            files[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return files
    }

    /// A workspace with the reports' fixtures tagged, its export `line` written once, and then
    /// one more span, so that the next export differs from the one on disk.
    func prepared(_ line: String) throws -> (EngineHarness, [String: Data]) {
        let dir = try Fixture.workspace()
        let h = EngineHarness(directory: dir)
        try h.run(
            "schema Schemas/governance.tagset.json", "load Fixtures/corpus", "tag 巡察 all 巡察 --corpus",
            "tag 整改落实 all 整改 --corpus", line)
        let before = try Self.snapshot(dir)
        try h.run("open xinqu-2023", "tag 主题教育 all 主题教育")
        return (h, before)
    }

    /// The manifest's files have the bytes it records (or there is no manifest).
    static func manifestDescribesItsFiles(_ manifestPath: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: manifestPath) else { return true }
        let directory = Paths.directory(of: manifestPath)
        let manifest = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        for split in manifest["splits"] as! [[String: Any]] {
            for file in split["files"] as! [[String: Any]] {
                guard let bytes = FileManager.default.contents(atPath: directory + "/" + (file["path"] as! String)),
                    try referenceSHA256(Array(bytes)) == file["sha256"] as! String
                else { return false }
            }
        }
        return true
    }

    @Test(arguments: exports)
    func everyOperationFailedInTurnLeavesTheEarlierExportWhole(line: String) throws {
        for error in [ENOSPC, EIO] {
            var n = 1
            while true {
                let (h, before) = try prepared(line)
                let faulty = FaultyFileSystem(.fail(at: n, error: error))
                h.engine.files = faulty
                let failure = h.failure(line)
                if !faulty.fired {
                    #expect(failure == nil, "\(line): \(String(describing: failure))")
                    break
                }
                let manifest = h.directory + "/" + (line.contains("brat") ? "out-brat" : "out.jsonl") + ".manifest.json"
                if failure != nil {
                    let after = try Self.snapshot(h.directory)
                    let temporaries = after.keys.filter { $0.contains(".tmp-") }
                    #expect(
                        temporaries.isEmpty,
                        "\(line), \(error) at operation \(n) (\(faulty.log.suffix(2))): left \(temporaries)")
                    // Failed before the files took their places: the earlier export exactly as it was;
                    // while they did (a rename failed): no manifest, the mark of an unfinished export.
                    if FileManager.default.fileExists(atPath: manifest) {
                        let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted()
                        #expect(
                            changed.isEmpty,
                            "\(line), \(error) at operation \(n) (\(faulty.log.suffix(2))): changed \(changed)")
                    } else {
                        #expect(
                            faulty.log.contains { $0.hasPrefix("unlink") && $0.hasSuffix(".manifest.json") },
                            "\(line), \(error) at operation \(n): the manifest is gone before the files took their places"
                        )
                    }
                } else {
                    // Only a step whose failure changes nothing may fail unreported (removing a file already gone).
                    #expect(try Self.manifestDescribesItsFiles(manifest))
                }
                n += 1
            }
            #expect(n > 5, "\(line): only \(n - 1) operations")
        }
    }

    @Test(arguments: exports)
    func killedAfterEveryOperationLeavesNoManifestThatLies(line: String) throws {
        var n = 0
        while true {
            let (h, _) = try prepared(line)
            let faulty = FaultyFileSystem(.crash(after: n))
            h.engine.files = faulty
            _ = h.failure(line)
            let manifest = h.directory + "/" + (line.contains("brat") ? "out-brat" : "out.jsonl") + ".manifest.json"
            #expect(
                try Self.manifestDescribesItsFiles(manifest),
                "\(line), killed after operation \(n): \(faulty.log.suffix(3))")
            if !faulty.fired { break }
            n += 1
        }
    }
}
