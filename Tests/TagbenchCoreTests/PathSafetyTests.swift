import Foundation
import Testing
@testable import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

/// Every path tagbench writes — an export file, each name derived from it, the brat files, the
/// manifest, a saved session — against every way a name can lead to the session file or a
/// document: refused with `exportOverInput`, and nothing in the workspace changed.
struct PathSafetyTests {
    /// A file an export or a save writes, by its name in the output folder.
    enum Output: String, CaseIterable, CustomTestStringConvertible {
        case file, split, shard, labels, config, manifest, bratText, bratAnnotation, bratConfig, save

        /// The name written, relative to the output folder.
        var name: String {
            switch self {
            case .file: return "out.jsonl"
            case .split: return "out-train.jsonl"
            case .shard: return "out-00001.jsonl"
            case .labels: return "out.labels.json"
            case .config: return "out.config.xml"
            case .manifest: return "out.jsonl.manifest.json"
            case .bratText: return "brat/xinqu-2023.txt"
            case .bratAnnotation: return "brat/xinqu-2023.ann"
            case .bratConfig: return "brat/annotation.conf"
            case .save: return "saved.json"
            }
        }

        /// The command that writes `name` in `folder`.
        func command(folder: String) -> String {
            switch self {
            case .file, .manifest: return "export spans \(folder)/out.jsonl"
            case .split: return "export spans \(folder)/out.jsonl --split train=1,dev=0"
            case .shard: return "export spans \(folder)/out.jsonl --shard-size 1"
            case .labels: return "export bio \(folder)/out.jsonl --jsonl"
            case .config: return "export label-studio \(folder)/out.json"
            case .bratText, .bratAnnotation, .bratConfig: return "export brat \(folder)/brat"
            case .save: return "save \(folder)/saved.json"
            }
        }

        var testDescription: String { rawValue }
    }

    /// How the name written leads to the protected file.
    enum Alias: String, CaseIterable, CustomTestStringConvertible {
        /// A symbolic link planted under the name.
        case symlink
        /// A hard link planted under the name.
        case hardLink
        /// A hard link, the output folder spelled with `..`.
        case dotDot
        /// A hard link, the output folder reached through a symlinked folder.
        case symlinkedFolder

        var testDescription: String { rawValue }
    }

    /// The file that must stay as it is.
    enum Victim: String, CaseIterable, CustomTestStringConvertible {
        case session, document
        var path: String { self == .session ? "s.json" : "corpus/xinqu-2023.txt" }
        var testDescription: String { rawValue }
    }

    /// A workspace with a saved session of the four fixture documents, one span in each, and an
    /// output folder `out` (with an earlier brat export's place, `out/brat`, and its manifest).
    func workspace() throws -> (EngineHarness, String) {
        let dir = try Fixture.workspace()
        try FileManager.default.copyItem(atPath: dir + "/Fixtures/corpus", toPath: dir + "/corpus")
        let h = EngineHarness(directory: dir)
        try h.run(
            "schema Fixtures/../Schemas/governance.tagset.json", "load corpus", "open xinqu-2023", "tag 主题教育 1:3",
            "save s.json")
        try FileManager.default.createDirectory(atPath: dir + "/out/brat/sub", withIntermediateDirectories: true)
        try "{}".write(toFile: dir + "/out/brat.manifest.json", atomically: true, encoding: .utf8)
        return (h, dir)
    }

