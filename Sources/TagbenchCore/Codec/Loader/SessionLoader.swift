import Dispatch
#if canImport(Glibc)
    import Glibc
#endif

/// Opens a session file: its bytes read into a `SessionFile` (`SessionFileReader`), every
/// document read back from disk while the rest is parsed (hashes from the hash cache for files
/// unchanged since they were hashed), the records turned into a `Session` and checked against
/// the texts, the spans of changed documents re-anchored, the log parsed.
///
/// The steps run in this order, and each throws the first fault it finds: which fault a broken
/// file is refused for is part of the behaviour.
struct SessionLoader {
    /// What the file says.
    var file: SessionFile
    /// The session file's folder, against which its relative paths are resolved.
    let directory: String
    /// The session being built.
    let session = Session()
    /// What opening found besides the session.
    private(set) var report = SessionCodec.OpenReport()
    /// Each document's path made absolute, once for reading it and for the session.
    let absolutePaths: [String]
    /// Each document's length as the file records it (the annotations' offsets are on that text).
    var recordedLength: [Int] = []
    /// Whether each document keeps its spans' stored context: it is missing or changed.
    var keepsContext: [Bool] = []
    /// Where each live span's stored context is in the file: read only for documents found
    /// missing or changed once read.
    var liveContext: [(number: Int, prefix: Range<Int>?, suffix: Range<Int>?)] = []
    /// The highest suggestion number in the file (0: none).
    var highestSuggestion = 0

    /// The documents as read from disk: nil where the session holds the text, the error where a
    /// file could not be read.
    typealias ReadDocuments = [Result<Document, TagbenchError>?]

    /// Reads the session file `bytes`, at `path` (absolute), and every document it names; its
    /// kept undo history only with `history`.
    static func load(
        _ bytes: [UInt8], path: String, displayPath: String, history: Bool = true,
        knownHashes: () -> HashCache
    ) throws(TagbenchError) -> (Session, SessionCodec.OpenReport) {
        let directory = Paths.directory(of: path)
        var reading: Parallel.Pending<ReadDocuments>?
        var absolutePaths: [String] = []
        let file = try SessionFileReader.read(bytes, displayPath: displayPath, history: history) { documents in
            // Reading the documents back is the slowest part of opening: started as soon as they
            // are known, while the rest of the file is parsed.
            absolutePaths = documents.map { Paths.absolute($0.path, base: directory) }
            reading = startReading(documents, absolutePaths: absolutePaths, knownHashes: knownHashes())
        }
        var loader = SessionLoader(file: file, directory: directory, absolutePaths: absolutePaths)
        try loader.addRecordedDocuments()
        try loader.addAnnotations()
        try loader.replaceDocuments(with: reading?.wait() ?? [])
        try loader.checkUnchangedTexts()
        try loader.preserveLiveContext()
        try loader.addCategories()
        loader.reanchorChangedDocuments()
        try loader.addLog()
        loader.session.keptUndo = loader.file.undo
        try loader.addSuggestions()
        try loader.addConflicts()
        try loader.setNextNumbers()
        return (loader.session, loader.report)
    }

    /// Reads every document not embedded in the session, on every core, on another thread.
    static func startReading(_ documents: [DocumentRecord], absolutePaths: [String], knownHashes: HashCache)
        -> Parallel.Pending<ReadDocuments>
    {
        let files = documents.indices.map {
            (
                path: absolutePaths[$0], displayPath: documents[$0].path, id: documents[$0].id,
                encoding: documents[$0].encoding, embedded: documents[$0].text != nil
            )
        }
        // Parts of one file are cut from one reading of it.
        var partsByFile: [String: [Int]] = [:]
        var partFiles: [String] = []
        for index in documents.indices where documents[index].part != nil && documents[index].text == nil {
            if partsByFile[absolutePaths[index]] == nil { partFiles.append(absolutePaths[index]) }
            partsByFile[absolutePaths[index], default: []].append(index)
        }
        let partGroups = partFiles.map { path in (path, partsByFile[path]!.map { (documents[$0], $0) }) }
        return Parallel.start {
            var parts: [Int: Result<Document, TagbenchError>] = [:]
            let read = Parallel.map(partGroups.count) { readParts(partGroups[$0].1, path: partGroups[$0].0) }
            for (group, results) in zip(partGroups, read) {
                for ((_, index), result) in zip(group.1, results) { parts[index] = result }
            }
            return Parallel.map(files.count) { index -> Result<Document, TagbenchError>? in
                let file = files[index]
                if file.embedded { return nil }
                if let part = parts[index] { return part }
                do throws(TagbenchError) {
                    return .success(
                        try DocumentReader.document(
                            id: file.id, path: file.path, displayPath: file.displayPath,
                            encoding: file.encoding, knownHashes: knownHashes))
                } catch {
                    return .failure(error)
                }
            }
        }
    }

