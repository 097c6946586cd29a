import Synchronization

/// Writes a session as file bytes, one function per section: pretty-printed JSON in a fixed key
/// order, one annotation a line, CJK as is (`Schemas/session.schema.json`). Touches no disk: the
/// context around each span comes from its document's text in memory.
enum SessionFileWriter {
    /// Annotations written per piece: enough to keep every core busy, few enough that the pieces
    /// in hand at once are a small part of the file.
    static let annotationsPerPiece = 2_048
    /// Tasks done and not yet written at the most: on a disk slower than the cores, the pieces
    /// made wait in memory (and a buffer used again is one not made).
    static let tasksAhead = 8
    /// Documents hashed per task before the header, which needs their hashes.
    static let documentsPerHashTask = 32

    /// The session file's consecutive pieces, each handed to `emit` as soon as it and those
    /// before it are made: a save writes the first pieces while the last are being encoded. A
    /// piece's storage is written into again after `emit` returns, unless `emit` kept the piece.
    static func write<E: Error>(_ session: Session, directory: String, into emit: (ArraySlice<UInt8>) throws(E) -> Void)
        throws(E)
    {
        // Document ids and label names as JSON once: they repeat on every annotation.
        let documentJSON = EncodedStrings(session.documents.map(\.id))
        let labelJSON = EncodedStrings(session.tagSet.labels.map(\.name))
        // The annotations are most of the file: written in pieces on every core, handed on in
        // order. The hashes of documents not yet hashed (the header needs them) are computed
        // first by the same workers.
        let slots = session.annotationSlots
        // One piece at the least: the header is emitted with the first.
        let pieces = Swift.max(1, (slots.count + annotationsPerPiece - 1) / annotationsPerPiece)
        let unhashed = Document.unhashed(session.documents)
        let hashTasks = (unhashed.count + documentsPerHashTask - 1) / documentsPerHashTask
        // A piece's buffer is used again once it was emitted: its pages are already the process's,
        // where a new buffer's must each be found and zeroed by the kernel (docs/performance.md).
        let spare = Mutex<[PieceBuffer]>([])
        var first = true
        try Parallel.forEachInOrder(hashTasks + pieces, ahead: tasksAhead) {
            task -> (buffer: PieceBuffer?, any: Bool) in
            guard task >= hashTasks else {
                let from = task * documentsPerHashTask
                for document in unhashed[from..<Swift.min(unhashed.count, from + documentsPerHashTask)] {
                    _ = document.sha256
                }
                return (nil, false)
            }
            let from = (task - hashTasks) * annotationsPerPiece
            let buffer = spare.withLock { $0.popLast() } ?? PieceBuffer()
            let any = annotationPiece(
                slots[from..<Swift.min(slots.count, from + annotationsPerPiece)], of: session,
                documentJSON: documentJSON, labelJSON: labelJSON, into: buffer)
            return (buffer, any)
        } consume: { (task, piece) throws(E) in
            if task == hashTasks { try emit(header(session, directory: directory)) }
            guard task >= hashTasks, let buffer = piece.buffer else { return }
            if piece.any {
                // Each piece starts with ",\n    {"; the very first annotation has no comma.
                try emit(first ? buffer.bytes.dropFirst() : buffer.bytes[...])
                first = false
            }
            buffer.bytes.removeAll(keepingCapacity: true)
            spare.withLock { $0.append(buffer) }
        }
        var writer = JSONWriter(capacity: 1 << 16)
        writer.raw(first ? "],\n  \"orphans\": [" as StaticString : "\n  ],\n  \"orphans\": [")
        writeOrphans(of: session, documentJSON: documentJSON, labelJSON: labelJSON, to: &writer)
        writer.raw(session.orphans.isEmpty ? "],\n  \"categories\": [" as StaticString : "\n  ],\n  \"categories\": [")
        writeCategories(of: session, to: &writer)
        writer.raw(session.categories.isEmpty ? "],\n  \"next_id\": " as StaticString : "\n  ],\n  \"next_id\": ")
        writer.int(session.nextNumber)
        writeSuggestions(of: session, to: &writer)
        writeConflicts(of: session, to: &writer)
        writeLog(of: session, directory: directory, to: &writer)
        try emit(writer.bytes[...])
    }

