import CTagbenchBytes
import CTagbenchSystem
import Dispatch
#if canImport(Glibc)
    import Glibc
#endif

/// The session an export came from, as its manifest names it.
public struct ExportProvenance: Sendable {
    /// The session file, relative to the manifest, or nil for a session never saved.
    public var sessionPath: String?
    /// SHA-256 of the session file, when the session in memory is what the file holds.
    public var sessionSHA256: String?
    /// The directory document paths are given relative to.
    public var sessionDirectory: String

    /// Gives the session file's hash when the manifest is written (it may be computed meanwhile).
    public var sessionHash: (@Sendable () -> String?)?
    /// The output path as the user wrote it, for the manifest's `command` (else its file name).
    public var typedPath: String?

    /// Makes a provenance; `sessionHash`, when given, is asked for the hash at the end.
    public init(
        sessionPath: String?, sessionSHA256: String?, sessionDirectory: String,
        sessionHash: (@Sendable () -> String?)? = nil
    ) {
        self.sessionPath = sessionPath
        self.sessionSHA256 = sessionSHA256
        self.sessionDirectory = sessionDirectory
        self.sessionHash = sessionHash
    }
}

/// Writes a training set in any `ExportFormat`, with its manifest: documents chosen and split,
/// records streamed a document at a time into sharded, hashed files.
public enum Exporter {
    /// What an export wrote.
    public struct Result: Sendable {
        /// Documents exported.
        public var documents = 0
        /// Records written (documents, units or tasks).
        public var records = 0
        /// Spans written.
        public var spans = 0
        /// Every file written, the manifest last (when there is one).
        public var files: [String] = []
        /// The manifest written, nil when the output is a device (nothing is written beside one).
        public var manifest: String?
        /// Things left out, and why.
        public var warnings: [String] = []
    }

