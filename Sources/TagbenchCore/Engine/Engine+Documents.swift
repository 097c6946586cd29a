/// Documents: loading texts and annotated data, listing and opening them.
extension Engine {
    func load(
        _ arguments: [String], encoding: TextEncoding, splitAt: String? = nil, context: ExecutionContext,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError) {
        // Read while the arguments are listed; used below.
        let cacheReading = sessionPath.map { HashCache.reading(for: $0) }
        var files: [(absolute: String, display: String)] = []
        var imports: [(absolute: String, display: String, kind: AnnotatedDataReader.Kind)] = []
        for argument in arguments {
            let absolute = Paths.absolute(argument, base: context.baseDirectory)
            if FileSystem.isGlob(argument) && FileSystem.kind(of: absolute) == .missing {
                let matches = FileSystem.glob(absolute).filter { FileSystem.kind(of: $0) == .file }
                if matches.isEmpty { throw .fileNotFound(argument) }
                for match in matches {
                    if let kind = AnnotatedDataReader.kind(of: match) {
                        imports.append((match, match, kind))
                    } else {
                        files.append((match, match))
                    }
                }
                continue
            }
            if let kind = AnnotatedDataReader.kind(of: absolute) {
                imports.append((absolute, argument, kind))
                continue
            }
            switch FileSystem.kind(of: absolute) {
            case .missing: throw .fileNotFound(argument)
            case .directory:
                let names = try FileSystem.listFiles(absolute).filter { Paths.fileExtension(of: $0) == "txt" }
                if names.isEmpty { throw .noTextFiles(directory: argument) }
                files += names.map { (absolute + "/" + $0, (argument.hasSuffix("/") ? argument : argument + "/") + $0) }
            case .other:
                // A FIFO or device would block or never end: only regular files are documents.
                throw .unreadable(argument, reason: "not a regular file")
            case .file:
                files.append((absolute, argument))
            }
        }
        if let splitAt, let imported = imports.first {
            throw .invalidArgument(
                command: "load", argument: imported.display,
                expected: "a text file (--split-at /\(splitAt)/ cuts text files; annotated data keeps its documents)")
        }
        // Ids first (they depend on order), then read and check every file, on every core, before
        // adding anything, so an error changes nothing.
        var known = Set(session.documents.map(\.path))
        var pending: [(absolute: String, display: String, id: String)] = []
        var skipped = 0
        var pendingIDs = Set<String>()
        for file in files {
            if known.contains(file.absolute) {
                skipped += 1
                continue
            }
            known.insert(file.absolute)
            try Names.check(Paths.stem(of: file.absolute), as: "document id (from file \(file.display))")
            let id = session.uniqueID(for: Paths.stem(of: file.absolute), avoiding: pendingIDs)
            pendingIDs.insert(id)
            pending.append((file.absolute, file.display, id))
        }
        // A file hashed for this session before (its hash cache, kept by the last save) and
        // unchanged since is not hashed again: a script that rebuilds a session from the same
        // corpus hashes only what changed.
        let knownHashes = cacheReading?.wait()
        let loaded = Parallel.map(pending.count) { position -> Result<Document, TagbenchError> in
            Result { () throws(TagbenchError) -> Document in
                try DocumentReader.document(
                    id: pending[position].id, path: pending[position].absolute, displayPath: pending[position].display,
                    encoding: encoding,
                    hashLater: true, knownHashes: knownHashes)
            }
        }
        var added: [Document] = []
        added.reserveCapacity(loaded.count)
        for (position, result) in loaded.enumerated() {
            let document = try result.get()
            if document.bytes.isEmpty && splitAt == nil {
                emit(.warning(Wording.emptyDocument(pending[position].display, id: document.id)))
            }
            added.append(document)
        }
        if let splitAt {
            added = try split(added, at: splitAt, displayPaths: pending.map(\.display))
        }
        var imported: [ImportedDocument] = []
        var declaredLabels: [String] = []
        var importedFrom: [String] = []
        for file in imports {
            if known.contains(file.absolute) {
                skipped += 1
                continue
            }
            known.insert(file.absolute)
            let read = try AnnotatedDataReader.read(file.absolute, displayPath: file.display, kind: file.kind)
            for warning in read.warnings { emit(.warning(warning)) }
            imported += read.documents
            declaredLabels += read.labels
            importedFrom.append(file.display)
        }
        if skipped > 0 { emit(.message(Wording.alreadyLoaded(skipped))) }
        guard !added.isEmpty || !imported.isEmpty else { return }
        var changes: [Change] = []
        var importSummary: String?
        if !imported.isEmpty {
            let result = try prepareImport(imported, declaring: declaredLabels, avoiding: pendingIDs, emit: emit)
            added += result.documents
            importSummary = Wording.imported(
                documents: result.documents.count, spans: result.annotations.count,
                categories: result.categories.count, from: importedFrom, labels: result.labels.map(\.name))
            changes =
                [.addedLabels(result.labels), .addedDocuments(added), .addedAnnotations(result.annotations)]
                + result.categories.map { .addedCategory($0) }
                + (result.rejected.isEmpty ? [] : [.importedRejections(result.rejected)])
            if let last = result.rejected.last {
                session.suggestions.nextNumber = max(session.suggestions.nextNumber, last.number + 1)
            }
        } else {
            changes = [.addedDocuments(added)]
        }
        // The same changes undo and redo replay: applied once here.
        for change in changes { apply(change) }
        let firstNew = session.documents.count - added.count
        if current == nil { current = firstNew }
        let characters = added.reduce(0) { $0 + $1.length }
        let converted = added.filter { $0.encoding != .utf8 }
        if !converted.isEmpty {
            emit(
                .message(
                    Wording.readAs(
                        Dictionary(grouping: converted, by: \.encoding).map { "\($0.key.rawValue): \($0.value.count)" }
                            .sorted())))
        }
        push(
            UndoStep(
                summary: CommandRenderer.render(.load(arguments, encoding: encoding, splitAt: splitAt)),
                changes: changes),
            log: .load(
                arguments.map { Paths.absolute($0, base: context.baseDirectory) }, encoding: encoding, splitAt: splitAt)
        )
        if let importSummary { emit(.message(importSummary)) }
        emit(.message(Wording.loaded(added.map(\.id), characters: characters)))
    }

