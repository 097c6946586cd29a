/// A unit of a document that an export makes a record of.
struct ExportUnit {
    /// Document, paragraph or sentence.
    var kind: UnitKind
    /// Its 1-based number (1 for a document).
    var index: Int
    /// Its code-point range in the document.
    var range: TextRange

    /// The record id: the document id, or `DOC:pN` / `DOC:sN` for a paragraph or sentence.
    func id(in document: String) -> String {
        switch kind {
        case .doc: return document
        case .para: return "\(document):p\(index)"
        case .sent: return "\(document):s\(index)"
        }
    }
}

/// A document as an export sees it: the spans and category labels the options select.
struct ExportDocument {
    /// Its index in the session.
    let number: Int
    let document: Document
    /// Selected spans that still match the text, by position.
    let spans: [Annotation]
    /// Selected category labels, by unit.
    let categories: [CategoryAnnotation]
    /// Rejected suggestions of the selected labels, by position: known negatives.
    let rejected: [Suggestion]
    /// Where the text came from, as exports name it.
    let source: String

    var id: String { document.id }

    /// The document's units of one kind.
    func units(_ kind: UnitKind) -> [ExportUnit] {
        switch kind {
        case .doc: return [ExportUnit(kind: .doc, index: 1, range: TextRange(0, document.length))]
        case .para:
            return document.paragraphs.enumerated().map {
                ExportUnit(kind: .para, index: $0.offset + 1, range: $0.element)
            }
        case .sent:
            return document.sentences.enumerated().map {
                ExportUnit(kind: .sent, index: $0.offset + 1, range: $0.element.range)
            }
        }
    }

    /// The spans lying wholly inside each unit, and how many lie in none (across a boundary or
    /// in the blank between units).
    func spans(in units: [ExportUnit]) -> (perUnit: [[Annotation]], outside: Int) {
        // The whole document as one unit holds every span (checked against the text): shared, not copied.
        if units.count == 1 && units[0].kind == .doc { return ([spans], 0) }
        var perUnit = Array(repeating: [Annotation](), count: units.count)
        var outside = 0
        for a in spans {
            let u = units.partitioningIndex { $0.range.end > a.range.start }
            if u < units.count && units[u].range.start <= a.range.start && a.range.end <= units[u].range.end {
                perUnit[u].append(a)
            } else {
                outside += 1
            }
        }
        return (perUnit, outside)
    }

    /// The category labels on exactly this unit.
    func categories(on unit: ExportUnit) -> [CategoryAnnotation] {
        categories.filter { $0.unit == unit.kind && $0.index == unit.index }
    }

    /// Calls `body` with the UTF-8 bytes of a code-point range.
    func withBytes<R>(_ range: TextRange, _ body: (UnsafeBufferPointer<UInt8>) throws(TagbenchError) -> R)
        throws(TagbenchError) -> R
    {
        let from = document.byteOffset(range.start)
        let to = document.byteOffset(range.end)
        return try document.bytes.withUnsafeBufferPointer { (all) throws(TagbenchError) -> R in
            try body(UnsafeBufferPointer(rebasing: all[from..<to]))
        }
    }
}