    /// The parts of the file at `path` (each record with its index), cut from one reading of it:
    /// each at its recorded place while the file's text has the hash recorded with the part;
    /// else, the file having changed, cut again at the lines its pattern matches, the part with
    /// its number taken as the document (changed if its hash is not the one recorded, and its
    /// spans re-anchored as for any changed document), or an error when the file no longer has
    /// that many parts. (A part's own text unchanged at its place is not enough: text added
    /// after it, before the next title, belongs to it.)
    static func readParts(_ records: [(DocumentRecord, Int)], path: String) -> [Result<Document, TagbenchError>] {
        let first = records[0].0
        let source: Document
        do throws(TagbenchError) {
            source = try DocumentReader.document(
                id: first.id, path: path, displayPath: first.path, encoding: first.encoding, hashLater: true)
        } catch {
            return records.map { _ in .failure(error) }
        }
        var recut: [String: Result<[(range: TextRange, part: DocumentPart)], TagbenchError>] = [:]
        return records.map { (record, _) -> Result<Document, TagbenchError> in
            let part = record.part!
            let range = TextRange(part.start, part.start + record.length)
            if source.sha256 == part.fileSHA256 && range.end <= source.length {
                let document = DocumentSplitter.document(id: record.id, range: range, part: part, of: source)
                if document.sha256 == record.sha256 { return .success(document) }
            }
            if recut[part.pattern] == nil {
                recut[part.pattern] = Result { () throws(TagbenchError) in
                    let lines = DocumentSplitter.lines(of: source)
                    let found = try WatchedSearch().matches(
                        of: [part.pattern], in: DocumentSplitter.lineDocuments(lines, of: source),
                        task: "split \(first.path)", monitor: nil, limit: recutTimeLimit)
                    return DocumentSplitter.parts(
                        of: source, lines: lines, matching: found.indices.filter { !found[$0][0].isEmpty },
                        pattern: part.pattern)
                }
            }
            switch recut[part.pattern]! {
            case .failure(let error): return .failure(error)
            case .success(let parts):
                guard part.number <= parts.count else {
                    return .failure(
                        .unreadable(
                            record.path,
                            reason:
                                "it changed, and cut at /\(part.pattern)/ it now has \(Format.count(parts.count, "part")), not part \(part.number)"
                        ))
                }
                let found = parts[part.number - 1]
                return .success(
                    DocumentSplitter.document(id: record.id, range: found.range, part: found.part, of: source))
            }
        }
    }

    /// How long cutting a changed file again may search, in seconds (as the REPL's searches).
    static let recutTimeLimit = 20.0

    /// Documents first as the file records them, so that the annotations go in while the files
    /// are still being read; each is replaced by what was read afterwards.
    mutating func addRecordedDocuments() throws(TagbenchError) {
        var ids = Set<String>()
        session.tagSet = file.tagSet
        for (index, record) in file.documents.enumerated() {
            recordedLength.append(record.length)
            if !ids.insert(record.id).inserted { throw file.invalid("document id \(record.id) appears twice") }
            if let forbidden = Names.firstForbidden(in: record.id) {
                throw file.invalid(
                    "document id \"\(record.id)\" holds U+\(String(forbidden.value, radix: 16, uppercase: true)), which ids may not hold"
                )
            }
            let recorded = Document(
                missingID: record.id, path: absolutePaths[index], length: record.length, sha256: record.sha256)
            recorded.encoding = record.encoding
            recorded.part = record.part
            session.addDocument(recorded)
        }
    }