    /// The file up to the annotations: format, labels and documents (whose hashes must be known).
    static func header(_ session: Session, directory: String) -> ArraySlice<UInt8> {
        var writer = JSONWriter(capacity: 1 << 20)
        writer.raw("{\n  \"format\": ")
        writer.string(Session.formatName)
        writer.raw(",\n  \"version\": ")
        writer.int(Session.formatVersion)
        if session.tagSet.overlap != .allow {
            writer.raw(",\n  \"overlap\": ")
            writer.string(session.tagSet.overlap.rawValue)
        }
        writer.raw(",\n  \"labels\": [")
        writeLabels(session.tagSet.labels, to: &writer)
        writer.raw(
            session.tagSet.labels.isEmpty ? "],\n  \"documents\": [" as StaticString : "\n  ],\n  \"documents\": [")
        writeDocuments(session.documents, directory: directory, to: &writer)
        writer.raw(
            session.documents.isEmpty ? "],\n  \"annotations\": [" as StaticString : "\n  ],\n  \"annotations\": [")
        return writer.bytes[...]
    }

    /// The elements of `labels`.
    static func writeLabels(_ labels: [Label], to writer: inout JSONWriter) {
        for (index, label) in labels.enumerated() {
            writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
            writer.key("name", comma: false)
            writer.string(label.name)
            writer.key("kind")
            writer.string(label.kind.rawValue)
            writer.key("aliases")
            writer.stringArray(label.aliases)
            writer.key("colour")
            writer.string(label.colour)
            writer.key("description")
            writer.string(label.description)
            TagSetCodec.encodeExtras(of: label, to: &writer)
            writer.raw("}")
        }
    }

    /// The elements of `documents`: paths relative to `directory`, the hash and length the
    /// annotations were made on, an imported document's text.
    static func writeDocuments(_ documents: [Document], directory: String, to writer: inout JSONWriter) {
        for (index, document) in documents.enumerated() {
            writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
            writer.key("id", comma: false)
            writer.string(document.id)
            writer.key("path")
            writer.string(Paths.relative(document.path, to: directory))
            writer.key("sha256")
            writer.string(document.recorded?.sha256 ?? document.sha256)
            writer.key("length")
            writer.int(document.recorded?.length ?? document.length)
            if document.encoding != .utf8 {
                writer.key("encoding")
                writer.string(document.encoding.rawValue)
            }
            if let part = document.part {
                writer.key("part")
                writer.raw("{\"pattern\": ")
                writer.string(part.pattern)
                writer.raw(", ")
                part.writePlace(to: &writer)
                writer.raw(", \"file_sha256\": ")
                writer.string(part.fileSHA256)
                writer.raw("}")
            }
            if let origin = document.origin {
                writer.key("origin")
                writer.string(origin)
                writer.key("text")
                document.bytes.withUnsafeBufferPointer { writer.string(utf8: $0) }
            }
            writer.raw("}")
        }
    }

