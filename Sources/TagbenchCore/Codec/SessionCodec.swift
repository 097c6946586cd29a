import CTagbenchShims
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Writes and reads session files: pretty-printed JSON in a fixed key order, one annotation a
/// line, CJK as is. The format is described by `Schemas/session.schema.json`.
public enum SessionCodec {
    /// The session as file bytes; paths are written relative to `directory` (the file's folder).
    public static func encode(_ session: Session, directory: String) -> [UInt8] {
        Array(encodeSegments(session, directory: directory).joined())
    }

    /// The session file as consecutive pieces (written in turn, never joined in memory: a large
    /// session would otherwise be held twice while it is saved).
    public static func encodeSegments(_ session: Session, directory: String) -> [ArraySlice<UInt8>] {
        var segments: [ArraySlice<UInt8>] = []
        encode(session, directory: directory) { segments.append($0) }
        return segments
    }

    /// The session file's consecutive pieces, each handed to `emit` as soon as it and those
    /// before it are made: a save writes the first pieces while the last are being encoded.
    public static func encode<E: Error>(_ session: Session, directory: String, into emit: (ArraySlice<UInt8>) throws(E) -> Void) throws(E) {
        let labels = session.tagSet.labels
        let documents = session.documents
        // Document ids and label names as JSON once (they repeat on every annotation), and the
        // fields that repeat from one annotation to the next copied as they were last written.
        let documentJSON = EncodedStrings(documents.map(\.id))
        let labelJSON = EncodedStrings(labels.map(\.name))
        // The annotation is read where it is (`a.pointee` passed on whole was copied, retaining and
        // releasing its strings, which both cores share, for every annotation).
        func write(_ a: UnsafePointer<Annotation>, in document: Document, first: Bool, orphan: Bool, ids: EncodedStrings.View, names: EncodedStrings.View,
                   to w: inout JSONWriter, repeating r: inout RepeatedFields) {
            w.raw(first ? "\n    " as StaticString : ",\n    ")
            w.raw(AnnotationLayout.id); w.raw("\"a"); w.int(a.pointee.number); w.raw("\"")
            w.raw(AnnotationLayout.doc); w.raw(ids[a.pointee.document])
            w.raw(AnnotationLayout.start); w.int(a.pointee.range.start)
            w.raw(AnnotationLayout.end); w.int(a.pointee.range.end)
            w.raw(AnnotationLayout.label); w.raw(names[a.pointee.label])
            w.raw(AnnotationLayout.text); w.string(a.pointee.text)
            writeContext(of: a.pointee.range, number: a.pointee.number, in: document, stored: orphan, session: session, to: &w)
            if !a.pointee.note.isEmpty { w.raw(AnnotationLayout.note); w.string(a.pointee.note) }
            w.raw(AnnotationLayout.source); r.source.write(stringAt: UnsafeRawPointer(a) + RepeatedFields.sourceOffset, to: &w)
            w.raw(AnnotationLayout.annotator); r.annotator.write(stringAt: UnsafeRawPointer(a) + RepeatedFields.annotatorOffset, to: &w)
            w.raw(AnnotationLayout.time); r.time.write(stringAt: UnsafeRawPointer(a) + RepeatedFields.timeOffset, to: &w)
            w.raw(AnnotationLayout.close)
        }
        // The annotations are most of the file: written in pieces on every core, handed on in
        // order. The hashes of documents not yet hashed (the documents' list, written first,
        // needs them) are computed first by the same workers, 32 documents a task.
        let slots = session.annotationSlots
        // Read in place below as the annotations they hold: an optional of a type with spare bits
        // (strings have them) is the value itself.
        precondition(MemoryLayout<Annotation?>.stride == MemoryLayout<Annotation>.stride, "an optional annotation is laid out as the annotation")
        let pieces = Swift.max(1, Swift.min(8, slots.count / 4_096))
        let unhashed = Document.unhashed(documents)
        let hashTasks = (unhashed.count + 31) / 32
        var first = true
        try Parallel.forEachInOrder(hashTasks + pieces) { k -> (bytes: [UInt8], any: Bool) in
            if k < hashTasks {
                for d in unhashed[(k * 32)..<Swift.min(unhashed.count, (k + 1) * 32)] { _ = d.sha256 }
                return ([], false)
            }
            let k = k - hashTasks
            // Room for more than an annotation takes (about 275 bytes with its context): a piece
            // that outgrew its buffer was copied whole into one twice the size. Pages never
            // written are never touched.
            var piece = JSONWriter(capacity: slots.count / pieces * 400 + 1024)
            var repeating = RepeatedFields()
            var any = false
            documentJSON.withView { ids in
                labelJSON.withView { names in
                    slots.withUnsafeBufferPointer { slots in
                        // The document is looked up (and retained) only when it changes: consecutive
                        // ids mostly share one, and every core retaining shared objects for every
                        // annotation made them bounce between the cores' caches.
                        var current = -1
                        var document: Document?
                        for i in (slots.count * k / pieces)..<(slots.count * (k + 1) / pieces) where slots[i] != nil {
                            // The slot read in place as the annotation it holds (an optional keeps its
                            // value at its start): taking the value out copied it, retaining and
                            // releasing its strings, shared by both cores, for every annotation.
                            (slots.baseAddress! + i).withMemoryRebound(to: Annotation.self, capacity: 1) { a in
                                if a.pointee.document != current {
                                    current = a.pointee.document
                                    document = documents[current]
                                }
                                // Only the very first annotation goes without a comma; a piece cannot
                                // know, so each writes commas and the first byte is dropped when joining.
                                write(a, in: document!, first: false, orphan: false, ids: ids, names: names,
                                      to: &piece, repeating: &repeating)
                            }
                            any = true
                        }
                    }
                }
            }
            return (piece.bytes, any)
        } consume: { (k, piece) throws(E) in
            if k == hashTasks { try emit(header(session, directory: directory)) }
            guard k >= hashTasks, piece.any else { return }
            // Each piece starts with ",\n    {"; the very first annotation has no comma.
            try emit(first ? piece.bytes.dropFirst() : piece.bytes[...])
            first = false
        }
        var w = JSONWriter(capacity: 1 << 16)
        w.raw(first ? "],\n  \"orphans\": [" as StaticString : "\n  ],\n  \"orphans\": [")
        var repeating = RepeatedFields()
        documentJSON.withView { ids in
            labelJSON.withView { names in
                session.orphans.withUnsafeBufferPointer { orphans in
                    for i in orphans.indices {
                        write(orphans.baseAddress! + i, in: documents[orphans[i].document], first: i == 0, orphan: true, ids: ids, names: names,
                              to: &w, repeating: &repeating)
                    }
                }
            }
        }
        w.raw(session.orphans.isEmpty ? "],\n  \"categories\": [" as StaticString : "\n  ],\n  \"categories\": [")
        for (i, c) in session.categories.enumerated() {
            w.raw(i == 0 ? "\n    {" as StaticString : ",\n    {")
            w.key("doc", comma: false); w.string(documents[c.document].id)
            w.key("unit"); w.string(c.unit.rawValue)
            w.key("index"); w.int(c.index)
            w.key("start"); w.int(c.range.start)
            w.key("end"); w.int(c.range.end)
            w.key("label"); w.string(labels[c.label].name)
            w.key("annotator"); w.string(c.annotator)
            w.key("time"); w.string(c.time)
            w.raw("}")
        }
        w.raw(session.categories.isEmpty ? "],\n  \"next_id\": " as StaticString : "\n  ],\n  \"next_id\": ")
        w.int(session.nextNumber)
        let queue = session.suggestions
        if queue.nextNumber > 1 {
            // Written only once suggestions exist, so sessions without them stay as they were.
            w.raw(",\n  \"next_suggestion\": ")
            w.int(queue.nextNumber)
            for (name, list) in [("suggestions", queue.pending), ("rejected", queue.rejected)] {
                w.raw(",\n  \"")
                w.raw(name)
                w.raw("\": [")
                for (i, s) in list.enumerated() {
                    w.raw(i == 0 ? "\n    {" as StaticString : ",\n    {")
                    w.key("id", comma: false); w.string(s.id)
                    w.key("doc"); w.string(documents[s.document].id)
                    w.key("start"); w.int(s.range.start)
                    w.key("end"); w.int(s.range.end)
                    w.key("label"); w.string(labels[s.label].name)
                    w.key("text"); w.string(s.text)
                    w.key("source"); w.string(s.source)
                    w.raw("}")
                }
                w.raw(list.isEmpty ? "]" as StaticString : "\n  ]")
            }
        }
        w.raw(",\n  \"log\": [")
        for (i, entry) in session.log.enumerated() {
            w.raw(i == 0 ? "\n    {" as StaticString : ",\n    {")
            w.key("command", comma: false); w.string(CommandRenderer.render(entry.command.relativizingPaths(to: directory)))
            w.key("time"); w.string(entry.time)
            w.raw("}")
        }
        w.raw(session.log.isEmpty ? "]\n}\n" as StaticString : "\n  ]\n}\n")
        try emit(w.bytes[...])
    }

