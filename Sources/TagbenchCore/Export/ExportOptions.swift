/// One share of a `--split`: a name and its weight.
public struct SplitShare: Hashable, Sendable {
    /// The name, put into file names (`train`, `dev`, `test`, …).
    public var name: String
    /// The relative weight.
    public var weight: Int

    /// Makes a share.
    public init(name: String, weight: Int) {
        self.name = name
        self.weight = weight
    }
}

/// Everything `export FORMAT PATH [options]` says.
public struct ExportOptions: Hashable, Sendable {
    /// The format.
    public var format: ExportFormat
    /// The output file (or directory for brat).
    public var path: String
    /// One record per document, paragraph or sentence; nil is the format's default.
    public var unit: UnitKind?
    /// `--labels`: only these labels (names or aliases); empty keeps all.
    public var labels: [String] = []
    /// `--docs`: only these documents (ids, numbers or globs); empty keeps all.
    public var documents: [String] = []
    /// `--split`: the shares; empty writes one set.
    public var split: [SplitShare] = []
    /// `--split-by para|sent`: what the split puts whole into one share, paragraphs or sentences
    /// instead of documents; nil splits by document.
    public var splitBy: UnitKind?
    /// `--seed` for the split.
    public var seed: UInt64 = 0
    /// `--shard-size`: records per file.
    public var shardSize: Int?
    /// `classify --from-spans`: a unit also gets the labels of the spans in it.
    public var fromSpans = false
    /// `classify --negatives`: keep units with no label.
    public var negatives = false
    /// `bio --jsonl`: JSONL with tag ids and a label list instead of CoNLL text.
    public var jsonl = false
    /// `bio --overlap`: how overlapping spans are resolved; nil makes them an error.
    public var overlap: OverlapResolution?

    /// Options with every default.
    public init(format: ExportFormat, path: String) {
        self.format = format
        self.path = path
    }

    /// The unit records are made of: `--unit`, else the format's default, or the unit of
    /// `--split-by` when that is finer (a paragraph in one share and the next in another must be
    /// records of their own).
    public var recordUnit: UnitKind {
        if let unit { return unit }
        if let splitBy, splitBy.order > format.units[0].order { return splitBy }
        return format.units[0]
    }