    /// The files as read: an embedded text checked against its hash, a changed or missing file's
    /// spans keeping their stored context.
    mutating func replaceDocuments(with read: ReadDocuments) throws(TagbenchError) {
        keepsContext = Array(repeating: false, count: file.documents.count)
        for (index, (record, result)) in zip(file.documents, read).enumerated() {
            if let text = record.text {
                let embedded = Document(id: record.id, path: absolutePaths[index], bytes: Array(text.utf8))
                guard embedded.sha256 == record.sha256, embedded.length == record.length else {
                    throw file.invalid("the text of document \(record.id) does not match its sha256 and length")
                }
                embedded.origin = record.origin ?? record.path
                session.replaceDocument(at: index, with: embedded)
            } else if case .success(let document) = result {
                if document.sha256 != record.sha256 {
                    document.recorded = (record.sha256, record.length)
                    keepsContext[index] = true
                }
                session.replaceDocument(at: index, with: document)
            } else {
                report.missing.append(record.id)
                if case .failure(let error) = result, error != .fileNotFound(record.path) {
                    report.unreadable[record.id] = error.message
                }
                keepsContext[index] = true
            }
        }
    }

    /// A document whose text is unchanged must hold each span's stored text at its offsets: a
    /// mismatch means the file was edited or damaged, and the spans would export wrong text.
    /// Documents are independent: checked on every core; the first mismatch found is reported.
    func checkUnchangedTexts() throws(TagbenchError) {
        let checked = UncheckedSendable(session)
        let keepsContext = keepsContext
        let mismatches = Parallel.map(session.documents.count) { index -> Annotation? in
            let document = checked.value.documents[index]
            guard !keepsContext[index], !document.isMissing else { return nil }
            return checked.value.annotations(inDocument: index).first { annotation in
                guard annotation.range.end <= document.length else { return false }
                let start = document.byteOffset(annotation.range.start), end = document.byteOffset(annotation.range.end)
                var text = annotation.text
                return text.withUTF8 { stored in
                    stored.count != end - start
                        || document.bytes.withUnsafeBufferPointer {
                            memcmp(stored.baseAddress!, $0.baseAddress! + start, stored.count)
                        } != 0
                }
            }
        }
        if let mismatch = mismatches.lazy.compactMap({ $0 }).first {
            let document = session.documents[mismatch.document]
            throw file.invalid(
                "annotation \(mismatch.id) holds the text \"\(mismatch.text)\", but document \(document.id) (unchanged) has "
                    + "\"\(document.text(mismatch.range))\" at \(mismatch.range)")
        }
    }

    /// The stored context of the live spans of missing or changed documents, kept for saving.
    func preserveLiveContext() throws(TagbenchError) {
        guard keepsContext.contains(true) else { return }
        for entry in liveContext {
            guard let annotation = session.annotation(number: entry.number), keepsContext[annotation.document] else {
                continue
            }
            session.preservedContext[entry.number] = (try file.context(entry.prefix), try file.context(entry.suffix))
        }
    }

    /// With spans and categories in place, those of documents whose text changed are re-anchored.
    mutating func reanchorChangedDocuments() {
        for document in session.documents where document.recorded != nil && !document.isMissing {
            report.changed.append(Reanchorer.reanchor(document, in: session))
        }
    }

    /// The log's commands, parsed, with their paths made absolute.
    func addLog() throws(TagbenchError) {
        for (line, entry) in file.log.enumerated() {
            do {
                guard let command = try CommandParser.parse(entry.command) else { continue }
                session.log.append(LogEntry(command: command.absolutizingPaths(base: directory), time: entry.time))
            } catch {
                throw file.invalid("log entry \(line + 1) (\(entry.command)) does not parse: \(error.error.message)")
            }
        }
    }

    /// `next_id` and `next_suggestion`, each above every id in use.
    func setNextNumbers() throws(TagbenchError) {
        if let nextSuggestion = file.nextSuggestion {
            guard nextSuggestion > highestSuggestion else {
                throw file.invalid("next_suggestion \(nextSuggestion) is not above every suggestion id")
            }
            session.suggestions.nextNumber = nextSuggestion
        }
        if let nextID = file.nextID {
            guard nextID >= session.nextNumber else {
                throw file.invalid("next_id \(nextID) is not above every annotation id")
            }
            guard nextID <= Session.largestNumber else {
                throw file.invalid("next_id \(nextID) is above the largest id, \(Session.largestNumber)")
            }
            session.nextNumber = nextID
        }
    }
}
