import TagbenchCore

/// What Tab does: replace the word being typed, or list the choices.
public struct Completion: Equatable, Sendable {
    /// Characters (code points) to delete before the cursor.
    public var deleteCount = 0
    /// Text to insert; nil when there is nothing to insert.
    public var replacement: String?
    /// Every candidate (for listing when ambiguous).
    public var candidates: [String] = []
}

/// Completes commands, labels (an alias completes to its label), document ids, keywords and paths.
public struct Completer {
    private let engine: Engine
    private let baseDirectory: String

    /// A completer over an engine's session.
    public init(engine: Engine, baseDirectory: String) {
        self.engine = engine
        self.baseDirectory = baseDirectory
    }

    /// The completion for `line`, the text before the cursor.
    public func complete(_ line: String) -> Completion {
        // Split into finished words and the word being typed (quotes are not completed into).
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let typing = line.hasSuffix(" ") || line.isEmpty ? "" : (words.popLast() ?? "")
        let choices: [(shown: String, insert: String)]
        if words.isEmpty {
            choices = CommandReference.names.map { ($0, $0) }
        } else {
            choices = candidates(command: words[0], position: words.count, previous: words.last!, typing: typing)
        }
        let matching = choices.filter { $0.shown.hasPrefix(typing) }
        guard !matching.isEmpty else { return Completion() }
        let inserts = Array(Set(matching.map(\.insert))).sorted()
        let typedCount = typing.unicodeScalars.count
        if inserts.count == 1 {
            let choice = inserts[0]
            let isDirectory = choice.hasSuffix("/")
            if choice.hasPrefix(typing) {
                return Completion(
                    deleteCount: 0,
                    replacement: String(choice.unicodeScalars.dropFirst(typedCount)) + (isDirectory ? "" : " "),
                    candidates: inserts)
            }
            // An alias: replace what was typed with the label's name.
            return Completion(deleteCount: typedCount, replacement: choice + " ", candidates: inserts)
        }
        let common = Self.commonPrefix(matching.map(\.shown))
        if common.unicodeScalars.count > typedCount {
            return Completion(
                deleteCount: 0, replacement: String(common.unicodeScalars.dropFirst(typedCount)), candidates: inserts)
        }
        return Completion(candidates: matching.map(\.shown).sorted())
    }

    private func candidates(command: String, position: Int, previous: String, typing: String) -> [(String, String)] {
        let labels = labelChoices()
        let documents = engine.session.documents.map { ($0.id, $0.id) }
        switch (command, position) {
        case ("tag", 1), ("classify", 1), ("unclassify", 1), ("spans", 1): return labels
        case ("relabel", 2): return labels
        case ("suggest", _), ("suggestions", 1), ("review", 1), ("adjudicate", 1), ("accept", 2), ("reject", 2):
            return labels
        case ("accept", 1), ("reject", 1):
            return [("all", "all")] + engine.session.suggestions.pending.prefix(2000).map { ($0.id, $0.id) }
        case ("tag", 2): return ["all", "para", "sent"].map { ($0, $0) }
        case ("classify", 2), ("unclassify", 2): return ["doc", "para", "sent"].map { ($0, $0) }
        case ("show", 1): return ["para", "sent"].map { ($0, $0) }
        case ("next", 1), ("prev", 1): return [("para", "para")]
        case ("next", 2) where previous == "para", ("prev", 2) where previous == "para", ("next", 3), ("prev", 3):
            return [("--untagged", "--untagged")] + labels
        case ("paras", _): return [("--untagged", "--untagged")] + labels
        case ("open", 1): return documents
        case ("help", 1): return CommandReference.names.map { ($0, $0) }
        case ("export", 1): return ExportFormat.allCases.map { ($0.rawValue, $0.rawValue) }
        case ("export", 3...):
            switch previous {
            case "--unit", "--split-by": return UnitKind.allCases.map { ($0.rawValue, $0.rawValue) }
            case "--overlap": return OverlapResolution.allCases.map { ($0.rawValue, $0.rawValue) }
            case "--labels": return labels
            case "--docs": return documents
            default:
                return [
                    "--unit", "--labels", "--docs", "--split", "--split-by", "--seed", "--shard-size", "--from-spans",
                    "--negatives", "--jsonl", "--overlap"
                ].map { ($0, $0) }
            }
        case ("conflicts", 1): return labels
        case ("resolve", 1): return engine.session.conflicts.open.prefix(2000).map { ($0.id, $0.id) }
        case ("resolve", 2): return ["--pick", "--all", "--none", "--as"].map { ($0, $0) }
        case ("resolve", 3) where previous == "--as": return labels
        case ("merge", _) where previous == "--strategy": return ["unanimous", "majority", "min="].map { ($0, $0) }
        case ("merge", _): return pathChoices(typing)
        case ("agree", _) where previous == "--labels": return labels
        case ("agree", _) where previous == "--docs": return documents
        case ("agree", _) where typing.hasPrefix("-"):
            return ["--labels", "--docs", "--json", "--diff"].map { ($0, $0) }
        case ("agree", _): return pathChoices(typing)
        case ("label", 1): return [("add", "add")]
        case ("load", _) where typing.hasPrefix("-"): return ["--encoding", "--split-at"].map { ($0, $0) }
        case ("stats", _): return ["--all", "--top", "--json"].map { ($0, $0) }
        case ("report", 2...):
            switch previous {
            case "--labels": return labels
            case "--docs": return documents
            case "--with": return pathChoices(typing)
            default: return ["--docs", "--labels", "--with"].map { ($0, $0) }
            }
        case ("load", _), ("run", 1), ("save", 1), ("export", 2), ("schema", 1), ("report", 1):
            return pathChoices(typing)
        case ("untag", _), ("relabel", 1), ("note", 1):
            return engine.session.annotationSlots.suffix(2000).compactMap { $0.map { ($0.id, $0.id) } }
        default: return []
        }
    }

    private func labelChoices() -> [(String, String)] {
        var result: [(String, String)] = []
        for label in engine.session.tagSet.labels {
            result.append((label.name, label.name))
            for alias in label.aliases { result.append((alias, label.name)) }
        }
        return result
    }

    private func pathChoices(_ typing: String) -> [(String, String)] {
        // The last "/" found as a byte: one followed by a combining mark is one Character.
        let directoryPart = typing.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(typing[...$0]) } ?? ""
        let absolute = Paths.absolute(directoryPart.isEmpty ? "." : directoryPart, base: baseDirectory)
        guard let names = try? FileSystem.list(absolute) else { return [] }
        return names.filter { !$0.hasPrefix(".") || typing.hasPrefix(directoryPart + ".") }.map { name in
            let path = directoryPart + name + (FileSystem.kind(of: absolute + "/" + name) == .directory ? "/" : "")
            return (path, path)
        }
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for s in strings.dropFirst() {
            let scalars = Array(s.unicodeScalars)
            var n = 0
            while n < prefix.count && n < scalars.count && prefix[n] == scalars[n] { n += 1 }
            prefix.removeLast(prefix.count - n)
        }
        return String(String.UnicodeScalarView(prefix))
    }
}