    /// The file up to the annotations: format, labels and documents (whose hashes must be known).
    private static func header(_ session: Session, directory: String) -> ArraySlice<UInt8> {
        let labels = session.tagSet.labels
        let documents = session.documents
        var w = JSONWriter(capacity: 1 << 20)
        w.raw("{\n  \"format\": ")
        w.string(Session.formatName)
        w.raw(",\n  \"version\": ")
        w.int(Session.formatVersion)
        if session.tagSet.overlap != .allow {
            w.raw(",\n  \"overlap\": ")
            w.string(session.tagSet.overlap.rawValue)
        }
        w.raw(",\n  \"labels\": [")
        for (i, label) in labels.enumerated() {
            w.raw(i == 0 ? "\n    {" as StaticString : ",\n    {")
            w.key("name", comma: false); w.string(label.name)
            w.key("kind"); w.string(label.kind.rawValue)
            w.key("aliases"); w.stringArray(label.aliases)
            w.key("colour"); w.string(label.colour)
            w.key("description"); w.string(label.description)
            TagSetCodec.encodeExtras(of: label, to: &w)
            w.raw("}")
        }
        w.raw(labels.isEmpty ? "],\n  \"documents\": [" as StaticString : "\n  ],\n  \"documents\": [")
        for (i, d) in documents.enumerated() {
            w.raw(i == 0 ? "\n    {" as StaticString : ",\n    {")
            w.key("id", comma: false); w.string(d.id)
            w.key("path"); w.string(Paths.relative(d.path, to: directory))
            w.key("sha256"); w.string(d.recorded?.sha256 ?? d.sha256)
            w.key("length"); w.int(d.recorded?.length ?? d.length)
            if d.encoding != .utf8 { w.key("encoding"); w.string(d.encoding.rawValue) }
            if let origin = d.origin {
                w.key("origin"); w.string(origin)
                w.key("text"); d.bytes.withUnsafeBufferPointer { w.string(utf8: $0) }
            }
            w.raw("}")
        }
        w.raw(documents.isEmpty ? "],\n  \"annotations\": [" as StaticString : "\n  ],\n  \"annotations\": [")
        return w.bytes[...]
    }