    /// A piece's bytes, handed from the core that writes them to the one that emits them and
    /// back to be written into again.
    // @unchecked: one thread at a time holds it, handed over through `forEachInOrder` and a lock.
    final class PieceBuffer: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    /// Writes the live annotations of `slots` into `buffer`, each preceded by `,\n    `; false
    /// when the slots hold none.
    static func annotationPiece(
        _ slots: ArraySlice<Annotation?>, of session: Session, documentJSON: EncodedStrings,
        labelJSON: EncodedStrings, into buffer: PieceBuffer
    ) -> Bool {
        // Room for more than an annotation takes (about 275 bytes with its context): a piece
        // that outgrew its buffer was copied whole into one twice the size. Pages never written
        // are never touched.
        var writer = JSONWriter(reusing: &buffer.bytes, capacity: slots.count * 400 + 1024)
        defer { buffer.bytes = writer.bytes }
        var repeating = RepeatedFields()
        var any = false
        documentJSON.withView { ids in
            labelJSON.withView { names in
                // The document is looked up (and retained) only when it changes: consecutive ids
                // mostly share one, and every core retaining shared objects for every annotation
                // made them bounce between the cores' caches.
                var current = -1
                var document: Document?
                for slot in slots {
                    guard let annotation = slot else { continue }
                    if annotation.document != current {
                        current = annotation.document
                        document = session.documents[current]
                    }
                    // Only the very first annotation goes without a comma; a piece cannot know, so
                    // each writes commas and the first byte is dropped when joining.
                    writeAnnotation(
                        annotation, first: false, in: document!, orphan: false, session: session, ids: ids,
                        names: names,
                        to: &writer, repeating: &repeating)
                    any = true
                }
            }
        }
        return any
    }

    /// The orphans, the first without a comma.
    static func writeOrphans(
        of session: Session, documentJSON: EncodedStrings, labelJSON: EncodedStrings, to writer: inout JSONWriter
    ) {
        var repeating = RepeatedFields()
        documentJSON.withView { ids in
            labelJSON.withView { names in
                for (index, orphan) in session.orphans.enumerated() {
                    writeAnnotation(
                        orphan, first: index == 0, in: session.documents[orphan.document], orphan: true,
                        session: session,
                        ids: ids, names: names, to: &writer, repeating: &repeating)
                }
            }
        }
    }

    /// One annotation object on a line of its own, after a comma unless it is the `first`.
    static func writeAnnotation(
        _ annotation: Annotation, first: Bool, in document: Document, orphan: Bool, session: Session,
        ids: EncodedStrings.View,
        names: EncodedStrings.View, to writer: inout JSONWriter, repeating: inout RepeatedFields
    ) {
        writer.raw(first ? "\n    " as StaticString : ",\n    ")
        writer.raw(AnnotationLayout.id)
        writer.raw("\"a")
        writer.int(annotation.number)
        writer.raw("\"")
        writer.raw(AnnotationLayout.doc)
        writer.raw(ids[annotation.document])
        writer.raw(AnnotationLayout.start)
        writer.int(annotation.range.start)
        writer.raw(AnnotationLayout.end)
        writer.int(annotation.range.end)
        writer.raw(AnnotationLayout.label)
        writer.raw(names[annotation.label])
        writer.raw(AnnotationLayout.text)
        writer.string(annotation.text)
        writeContext(
            of: annotation.range, number: annotation.number, in: document, stored: orphan, session: session, to: &writer
        )
        if !annotation.note.isEmpty {
            writer.raw(AnnotationLayout.note)
            writer.string(annotation.note)
        }
        writer.raw(AnnotationLayout.source)
        repeating.source.write(annotation.source, to: &writer)
        writer.raw(AnnotationLayout.annotator)
        repeating.annotator.write(annotation.annotator, to: &writer)
        // Only on a span `merge` accepted (the fast path then leaves the line to the general reader).
        if !annotation.annotators.isEmpty {
            writer.raw(", \"annotators\": ")
            writer.stringArray(annotation.annotators)
        }
        writer.raw(AnnotationLayout.time)
        repeating.time.write(annotation.time, to: &writer)
        writer.raw(AnnotationLayout.close)
    }

