#if canImport(Glibc)
import Glibc
#endif

/// Writes the `spans` JSONL export: one line per document with its text, spans and categories.
public enum SpansExporter {
    /// What an export wrote.
    public struct Result: Sendable {
        /// Lines (documents) written.
        public var documents = 0
        /// Spans written.
        public var spans = 0
        /// Documents or spans left out, and why.
        public var warnings: [String] = []
    }

    /// Streams the export to `path`; spans whose stored text no longer matches the document (it
    /// changed on disk) are left out with a warning rather than exported at a shifted place.
    public static func export(_ session: Session, to path: String, sessionDirectory: String,
                              monitor: ProgressMonitor? = nil) throws(TagbenchError) -> Result {
        let file = try OutputFile(path: path)
        var result = Result()
        var w = JSONWriter(capacity: 1 << 20)
        let labels = session.tagSet.labels
        defer { monitor?.finished() }
        for (index, d) in session.documents.enumerated() {
            if let monitor {
                if monitor.shouldStop {
                    try? file.close()
                    unlink(path)
                    throw .interrupted("export to \(Paths.fileName(of: path))")
                }
                monitor.progress("export", done: index, of: session.documents.count)
            }
            if d.isMissing {
                result.warnings.append("document \(d.id) is missing; left out of the export")
                continue
            }
            w.raw("{\"id\": ")
            w.string(d.id)
            w.raw(", \"text\": ")
            d.bytes.withUnsafeBufferPointer { w.string(utf8: $0) }
            w.raw(", \"spans\": [")
            var first = true
            var skipped = 0
            for a in session.annotations(inDocument: index) {
                guard d.covers(a.range, with: a.text) else { skipped += 1; continue }
                w.raw(first ? "{\"start\": " as StaticString : ", {\"start\": ")
                first = false
                w.int(a.range.start)
                w.raw(", \"end\": ")
                w.int(a.range.end)
                w.raw(", \"label\": ")
                w.string(labels[a.label].name)
                w.raw(", \"text\": ")
                w.string(a.text)
                w.raw("}")
                result.spans += 1
            }
            if skipped > 0 { result.warnings.append("document \(d.id): \(skipped) spans no longer match its text; left out") }
            w.raw("], \"categories\": [")
            for (i, c) in session.categories(inDocument: index).enumerated() {
                w.raw(i == 0 ? "{\"label\": " as StaticString : ", {\"label\": ")
                w.string(labels[c.label].name)
                w.raw(", \"unit\": ")
                w.string(c.unit.rawValue)
                w.raw(", \"index\": ")
                w.int(c.index)
                w.raw(", \"start\": ")
                w.int(c.range.start)
                w.raw(", \"end\": ")
                w.int(c.range.end)
                w.raw("}")
            }
            w.raw("], \"meta\": {\"source\": ")
            w.string(Paths.relative(d.path, to: sessionDirectory))
            w.raw(", \"sha256\": ")
            w.string(d.sha256)
            w.raw(", \"offset_unit\": \"codepoint\"}}\n")
            try file.write(&w)
            result.documents += 1
        }
        try file.close()
        if !session.orphans.isEmpty {
            result.warnings.append("\(session.orphans.count) orphaned span\(session.orphans.count == 1 ? "" : "s") left out (orphans lists them)")
        }
        return result
    }
}