    /// Code points of context kept on each side of a span, to find it again if its document changes.
    public static let contextLength = 8

    /// `"prefix"` and `"suffix"`: the text around the span, from the document when it is the
    /// text the span was made on, else (`stored`, or the document missing or changed) as the
    /// session file had it.
    private static func writeContext(of range: TextRange, number: Int, in d: Document, stored: Bool, session: Session, to w: inout JSONWriter) {
        if stored || d.isMissing || d.recorded != nil {
            let context = session.preservedContext[number] ?? ("", "")
            w.raw(AnnotationLayout.prefix); w.string(context.prefix)
            w.raw(AnnotationLayout.suffix); w.string(context.suffix)
            return
        }
        let start = d.byteOffset(range.start)
        // A short span's end is walked to from its start (the lookup would touch the index and
        // the text again, out of cache when spans are written in id order across documents).
        let length = range.end - range.start
        d.bytes.withUnsafeBufferPointer { b in
            let end = length > 64 ? d.byteOffset(range.end) : UTF8Bytes.offset(start, after: length, in: b)
            // Eight code points each way, walked over the bytes rather than looked up again.
            let before = UTF8Bytes.offset(start, before: contextLength, in: b)
            let after = UTF8Bytes.offset(end, after: contextLength, in: b)
            w.raw(AnnotationLayout.prefix); w.string(utf8: UnsafeBufferPointer(rebasing: b[before..<start]))
            w.raw(AnnotationLayout.suffix); w.string(utf8: UnsafeBufferPointer(rebasing: b[end..<after]))
        }
    }

    /// What opening a session found besides the session itself.
    public struct OpenReport: Sendable, Equatable {
        /// Documents whose file could not be read (their annotations are kept).
        public var missing: [String] = []
        /// Why, for those of `missing` whose file is there but could not be read (not UTF-8 in
        /// the recorded encoding, a folder, a FIFO): the error's message by document id.
        public var unreadable: [String: String] = [:]
        /// Documents whose text changed since they were annotated: how their spans were re-anchored.
        public var changed: [Reanchoring] = []
    }

    /// What re-anchoring the spans of a changed document did.
    public struct Reanchoring: Sendable, Equatable {
        /// The document.
        public var document: String
        /// Spans whose text is still at their offsets.
        public var kept = 0
        /// Spans found again, by their text and context, elsewhere.
        public var moved = 0
        /// Spans that could not be found again (now orphans).
        public var orphaned = 0
        /// Category labels on paragraphs or sentences, kept by number on the new text.
        public var categoriesByNumber = 0
        /// Category labels dropped because their paragraph or sentence no longer exists.
        public var categoriesDropped = 0
    }

