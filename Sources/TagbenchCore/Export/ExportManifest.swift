/// `PATH.manifest.json`: what an export holds and how to check it — format, offset unit, counts
/// per split and file, each file's SHA-256, the session and options it came from.
struct ExportManifest {
    let options: ExportOptions
    let provenance: ExportProvenance
    let labelNames: [String]
    let splitNames: [String?]
    let splitPaths: [String]
    /// Documents with records in each split (split by unit, a document may be in several).
    let documents: [Int]
    /// Documents exported.
    let totalDocuments: Int
    let files: [[ExportedFile]]
    let extraFiles: [ExportedFile]
    let balance: SplitAssigner.Balance?
    let warnings: [String]

    /// The manifest as bytes; paths relative to `directory`, where it is written.
    func encode(directory: String) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        func counts(_ c: [Int: Int]) { labelCounts(c, &w) }
        func sum(_ files: [ExportedFile]) -> [Int: Int] {
            files.reduce(into: [:]) { total, f in for (l, n) in f.labelCounts { total[l, default: 0] += n } }
        }
        w.raw("{\n  \"manifest\": \"tagbench-export\",\n  \"format\": ")
        w.string(options.format.rawValue)
        w.raw(",\n  \"unit\": ")
        w.string(options.recordUnit.rawValue)
        w.raw(
            ",\n  \"offset_unit\": \"codepoint\",\n  \"offsets\": \"start inclusive, end exclusive, as Python str indexes\",\n  \"tagbench_version\": "
        )
        w.string(TagbenchVersion.current)
        w.raw(",\n  \"session\": {\"path\": ")
        if let p = provenance.sessionPath { w.string(Paths.relative(p, to: directory)) } else { w.raw("null") }
        w.raw(", \"sha256\": ")
        if let h = provenance.sessionSHA256 { w.string(h) } else { w.raw("null") }
        w.raw(", \"saved\": ")
        w.bool(provenance.sessionSHA256 != nil)
        w.raw("},\n  \"command\": ")
        w.string(
            CommandRenderer.render(
                .export(
                    ExportOptions(
                        format: options.format, path: provenance.typedPath ?? Paths.fileName(of: options.path)
                    ).with(options))))
        w.raw(",\n  \"options\": {\"unit\": ")
        w.string(options.recordUnit.rawValue)
        w.raw(", \"labels\": ")
        w.stringArray(options.labels)
        w.raw(", \"docs\": ")
        w.stringArray(options.documents)
        w.raw(", \"split\": {")
        for (i, s) in options.split.enumerated() {
            if i > 0 { w.raw(", ") }
            w.string(s.name)
            w.raw(": ")
            w.int(s.weight)
        }
        w.raw("}, ")
        if let splitBy = options.splitBy {
            w.raw("\"split_by\": ")
            w.string(splitBy.rawValue)
            w.raw(", ")
        }
        w.raw("\"seed\": ")
        w.int(Int(truncatingIfNeeded: options.seed))
        w.raw(", \"shard_size\": ")
        if let n = options.shardSize { w.int(n) } else { w.raw("null") }
        w.raw(", \"from_spans\": ")
        w.bool(options.fromSpans)
        w.raw(", \"negatives\": ")
        w.bool(options.negatives)
        w.raw(", \"jsonl\": ")
        w.bool(options.jsonl)
        w.raw(", \"overlap\": ")
        if let o = options.overlap { w.string(o.rawValue) } else { w.raw("null") }
        let all = files.flatMap { $0 }
        w.raw("},\n  \"totals\": {\"documents\": ")
        w.int(totalDocuments)
        w.raw(", \"records\": ")
        w.int(all.reduce(0) { $0 + $1.records })
        w.raw(", \"labels\": ")
        counts(sum(all))
        w.raw("},\n  \"splits\": [")
        let totalWeight = options.split.reduce(0) { $0 + $1.weight }
        for (s, name) in splitNames.enumerated() {
            w.raw(s == 0 ? "\n    {\"name\": " as StaticString : ",\n    {\"name\": ")
            if let name { w.string(name) } else { w.raw("null") }
            w.raw(", \"share\": ")
            w.raw(name == nil ? "1" : decimal(Double(options.split[s].weight) / Double(totalWeight)))
            w.raw(", \"path\": ")
            w.string(Paths.relative(splitPaths[s], to: directory))
            w.raw(", \"documents\": ")
            w.int(documents[s])
            w.raw(", \"records\": ")
            w.int(files[s].reduce(0) { $0 + $1.records })
            w.raw(", \"labels\": ")
            counts(sum(files[s]))
            w.raw(",\n     \"files\": [")
            for (i, f) in files[s].enumerated() {
                w.raw(i == 0 ? "\n      " as StaticString : ",\n      ")
                file(f, &w, directory: directory)
            }
            w.raw(files[s].isEmpty ? "]}" as StaticString : "\n     ]}")
        }
        w.raw("\n  ],\n  \"other_files\": [")
        for (i, f) in extraFiles.enumerated() {
            w.raw(i == 0 ? "\n    " as StaticString : ",\n    ")
            file(f, &w, directory: directory)
        }
        w.raw(extraFiles.isEmpty ? "]" as StaticString : "\n  ]")
        if let balance {
            w.raw(",\n  \"balance\": {\"max_label_deviation\": ")
            w.raw(decimal(balance.maxLabelDeviation))
            w.raw(", \"worst\": ")
            if let worst = balance.worst {
                w.raw("{\"label\": ")
                w.string(labelNames[worst.label])
                w.raw(", \"split\": ")
                w.string(splitNames[worst.split] ?? "")
                w.raw("}")
            } else {
                w.raw("null")
            }
            w.raw(", \"meaning\": \"")
            w.raw(options.splitBy == .para ? "paragraphs" : options.splitBy == .sent ? "sentences" : "documents")
            w.raw(
                " stay whole, so a label's share of spans in a split can differ from the split's share; this is the largest difference\"}"
            )
        }
        w.raw(",\n  \"warnings\": ")
        w.stringArray(warnings)
        w.raw("\n}\n")
        return w.bytes
    }

    /// The files (absolute paths) an earlier manifest at `path` lists, split files and other files;
    /// empty when there is none or it cannot be read (then nothing is taken for tagbench's own).
    static func listedFiles(_ path: String) -> [String] {
        guard FileSystem.kind(of: path) == .file, let bytes = try? FileSystem.read(path) else { return [] }
        let directory = Paths.directory(of: path)
        var found: [String] = []
        do throws(TagbenchError) {
            var r = try JSONReader(bytes: bytes, path: path)
            // The "path" of each object in a "files" or "other_files" list.
            func fileList() throws(TagbenchError) {
                guard try r.nextKind() == .array else { return try r.skipValue() }
                try r.beginArray()
                while try r.nextElement() {
                    guard try r.nextKind() == .object else {
                        try r.skipValue()
                        continue
                    }
                    try r.beginObject()
                    while let key = try r.nextKey() {
                        if key == "path", try r.nextKind() == .string {
                            found.append(Paths.absolute(try r.readString(), base: directory))
                        } else {
                            try r.skipValue()
                        }
                    }
                }
            }
            try r.beginObject()
            while let key = try r.nextKey() {
                if key == "other_files" {
                    try fileList()
                } else if key == "splits", try r.nextKind() == .array {
                    try r.beginArray()
                    while try r.nextElement() {
                        guard try r.nextKind() == .object else {
                            try r.skipValue()
                            continue
                        }
                        try r.beginObject()
                        while let key = try r.nextKey() {
                            if key == "files" { try fileList() } else { try r.skipValue() }
                        }
                    }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            return []
        }
        return found
    }

    private func labelCounts(_ c: [Int: Int], _ w: inout JSONWriter) {
        w.raw("{")
        for (i, l) in c.keys.sorted().enumerated() {
            if i > 0 { w.raw(", ") }
            w.string(labelNames[l])
            w.raw(": ")
            w.int(c[l]!)
        }
        w.raw("}")
    }

    private func file(_ f: ExportedFile, _ w: inout JSONWriter, directory: String) {
        w.raw("{\"path\": ")
        w.string(Paths.relative(f.path, to: directory))
        w.raw(", \"records\": ")
        w.int(f.records)
        w.raw(", \"bytes\": ")
        w.int(f.bytes)
        w.raw(", \"sha256\": ")
        w.string(f.sha256)
        w.raw(", \"labels\": ")
        labelCounts(f.labelCounts, &w)
        w.raw("}")
    }

    /// A fraction with four decimals, written the same on every machine.
    private func decimal(_ x: Double) -> String {
        let scaled = Int((x * 10000).rounded())
        let whole = scaled / 10000
        let part = String(scaled % 10000)
        return "\(whole)." + String(repeating: "0", count: 4 - part.count) + part
    }
}

extension ExportOptions {
    /// These options with `other`'s settings (all but format and path).
    func with(_ other: ExportOptions) -> ExportOptions {
        var o = other
        o.format = format
        o.path = path
        return o
    }
}
