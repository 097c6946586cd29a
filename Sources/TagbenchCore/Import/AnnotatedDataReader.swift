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
                var reader = try JSONReader(bytes: line, path: displayPath)
                documents.append(
                    try record(
                        &reader, path: path, displayPath: displayPath, line: lineNumber,
                        fallbackID: Paths.stem(of: path) + "-\(lineNumber)"))
                try reader.finish()
            } catch {
                if case .malformedJSON(let errorPath, _, let column, let reason) = error {
                    throw .malformedJSON(path: errorPath, line: lineNumber, column: column, reason: reason)
                }
                throw error
            }
        }
        return documents
    }

    /// One spans or doccano record.
    private static func record(
        _ reader: inout JSONReader, path: String, displayPath: String, line: Int, fallbackID: String
    )
        throws(TagbenchError) -> ImportedDocument
    {
        var id: String?
        var text: String?
        var origin: String?
        var spans: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
        var rejected: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
        var categories: [ImportedDocument.Category] = []
        func bad(_ reason: String) -> TagbenchError { .invalidImport(path: displayPath, line: line, reason: reason) }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try scalarText(&reader)
            case "text": text = try reader.readString()
            case "spans", "entities", "rejected":
                try reader.beginArray()
                while try reader.nextElement() {
                    var span = (start: -1, end: -1, label: "", note: "", text: String?.none)
                    try reader.beginObject()
                    while let field = try reader.nextKey() {
                        switch field {
                        case "start", "start_offset": span.start = try reader.readInt()
                        case "end", "end_offset": span.end = try reader.readInt()
                        case "label": span.label = try scalarText(&reader)
                        case "note": span.note = try reader.readString()
                        case "text": span.text = try reader.readString()
                        default: try reader.skipValue()
                        }
                    }
                    if key == "rejected" { rejected.append(span) } else { spans.append(span) }
                }
            case "label", "labels":
                // doccano: [[start, end, "LABEL"], …] for spans, ["LABEL", …] for categories.
                try reader.beginArray()
                while try reader.nextElement() {
                    if try reader.nextKind() == .array {
                        try reader.beginArray()
                        var parts: [String] = []
                        while try reader.nextElement() { parts.append(try scalarText(&reader)) }
                        guard parts.count == 3, let start = Int(parts[0]), let end = Int(parts[1]) else {
                            throw bad("a label must be [start, end, \"LABEL\"]")
                        }
                        spans.append((start, end, parts[2], "", nil))
                    } else {
                        categories.append(.init(label: try scalarText(&reader), unit: .doc, index: 1))
                    }
                }
            case "categories":
                try reader.beginArray()
                while try reader.nextElement() {
                    var category = ImportedDocument.Category(label: "", unit: .doc, index: 1)
                    if try reader.nextKind() == .string {
                        category.label = try reader.readString()
                    } else {
                        try reader.beginObject()
                        while let field = try reader.nextKey() {
                            switch field {
                            case "label": category.label = try reader.readString()
                            case "unit":
                                let name = try reader.readString()
                                guard let unit = UnitKind(rawValue: name) else {
                                    throw bad("unknown unit \"\(name)\" (doc, para or sent)")
                                }
                                category.unit = unit
                            case "index": category.index = try reader.readInt()
                            default: try reader.skipValue()
                            }
                        }
                    }
                    categories.append(category)
                }
            case "meta":
                if try reader.nextKind() == .object {
                    try reader.beginObject()
                    while let field = try reader.nextKey() {
                        if field == "source", try reader.nextKind() == .string {
                            origin = try reader.readString()
                        } else {
                            try reader.skipValue()
                        }
                    }
                } else {
                    try reader.skipValue()
                }
            default: try reader.skipValue()
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
        if let forbidden = Names.firstForbidden(in: id) {
            throw bad(
                "the document id \"\(id)\" holds U+\(String(forbidden.value, radix: 16, uppercase: true)), a control or bidirectional formatting character, which ids may not hold"
            )
        }
        if let nul = DocumentReader.firstNUL(bytes) { throw bad("the text holds a NUL character at byte \(nul)") }
        let document = Document(id: id, path: path, bytes: bytes)
        document.origin = origin
        var checked: [ImportedDocument.Span] = []
        for span in spans {
            let name = "span \(span.start):\(span.end) \(span.label)"
            guard !span.label.isEmpty else { throw bad("\(name) has no label") }
            guard span.start != span.end || span.start < 0 || span.end > document.length else {
                throw bad("\(name) is empty (its start is its end)")
            }
            guard span.start >= 0, span.start < span.end, span.end <= document.length else {
                throw bad(
                    "\(name) is outside the text (\(document.length) characters; offsets are code points, end exclusive)"
                )
            }
            let range = TextRange(span.start, span.end)
            if let expected = span.text, !document.covers(range, with: expected) {
                throw bad("\(name) says \"\(expected)\" but the text there is \"\(document.text(range))\"")
            }
            checked.append(.init(range: range, label: span.label, note: span.note))
        }
        for category in categories where category.label.isEmpty { throw bad("a category has no label") }
        return ImportedDocument(id: id, document: document, spans: checked, categories: categories)
    }

    // MARK: Label Studio

    private static func readLabelStudio(_ path: String, displayPath: String) throws(TagbenchError) -> [ImportedDocument]
    {
        let bytes = try DocumentReader.read(path, displayPath: displayPath)
        var reader = try JSONReader(bytes: bytes, path: displayPath)
        var documents: [ImportedDocument] = []
        let single = try reader.nextKind() == .object
        if !single { try reader.beginArray() }
        var taskNumber = 0
        while try single ? taskNumber == 0 : reader.nextElement() {
            taskNumber += 1
            var taskID: String?
            var text: String?
            var doc: String?
            var spans: [(start: Int, end: Int, label: String, note: String, text: String?)] = []
            var categories: [ImportedDocument.Category] = []
            let at = reader.error("")
            let line: Int
            if case .malformedJSON(_, let errorLine, _, _) = at { line = errorLine } else { line = 0 }
            func bad(_ reason: String) -> TagbenchError {
                .invalidImport(path: displayPath, line: line, reason: "task \(taskNumber): " + reason)
            }
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "id": taskID = try scalarText(&reader)
                case "data":
                    try reader.beginObject()
                    while let field = try reader.nextKey() {
                        switch field {
                        case "text": text = try reader.readString()
                        case "doc": doc = try scalarText(&reader)
                        default:
                            if text == nil, try reader.nextKind() == .string {
                                text = try reader.readString()
                            } else {
                                try reader.skipValue()
                            }
                        }
                    }
                case "annotations", "completions":
                    try reader.beginArray()
                    while try reader.nextElement() {
                        try reader.beginObject()
                        while let field = try reader.nextKey() {
                            guard field == "result" else {
                                try reader.skipValue()
                                continue
                            }
                            try reader.beginArray()
                            while try reader.nextElement() {
                                var type = ""
                                var span = (start: -1, end: -1, label: "", note: "", text: String?.none)
                                var choices: [String] = []
                                try reader.beginObject()
                                while let resultField = try reader.nextKey() {
                                    switch resultField {
                                    case "type": type = try reader.readString()
                                    case "value":
                                        try reader.beginObject()
                                        while let valueField = try reader.nextKey() {
                                            switch valueField {
                                            case "start": span.start = try reader.readInt()
                                            case "end": span.end = try reader.readInt()
                                            case "text": span.text = try reader.readString()
                                            case "labels", "choices":
                                                try reader.beginArray()
                                                while try reader.nextElement() {
                                                    let value = try reader.readString()
                                                    if valueField == "labels" {
                                                        span.label = value
                                                    } else {
                                                        choices.append(value)
                                                    }
                                                }
                                            default: try reader.skipValue()
                                            }
                                        }
                                    case "meta":
                                        try reader.beginObject()
                                        while let metaField = try reader.nextKey() {
                                            guard metaField == "text" else {
                                                try reader.skipValue()
                                                continue
                                            }
                                            try reader.beginArray()
                                            var notes: [String] = []
                                            while try reader.nextElement() { notes.append(try reader.readString()) }
                                            span.note = notes.joined(separator: " ")
                                        }
                                    default: try reader.skipValue()
                                    }
                                }
                                if type == "labels" { spans.append(span) }
                                if type == "choices" {
                                    categories += choices.map { .init(label: $0, unit: .doc, index: 1) }
                                }
                            }
                        }
                    }
                default: try reader.skipValue()
                }
            }
            guard let text else { throw bad("no data.text") }
            let id = doc ?? taskID.map { "task-\($0)" } ?? Paths.stem(of: path) + "-\(taskNumber)"
            documents.append(
                try make(
                    id: id, text: text, origin: displayPath, path: path, spans: spans, categories: categories, bad: bad)
            )
        }
        try reader.finish()
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
                for (lineIndex, line) in ann.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = line.hasSuffix("\r") ? line.dropLast() : line
                    if line.isEmpty { continue }
                    let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                    func bad(_ reason: String) -> TagbenchError {
                        .invalidImport(path: annDisplay, line: lineIndex + 1, reason: reason)
                    }
                    if line.hasPrefix("T") {
                        guard fields.count == 3 else { throw bad("a T line is ID<TAB>LABEL START END<TAB>TEXT") }
                        let typeAndOffsets = fields[1].split(separator: " ", maxSplits: 1)
                        guard typeAndOffsets.count == 2 else {
                            throw bad("a T line is ID<TAB>LABEL START END<TAB>TEXT")
                        }
                        var fragments: [(Int, Int)] = []
                        for part in typeAndOffsets[1].split(separator: ";") {
                            let offsets = part.split(separator: " ")
                            guard offsets.count == 2, let start = Int(offsets[0]), let end = Int(offsets[1]) else {
                                throw bad("bad offsets \"\(typeAndOffsets[1])\"")
                            }
                            fragments.append((start, end))
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
                        notes.append(
                            (String(fields[1].dropFirst("AnnotatorNotes ".count)), String(fields[2]), lineIndex + 1))
                    } else {
                        ignored += 1
                    }
                }
                for entry in notes {
                    guard let spanPosition = spanIndex[entry.target] else {
                        ignored += 1
                        continue
                    }
                    spans[spanPosition].note = entry.note
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
