/// Reads a session file's bytes into a `SessionFile`, one function per section, touching no
/// disk. Only what the file alone can show is checked here (the format, the version, labels,
/// each document's fields); names are looked up by `SessionLoader`.
enum SessionFileReader {
    /// The file's sections in file order. `documentsRead` is called with the documents read so
    /// far as soon as a documents list ends, so that the caller can read them from disk while
    /// the rest is parsed. `fastPath` false reads every annotation with the general reader
    /// (for the test that the fast path gives the same; see `AnnotationLayout`). `history` false
    /// skips the kept undo history (`undo`, `redo`) unread, for a session that is never saved.
    static func read(
        _ bytes: [UInt8], displayPath: String, fastPath: Bool = true, history: Bool = true,
        documentsRead: ([DocumentRecord]) -> Void = { _ in }
    ) throws(TagbenchError) -> SessionFile {
        var reader = try JSONReader(bytes: bytes, path: displayPath)
        var file = SessionFile(bytes: bytes, displayPath: displayPath)
        guard try reader.nextKind() == .object else { throw reader.error("expected an object") }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "format":
                guard try reader.readString() == Session.formatName else {
                    throw file.invalid("format is not \"\(Session.formatName)\"")
                }
                file.sawFormat = true
            case "version": file.version = try readVersion(&reader, in: file)
            case "labels": try readLabels(&reader, into: &file)
            case "overlap": try readOverlap(&reader, into: &file)
            case "documents":
                try readDocuments(&reader, into: &file)
                documentsRead(file.documents)
            case "annotations", "orphans":
                file.annotations += try readAnnotations(&reader, orphans: key == "orphans", fastPath: fastPath)
            case "categories": file.categories += try readCategories(&reader)
            case "next_id": file.nextID = try reader.readInt()
            case "next_suggestion": file.nextSuggestion = try reader.readInt()
            case "suggestions", "rejected":
                file.suggestions += try readSuggestions(&reader, rejected: key == "rejected")
            case "log": file.log += try readLog(&reader)
            case "undo" where history: file.undo.undo += try readKeptSteps(&reader, in: file)
            case "redo" where history: file.undo.redo += try readKeptSteps(&reader, in: file)
            case "conflicts": file.conflicts += try readConflicts(&reader)
            case "next_conflict": file.nextConflict = try reader.readInt()
            default: try reader.skipValue()
            }
        }
        try reader.finish()
        guard file.sawFormat else { throw file.invalid("it has no \"format\": \"\(Session.formatName)\"") }
        guard file.version != nil else { throw file.invalid("it has no \"version\"") }
        return file
    }

    /// `version`: at least 1 and not above what this build reads.
    static func readVersion(_ reader: inout JSONReader, in file: SessionFile) throws(TagbenchError) -> Int {
        let version = try reader.readInt()
        if version > Session.formatVersion { throw .sessionTooNew(path: file.displayPath, version: version) }
        if version < 1 { throw file.invalid("version \(version) is not a valid version") }
        return version
    }

    /// `labels`: added to the file's tag set in order, then checked as a whole.
    static func readLabels(_ reader: inout JSONReader, into file: inout SessionFile) throws(TagbenchError) {
        let invalid = { [displayPath = file.displayPath] (reason: String) in
            TagbenchError.invalidSession(path: displayPath, reason: reason)
        }
        try reader.beginArray()
        while try reader.nextElement() {
            var label = try TagSetCodec.decodeLabel(&reader, number: file.tagSet.labels.count + 1, invalid: invalid)
            // A session written before review took the key still opens; the key is review's now.
            if Label.reviewKeysTakenLater.contains(label.shortcut) { label.shortcut = "" }
            do { try file.tagSet.add(label) } catch { throw invalid(error.message) }
        }
        try TagSetCodec.check(file.tagSet.labels, invalid: invalid)
    }

    /// `overlap`: one of the policies' names.
    static func readOverlap(_ reader: inout JSONReader, into file: inout SessionFile) throws(TagbenchError) {
        let name = try reader.readString()
        guard let policy = OverlapPolicy(rawValue: name) else {
            throw file.invalid("overlap is \"\(name)\"; it is allow, nest or none")
        }
        file.tagSet.overlap = policy
    }

    /// `documents`: each with its id, path, hash and length.
    static func readDocuments(_ reader: inout JSONReader, into file: inout SessionFile) throws(TagbenchError) {
        try reader.beginArray()
        while try reader.nextElement() {
            var record = DocumentRecord()
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "id": record.id = try reader.readString()
                case "path": record.path = try reader.readString()
                case "sha256": record.sha256 = try reader.readString()
                case "length": record.length = try reader.readInt()
                case "origin": record.origin = try reader.readString()
                case "text": record.text = try reader.readString()
                case "part": record.part = try readPart(&reader, number: file.documents.count + 1, in: file)
                case "encoding":
                    let name = try reader.readString()
                    guard let encoding = TextEncoding(rawValue: name), encoding != .auto else {
                        throw file.invalid("document \(file.documents.count + 1) has unknown encoding \"\(name)\"")
                    }
                    record.encoding = encoding
                default: try reader.skipValue()
                }
            }
            if record.id.isEmpty || record.path.isEmpty || record.sha256.isEmpty || record.length < 0 {
                throw file.invalid("document \(file.documents.count + 1) needs id, path, sha256 and length")
            }
            file.documents.append(record)
        }
    }

    /// A document's `part`: `{"pattern", "number", "start", "line", "file_sha256"}`, each there and valid.
    static func readPart(_ reader: inout JSONReader, number: Int, in file: SessionFile) throws(TagbenchError)
        -> DocumentPart
    {
        var part = DocumentPart(pattern: "", number: 0, start: -1, line: 0, fileSHA256: "")
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "pattern": part.pattern = try reader.readString()
            case "number": part.number = try reader.readInt()
            case "start": part.start = try reader.readInt()
            case "line": part.line = try reader.readInt()
            case "file_sha256": part.fileSHA256 = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard !part.pattern.isEmpty, part.number >= 1, part.start >= 0, part.line >= 1, !part.fileSHA256.isEmpty else {
            throw file.invalid("document \(number) has a part without its pattern, number, start, line and file_sha256")
        }
        return part
    }

    /// `annotations` or `orphans`: in pieces read on every core when the list is laid out as
    /// written (`AnnotationSplitter`), else one piece read in order, with exact error positions.
    static func readAnnotations(_ reader: inout JSONReader, orphans: Bool, fastPath: Bool) throws(TagbenchError)
        -> [[RawAnnotation]]
    {
        try reader.beginArray()
        if fastPath && !orphans, let pieces = AnnotationSplitter.readInPieces(&reader) { return pieces }
        var list: [RawAnnotation] = []
        guard fastPath else {
            var repeated = RepeatedStrings()
            while try reader.nextElement() {
                list.append(try readAnnotation(&reader, orphan: orphans, repeated: &repeated))
            }
            return [list]
        }
        try reader.contents.withUnsafeBufferPointer { (bytes) throws(TagbenchError) in
            var layout = AnnotationLayoutReader(bytes)
            while try reader.nextElement() { list.append(try layout.readOrFallBack(&reader, orphan: orphans)) }
        }
        return [list]
    }

    /// One annotation object, by the general reader: any key order, any spacing.
    static func readAnnotation(_ reader: inout JSONReader, orphan: Bool, repeated: inout RepeatedStrings)
        throws(TagbenchError) -> RawAnnotation
    {
        var annotation = RawAnnotation()
        annotation.orphan = orphan
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id":
                let id = try reader.readString()
                annotation.number = annotationNumber(id)
                annotation.invalidID = annotation.number == nil ? id : ""
            case "doc": annotation.doc = try reader.readString(reusing: &repeated.doc)
            case "start": annotation.start = try reader.readInt()
            case "end": annotation.end = try reader.readInt()
            case "label": annotation.label = try reader.readString(reusing: &repeated.label)
            case "text": annotation.text = try reader.readString()
            case "note": annotation.note = reader.readNull() ? "" : try reader.readString()
            case "source": annotation.source = try reader.readString(reusing: &repeated.source)
            case "annotator": annotation.annotator = try reader.readString(reusing: &repeated.annotator)
            case "time": annotation.time = try reader.readString(reusing: &repeated.time)
            case "annotators": annotation.annotators = try readStrings(&reader)
            // Needed only if the document changed: kept as where they are in the file.
            case "prefix": annotation.prefix = try reader.skipString()
            case "suffix": annotation.suffix = try reader.skipString()
            default: try reader.skipValue()
            }
        }
        return annotation
    }

    /// `categories`: category labels on units.
    static func readCategories(_ reader: inout JSONReader) throws(TagbenchError) -> [CategoryRecord] {
        try readObjects(&reader, CategoryRecord()) { (record, key, reader) throws(TagbenchError) in
            if try !readCategoryField(key, into: &record, &reader) { try reader.skipValue() }
        }
    }

    /// Reads the value of `key` into `record` when it is one of a category's fields.
    static func readCategoryField(_ key: String, into record: inout CategoryRecord, _ reader: inout JSONReader)
        throws(TagbenchError) -> Bool
    {
        switch key {
        case "doc": record.doc = try reader.readString()
        case "unit": record.unit = try reader.readString()
        case "index": record.index = try reader.readInt()
        case "start": record.start = try reader.readInt()
        case "end": record.end = try reader.readInt()
        case "label": record.label = try reader.readString()
        case "annotator": record.annotator = try reader.readString()
        case "time": record.time = try reader.readString()
        case "annotators": record.annotators = try readStrings(&reader)
        default: return false
        }
        return true
    }

    /// `suggestions` (waiting) or `rejected`.
    static func readSuggestions(_ reader: inout JSONReader, rejected: Bool) throws(TagbenchError) -> [SuggestionRecord]
    {
        try readObjects(&reader, SuggestionRecord(rejected: rejected)) { (record, key, reader) throws(TagbenchError) in
            switch key {
            case "id": record.id = try reader.readString()
            case "doc": record.doc = try reader.readString()
            case "start": record.start = try reader.readInt()
            case "end": record.end = try reader.readInt()
            case "label": record.label = try reader.readString()
            case "text": record.text = try reader.readString()
            case "source": record.source = try reader.readString()
            default: try reader.skipValue()
            }
        }
    }

    /// `log`: the commands as typed, with their times.
    static func readLog(_ reader: inout JSONReader) throws(TagbenchError) -> [LogRecord] {
        try readObjects(&reader, LogRecord()) { (record, key, reader) throws(TagbenchError) in
            switch key {
            case "command": record.command = try reader.readString()
            case "time": record.time = try reader.readString()
            default: try reader.skipValue()
            }
        }
    }

    /// An array of objects, each read into a copy of `empty` by `field`, which reads the value
    /// of each key (or skips it).
    static func readObjects<Record>(
        _ reader: inout JSONReader, _ empty: Record,
        field: (inout Record, String, inout JSONReader) throws(TagbenchError) -> Void
    ) throws(TagbenchError) -> [Record] {
        var records: [Record] = []
        try reader.beginArray()
        while try reader.nextElement() {
            var record = empty
            try reader.beginObject()
            while let key = try reader.nextKey() { try field(&record, key, &reader) }
            records.append(record)
        }
        return records
    }
}