    /// Reads a session file at `path` (absolute), reading back every document and checking its
    /// hash (taken from `knownHashes` for a file as it was when hashed).
    public static func decode(_ bytes: [UInt8], path: String, displayPath: String,
                              knownHashes: @autoclosure () -> HashCache = HashCache()) throws(TagbenchError) -> (Session, OpenReport) {
        let directory = Paths.directory(of: path)
        var r = try JSONReader(bytes: bytes, path: displayPath)
        let session = Session()
        var report = OpenReport()
        func invalid(_ reason: String) -> TagbenchError { .invalidSession(path: displayPath, reason: reason) }

        var sawFormat = false
        var version: Int?
        // In the pieces they were read in (joining them would hold them twice).
        var rawAnnotations: [[RawAnnotation]] = []
        var rawCategories: [(doc: String, unit: String, index: Int, start: Int, end: Int, label: String, annotator: String, time: String)] = []
        var rawDocuments: [(id: String, path: String, sha256: String, length: Int, encoding: TextEncoding, origin: String?, text: String?)] = []
        /// Each document's path made absolute, once for reading it and for the session.
        var absolutePaths: [String] = []
        var rawLog: [(String, String)] = []
        var nextID: Int?
        var nextSuggestion: Int?
        var rawSuggestions: [(id: String, doc: String, start: Int, end: Int, label: String, text: String, source: String, rejected: Bool)] = []
        var reading: Parallel.Pending<[Result<Document, TagbenchError>?]>?
        /// A stored prefix or suffix, decoded from where it is in the file.
        func context(_ token: Range<Int>?) throws(TagbenchError) -> String {
            guard let token else { return "" }
            var reader = try JSONReader(bytes: Array(bytes[token]), path: displayPath)
            return try reader.readString()
        }

        guard try r.nextKind() == .object else { throw r.error("expected an object") }
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "format":
                guard try r.readString() == Session.formatName else { throw invalid("format is not \"\(Session.formatName)\"") }
                sawFormat = true
            case "version":
                let v = try r.readInt()
                if v > Session.formatVersion { throw .sessionTooNew(path: displayPath, version: v) }
                if v < 1 { throw invalid("version \(v) is not a valid version") }
                version = v
            case "labels":
                try r.beginArray()
                while try r.nextElement() {
                    let label = try TagSetCodec.decodeLabel(&r, number: session.tagSet.labels.count + 1, invalid: invalid)
                    do { try session.tagSet.add(label) } catch { throw invalid(error.message) }
                }
                try TagSetCodec.check(session.tagSet.labels, invalid: invalid)
            case "overlap":
                let name = try r.readString()
                guard let policy = OverlapPolicy(rawValue: name) else { throw invalid("overlap is \"\(name)\"; it is allow, nest or none") }
                session.tagSet.overlap = policy
            case "documents":
                try r.beginArray()
                while try r.nextElement() {
                    var d = (id: "", path: "", sha256: "", length: -1, encoding: TextEncoding.utf8, origin: String?.none, text: String?.none)
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "id": d.id = try r.readString()
                        case "path": d.path = try r.readString()
                        case "sha256": d.sha256 = try r.readString()
                        case "length": d.length = try r.readInt()
                        case "origin": d.origin = try r.readString()
                        case "text": d.text = try r.readString()
                        case "encoding":
                            let name = try r.readString()
                            guard let e = TextEncoding(rawValue: name), e != .auto else { throw invalid("document \(rawDocuments.count + 1) has unknown encoding \"\(name)\"") }
                            d.encoding = e
                        default: try r.skipValue()
                        }
                    }
                    if d.id.isEmpty || d.path.isEmpty || d.sha256.isEmpty || d.length < 0 {
                        throw invalid("document \(rawDocuments.count + 1) needs id, path, sha256 and length")
                    }
                    rawDocuments.append(d)
                }
                // Read the documents back (the slowest part of opening) while the rest is parsed.
                absolutePaths = rawDocuments.map { Paths.absolute($0.path, base: directory) }
                let files = rawDocuments.indices.map { (path: absolutePaths[$0], displayPath: rawDocuments[$0].path, id: rawDocuments[$0].id,
                                                        encoding: rawDocuments[$0].encoding, embedded: rawDocuments[$0].text != nil) }
                let known = knownHashes()
                reading = Parallel.start {
                    // nil where the session holds the text; the error where a file could not be read.
                    Parallel.map(files.count) { i -> Result<Document, TagbenchError>? in
                        if files[i].embedded { return nil }
                        do throws(TagbenchError) {
                            return .success(try DocumentReader.document(id: files[i].id, path: files[i].path, displayPath: files[i].displayPath,
                                                                         encoding: files[i].encoding, knownHashes: known))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
            case "annotations", "orphans":
                try r.beginArray()
                if key == "annotations", let pieces = parseAnnotationsInParallel(&r, displayPath: displayPath) {
                    rawAnnotations += pieces
                    continue
                }
                var list: [RawAnnotation] = []
                try bytes.withUnsafeBufferPointer { (b) throws(TagbenchError) in
                    var layout = AnnotationLayoutReader(b)
                    while try r.nextElement() {
                        list.append(try parseAnnotation(&r, orphan: key == "orphans", layout: &layout))
                    }
                }
                rawAnnotations.append(list)
            case "categories":
                try r.beginArray()
                while try r.nextElement() {
                    var c = (doc: "", unit: "", index: 0, start: -1, end: -1, label: "", annotator: "", time: "")
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "doc": c.doc = try r.readString()
                        case "unit": c.unit = try r.readString()
                        case "index": c.index = try r.readInt()
                        case "start": c.start = try r.readInt()
                        case "end": c.end = try r.readInt()
                        case "label": c.label = try r.readString()
                        case "annotator": c.annotator = try r.readString()
                        case "time": c.time = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    rawCategories.append(c)
                }
            case "next_id": nextID = try r.readInt()
            case "next_suggestion": nextSuggestion = try r.readInt()
            case "suggestions", "rejected":
                try r.beginArray()
                while try r.nextElement() {
                    var q = (id: "", doc: "", start: -1, end: -1, label: "", text: "", source: "", rejected: key == "rejected")
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "id": q.id = try r.readString()
                        case "doc": q.doc = try r.readString()
                        case "start": q.start = try r.readInt()
                        case "end": q.end = try r.readInt()
                        case "label": q.label = try r.readString()
                        case "text": q.text = try r.readString()
                        case "source": q.source = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    rawSuggestions.append(q)
                }
            case "log":
                try r.beginArray()
                while try r.nextElement() {
                    var entry = ("", "")
                    try r.beginObject()
                    while let k = try r.nextKey() {
                        switch k {
                        case "command": entry.0 = try r.readString()
                        case "time": entry.1 = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    rawLog.append(entry)
                }
            default:
                try r.skipValue()
            }
        }
        try r.finish()
        guard sawFormat else { throw invalid("it has no \"format\": \"\(Session.formatName)\"") }
        guard version != nil else { throw invalid("it has no \"version\"") }

        // Documents: first as the session recorded them, so that the annotations go in while the
        // files are still being read (`reading`); each is then replaced by what was read.
        var recordedLength: [Int] = []
        var ids = Set<String>()
        for (k, d) in rawDocuments.enumerated() {
            recordedLength.append(d.length)
            if !ids.insert(d.id).inserted { throw invalid("document id \(d.id) appears twice") }
            if let c = Names.firstForbidden(in: d.id) {
                throw invalid("document id \"\(d.id)\" holds U+\(String(c.value, radix: 16, uppercase: true)), which ids may not hold")
            }
            let recorded = Document(missingID: d.id, path: absolutePaths[k], length: d.length, sha256: d.sha256)
            recorded.encoding = d.encoding
            session.addDocument(recorded)
        }
        // A repeated id is found by its slot being taken (live) or by this set (orphans).
        var orphanNumbers = Set<Int>()
        var parsed = 0
        let annotationTotal = rawAnnotations.reduce(0) { $0 + $1.count }
        session.reserveCapacity(annotations: annotationTotal)
        // Where each live span's stored context is in the file: read only for documents found
        // missing or changed once read.
        var liveContext: [(number: Int, prefix: Range<Int>?, suffix: Range<Int>?)] = []
        liveContext.reserveCapacity(annotationTotal)
        // Consecutive annotations mostly share a document and a label: look each up once per run.
        var lastDoc: (name: String, index: Int)?
        var lastLabel: (name: String, index: Int)?
        // Each piece is let go once its annotations are in the session.
        rawAnnotations.reverse()
        while var piece = rawAnnotations.popLast() {
            var live: [Annotation] = []
            live.reserveCapacity(piece.count)
            // Read in place and its strings moved out: copying each raw annotation and then
            // each annotation retained and released every string (a sixth of this loop's time).
            try piece.withUnsafeMutableBufferPointer { (p) throws(TagbenchError) in
                for k in p.indices {
                    parsed += 1
                    guard let number = p[k].number, number <= Session.largestNumber else {
                        let name = p[k].invalidID.isEmpty ? "annotation \(parsed)" : "annotation \(p[k].invalidID)"
                        throw invalid("\(name) has an invalid id (expected a1, a2, …)")
                    }
                    guard !session.hasAnnotation(number: number), p[k].orphan ? orphanNumbers.insert(number).inserted : orphanNumbers.isEmpty || !orphanNumbers.contains(number) else {
                        throw invalid("annotation id a\(number) appears twice")
                    }
                    // Named in errors only: made when one is thrown.
                    var name: String { "annotation a\(number)" }
                    let doc: Int
                    if let last = lastDoc, last.name == p[k].doc {
                        doc = last.index
                    } else {
                        guard let found = session.documentIndex(id: p[k].doc) else {
                            throw invalid("\(name) refers to document \"\(p[k].doc)\", which the session does not have")
                        }
                        doc = found
                        lastDoc = (p[k].doc, found)
                    }
                    let label: Int
                    if let last = lastLabel, last.name == p[k].label {
                        label = last.index
                    } else {
                        guard let found = session.tagSet.index(of: p[k].label), session.tagSet.labels[found].name == p[k].label else {
                            throw invalid("\(name) has label \"\(p[k].label)\", which is not in the tag set")
                        }
                        guard session.tagSet.labels[found].kind == .span else { throw invalid("\(name) uses category label \(p[k].label) as a span") }
                        label = found
                        lastLabel = (p[k].label, found)
                    }
                    guard p[k].start >= 0, p[k].start < p[k].end else { throw invalid("\(name) has start \(p[k].start) and end \(p[k].end): start must be ≥ 0 and < end") }
                    // An orphan's offsets are those of an older text: they are kept only as a record.
                    guard p[k].orphan || p[k].end <= recordedLength[doc] else {
                        throw invalid("\(name) ends at \(p[k].end), beyond document \(p[k].doc) (length \(recordedLength[doc]))")
                    }
                    let annotation = Annotation(number: number, document: doc, range: TextRange(p[k].start, p[k].end), label: label,
                                                text: p[k].text.taken(), note: p[k].note.taken(), source: p[k].source.taken(),
                                                annotator: p[k].annotator.taken(), time: p[k].time.taken())
                    if p[k].orphan {
                        session.preservedContext[number] = (try context(p[k].prefix), try context(p[k].suffix))
                        session.addOrphan(annotation)
                        continue
                    }
                    liveContext.append((number, p[k].prefix, p[k].suffix))
                    live.append(annotation)
                }
            }
            // Ids were checked against the pieces before; within a piece they are in increasing
            // order as written, else checked one by one (and put in order). Each jump of more
            // than a gap takes a run of slots (`SlotRun`): counted, so that no file makes many.
            var unordered = false
            var jumps = 1
            for i in live.indices.dropLast() {
                let step = live[i + 1].number - live[i].number
                if step <= 0 { unordered = true }
                if step > SlotRun.largestGap(0) { jumps += 1 }
            }
            if unordered {
                var numbers = Set<Int>()
                for a in live where !numbers.insert(a.number).inserted { throw invalid("annotation id a\(a.number) appears twice") }
                live.sort { $0.number < $1.number }
                jumps = 1 + zip(live, live.dropFirst()).filter { $1.number - $0.number > SlotRun.largestGap(0) }.count
            }
            if session.slotRunCount + jumps > SlotRun.largestCount {
                throw invalid("its annotation ids jump by more than \(SlotRun.largestGap(0)) more than \(SlotRun.largestCount) times")
            }
            let duplicates = session.insert(contentsOf: &live, numbering: false, moving: true)
            if let first = duplicates.first {
                throw invalid("annotation a\(live[first].number) duplicates another span (same document, offsets and label)")
            }
            // Destroyed on another core: element by element, the spent piece and list took a
            // tenth of this loop, which has the only busy core once the documents are read.
            let spent = UncheckedSendable((piece, live))
            piece = []
            live = []
            DispatchQueue.global().async { withExtendedLifetime(spent) {} }
        }
        // The files, as read: a changed or missing one keeps its spans with their stored context.
        let read = reading?.wait() ?? []
        var keepsContext = Array(repeating: false, count: rawDocuments.count)
        for (k, (d, document)) in zip(rawDocuments, read).enumerated() {
            if let text = d.text {
                // An imported document: the session holds its text.
                let embedded = Document(id: d.id, path: absolutePaths[k], bytes: Array(text.utf8))
                guard embedded.sha256 == d.sha256, embedded.length == d.length else {
                    throw invalid("the text of document \(d.id) does not match its sha256 and length")
                }
                embedded.origin = d.origin ?? d.path
                session.replaceDocument(at: k, with: embedded)
            } else if case .success(let document) = document {
                if document.sha256 != d.sha256 {
                    document.recorded = (d.sha256, d.length)
                    keepsContext[k] = true
                }
                session.replaceDocument(at: k, with: document)
            } else {
                report.missing.append(d.id)
                if case .failure(let error) = document, error != .fileNotFound(d.path) { report.unreadable[d.id] = error.message }
                keepsContext[k] = true
            }
        }
        // A document whose text is unchanged must hold each span's stored text at its offsets: a
        // mismatch means the file was edited or damaged, and the spans would export wrong text.
        // Documents are independent: checked on every core; the first mismatch found is reported.
        let checked = UncheckedSendable(session)
        let mismatches = Parallel.map(session.documents.count) { k -> Annotation? in
            let document = checked.value.documents[k]
            guard !keepsContext[k], !document.isMissing else { return nil }
            return checked.value.annotations(inDocument: k).first { a in
                guard a.range.end <= document.length else { return false }
                let start = document.byteOffset(a.range.start), end = document.byteOffset(a.range.end)
                var text = a.text
                return text.withUTF8 { stored in
                    stored.count != end - start || document.bytes.withUnsafeBufferPointer { memcmp(stored.baseAddress!, $0.baseAddress! + start, stored.count) } != 0
                }
            }
        }
        if let a = mismatches.lazy.compactMap({ $0 }).first {
            let document = session.documents[a.document]
            throw invalid("annotation \(a.id) holds the text \"\(a.text)\", but document \(document.id) (unchanged) has \"\(document.text(a.range))\" at \(a.range)")
        }
        if keepsContext.contains(true) {
            for entry in liveContext {
                guard let a = session.annotation(number: entry.number), keepsContext[a.document] else { continue }
                session.preservedContext[entry.number] = (try context(entry.prefix), try context(entry.suffix))
            }
        }
        for c in rawCategories {
            guard let doc = session.documentIndex(id: c.doc) else { throw invalid("a category refers to unknown document \"\(c.doc)\"") }
            guard let unit = UnitKind(rawValue: c.unit) else { throw invalid("a category has unknown unit \"\(c.unit)\"") }
            guard let label = session.tagSet.index(of: c.label), session.tagSet.labels[label].kind == .category else {
                throw invalid("category \"\(c.label)\" is not a category label of the tag set")
            }
            guard c.start >= 0, c.start <= c.end, c.end <= recordedLength[doc], c.index >= 1 else {
                throw invalid("category \(c.label) on \(c.doc) \(c.unit) \(c.index) has an invalid range or index")
            }
            session.addCategory(CategoryAnnotation(document: doc, unit: unit, index: c.index, range: TextRange(c.start, c.end),
                                                   label: label, annotator: c.annotator, time: c.time))
        }
        // With spans and categories in place, those of documents whose text changed are re-anchored.
        for document in session.documents where document.recorded != nil && !document.isMissing {
            report.changed.append(Reanchorer.reanchor(document, in: session))
        }
        for (line, entry) in rawLog.enumerated() {
            do {
                guard let command = try CommandParser.parse(entry.0) else { continue }
                session.log.append(LogEntry(command: command.absolutizingPaths(base: directory), time: entry.1))
            } catch {
                throw invalid("log entry \(line + 1) (\(entry.0)) does not parse: \(error.error.message)")
            }
        }
        var pending: [Suggestion] = []
        var rejected: [Suggestion] = []
        var seenSuggestions = Set<Int>()
        for q in rawSuggestions {
            guard q.id.first == "s", let number = Int(q.id.dropFirst()), number >= 1, seenSuggestions.insert(number).inserted else {
                throw invalid("suggestion \(q.id) has an invalid or repeated id (expected s1, s2, …)")
            }
            guard let doc = session.documentIndex(id: q.doc) else { throw invalid("suggestion \(q.id) refers to unknown document \"\(q.doc)\"") }
            guard let label = session.tagSet.index(of: q.label), session.tagSet.labels[label].name == q.label, session.tagSet.labels[label].kind == .span else {
                throw invalid("suggestion \(q.id) has label \"\(q.label)\", which is not a span label of the tag set")
            }
            guard q.start >= 0, q.start < q.end, q.end <= recordedLength[doc] else { throw invalid("suggestion \(q.id) has an invalid range \(q.start):\(q.end)") }
            let suggestion = Suggestion(number: number, document: doc, range: TextRange(q.start, q.end), label: label, text: q.text, source: q.source)
            if q.rejected {
                rejected.append(suggestion)
            } else if session.documents[doc].recorded == nil || session.documents[doc].covers(suggestion.range, with: q.text) {
                // A waiting suggestion whose document changed under it is dropped; suggest finds it again.
                pending.append(suggestion)
            }
        }
        session.suggestions.enqueue(pending)
        session.suggestions.addRejected(rejected)
        if let nextSuggestion {
            guard nextSuggestion > (seenSuggestions.max() ?? 0) else { throw invalid("next_suggestion \(nextSuggestion) is not above every suggestion id") }
            session.suggestions.nextNumber = nextSuggestion
        }
        if let nextID {
            guard nextID >= session.nextNumber else { throw invalid("next_id \(nextID) is not above every annotation id") }
            guard nextID <= Session.largestNumber else { throw invalid("next_id \(nextID) is above the largest id, \(Session.largestNumber)") }
            session.nextNumber = nextID
        }
        return (session, report)
    }
}

/// N of an id `aN` (N ≥ 1, digits only), read from its bytes.
func annotationNumber(_ id: String) -> Int? {
    var id = id
    return id.withUTF8 { annotationNumber($0) }
}

/// N of an id `aN` (N ≥ 1, digits only) given as UTF-8 bytes.
func annotationNumber(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    guard b.count >= 2, b.count <= 19, b[0] == UInt8(ascii: "a"), b[1] != UInt8(ascii: "0") else { return nil }
    var n = 0
    for c in b.dropFirst() {
        guard c >= 48 && c <= 57 else { return nil }
        n = n * 10 + Int(c - 48)
    }
    return n
}

extension Command {
    /// The command with its file paths made absolute against `base`.
    public func absolutizingPaths(base: String) -> Command {
        switch self {
        case .load(let paths, let encoding): return .load(paths.map { Paths.absolute($0, base: base) }, encoding: encoding)
        case .schema(let path): return .schema(Paths.absolute(path, base: base))
        default: return self
        }
    }

    /// The command with its absolute file paths made relative to `directory`.
    public func relativizingPaths(to directory: String) -> Command {
        switch self {
        case .load(let paths, let encoding): return .load(paths.map { Paths.relative($0, to: directory) }, encoding: encoding)
        case .schema(let path): return .schema(Paths.relative(path, to: directory))
        default: return self
        }
    }
}

/// An annotation as the session file gives it, before documents and labels are looked up.
struct RawAnnotation {
    /// N of the id `aN`; nil when the id is missing or not of that form.
    var number: Int?
    /// The id as written when it is not a valid one (for the error that names it).
    var invalidID = ""
    var doc = "", start = -1, end = -1, label = "", text = "", note = "", source = "manual", annotator = "", time = ""
    /// Where the context strings are in the file (read only if the document changed).
    var prefix: Range<Int>?, suffix: Range<Int>?
    var orphan = false
}

extension String {
    /// The value, leaving an empty string in its place: moved, not copied (no reference counting).
    fileprivate mutating func taken() -> String {
        var value = ""
        swap(&value, &self)
        return value
    }
}

/// The annotation fields that usually repeat from one annotation to the next, as last written.
struct RepeatedFields {
    var source = RepeatedJSON(), annotator = RepeatedJSON(), time = RepeatedJSON()
    /// Where those fields are in an `Annotation`.
    static let sourceOffset = MemoryLayout<Annotation>.offset(of: \.source)!
    static let annotatorOffset = MemoryLayout<Annotation>.offset(of: \.annotator)!
    static let timeOffset = MemoryLayout<Annotation>.offset(of: \.time)!
}

/// A string field's last value and its JSON, copied again while the value stays the same.
struct RepeatedJSON {
    private var value: String?
    /// The last value's bits as stored (its storage's address and its count, or a short string's
    /// bytes): while `value` holds that storage, no other string has the same bits.
    private var bits: (UInt64, UInt64) = (0, 0)
    private var json: [UInt8] = []

    /// Writes the string stored at `field` as a JSON string. The same string as before is known by
    /// its bits, without a copy of it (a retain and a release, on every core, of a string that a
    /// bulk tag's 100,000 spans share).
    mutating func write(stringAt field: UnsafeRawPointer, to w: inout JSONWriter) {
        let raw = field.loadUnaligned(as: (UInt64, UInt64).self)
        if value == nil || raw != bits {
            let text = field.load(as: String.self)
            if text != value { json = JSONWriter.encoded(text) }
            // Kept whatever it equals: the storage these bits name must outlive them.
            value = text
            bits = raw
        }
        json.withUnsafeBufferPointer { w.raw($0) }
    }
}

/// The last value of each field that usually repeats, so equal strings share one allocation.
struct RepeatedStrings {
    var doc = "", label = "", source = "", annotator = "", time = ""
}

extension SessionCodec {
    /// One annotation object: as written, straight from the bytes, else by the general reader.
    static func parseAnnotation(_ r: inout JSONReader, orphan: Bool, layout: inout AnnotationLayoutReader) throws(TagbenchError) -> RawAnnotation {
        if let (a, end) = layout.read(at: r.offset, orphan: orphan) {
            r.seek(to: end)
            return a
        }
        return try parseAnnotationObject(&r, orphan: orphan, repeated: &layout.repeated)
    }

    /// One annotation object, by the general reader.
    static func parseAnnotationObject(_ r: inout JSONReader, orphan: Bool, repeated: inout RepeatedStrings) throws(TagbenchError) -> RawAnnotation {
        var a = RawAnnotation()
        a.orphan = orphan
        try r.beginObject()
        while let k = try r.nextKey() {
            switch k {
            case "id":
                let id = try r.readString()
                a.number = annotationNumber(id)
                a.invalidID = a.number == nil ? id : ""
            case "doc": a.doc = try r.readString(reusing: &repeated.doc)
            case "start": a.start = try r.readInt()
            case "end": a.end = try r.readInt()
            case "label": a.label = try r.readString(reusing: &repeated.label)
            case "text": a.text = try r.readString()
            case "note": a.note = r.readNull() ? "" : try r.readString()
            case "source": a.source = try r.readString(reusing: &repeated.source)
            case "annotator": a.annotator = try r.readString(reusing: &repeated.annotator)
            case "time": a.time = try r.readString(reusing: &repeated.time)
            // Needed only if the document changed: kept as where they are in the file.
            case "prefix": a.prefix = try r.skipString()
            case "suffix": a.suffix = try r.skipString()
            default: try r.skipValue()
            }
        }
        return a
    }

    /// The annotations array of a file as tagbench writes it (one object a line, the array
    /// closed by a line `  ]`), parsed in pieces on every core; the reader is left after the
    /// array. Nil, with the reader where it was, when the file is laid out otherwise or anything
    /// in it is wrong: the caller then parses it in order, with exact error positions.
    static func parseAnnotationsInParallel(_ r: inout JSONReader, displayPath: String) -> [[RawAnnotation]]? {
        let bytes = r.contents
        let start = r.offset
        let end: Int? = bytes.withUnsafeBufferPointer { b in
            guard start < b.count else { return nil }
            // As written, the list is followed by the orphans: found from the end of the file,
            // a line at a time, rather than by searching the whole list for its close.
            let next: [UInt8] = Array("\n  ],\n  \"orphans\": [".utf8)
            var line = b.count
            while line > start {
                line = tb_memrchr(b.baseAddress!, 0x0A, line)
                if line < start { break }
                if line + next.count <= b.count && memcmp(b.baseAddress! + line, next, next.count) == 0 { return line }
            }
            let close: [UInt8] = Array("\n  ]".utf8)
            let hit = tb_memmem(b.baseAddress! + start, b.count - start, close, close.count)
            return hit < 0 ? nil : start + hit
        }
        guard let end, end - start > 1 << 20 else { return nil }
        // Cut at ",\n    {" (a new element: a raw newline is never inside a JSON string).
        let pieces = 4
        var cuts = [start]
        bytes.withUnsafeBufferPointer { b in
            let separator: [UInt8] = Array(",\n    {".utf8)
            for k in 1..<pieces {
                let from = start + (end - start) * k / pieces
                guard from > cuts.last! else { continue }
                let hit = tb_memmem(b.baseAddress! + from, end - from, separator, separator.count)
                if hit >= 0 { cuts.append(from + hit) }
            }
        }
        cuts.append(end)
        let reader = r
        let parsed = bytes.withUnsafeBufferPointer { b in
            Parallel.map(cuts.count - 1) { k -> [RawAnnotation]? in
                var piece = reader
                piece.seek(to: cuts[k])
                var layout = AnnotationLayoutReader(b)
                var list: [RawAnnotation] = []
                list.reserveCapacity((cuts[k + 1] - cuts[k]) / 200)
                do {
                    // Every piece but the first starts at the comma before its first element.
                    if k > 0 && !piece.consume(UInt8(ascii: ",")) { return nil }
                    while true {
                        list.append(try parseAnnotation(&piece, orphan: false, layout: &layout))
                        if piece.offset >= cuts[k + 1] { break }
                        guard piece.consume(UInt8(ascii: ",")) else { return nil }
                        if piece.offset >= cuts[k + 1] { return nil }
                    }
                    return list
                } catch {
                    return nil
                }
            }
        }
        var all: [[RawAnnotation]] = []
        for piece in parsed {
            guard let piece else { return nil }
            all.append(piece)
        }
        r.seek(to: end)
        guard (try? r.nextElement()) == false else {
            r.seek(to: start)
            return nil
        }
        return all
    }
}
