/// Reads the kept undo history (`undo`, `redo`). Only its shape is checked here: what each step
/// names is checked against the session when the step is undone or redone.
extension SessionFileReader {
    /// The kept undo history alone, every other section skipped: for a session first read
    /// without it (`read(history: false)`) that turns out to need it.
    static func readKeptUndo(_ bytes: [UInt8], displayPath: String) throws(TagbenchError) -> KeptUndo {
        var reader = try JSONReader(bytes: bytes, path: displayPath)
        let file = SessionFile(bytes: bytes, displayPath: displayPath)
        var undo = KeptUndo()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "undo": undo.undo += try readKeptSteps(&reader, in: file)
            case "redo": undo.redo += try readKeptSteps(&reader, in: file)
            default: try reader.skipValue()
            }
        }
        return undo
    }

    /// The steps of `undo` or `redo`.
    static func readKeptSteps(_ reader: inout JSONReader, in file: SessionFile) throws(TagbenchError) -> [KeptStep] {
        try readObjects(&reader, KeptStep()) { (step, key, reader) throws(TagbenchError) in
            switch key {
            case "command": step.command = try reader.readString()
            case "kept": step.kept = try reader.readBool()
            case "changes":
                try reader.beginArray()
                while try reader.nextElement() { step.changes.append(try readKeptChange(&reader, in: file)) }
            default: try reader.skipValue()
            }
        }
    }

    /// One change: an object whose `change` says its kind.
    static func readKeptChange(_ reader: inout JSONReader, in file: SessionFile) throws(TagbenchError) -> KeptChange {
        var kind = ""
        var annotations: [KeptAnnotation] = []
        var labels: [Label] = []
        var id: Int?
        var from = ""
        var to = ""
        var category = CategoryRecord()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "change": kind = try reader.readString()
            case "annotations":
                try reader.beginArray()
                while try reader.nextElement() { annotations.append(try readKeptAnnotation(&reader, in: file)) }
            case "labels":
                try reader.beginArray()
                while try reader.nextElement() {
                    labels.append(try TagSetCodec.decodeLabel(&reader, number: labels.count + 1, invalid: file.invalid))
                }
            case "id":
                let text = try reader.readString()
                guard let number = annotationNumber(text) else {
                    throw file.invalid("a step of the undo history names \"\(text)\", which is not an annotation id")
                }
                id = number
            case "from": from = try reader.readString()
            case "to": to = try reader.readString()
            default: if try !readCategoryField(key, into: &category, &reader) { try reader.skipValue() }
            }
        }
        switch kind {
        case "added", "removed": return .annotations(added: kind == "added", annotations)
        case "relabeled", "noted":
            guard let id else { throw file.invalid("a \(kind) change of the undo history has no \"id\"") }
            return kind == "noted" ? .noted(id: id, from: from, to: to) : .relabeled(id: id, from: from, to: to)
        case "added_category", "removed_category": return .category(added: kind == "added_category", category)
        case "added_labels": return .labels(labels)
        default: throw file.invalid("the undo history has a change of unknown kind \"\(kind)\"")
        }
    }

    /// A reference `["aN", doc, start, end, label]` or a whole annotation object.
    static func readKeptAnnotation(_ reader: inout JSONReader, in file: SessionFile) throws(TagbenchError)
        -> KeptAnnotation
    {
        guard try reader.nextKind() == .array else {
            var repeated = RepeatedStrings()
            return KeptAnnotation(
                raw: try readAnnotation(&reader, orphan: false, repeated: &repeated), isReference: false)
        }
        var raw = RawAnnotation()
        try reader.beginArray()
        guard try reader.nextElement() else { throw file.invalid("an annotation of the undo history is empty") }
        let id = try reader.readString()
        raw.number = annotationNumber(id)
        raw.invalidID = raw.number == nil ? id : ""
        guard try reader.nextElement() else { throw file.invalid("reference \(id) of the undo history is cut short") }
        raw.doc = try reader.readString()
        guard try reader.nextElement() else { throw file.invalid("reference \(id) of the undo history is cut short") }
        raw.start = try reader.readInt()
        guard try reader.nextElement() else { throw file.invalid("reference \(id) of the undo history is cut short") }
        raw.end = try reader.readInt()
        guard try reader.nextElement() else { throw file.invalid("reference \(id) of the undo history is cut short") }
        raw.label = try reader.readString()
        while try reader.nextElement() { try reader.skipValue() }
        return KeptAnnotation(raw: raw, isReference: true)
    }
}
