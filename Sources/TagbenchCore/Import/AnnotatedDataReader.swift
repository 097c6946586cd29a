#if canImport(Glibc)
    import Glibc
#endif

/// Reads annotated data for `load`: spans and doccano JSONL, Label Studio JSON task lists, brat
/// directories. Every span is checked against its text (offsets in range; the text a record
/// gives for a span must be the text at its offsets), so nothing shifted gets in.
public enum AnnotatedDataReader {
    /// The kinds of annotated data.
    public enum Kind: Sendable, Equatable {
        /// JSON lines of records with `text` (tagbench spans, doccano).
        case jsonLines
        /// A Label Studio JSON export (a list of tasks).
        case labelStudio
        /// A brat directory (`.txt` files with `.ann` files).
        case brat
    }

    /// What kind of annotated data `path` is, or nil for plain text.
    public static func kind(of path: String) -> Kind? {
        switch FileSystem.kind(of: path) {
        case .directory:
            let names = (try? FileSystem.list(path)) ?? []
            return names.contains { $0.hasSuffix(".ann") } ? .brat : nil
        case .file:
            switch Paths.fileExtension(of: path) {
            case "jsonl", "ndjson": return .jsonLines
            case "json": return .labelStudio
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The documents of one file or directory, with `origin` as the fallback provenance.
    /// `labels` are span labels the data declares (brat's annotation.conf), used or not.
    public static func read(_ path: String, displayPath: String, kind: Kind) throws(TagbenchError) -> (
        documents: [ImportedDocument], labels: [String], warnings: [String]
    ) {
        switch kind {
        case .jsonLines: return (try readJSONLines(path, displayPath: displayPath), [], [])
        case .labelStudio: return (try readLabelStudio(path, displayPath: displayPath), [], [])
        case .brat:
            let read = try readBrat(path, displayPath: displayPath)
            return (read.documents, bratEntities(path + "/annotation.conf"), read.warnings)
        }
    }

    /// The entity types of a brat `annotation.conf` (its `[entities]` section), in order.
    private static func bratEntities(_ path: String) -> [String] {
        guard let bytes = try? FileSystem.read(path) else { return [] }
        var names: [String] = []
        var inEntities = false
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = String(raw.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
            if line.hasPrefix("[") {
                inEntities = line == "[entities]"
                continue
            }
            guard inEntities, !line.isEmpty, !line.hasPrefix("#") else { continue }
            // Indentation marks a child type in brat's hierarchy (dropped above); `!` an abstract one.
            let name = line.split(separator: "\t").first.map(String.init) ?? line
            if !name.hasPrefix("!") { names.append(name) }
        }
        return names
    }

    // MARK: JSON lines

    private static func readJSONLines(_ path: String, displayPath: String) throws(TagbenchError) -> [ImportedDocument] {
        let bytes = try DocumentReader.read(path, displayPath: displayPath)
        var documents: [ImportedDocument] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let line = Array(bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                var r = try JSONReader(bytes: line, path: displayPath)
                documents.append(
                    try record(
                        &r, path: path, displayPath: displayPath, line: lineNumber,
                        fallbackID: Paths.stem(of: path) + "-\(lineNumber)"))
                try r.finish()
            } catch {
                if case .malformedJSON(let p, _, let column, let reason) = error {
                    throw .malformedJSON(path: p, line: lineNumber, column: column, reason: reason)
                }
                throw error
            }
        }
        return documents
    }

    /// One spans or doccano record.
    private static func record(_ r: inout JSONReader, path: String, displayPath: String, line: Int, fallbackID: String)
        throws(TagbenchError) -> ImportedDocument
    {
        var id: String?
        var text: String?
        var origin: String?
        var spans: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
        var rejected: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
        var categories: [ImportedDocument.Category] = []
        func bad(_ reason: String) -> TagbenchError { .invalidImport(path: displayPath, line: line, reason: reason) }
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "id": id = try scalarText(&r)
            case "text": text = try r.readString()
            case "spans", "entities", "rejected":
                try r.beginArray()
                while try r.nextElement() {
                    var s = (start: -1, end: -1, label: "", note: "", text: String?.none)
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "start", "start_offset": s.start = try r.readInt()
                        case "end", "end_offset": s.end = try r.readInt()
                        case "label": s.label = try scalarText(&r)
                        case "note": s.note = try r.readString()
                        case "text": s.text = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    if key == "rejected" { rejected.append(s) } else { spans.append(s) }
                }
            case "label", "labels":
                // doccano: [[start, end, "LABEL"], …] for spans, ["LABEL", …] for categories.
                try r.beginArray()
                while try r.nextElement() {
                    if try r.nextKind() == .array {
                        try r.beginArray()
                        var parts: [String] = []
                        while try r.nextElement() { parts.append(try scalarText(&r)) }
                        guard parts.count == 3, let s = Int(parts[0]), let e = Int(parts[1]) else {
                            throw bad("a label must be [start, end, \"LABEL\"]")
                        }
                        spans.append((s, e, parts[2], "", nil))
                    } else {
                        categories.append(.init(label: try scalarText(&r), unit: .doc, index: 1))
                    }
                }
            case "categories":
                try r.beginArray()
                while try r.nextElement() {
                    var c = ImportedDocument.Category(label: "", unit: .doc, index: 1)
                    if try r.nextKind() == .string {
                        c.label = try r.readString()
                    } else {
                        try r.beginObject()
                        while let k = try r.nextKey() {
                            switch k {
                            case "label": c.label = try r.readString()
                            case "unit":
                                let name = try r.readString()
                                guard let u = UnitKind(rawValue: name) else {
                                    throw bad("unknown unit \"\(name)\" (doc, para or sent)")
                                }
                                c.unit = u
                            case "index": c.index = try r.readInt()
                            default: try r.skipValue()
                            }
                        }
                    }
                    categories.append(c)
                }
            case "meta":
                if try r.nextKind() == .object {
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        if k == "source", try r.nextKind() == .string {
                            origin = try r.readString()
                        } else {
                            try r.skipValue()
                        }
                    }
                } else {
                    try r.skipValue()
                }
            default: try r.skipValue()
            }
        }
        guard let text else { throw bad("the record has no \"text\"") }
        var made = try make(
            id: id ?? fallbackID, text: text, origin: origin ?? displayPath, path: path, spans: spans + rejected,
            categories: categories, bad: bad)
        made.rejected = Array(made.spans.suffix(rejected.count))
        made.spans.removeLast(rejected.count)
        return made
    }

    /// A string, or a number or boolean as written (ids are often numbers).
    private static func scalarText(_ r: inout JSONReader) throws(TagbenchError) -> String {
        switch try r.nextKind() {
        case .string: return try r.readString()
        case .number: return String(try r.readInt())
        default: throw r.error("expected a string or a number")
        }
    }

    /// A checked document: every span inside the text, and matching the text it names.
    private static func make(
        id: String, text: String, origin: String, path: String,
        spans: [(start: Int, end: Int, label: String, note: String, text: String?)],
        categories: [ImportedDocument.Category], bad: (String) -> TagbenchError
    ) throws(TagbenchError) -> ImportedDocument {
        let bytes = Array(text.utf8)
        if let c = Names.firstForbidden(in: id) {
            throw bad(
                "the document id \"\(id)\" holds U+\(String(c.value, radix: 16, uppercase: true)), a control or bidirectional formatting character, which ids may not hold"
            )
        }
        if let nul = DocumentReader.firstNUL(bytes) { throw bad("the text holds a NUL character at byte \(nul)") }
        let document = Document(id: id, path: path, bytes: bytes)
        document.origin = origin
        var checked: [ImportedDocument.Span] = []
        for s in spans {
            let name = "span \(s.start):\(s.end) \(s.label)"
            guard !s.label.isEmpty else { throw bad("\(name) has no label") }
            guard s.start != s.end || s.start < 0 || s.end > document.length else {
                throw bad("\(name) is empty (its start is its end)")
            }
            guard s.start >= 0, s.start < s.end, s.end <= document.length else {
                throw bad(
                    "\(name) is outside the text (\(document.length) characters; offsets are code points, end exclusive)"
                )
            }
            let range = TextRange(s.start, s.end)
            if let expected = s.text, !document.covers(range, with: expected) {
                throw bad("\(name) says \"\(expected)\" but the text there is \"\(document.text(range))\"")
            }
            checked.append(.init(range: range, label: s.label, note: s.note))
        }
        for c in categories where c.label.isEmpty { throw bad("a category has no label") }
        return ImportedDocument(id: id, document: document, spans: checked, categories: categories)
    }

    // MARK: Label Studio

    private static func readLabelStudio(_ path: String, displayPath: String) throws(TagbenchError) -> [ImportedDocument]
    {
        let bytes = try DocumentReader.read(path, displayPath: displayPath)
        var r = try JSONReader(bytes: bytes, path: displayPath)
        var documents: [ImportedDocument] = []
        let single = try r.nextKind() == .object
        if !single { try r.beginArray() }
        var n = 0
        while try single ? n == 0 : r.nextElement() {
            n += 1
            var taskID: String?
            var text: String?
            var doc: String?
            var spans: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
            var categories: [ImportedDocument.Category] = []
            let at = r.error("")
            let line: Int
            if case .malformedJSON(_, let l, _, _) = at { line = l } else { line = 0 }
            func bad(_ reason: String) -> TagbenchError {
                .invalidImport(path: displayPath, line: line, reason: "task \(n): " + reason)
            }
            try r.beginObject()
            while let key = try r.nextKey() {
                switch key {
                case "id": taskID = try scalarText(&r)
                case "data":
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "text": text = try r.readString()
                        case "doc": doc = try scalarText(&r)
                        default:
                            if text == nil, try r.nextKind() == .string {
                                text = try r.readString()
                            } else {
                                try r.skipValue()
                            }
                        }
                    }
                case "annotations", "completions":
                    try r.beginArray()
                    while try r.nextElement() {
                        try r.beginObject()
                        while let k = try r.nextKey() {
                            guard k == "result" else {
                                try r.skipValue()
                                continue
                            }
                            try r.beginArray()
                            while try r.nextElement() {
                                var type = ""
                                var s = (start: -1, end: -1, label: "", note: "", text: String?.none)
                                var choices: [String] = []
                                try r.beginObject()
                                while let rk = try r.nextKey() {
                                    switch rk {
                                    case "type": type = try r.readString()
                                    case "value":
                                        try r.beginObject()
                                        while let vk = try r.nextKey() {
                                            switch vk {
                                            case "start": s.start = try r.readInt()
                                            case "end": s.end = try r.readInt()
                                            case "text": s.text = try r.readString()
                                            case "labels", "choices":
                                                try r.beginArray()
                                                while try r.nextElement() {
                                                    let v = try r.readString()
                                                    if vk == "labels" { s.label = v } else { choices.append(v) }
                                                }
                                            default: try r.skipValue()
                                            }
                                        }
                                    case "meta":
                                        try r.beginObject()
                                        while let mk = try r.nextKey() {
                                            guard mk == "text" else {
                                                try r.skipValue()
                                                continue
                                            }
                                            try r.beginArray()
                                            var notes: [String] = []
                                            while try r.nextElement() { notes.append(try r.readString()) }
                                            s.note = notes.joined(separator: " ")
                                        }
                                    default: try r.skipValue()
                                    }
                                }
                                if type == "labels" { spans.append(s) }
                                if type == "choices" {
                                    categories += choices.map { .init(label: $0, unit: .doc, index: 1) }
                                }
                            }
                        }
                    }
                default: try r.skipValue()
                }
            }
            guard let text else { throw bad("no data.text") }
            let id = doc ?? taskID.map { "task-\($0)" } ?? Paths.stem(of: path) + "-\(n)"
            documents.append(
                try make(
                    id: id, text: text, origin: displayPath, path: path, spans: spans, categories: categories, bad: bad)
            )
        }
        try r.finish()
        return documents
    }

    // MARK: brat

    /// Refuses a brat file that is a symbolic link or not a regular file.
    private static func requirePlainFile(_ path: String, shown: String) throws(TagbenchError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFLNK {
            throw .invalidImport(
                path: shown, line: 0,
                reason: "it is a symbolic link; a brat folder is read only from its own regular files")
        }
        if info.st_mode & S_IFMT != S_IFREG {
            throw .invalidImport(path: shown, line: 0, reason: "it is not a regular file")
        }
    }

    private static func readBrat(_ directory: String, displayPath: String) throws(TagbenchError) -> (
        documents: [ImportedDocument], warnings: [String]
    ) {
        let names = try FileSystem.list(directory).filter { $0.hasSuffix(".txt") }
        var documents: [ImportedDocument] = []
        var ignored = 0
        let shown = displayPath.hasSuffix("/") ? displayPath : displayPath + "/"
        for name in names {
            let stem = String(name.dropLast(4))
            let textPath = directory + "/" + name
            // Only the folder's own files: a link could bring in any file of the system.
            try requirePlainFile(textPath, shown: shown + name)
            let text = String(decoding: try DocumentReader.read(textPath, displayPath: shown + name), as: UTF8.self)
            var spans: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
            var spanIndex: [String: Int] = [:]
            let annPath = directory + "/" + stem + ".ann"
            let annDisplay = shown + stem + ".ann"
            if FileSystem.kind(of: annPath) == .file {
                try requirePlainFile(annPath, shown: annDisplay)
                let ann = String(decoding: try DocumentReader.read(annPath, displayPath: annDisplay), as: UTF8.self)
                var notes: [(target: String, note: String, line: Int)] = []
                for (i, line) in ann.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = line.hasSuffix("\r") ? line.dropLast() : line
                    if line.isEmpty { continue }
                    let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                    func bad(_ reason: String) -> TagbenchError {
                        .invalidImport(path: annDisplay, line: i + 1, reason: reason)
                    }
                    if line.hasPrefix("T") {
                        guard fields.count == 3 else { throw bad("a T line is ID<TAB>LABEL START END<TAB>TEXT") }
                        let typeAndOffsets = fields[1].split(separator: " ", maxSplits: 1)
                        guard typeAndOffsets.count == 2 else {
                            throw bad("a T line is ID<TAB>LABEL START END<TAB>TEXT")
                        }
                        var fragments: [(Int, Int)] = []
                        for part in typeAndOffsets[1].split(separator: ";") {
                            let o = part.split(separator: " ")
                            guard o.count == 2, let s = Int(o[0]), let e = Int(o[1]) else {
                                throw bad("bad offsets \"\(typeAndOffsets[1])\"")
                            }
                            fragments.append((s, e))
                        }
                        guard let first = fragments.first, let last = fragments.last else { throw bad("no offsets") }
                        // The text field joins fragments with spaces; one fragment is checked exactly.
                        spanIndex[String(fields[0])] = spans.count
                        spans.append(
                            (
                                first.0, last.1, String(typeAndOffsets[0]), "",
                                fragments.count == 1 ? String(fields[2]) : nil
                            ))
                        if fragments.count > 1 {
                            let scalars = Array(text.unicodeScalars)
                            guard fragments.allSatisfy({ $0.0 >= 0 && $0.0 < $0.1 && $0.1 <= scalars.count }) else {
                                throw bad("offsets outside the text")
                            }
                            let joined = fragments.map { String(String.UnicodeScalarView(scalars[$0.0..<$0.1])) }
                                .joined(separator: " ")
                            guard joined == fields[2] else {
                                throw bad("\(fields[0]) says \"\(fields[2])\" but the text there is \"\(joined)\"")
                            }
                        }
                    } else if line.hasPrefix("#"), fields.count == 3, fields[1].hasPrefix("AnnotatorNotes ") {
                        notes.append((String(fields[1].dropFirst("AnnotatorNotes ".count)), String(fields[2]), i + 1))
                    } else {
                        ignored += 1
                    }
                }
                for n in notes {
                    guard let k = spanIndex[n.target] else {
                        ignored += 1
                        continue
                    }
                    spans[k].note = n.note
                }
            }
            func bad(_ reason: String) -> TagbenchError { .invalidImport(path: annDisplay, line: 0, reason: reason) }
            documents.append(
                try make(
                    id: stem, text: text, origin: shown + name, path: directory, spans: spans, categories: [], bad: bad)
            )
        }
        let warnings =
            ignored > 0
            ? [
                "\(displayPath): \(Format.count(ignored, "brat line")) other than text-bound spans and their notes ignored"
            ] : []
        return (documents, warnings)
    }
}