    /// Each file read whole cut into its parts at the lines `pattern` matches (searched by the
    /// `RegexRunner`, which a stop or the time limit ends), each part a document `STEM-N` (its
    /// number among the file's parts) that records where in the file it lies. A file with no
    /// matching line is an error: nothing is loaded.
    func split(_ files: [Document], at pattern: String, displayPaths: [String]) throws(TagbenchError) -> [Document] {
        let lines = files.map { DocumentSplitter.lines(of: $0) }
        let lineDocuments = zip(lines, files).map { DocumentSplitter.lineDocuments($0, of: $1) }
        let found = try regexRunner.matches(
            of: [pattern], in: lineDocuments.flatMap { $0 }, task: "load --split-at \(Pattern.regex(pattern))",
            monitor: monitor, limit: regexTimeLimit)
        if files.count > 0 { monitor?.finished() }
        var parts: [Document] = []
        var taken = Set<String>()
        var position = 0
        for (k, file) in files.enumerated() {
            let matching = lines[k].indices.filter { !found[position + $0][0].isEmpty }
            position += lines[k].count
            let cut = DocumentSplitter.parts(of: file, lines: lines[k], matching: matching, pattern: pattern)
            guard !cut.isEmpty else { throw .noSplitLines(path: displayPaths[k], pattern: pattern) }
            for piece in cut {
                let id = session.uniqueID(for: "\(file.id)-\(piece.part.number)", avoiding: taken)
                taken.insert(id)
                parts.append(DocumentSplitter.document(id: id, range: piece.range, part: piece.part, of: file))
            }
        }
        return parts
    }