    /// Every entry under `dir`: a file's bytes, a link's target, or that it is a folder.
    static func snapshot(_ dir: String) throws -> [String: String] {
        var entries: [String: String] = [:]
        func walk(_ relative: String) throws {
            let path = relative.isEmpty ? dir : dir + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                let child = relative.isEmpty ? name : relative + "/" + name
                let full = dir + "/" + child
                let type = try FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType
                switch type {
                case .typeSymbolicLink:
                    entries[child] = "-> " + (try FileManager.default.destinationOfSymbolicLink(atPath: full))
                case .typeDirectory:
                    entries[child] = "dir"
                    try walk(child)
                default: entries[child] = try Data(contentsOf: URL(fileURLWithPath: full)).base64EncodedString()
                }
            }
        }
        try walk("")
        return entries
    }

    @Test(arguments: Output.allCases, Alias.allCases)
    func everyOutputRefusesEveryAliasOfTheSessionAndADocument(output: Output, alias: Alias) throws {
        for victim in Victim.allCases {
            // Saving onto the session's own file is what save does.
            if output == .save && victim == .session { continue }
            let (h, dir) = try workspace()
            let planted = dir + "/out/" + output.name
            switch alias {
            case .symlink:
                try FileManager.default.createSymbolicLink(
                    atPath: planted, withDestinationPath: dir + "/" + victim.path)
            default: try FileManager.default.linkItem(atPath: dir + "/" + victim.path, toPath: planted)
            }
            var folder = "out"
            if alias == .dotDot { folder = "out/brat/sub/../.." }
            if alias == .symlinkedFolder {
                try FileManager.default.createSymbolicLink(atPath: dir + "/lo", withDestinationPath: "out")
                folder = "lo"
            }
            let before = try Self.snapshot(dir)
            let error = h.failure(output.command(folder: folder))
            guard case .exportOverInput = error else {
                Issue.record("\(output) over the \(victim) by \(alias): \(String(describing: error))")
                continue
            }
            #expect(try Self.snapshot(dir) == before, "\(output) over the \(victim) by \(alias) changed the workspace")
        }
    }

    /// The issue's own reproductions: a document reached by its real name, through a symlinked
    /// folder or through `..`, by a derived name.
    static let documentByItsName: [String] = [
        "export spans cl/xinqu-2023.txt",
        "export spans corpus/xinqu.txt --split 2023=1,zz=0",
        "export spans cl/xinqu.txt --split 2023=1,zz=0",
        "export spans out/../corpus/xinqu.txt --split 2023=1,zz=0",
        "save cl/xinqu-2023.txt",
        "save out/../corpus/xinqu-2023.txt",
        "export brat cl"
    ]

    @Test(arguments: documentByItsName)
    func aDocumentIsRefusedByItsOwnNameThroughAnyPath(line: String) throws {
        let (h, dir) = try workspace()
        try FileManager.default.createSymbolicLink(atPath: dir + "/cl", withDestinationPath: "corpus")
        // As if an earlier brat export had been made there: brat gets as far as its files.
        try "{}".write(toFile: dir + "/cl.manifest.json", atomically: true, encoding: .utf8)
        let before = try Self.snapshot(dir)
        let error = h.failure(line)
        // brat refuses a linked folder before it looks at the files in it.
        if line == "export brat cl", case .writeFailed(_, let reason) = error, reason.hasPrefix("it is a symbolic link")
        {
            #expect(try Self.snapshot(dir) == before)
            return
        }
        guard case .exportOverInput = error else {
            Issue.record("\(line): \(String(describing: error))")
            return
        }
        #expect(try Self.snapshot(dir) == before)
    }

    @Test func aDanglingLinkToAMissingDocumentsPlaceIsRefused() throws {
        let (h, dir) = try workspace()
        try FileManager.default.removeItem(atPath: dir + "/corpus/qu-jiceng.txt")
        try FileManager.default.createSymbolicLink(
            atPath: dir + "/out/out.jsonl", withDestinationPath: "../corpus/qu-jiceng.txt")
        let error = h.failure("export spans out/out.jsonl")
        guard case .exportOverInput = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/corpus/qu-jiceng.txt"))
    }

    @Test func anOrdinaryExportAndSaveStillWrite() throws {
        let (h, dir) = try workspace()
        try h.run("export spans out/out.jsonl --split train=1,dev=0", "export brat out/brat", "save out/saved.json")
        for name in [
            "out-train.jsonl", "out.jsonl.manifest.json", "brat/xinqu-2023.txt", "brat/annotation.conf", "saved.json"
        ] {
            #expect(FileManager.default.fileExists(atPath: dir + "/out/" + name), "\(name)")
        }
        // A split of weight 0 has no documents, so no (empty) file.
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/out-dev.jsonl"))
    }

    /// Another session (not the open one) and the files beside any session are refused to every
    /// export: a mistyped output must not replace a colleague's session or its lock. `save PATH`
    /// may still replace a session (a save-as), never a file beside one.
    @Test func anotherSessionAndAnySessionsSideFilesAreRefused() throws {
        let (h, dir) = try workspace()
        try h.run("save other.json", "save s.json")
        for line in [
            "export spans other.json", "export doccano .other.json.lock", "export spans .s.json.checkpoint",
            "export spans .x.json.journal.failed-1", "save .other.json.journal", "save .s.json.hashes"
        ] {
            let before = try Self.snapshot(dir)
            #expect(h.failure(line).map { if case .exportOverInput = $0 { true } else { false } } == true, "\(line)")
            #expect(try Self.snapshot(dir) == before, "\(line)")
        }
        try h.run("save other.json")
        #expect(FileManager.default.fileExists(atPath: dir + "/other.json"))
    }
}