    /// Parses the words after `export`: `FORMAT PATH [options]`.
    public static func parse(format: String, path: String, options words: [String]) throws(TagbenchError)
        -> ExportOptions
    {
        guard let f = ExportFormat(rawValue: format) else { throw .unknownExportFormat(format) }
        // An empty path would be resolved to the folder the user is in; one ending in `/`, `.` or
        // `..` names a folder, which only brat writes (other files would be written beside it,
        // under its name).
        guard !path.isEmpty else {
            throw .invalidArgument(command: "export", argument: path, expected: "a path to write to")
        }
        let last = Paths.components(of: path).last
        guard f == .brat || !(path.hasSuffix("/") || last == "." || last == "..") else {
            throw .invalidArgument(
                command: "export", argument: path,
                expected: "a file path (one ending in /, . or .. is a folder; only brat writes one)")
        }
        var o = ExportOptions(format: f, path: path)
        var i = 0
        func value(_ option: String) throws(TagbenchError) -> String {
            i += 1
            guard i < words.count, !words[i].hasPrefix("--") else {
                throw .missingArgument(command: "export", what: "a value after \(option)")
            }
            return words[i]
        }
        func list(_ text: String) -> [String] { text.split(separator: ",").map { String($0) }.filter { !$0.isEmpty } }
        func only(_ option: String, _ formats: ExportFormat...) throws(TagbenchError) {
            guard formats.contains(f) else {
                throw .invalidExportOption(
                    option, reason: "applies to \(formats.map(\.rawValue).joined(separator: " and ")) only")
            }
        }
        while i < words.count {
            let option = words[i]
            switch option {
            case "--unit":
                let name = try value(option)
                guard let u = UnitKind(rawValue: name), f.units.contains(u) else {
                    throw .invalidExportOption(
                        "--unit \(name)",
                        reason: "\(f.rawValue) records are one of: \(f.units.map(\.rawValue).joined(separator: ", "))")
                }
                o.unit = u
            case "--labels": o.labels = list(try value(option))
            case "--docs": o.documents = list(try value(option))
            case "--split":
                let text = try value(option)
                var shares: [SplitShare] = []
                for part in list(text) {
                    let pieces = part.split(separator: "=", omittingEmptySubsequences: false)
                    let name = pieces.count == 2 ? String(pieces[0]) : ""
                    guard pieces.count == 2, let w = Int(pieces[1]), w >= 0, !name.isEmpty,
                        name.unicodeScalars.allSatisfy({
                            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
                        }),
                        !shares.contains(where: { $0.name == name })
                    else {
                        throw .invalidExportOption(
                            "--split \(text)",
                            reason:
                                "write NAME=WEIGHT,… such as train=8,dev=1,test=1 (names of letters, digits and _, each once)"
                        )
                    }
                    shares.append(SplitShare(name: name, weight: w))
                }
                guard shares.count >= 2, shares.contains(where: { $0.weight > 0 }) else {
                    throw .invalidExportOption(
                        "--split \(text)", reason: "give at least two shares, one of them above 0")
                }
                o.split = shares
            case "--split-by":
                let name = try value(option)
                guard let u = UnitKind(rawValue: name) else {
                    throw .invalidExportOption("--split-by \(name)", reason: "split by doc, para or sent")
                }
                guard f.units.count > 1 || u == .doc else {
                    throw .invalidExportOption(
                        "--split-by \(name)",
                        reason: "\(f.rawValue) writes whole documents (\(f == .brat ? "a file pair" : "a task") each)")
                }
                o.splitBy = u == .doc ? nil : u
            case "--seed":
                let text = try value(option)
                guard let s = UInt64(text) else {
                    throw .invalidExportOption("--seed \(text)", reason: "the seed is a number from 0")
                }
                o.seed = s
            case "--shard-size":
                let text = try value(option)
                guard let n = Int(text), n >= 1 else {
                    throw .invalidExportOption("--shard-size \(text)", reason: "the size is a number of records from 1")
                }
                guard f != .brat else {
                    throw .invalidExportOption(option, reason: "brat writes one file pair per document")
                }
                o.shardSize = n
            case "--from-spans":
                try only(option, .classify)
                o.fromSpans = true
            case "--negatives":
                try only(option, .classify)
                o.negatives = true
            case "--jsonl":
                try only(option, .bio)
                o.jsonl = true
            case "--overlap":
                try only(option, .bio)
                let name = try value(option)
                guard let r = OverlapResolution(rawValue: name) else {
                    throw .invalidExportOption("--overlap \(name)", reason: "choose longest or first")
                }
                o.overlap = r
            default:
                if option.hasPrefix("--") { throw .unknownOption(option, command: "export") }
                throw .unexpectedArgument(command: "export", argument: option)
            }
            i += 1
        }
        if let splitBy = o.splitBy {
            guard !o.split.isEmpty else {
                throw .invalidExportOption(
                    "--split-by \(splitBy.rawValue)", reason: "it says how --split divides; give --split too")
            }
            guard o.recordUnit.order >= splitBy.order else {
                throw .invalidExportOption(
                    "--split-by \(splitBy.rawValue)",
                    reason:
                        "records of a \(o.recordUnit == .doc ? "document" : "paragraph") cannot be split by \(splitBy == .para ? "paragraph" : "sentence") (use --unit \(splitBy.rawValue))"
                )
            }
        }
        return o
    }

    /// The options as words after `FORMAT PATH`, in a fixed order (for the log and the manifest).
    public var optionWords: [String] {
        var words: [String] = []
        if let unit { words += ["--unit", unit.rawValue] }
        if !labels.isEmpty { words += ["--labels", labels.joined(separator: ",")] }
        if !documents.isEmpty { words += ["--docs", documents.joined(separator: ",")] }
        if !split.isEmpty {
            words += ["--split", split.map { "\($0.name)=\($0.weight)" }.joined(separator: ",")]
        }
        if let splitBy { words += ["--split-by", splitBy.rawValue] }
        if !split.isEmpty || seed != 0 { words += ["--seed", String(seed)] }
        if let shardSize { words += ["--shard-size", String(shardSize)] }
        if fromSpans { words.append("--from-spans") }
        if negatives { words.append("--negatives") }
        if jsonl { words.append("--jsonl") }
        if let overlap { words += ["--overlap", overlap.rawValue] }
        return words
    }
}