    /// Imported documents made ready to add: unique ids, labels the tag set lacks, annotations
    /// numbered from the next free id (identical spans once), category labels on their units.
    /// Nothing is changed here, so an error leaves the session as it was.
    func prepareImport(
        _ imported: [ImportedDocument], declaring declared: [String], avoiding taken: Set<String>,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError)
        -> (
            documents: [Document], labels: [Label], annotations: [Annotation], categories: [CategoryAnnotation],
            rejected: [Suggestion]
        )
    {
        var newLabels: [Label] = []
        var newIndex: [String: Int] = [:]
        // A unit takes a label of either kind; a span only a span label. A label the import adds
        // is a category label while only units use it, and becomes a span label once a span does.
        func labelIndex(_ name: String, kind: LabelKind) throws(TagbenchError) -> Int {
            if let existing = session.tagSet.index(of: name) {
                guard kind == .category || session.tagSet.labels[existing].kind == .span else {
                    throw .wrongLabelKind(label: name, expected: .span, command: "load")
                }
                return existing
            }
            if let newPosition = newIndex[name] {
                if kind == .span { newLabels[newPosition].kind = .span }
                return session.tagSet.labels.count + newPosition
            }
            try Names.checkLabel(name)
            var label = Label(name: name)
            label.kind = kind
            label.colour = Label.palette[(session.tagSet.labels.count + newLabels.count) % Label.palette.count]
            newIndex[name] = newLabels.count
            newLabels.append(label)
            return session.tagSet.labels.count + newLabels.count - 1
        }
        for name in declared { _ = try labelIndex(name, kind: .span) }
        var documents: [Document] = []
        var annotations: [Annotation] = []
        var categories: [CategoryAnnotation] = []
        var ids = taken
        var keys = Set<SpanKey>()
        var number = session.nextNumber
        let time = annotator.now()
        var renamed = 0
        var unitsMissing = 0
        var rejected: [Suggestion] = []
        var suggestionNumber = session.suggestions.nextNumber
        for item in imported {
            let id = session.uniqueID(for: item.id, avoiding: ids)
            ids.insert(id)
            var document = item.document
            if id != item.id {
                renamed += 1
                let copy = Document(id: id, path: document.path, bytes: document.bytes, sha256: document.sha256)
                copy.origin = document.origin
                document = copy
            }
            let documentNumber = session.documents.count + documents.count
            documents.append(document)
            for span in item.spans {
                let annotation = Annotation(
                    number: number, document: documentNumber, range: span.range,
                    label: try labelIndex(span.label, kind: .span),
                    text: document.text(span.range), note: span.note, source: "import", annotator: annotator.name,
                    time: time)
                guard keys.insert(SpanKey(annotation)).inserted else { continue }
                annotations.append(annotation)
                number += 1
            }
            for rejection in item.rejected {
                rejected.append(
                    Suggestion(
                        number: suggestionNumber, document: documentNumber, range: rejection.range,
                        label: try labelIndex(rejection.label, kind: .span),
                        text: document.text(rejection.range), source: "import"))
                suggestionNumber += 1
            }
            for category in item.categories {
                let label = try labelIndex(category.label, kind: .category)
                let range: TextRange?
                switch category.unit {
                case .doc: range = category.index == 1 ? TextRange(0, document.length) : nil
                case .para:
                    range =
                        category.index >= 1 && category.index <= document.paragraphs.count
                        ? document.paragraphs[category.index - 1] : nil
                case .sent:
                    range =
                        category.index >= 1 && category.index <= document.sentences.count
                        ? document.sentences[category.index - 1].range : nil
                }
                guard let range else {
                    unitsMissing += 1
                    continue
                }
                let entry = CategoryAnnotation(
                    document: documentNumber, unit: category.unit, index: category.index, range: range, label: label,
                    annotator: annotator.name,
                    time: time)
                if !categories.contains(where: { $0.sameTarget(entry) }) { categories.append(entry) }
            }
        }
        if renamed > 0 { emit(.message(Wording.importedIDsRenamed(renamed))) }
        if unitsMissing > 0 { emit(.warning(Wording.importedUnitsMissing(unitsMissing))) }
        return (documents, newLabels, annotations, categories, rejected)
    }

    func documentRows() -> [DocumentRow] {
        session.documents.enumerated().map { i, d in
            DocumentRow(
                number: i + 1, id: d.id, characters: d.length, annotations: session.annotationCount(inDocument: i),
                isCurrent: i == current, isMissing: d.isMissing, part: d.part,
                source: d.part == nil ? nil : Paths.fileName(of: d.path))
        }
    }

    /// The index of the document a user names by id or number.
    public func resolveDocument(_ name: String) throws(TagbenchError) -> Int {
        if let i = session.documentIndex(id: name) { return i }
        if let n = Int(name), n >= 1, n <= session.documents.count { return n - 1 }
        throw .unknownDocument(name, suggestion: NameSuggester.nearest(to: name, among: session.documents.map(\.id)))
    }

    func open(_ selector: DocumentSelector, emit: (OutputItem) -> Void) throws(TagbenchError) {
        guard !session.documents.isEmpty else { throw .noDocuments }
        let target: Int
        switch selector {
        case .name(let name): target = try resolveDocument(name)
        case .next:
            guard let current else {
                target = 0
                break
            }
            guard current + 1 < session.documents.count else {
                emit(.message(Wording.alreadyAtEnd(last: true)))
                return
            }
            target = current + 1
        case .previous:
            guard let current else {
                target = 0
                break
            }
            guard current > 0 else {
                emit(.message(Wording.alreadyAtEnd(last: false)))
                return
            }
            target = current - 1
        }
        current = target
        emit(
            .message(
                Wording.opened(
                    target + 1, session.documents[target], annotations: session.annotationCount(inDocument: target))))
    }

    func requireCurrent() throws(TagbenchError) -> Int {
        guard let c = current else { throw .noCurrentDocument }
        let d = session.documents[c]
        if d.isMissing { throw .documentMissing(id: d.id, path: d.path) }
        return c
    }
}