    /// `"prefix"` and `"suffix"`: the text around the span, from the document when it is the
    /// text the span was made on, else (`stored`, or the document missing or changed) as the
    /// session file had it.
    static func writeContext(
        of range: TextRange, number: Int, in document: Document, stored: Bool, session: Session,
        to writer: inout JSONWriter
    ) {
        if stored || document.isMissing || document.recorded != nil {
            let context = session.preservedContext[number] ?? ("", "")
            writer.raw(AnnotationLayout.prefix)
            writer.string(context.prefix)
            writer.raw(AnnotationLayout.suffix)
            writer.string(context.suffix)
            return
        }
        let start = document.byteOffset(range.start)
        // A short span's end is walked to from its start (the lookup would touch the index and
        // the text again, out of cache when spans are written in id order across documents).
        let length = range.end - range.start
        document.bytes.withUnsafeBufferPointer { text in
            let end = length > 64 ? document.byteOffset(range.end) : UTF8Bytes.offset(start, after: length, in: text)
            let before = UTF8Bytes.offset(start, before: SessionCodec.contextLength, in: text)
            let after = UTF8Bytes.offset(end, after: SessionCodec.contextLength, in: text)
            writer.raw(AnnotationLayout.prefix)
            writer.string(utf8: UnsafeBufferPointer(rebasing: text[before..<start]))
            writer.raw(AnnotationLayout.suffix)
            writer.string(utf8: UnsafeBufferPointer(rebasing: text[end..<after]))
        }
    }

    /// The category labels' elements.
    static func writeCategories(of session: Session, to writer: inout JSONWriter) {
        for (index, category) in session.categories.enumerated() {
            writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
            writeCategoryFields(
                CategoryRecord(
                    category, documentID: session.documents[category.document].id,
                    labelName: session.tagSet.labels[category.label].name), first: true, to: &writer)
            writer.raw("}")
        }
    }

    /// A category's fields, `"doc"` first (after a comma unless `first`).
    static func writeCategoryFields(_ record: CategoryRecord, first: Bool, to writer: inout JSONWriter) {
        writer.key("doc", comma: !first)
        writer.string(record.doc)
        writer.key("unit")
        writer.string(record.unit)
        writer.key("index")
        writer.int(record.index)
        writer.key("start")
        writer.int(record.start)
        writer.key("end")
        writer.int(record.end)
        writer.key("label")
        writer.string(record.label)
        writer.key("annotator")
        writer.string(record.annotator)
        if !record.annotators.isEmpty {
            writer.key("annotators")
            writer.stringArray(record.annotators)
        }
        writer.key("time")
        writer.string(record.time)
    }

    /// `next_suggestion`, `suggestions` and `rejected`: written only once suggestions exist, so
    /// that sessions without them stay as they were.
    static func writeSuggestions(of session: Session, to writer: inout JSONWriter) {
        let queue = session.suggestions
        guard queue.nextNumber > 1 else { return }
        writer.raw(",\n  \"next_suggestion\": ")
        writer.int(queue.nextNumber)
        for (name, list) in [("suggestions", queue.pending), ("rejected", queue.rejected)] {
            writer.raw(",\n  \"")
            writer.raw(name)
            writer.raw("\": [")
            for (index, suggestion) in list.enumerated() {
                writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
                writer.key("id", comma: false)
                writer.string(suggestion.id)
                writer.key("doc")
                writer.string(session.documents[suggestion.document].id)
                writer.key("start")
                writer.int(suggestion.range.start)
                writer.key("end")
                writer.int(suggestion.range.end)
                writer.key("label")
                writer.string(session.tagSet.labels[suggestion.label].name)
                writer.key("text")
                writer.string(suggestion.text)
                writer.key("source")
                writer.string(suggestion.source)
                writer.raw("}")
            }
            writer.raw(list.isEmpty ? "]" as StaticString : "\n  ]")
        }
    }

    /// The log, paths relative to `directory`, the kept undo history and the end of the file.
    static func writeLog(of session: Session, directory: String, to writer: inout JSONWriter) {
        writer.raw(",\n  \"log\": [")
        for (index, entry) in session.log.enumerated() {
            writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
            writer.key("command", comma: false)
            writer.string(CommandRenderer.render(entry.command.relativizingPaths(to: directory)))
            writer.key("time")
            writer.string(entry.time)
            writer.raw("}")
        }
        writer.raw(session.log.isEmpty ? "]" as StaticString : "\n  ]")
        writeKeptUndo(session.keptUndo, to: &writer)
        writer.raw("\n}\n")
    }
}