    /// Exports `session` as `options` say, to `options.path` (absolute). No file written (an export
    /// file, a file derived from its name, a brat file, the manifest) may be one of `protected`.
    /// SIGINT and SIGTERM stop the export at the next document with nothing changed, then act.
    public static func export(
        _ session: Session, options: ExportOptions, provenance: ExportProvenance,
        protected: ProtectedFiles = ProtectedFiles([]), monitor: ProgressMonitor? = nil,
        files: FileOperations = SystemFileOperations.shared
    ) throws(TagbenchError) -> Result {
        let labels = session.tagSet.labels
        let labelNames = labels.map(\.name)
        let chosenLabels = try SessionSelection.labels(options.labels, in: session.tagSet)
        let spanLabels = labels.indices.filter { chosenLabels.contains($0) && labels[$0].kind == .span }
        var result = Result()

        // Documents, in session order.
        var chosen = try SessionSelection.documents(options.documents, in: session)
        var missing = 0
        chosen.removeAll {
            session.documents[$0].isMissing
                ? {
                    missing += 1
                    return true
                }() : false
        }
        if missing > 0 { result.warnings.append("\(Format.count(missing, "missing document")) left out") }

        // Category labels by document, grouped once (a per-document filter is quadratic).
        var categoriesOf: [Int: [CategoryAnnotation]] = [:]
        for category in session.categories where chosenLabels.contains(category.label) {
            categoriesOf[category.document, default: []].append(category)
        }
        // Span labels on whole documents of the export: Label Studio's config offers them as
        // choices too, since the tasks hold them as choices.
        var spanLabelsOnDocuments = Set<Int>()
        if options.format == .labelStudio {
            for documentNumber in chosen {
                for category in categoriesOf[documentNumber] ?? [] where category.unit == .doc {
                    if labels[category.label].kind == .span { spanLabelsOnDocuments.insert(category.label) }
                }
            }
        }
        var rejectedOf: [Int: [Suggestion]] = [:]
        for rejection in session.suggestions.rejected where chosenLabels.contains(rejection.label) {
            rejectedOf[rejection.document, default: []].append(rejection)
        }
        // What each document holds for the export: selected spans that still match its text.
        var stale = 0
        func view(_ documentNumber: Int) -> ExportDocument {
            let document = session.documents[documentNumber]
            // The text is brought into the cache before its spans are checked against it: each
            // check then finds its bytes there (it missed them, a span at a time), and the record
            // written next reads them all again.
            document.bytes.withUnsafeBufferPointer {
                if let base = $0.baseAddress { tb_prefetch_range(base, $0.count) }
            }
            let spans = session.annotations(inDocument: documentNumber) { annotation in
                guard chosenLabels.contains(annotation.label) else { return false }
                if document.covers(annotation.range, with: annotation.text) { return true }
                stale += 1
                return false
            }
            let categories = (categoriesOf[documentNumber] ?? []).sorted(by: CategoryAnnotation.inUnitOrder)
            let source = document.origin ?? Paths.relative(document.path, to: provenance.sessionDirectory)
            let rejected = (rejectedOf[documentNumber] ?? []).filter { document.covers($0.range, with: $0.text) }
                .sorted {
                    ($0.range.start, $0.range.end, $0.label, $0.number) < (
                        $1.range.start, $1.range.end, $1.label, $1.number
                    )
                }
            return ExportDocument(
                number: documentNumber, document: document, spans: spans, categories: categories, rejected: rejected,
                source: source)
        }

        // Splits.
        let splitNames: [String?] = options.split.isEmpty ? [nil] : options.split.map(\.name)
        var splitOf = Array(repeating: 0, count: chosen.count)
        var balance: SplitAssigner.Balance?
        var unitSplit: UnitSplit?
        if options.splitBy != nil {
            let placing = UnitSplit(
                session: session, documents: chosen, options: options, chosenLabels: chosenLabels,
                categoriesOf: categoriesOf)
            unitSplit = placing
            balance = placing.balance
        } else if !options.split.isEmpty {
            let counts: [[(label: Int, count: Int)]] = chosen.map { documentNumber in
                var labelCounts: [Int: Int] = [:]
                for number in session.annotationNumbers(inDocument: documentNumber) {
                    if let annotation = session.annotation(number: number), chosenLabels.contains(annotation.label) {
                        labelCounts[annotation.label, default: 0] += 1
                    }
                }
                for cat in categoriesOf[documentNumber] ?? [] { labelCounts[cat.label, default: 0] += 1 }
                return labelCounts.sorted { $0.key < $1.key }.map { (label: $0.key, count: $0.value) }
            }
            let assigner = SplitAssigner(weights: options.split.map(\.weight), labels: counts, seed: options.seed)
            splitOf = assigner.assignment
            balance = assigner.balance
        }
        let base =
            options.path.hasSuffix("/") && options.path.count > 1 ? String(options.path.dropLast()) : options.path
        // A device or pipe (`/dev/stdout`) takes one stream and gets the data only: names derived
        // from it would be new files beside it (in /dev).
        let toDevice = FileSystem.isDevicePath(base)
        if toDevice && (!options.split.isEmpty || options.shardSize != nil) {
            throw .invalidExportOption(
                options.split.isEmpty ? "--shard-size" : "--split",
                reason: "\(Paths.fileName(of: base)) is a device: it takes one stream, not several files")
        }
        // What an export of these files killed earlier left: its temporaries (`.out.jsonl.tmp-PID`,
        // `.out-train.jsonl.tmp-PID`, `.out.jsonl.manifest.json.tmp-PID`, brat's inside its folder).
        if !toDevice {
            let stem =
                Paths.fileName(of: base).split(separator: ".", maxSplits: 1).first.map(String.init)
                ?? Paths.fileName(of: base)
            FileSystem.removeTemporariesOfEndedProcesses(
                in: Paths.directory(of: base), prefixes: ["." + stem + ".", "." + stem + "-"])
            if options.format == .brat { FileSystem.removeTemporariesOfEndedProcesses(in: base, prefixes: ["."]) }
        }
        let splitPaths = splitNames.map { $0.map { ExportPaths.inserting($0, into: base) } ?? base }

        let encoder = RecordEncoder(options: options, labelNames: labelNames, spanLabels: spanLabels)
        var outsideUnits = 0, blankSpans = 0, overlapDropped = 0
        let outputs = splitNames.indices.map {
            ShardedOutput(
                split: splitNames[$0], basePath: splitPaths[$0], shardSize: options.shardSize, framing: encoder.framing,
                protected: protected, files: files)
        }
        var brat: BratWriter?
        var extraFiles: [ExportedFile] = []
        // A device (`/dev/stdout`) gets the data only: nothing is created beside it.
        let manifestPath: String? = toDevice ? nil : base + ".manifest.json"
        var manifestFile: ExportedFile?
        var documentsPerSplit = Array(repeating: 0, count: splitNames.count)
        var categoriesLeftOut = 0
        func cleanUp() {
            for path in outputs.flatMap(\.opened) { _ = files.unlink(path) }
            for path in (brat?.created ?? []).reversed() { if files.unlink(path) != 0 { rmdir(path) } }
            for file in extraFiles + [manifestFile].compactMap({ $0 }) {
                if let staging = file.staging { _ = files.unlink(staging.temporary) }
            }
        }
        tb_defer_signals_begin()
        defer { tb_defer_signals_end() }
        do {
            try FileSystem.makeDirectories(Paths.directory(of: base))
            if options.format == .brat {
                brat = try BratWriter(
                    directories: splitPaths, labelNames: labelNames, spanLabels: spanLabels, protected: protected,
                    files: files)
            }
            defer { monitor?.finished() }
            // One document at a time, written as soon as it is encoded: memory does not grow with
            // the export. (Encoding on both cores was tried twice: all documents first, then in
            // batches of 64; neither was faster on the benchmark, and glibc kept the worker
            // threads' freed buffers: +114 MB and +130 MB at 3,500 documents.)
            for (position, documentNumber) in chosen.enumerated() {
                if tb_deferred_signal() != 0 {
                    throw TagbenchError.interrupted("export to \(Paths.fileName(of: base))")
                }
                if let monitor {
                    if monitor.shouldStop { throw TagbenchError.interrupted("export to \(Paths.fileName(of: base))") }
                    monitor.progress("export", done: position, of: chosen.count)
                }
                let doc = view(documentNumber)
                if let unitSplit, let splitBy = options.splitBy {
                    // Each split's records of the document, written to that split's file.
                    let units = doc.units(options.recordUnit)
                    let splits = unitSplit.splits(of: units, position: position, in: doc.document, by: splitBy)
                    result.spans += doc.spans.count
                    var first = true
                    for split in Set(splits).sorted() where split >= 0 {
                        documentsPerSplit[split] += 1
                        let encoded = try encoder.encode(doc) { splits[$0] == split }
                        try outputs[split].write(encoded)
                        if first { outsideUnits += encoded.outsideUnits }
                        blankSpans += encoded.blankSpans
                        overlapDropped += encoded.overlapDropped
                        result.spans -= (first ? encoded.outsideUnits : 0) + encoded.blankSpans + encoded.overlapDropped
                        first = false
                    }
                    continue
                }
                let split = splitOf[position]
                documentsPerSplit[split] += 1
                result.spans += doc.spans.count
                if options.format == .brat || options.format == .labelStudio {
                    categoriesLeftOut += doc.categories.filter { options.format == .brat || $0.unit != .doc }.count
                }
                if let brat {
                    try brat.write(doc, split: split)
                } else {
                    let encoded: EncodedDocument
                    if outputs[split].takesRecordsInPlace {
                        encoded = try outputs[split].write { (buffer) throws(TagbenchError) in
                            try encoder.encode(doc, appendingTo: &buffer)
                        }
                    } else {
                        encoded = try encoder.encode(doc)
                        try outputs[split].write(encoded)
                    }
                    outsideUnits += encoded.outsideUnits
                    blankSpans += encoded.blankSpans
                    overlapDropped += encoded.overlapDropped
                    // The count says what was written, as the manifest does.
                    result.spans -= encoded.outsideUnits + encoded.blankSpans + encoded.overlapDropped
                }
            }
            var filesPerSplit: [[ExportedFile]]
            if let brat {
                filesPerSplit = try brat.finish()
            } else {
                for output in outputs { try output.finish() }
                filesPerSplit = outputs.map(\.files)
            }
            if toDevice && (options.format == .labelStudio || (options.format == .bio && options.jsonl)) {
                result.warnings.append(
                    "\(Paths.fileName(of: base)) is not a regular file: only the data was written, not the "
                        + (options.format == .labelStudio ? ".config.xml" : ".labels.json") + " beside it")
            }
            if options.format == .bio && options.jsonl && !toDevice {
                extraFiles.append(
                    try writeSmallFile(
                        ExportPaths.replacingExtension(of: base, with: ".labels.json"), protected: protected,
                        files: files
                    ) { writer in
                        writer.stringArray(encoder.tagNames)
                        writer.raw("\n")
                    })
            }
            if options.format == .labelStudio && !toDevice {
                extraFiles.append(
                    try writeSmallFile(
                        ExportPaths.replacingExtension(of: base, with: ".config.xml"), protected: protected,
                        files: files
                    ) { writer in
                        labelStudioConfig(
                            &writer, spans: spanLabels.map { labels[$0] },
                            categories: labels.indices.filter {
                                chosenLabels.contains($0)
                                    && (labels[$0].kind == .category || spanLabelsOnDocuments.contains($0))
                            }.map { labels[$0] })
                    })
            }

            // Warnings, then the manifest that records them.
            for (splitIndex, name) in splitNames.enumerated()
            where name != nil && filesPerSplit[splitIndex].isEmpty && options.split[splitIndex].weight > 0 {
                let what = options.splitBy == .para ? "paragraph" : options.splitBy == .sent ? "sentence" : "document"
                result.warnings.append(
                    "split \(name!) has no \(what)s (\(Format.grouped(unitSplit?.placed ?? chosen.count)) for \(splitNames.count) splits); no file written for it"
                )
            }
            if stale > 0 {
                result.warnings.append(
                    "\(Format.count(stale, "span")) no longer \(Format.agreeing(stale, "matches its document's", "match their documents'")) text; left out"
                )
            }
            if outsideUnits > 0 {
                result.warnings.append(
                    "\(Format.count(outsideUnits, "span")) \(Format.agreeing(outsideUnits, "crosses", "cross")) a \(options.recordUnit == .para ? "paragraph" : "sentence") boundary; left out (\(options.splitBy == nil ? "--unit doc keeps them" : "splitting by document keeps them"))"
                )
            }
            if blankSpans > 0 {
                result.warnings.append(
                    "\(Format.count(blankSpans, "span")) of whitespace only; left out (whitespace is not a token)")
            }
            if overlapDropped > 0 {
                result.warnings.append(
                    "\(Format.count(overlapDropped, "overlapping span")) left out by --overlap \(options.overlap!.rawValue)"
                )
            }
            if categoriesLeftOut > 0 {
                result.warnings.append(
                    "\(Format.count(categoriesLeftOut, "category label")) left out (\(options.format == .brat ? "brat holds spans and notes" : "label-studio holds document categories only"))"
                )
            }
            if !session.orphans.isEmpty {
                result.warnings.append(
                    "\(Format.count(session.orphans.count, "orphaned span")) left out (orphans lists them)")
            }
            var provenance = provenance
            if let sessionHash = provenance.sessionHash { provenance.sessionSHA256 = sessionHash() }
            let manifest = ExportManifest(
                options: options, provenance: provenance, labelNames: labelNames, splitNames: splitNames,
                splitPaths: splitPaths, documents: documentsPerSplit, totalDocuments: chosen.count,
                files: filesPerSplit, extraFiles: extraFiles,
                balance: balance, warnings: result.warnings)
            // Every file complete, the manifest too (staged: a disk that fills up fails the export
            // here, with the earlier export untouched); then each takes its place, the files of the
            // earlier brat export that this one did not write again go, and the manifest that
            // describes them comes last. A signal now waits until all are in place. An export is
            // derived from its session and checked by these hashes, so it is not forced to disk
            // (that would wait for the whole output). The old file is removed before the rename:
            // ext4 starts writing out a file renamed over another at once. The earlier manifest
            // goes first: a manifest always describes exactly the files beside it, and a process
            // killed while the files take their places leaves none (an unfinished export) rather
            // than one that lies. A rename that fails leaves the files renamed before it in place,
            // each whole.
            if let manifestPath {
                manifestFile = try writeSmallFile(manifestPath, protected: protected, files: files) { writer in
                    writer.raw(manifest.encode(directory: Paths.directory(of: manifestPath)))
                }
            }
            if tb_deferred_signal() != 0 { throw TagbenchError.interrupted("export to \(Paths.fileName(of: base))") }
            let stale = manifestPath.flatMap { brat?.staleFiles(listedIn: $0) } ?? []
            if let manifestPath { _ = files.unlink(manifestPath) }
            for file in filesPerSplit.joined() + extraFiles { try takePlace(file, files: files) }
            for path in stale { _ = files.unlink(path) }
            if let manifestFile { try takePlace(manifestFile, files: files) }
            result.documents = chosen.count
            result.records = filesPerSplit.joined().reduce(0) { $0 + $1.records }
            result.files =
                filesPerSplit.joined().map(\.path) + extraFiles.map(\.path) + [manifestPath].compactMap { $0 }
            result.manifest = manifestPath
            return result
        } catch let error as TagbenchError {
            cleanUp()
            throw error
        } catch {
            cleanUp()
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Renames a staged file over its target (removed first; see above).
    private static func takePlace(_ file: ExportedFile, files: FileOperations) throws(TagbenchError) {
        guard let staging = file.staging else { return }
        _ = files.unlink(staging.target)
        let failure = files.rename(staging.temporary, staging.target)
        if failure != 0 { throw .writeFailed(file.path, reason: FileSystem.errorText(failure)) }
    }

    private static func writeSmallFile(
        _ path: String, protected: ProtectedFiles, files: FileOperations,
        _ body: (inout JSONWriter) -> Void
    ) throws(TagbenchError) -> ExportedFile {
        var writer = JSONWriter(capacity: 4096)
        body(&writer)
        let file = try ExportFile(path: path, staged: true, protected: protected, files: files)
        do throws(TagbenchError) {
            try file.write(&writer)
            return try file.close()
        } catch {
            // Not yet among the files the export removes when it fails: removed here.
            if let staging = file.staging { _ = files.unlink(staging.temporary) }
            throw error
        }
    }

    /// A Label Studio labelling config that matches the tasks' `from_name`/`to_name`.
    private static func labelStudioConfig(_ writer: inout JSONWriter, spans: [Label], categories: [Label]) {
        func attribute(_ text: String) -> String {
            var out = ""
            for character in text {
                switch character {
                case "&": out += "&amp;"
                case "\"": out += "&quot;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                default: out.append(character)
                }
            }
            return out
        }
        writer.raw("<View>\n  <Labels name=\"label\" toName=\"text\">\n")
        for label in spans {
            writer.raw("    <Label value=\"\(attribute(label.name))\" background=\"\(attribute(label.colour))\"/>\n")
        }
        writer.raw("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n")
        if !categories.isEmpty {
            writer.raw("  <Choices name=\"category\" toName=\"text\" choice=\"multiple\">\n")
            for label in categories { writer.raw("    <Choice value=\"\(attribute(label.name))\"/>\n") }
            writer.raw("  </Choices>\n")
        }
        writer.raw("</View>\n")
    }
}
