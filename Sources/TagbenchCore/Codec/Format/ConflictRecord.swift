/// A conflict as the session file records it, before its document is looked up.
struct ConflictRecord: Equatable {
    var id = "", doc = "", start = -1, end = -1, unit: String?, index = 0
    var versions: [ConflictVersion] = []
    /// The decision as `resolve`'s options (`--pick 2`), nil while open.
    var decision: String?
}

extension SessionFileReader {
    /// A list of strings (`annotators`).
    static func readStrings(_ reader: inout JSONReader) throws(TagbenchError) -> [String] {
        var values: [String] = []
        try reader.beginArray()
        while try reader.nextElement() { values.append(try reader.readString()) }
        return values
    }

    /// `conflicts`: each with its place, every annotator's version and the decision, if made.
    static func readConflicts(_ reader: inout JSONReader) throws(TagbenchError) -> [ConflictRecord] {
        try readObjects(&reader, ConflictRecord()) { (record, key, reader) throws(TagbenchError) in
            switch key {
            case "id": record.id = try reader.readString()
            case "doc": record.doc = try reader.readString()
            case "start": record.start = try reader.readInt()
            case "end": record.end = try reader.readInt()
            case "unit": record.unit = try reader.readString()
            case "index": record.index = try reader.readInt()
            case "decision": record.decision = reader.readNull() ? nil : try reader.readString()
            case "versions":
                record.versions = try readObjects(&reader, ConflictVersion(annotator: "", spans: [])) {
                    (version, key, reader) throws(TagbenchError) in
                    switch key {
                    case "annotator": version.annotator = try reader.readString()
                    case "spans":
                        version.spans = try readObjects(&reader, ConflictSpan(range: TextRange(-1, -1), label: "")) {
                            (span, key, reader) throws(TagbenchError) in
                            switch key {
                            case "start": span.range.start = try reader.readInt()
                            case "end": span.range.end = try reader.readInt()
                            case "label": span.label = try reader.readString()
                            default: try reader.skipValue()
                            }
                        }
                    default: try reader.skipValue()
                    }
                }
            default: try reader.skipValue()
            }
        }
    }
}

extension SessionFileWriter {
    /// `next_conflict` and `conflicts`: written only once a merge has made any, so that other
    /// sessions stay byte for byte as they were.
    static func writeConflicts(of session: Session, to writer: inout JSONWriter) {
        let list = session.conflicts
        guard list.nextNumber > 1 else { return }
        writer.raw(",\n  \"next_conflict\": ")
        writer.int(list.nextNumber)
        writer.raw(",\n  \"conflicts\": [")
        for (index, conflict) in list.all.enumerated() {
            writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
            writer.key("id", comma: false)
            writer.string(conflict.id)
            writer.key("doc")
            writer.string(session.documents[conflict.document].id)
            writer.key("start")
            writer.int(conflict.range.start)
            writer.key("end")
            writer.int(conflict.range.end)
            if let unit = conflict.unit {
                writer.key("unit")
                writer.string(unit.rawValue)
                writer.key("index")
                writer.int(conflict.index)
            }
            writer.key("versions")
            writer.raw("[")
            for (v, version) in conflict.versions.enumerated() {
                writer.raw(v == 0 ? "{" as StaticString : ", {")
                writer.key("annotator", comma: false)
                writer.string(version.annotator)
                writer.key("spans")
                writer.raw("[")
                for (s, span) in version.spans.enumerated() {
                    writer.raw(s == 0 ? "{" as StaticString : ", {")
                    writer.key("start", comma: false)
                    writer.int(span.range.start)
                    writer.key("end")
                    writer.int(span.range.end)
                    writer.key("label")
                    writer.string(span.label)
                    writer.raw("}")
                }
                writer.raw("]}")
            }
            writer.raw("]")
            if let decision = conflict.decision {
                writer.key("decision")
                writer.string(decision.arguments.joined(separator: " "))
            }
            writer.raw("}")
        }
        writer.raw(list.all.isEmpty ? "]" as StaticString : "\n  ]")
    }
}

extension SessionLoader {
    /// The conflicts: ids `cN` unique, documents known, ranges within the text, decisions that
    /// `resolve` would take.
    mutating func addConflicts() throws(TagbenchError) {
        var list: [Conflict] = []
        var seen = Set<Int>()
        for record in file.conflicts {
            guard record.id.first == "c", let number = Int(record.id.dropFirst()), number >= 1,
                seen.insert(number).inserted
            else {
                throw file.invalid("conflict \(record.id) has an invalid or repeated id (expected c1, c2, …)")
            }
            guard let document = session.documentIndex(id: record.doc) else {
                throw file.invalid("conflict \(record.id) refers to unknown document \"\(record.doc)\"")
            }
            let length = recordedLength[document]
            let ranges = [TextRange(record.start, record.end)] + record.versions.flatMap { $0.spans.map(\.range) }
            guard ranges.allSatisfy({ $0.start >= 0 && $0.start <= $0.end && $0.end <= length }) else {
                throw file.invalid("conflict \(record.id) has a range outside document \(record.doc)")
            }
            var unit: UnitKind?
            if let name = record.unit {
                guard let kind = UnitKind(rawValue: name), record.index >= 1 else {
                    throw file.invalid("conflict \(record.id) has unit \"\(name)\" \(record.index)")
                }
                unit = kind
            }
            var decision: ConflictDecision?
            if let text = record.decision {
                let words = text.split(separator: " ").map(String.init)
                guard let parsed = ConflictDecision(arguments: words) else {
                    throw file.invalid("conflict \(record.id) has decision \"\(text)\", which resolve does not take")
                }
                decision = parsed
            }
            list.append(
                Conflict(
                    number: number, document: document, range: TextRange(record.start, record.end), unit: unit,
                    index: record.index, versions: record.versions, decision: decision))
        }
        session.conflicts.add(list)
        if let next = file.nextConflict {
            guard next > (seen.max() ?? 0) else {
                throw file.invalid("next_conflict \(next) is not above every conflict id")
            }
            session.conflicts.setNextNumber(next)
        }
    }
}
