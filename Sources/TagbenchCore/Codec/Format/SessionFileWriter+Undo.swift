/// The kept undo history (`undo`, `redo`): written only when a step is kept, so that sessions
/// without one are byte for byte what they were.
extension SessionFileWriter {
    /// `"undo"` and `"redo"`, each after a comma, when not empty.
    static func writeKeptUndo(_ kept: KeptUndo, to writer: inout JSONWriter) {
        for (name, steps) in [("undo", kept.undo), ("redo", kept.redo)] where !steps.isEmpty {
            writer.raw(",\n  \"")
            writer.raw(name)
            writer.raw("\": [")
            for (index, step) in steps.enumerated() {
                writer.raw(index == 0 ? "\n    {" as StaticString : ",\n    {")
                writer.key("command", comma: false)
                writer.string(step.command)
                if !step.kept {
                    writer.key("kept")
                    writer.bool(false)
                } else {
                    writer.key("changes")
                    writer.raw("[")
                    for (number, change) in step.changes.enumerated() {
                        writer.raw(number == 0 ? "\n      {" as StaticString : ",\n      {")
                        writeKeptChange(change, to: &writer)
                        writer.raw("}")
                    }
                    writer.raw(step.changes.isEmpty ? "]" as StaticString : "\n    ]")
                }
                writer.raw("}")
            }
            writer.raw("\n  ]")
        }
    }

    /// The fields of one change, `"change"` first.
    static func writeKeptChange(_ change: KeptChange, to writer: inout JSONWriter) {
        writer.key("change", comma: false)
        switch change {
        case .annotations(let added, let list):
            writer.string(added ? "added" : "removed")
            writer.key("annotations")
            writer.raw("[")
            for (index, annotation) in list.enumerated() {
                writer.raw(index == 0 ? "\n        " as StaticString : ",\n        ")
                writeKeptAnnotation(annotation, to: &writer)
            }
            writer.raw(list.isEmpty ? "]" as StaticString : "\n      ]")
        case .relabeled(let id, let from, let to), .noted(let id, let from, let to):
            if case .relabeled = change { writer.string("relabeled") } else { writer.string("noted") }
            writer.key("id")
            writer.string("a\(id)")
            writer.key("from")
            writer.string(from)
            writer.key("to")
            writer.string(to)
        case .category(let added, let record):
            writer.string(added ? "added_category" : "removed_category")
            writeCategoryFields(record, first: false, to: &writer)
        case .labels(let labels):
            writer.string("added_labels")
            writer.key("labels")
            writer.raw("[")
            writeLabels(labels, to: &writer)
            writer.raw(labels.isEmpty ? "]" as StaticString : "\n      ]")
        }
    }

    /// A reference as `["aN", doc, start, end, label]`; a whole annotation as an object.
    static func writeKeptAnnotation(_ annotation: KeptAnnotation, to writer: inout JSONWriter) {
        let raw = annotation.raw
        if annotation.isReference {
            writer.raw("[\"a")
            writer.int(raw.number ?? 0)
            writer.raw("\", ")
            writer.string(raw.doc)
            writer.raw(", ")
            writer.int(raw.start)
            writer.raw(", ")
            writer.int(raw.end)
            writer.raw(", ")
            writer.string(raw.label)
            writer.raw("]")
            return
        }
        writer.raw("{")
        writer.key("id", comma: false)
        writer.string("a\(raw.number ?? 0)")
        writer.key("doc")
        writer.string(raw.doc)
        writer.key("start")
        writer.int(raw.start)
        writer.key("end")
        writer.int(raw.end)
        writer.key("label")
        writer.string(raw.label)
        writer.key("text")
        writer.string(raw.text)
        if !raw.note.isEmpty {
            writer.key("note")
            writer.string(raw.note)
        }
        writer.key("source")
        writer.string(raw.source)
        writer.key("annotator")
        writer.string(raw.annotator)
        writer.key("time")
        writer.string(raw.time)
        writer.raw("}")
    }
}
