/// The records of one document, encoded and waiting to be written.
struct EncodedDocument {
    /// The records' bytes, one after another.
    var bytes: [UInt8] = []
    /// Each record's place in `bytes` and the labels it counts.
    var records: [(range: Range<Int>, labels: [Int])] = []
    /// Label Studio tasks: the writer puts `{"id": N` before each, numbering them in file order.
    var numbered = false
    /// Spans left out: across a unit boundary, of whitespace only, or dropped by `--overlap`.
    var outsideUnits = 0, blankSpans = 0, overlapDropped = 0
}

/// Encodes the records of the JSON-line, CoNLL and Label Studio formats, one document at a time.
struct RecordEncoder {
    let options: ExportOptions
    let labelNames: [String]
    /// The label names as JSON strings (written for every span).
    private let labelJSON: EncodedStrings
    /// `bio`: the tag names, `O` first, then `B-`/`I-` of each span label in tag-set order.
    let tagNames: [String]
    /// `bio`: label index → the id of its `B-` tag (`I-` is one more).
    private let beginTag: [Int: Int]
    private var w = JSONWriter(capacity: 0)
    private var result = EncodedDocument()
    private var recordStart = 0

    init(options: ExportOptions, labelNames: [String], spanLabels: [Int]) {
        self.options = options
        self.labelNames = labelNames
        labelJSON = EncodedStrings(labelNames)
        var names = ["O"]
        var begin: [Int: Int] = [:]
        for l in spanLabels {
            begin[l] = names.count
            names += ["B-" + labelNames[l], "I-" + labelNames[l]]
        }
        tagNames = names
        beginTag = begin
    }

    /// The framing of the format's files.
    var framing: ShardedOutput.Framing { options.format == .labelStudio ? .jsonList : .lines }

    /// The document's records (with `keep`, those of the units at the positions it accepts among
    /// `doc.units(options.recordUnit)`). The encoder is a value: each document uses a fresh copy.
    func encode(_ doc: ExportDocument, keep: ((Int) -> Bool)? = nil) throws(TagbenchError) -> EncodedDocument {
        var e = self
        try e.encodeRecords(doc, keep: keep)
        e.result.bytes = e.w.bytes
        return e.result
    }

    /// The document's records appended to `buffer` (the records' ranges are in it; the result
    /// holds no bytes): written where they will be sent from, not copied there afterwards.
    func encode(_ doc: ExportDocument, appendingTo buffer: inout [UInt8]) throws(TagbenchError) -> EncodedDocument {
        var e = self
        swap(&e.w.bytes, &buffer)
        defer { swap(&e.w.bytes, &buffer) }
        try e.encodeRecords(doc)
        return e.result
    }

    private mutating func encodeRecords(_ doc: ExportDocument, keep: ((Int) -> Bool)? = nil) throws(TagbenchError) {
        // Room for the text with its line breaks escaped, the record's fields and about 80 bytes
        // a span, with some to spare: a buffer that fills up is copied whole into a larger one.
        let text = doc.document.bytes.count
        w.bytes.reserveCapacity(
            w.bytes.count + text + text / 16 + 1024 + doc.spans.count * 160 + doc.rejected.count * 160)
        switch options.format {
        case .spans, .doccano, .classify, .bio:
            let units = doc.units(options.recordUnit)
            let (perUnit, outside) = doc.spans(in: units)
            if options.format != .classify { result.outsideUnits += outside }
            for (u, unit) in units.enumerated() where keep?(u) ?? true {
                switch options.format {
                case .spans: try spansRecord(doc, unit, perUnit[u])
                case .doccano: try doccanoRecord(doc, unit, perUnit[u])
                case .classify: try classifyRecord(doc, unit)
                default: try bioRecord(doc, unit, perUnit[u])
                }
            }
        case .labelStudio: try labelStudioTask(doc)
        case .brat: preconditionFailure("brat has its own writer")
        }
    }

    private mutating func begin() { recordStart = w.bytes.count }

    /// Label `l`'s name as a JSON string (encoded once: it is written for every span).
    private mutating func label(_ l: Int) { labelJSON.withView { w.raw($0[l]) } }

    private mutating func end(labels: [Int]) { result.records.append((recordStart..<w.bytes.count, labels)) }

    private mutating func spansRecord(_ doc: ExportDocument, _ unit: ExportUnit, _ spans: [Annotation])
        throws(TagbenchError)
    {
        let whole = unit.kind == .doc
        begin()
        header(doc, unit, locating: !whole)
        w.raw(", \"text\": ")
        try doc.withBytes(unit.range) { w.string(utf8: $0) }
        w.raw(", \"spans\": [")
        let shift = unit.range.start
        // Field by field from the list (each span copied out whole retained and released its
        // shared strings, on the core that the export's hashing waits for).
        var labels: [Int] = []
        labels.reserveCapacity(spans.count)
        for i in spans.indices {
            span(
                first: i == 0, spans[i].range, shift: shift, label: spans[i].label, text: spans[i].text,
                note: spans[i].note)
            labels.append(spans[i].label)
        }
        w.raw("], \"categories\": [")
        let categories = whole ? doc.categories : doc.categories(on: unit)
        for (i, c) in categories.enumerated() {
            let range = whole ? c.range : TextRange(c.range.start - shift, c.range.end - shift)
            w.raw(i == 0 ? "{\"label\": " as StaticString : ", {\"label\": ")
            label(c.label)
            w.raw(", \"unit\": ")
            w.string(c.unit.rawValue)
            w.raw(", \"index\": ")
            w.int(c.index)
            w.raw(", \"start\": ")
            w.int(range.start)
            w.raw(", \"end\": ")
            w.int(range.end)
            w.raw("}")
        }
        w.raw("]")
        // Rejected suggestions, when there are any: spans known to be wrong, for negatives.
        let rejected = doc.rejected.filter { unit.range.start <= $0.range.start && $0.range.end <= unit.range.end }
        if !rejected.isEmpty {
            w.raw(", \"rejected\": [")
            for (i, r) in rejected.enumerated() {
                span(first: i == 0, r.range, shift: shift, label: r.label, text: r.text, note: "")
            }
            w.raw("]")
        }
        w.raw(", \"meta\": {\"source\": ")
        w.string(doc.source)
        w.raw(", \"sha256\": ")
        w.string(doc.document.sha256)
        if let part = doc.document.part {
            // Cut from a larger file (`source`): where the document starts in it.
            w.raw(", \"part\": {")
            part.writePlace(to: &w)
            w.raw("}")
        }
        w.raw(", \"offset_unit\": \"codepoint\"}}\n")
        for c in categories { labels.append(c.label) }
        end(labels: labels)
    }

    /// `{"id": …` and, when `locating`, the fields that find the unit in its document again.
    private mutating func header(_ doc: ExportDocument, _ unit: ExportUnit, locating: Bool) {
        w.raw("{\"id\": ")
        w.string(unit.id(in: doc.id))
        guard locating else { return }
        w.raw(", \"doc\": ")
        w.string(doc.id)
        w.raw(", \"unit\": ")
        w.string(unit.kind.rawValue)
        w.raw(", \"index\": ")
        w.int(unit.index)
        w.raw(", \"offset\": ")
        w.int(unit.range.start)
    }

    /// One span object of a `spans` record (spans and rejected ones alike), offsets less `shift`.
    private mutating func span(first: Bool, _ range: TextRange, shift: Int, label: Int, text: String, note: String) {
        w.raw(first ? "{\"start\": " as StaticString : ", {\"start\": ")
        w.int(range.start - shift)
        w.raw(", \"end\": ")
        w.int(range.end - shift)
        w.raw(", \"label\": ")
        self.label(label)
        w.raw(", \"text\": ")
        w.string(text)
        if !note.isEmpty {
            w.raw(", \"note\": ")
            w.string(note)
        }
        w.raw("}")
    }

    private mutating func doccanoRecord(_ doc: ExportDocument, _ unit: ExportUnit, _ spans: [Annotation])
        throws(TagbenchError)
    {
        begin()
        // Split by unit, a record leaves its document's other units: it says where it was.
        header(doc, unit, locating: options.splitBy != nil && unit.kind != .doc)
        w.raw(", \"text\": ")
        try doc.withBytes(unit.range) { w.string(utf8: $0) }
        w.raw(", \"label\": [")
        for (i, a) in spans.enumerated() {
            w.raw(i == 0 ? "[" as StaticString : ", [")
            w.int(a.range.start - unit.range.start)
            w.raw(", ")
            w.int(a.range.end - unit.range.start)
            w.raw(", ")
            label(a.label)
            w.raw("]")
        }
        w.raw("]}\n")
        end(labels: spans.map(\.label))
    }

    private mutating func classifyRecord(_ doc: ExportDocument, _ unit: ExportUnit) throws(TagbenchError) {
        var labels = Set(doc.categories(on: unit).map(\.label))
        if options.fromSpans {
            for a in doc.spans where a.range.start < unit.range.end && a.range.end > unit.range.start {
                labels.insert(a.label)
            }
        }
        if labels.isEmpty && !options.negatives { return }
        let sorted = labels.sorted()
        begin()
        header(doc, unit, locating: true)
        w.raw(", \"text\": ")
        try doc.withBytes(unit.range) { w.string(utf8: $0) }
        w.raw(", \"labels\": ")
        w.stringArray(sorted.map { labelNames[$0] })
        w.raw("}\n")
        end(labels: sorted)
    }

    private mutating func bioRecord(_ doc: ExportDocument, _ unit: ExportUnit, _ spans: [Annotation])
        throws(TagbenchError)
    {
        // Tokens are the unit's non-whitespace code points; `token[k]` is the token at offset k.
        let text = try doc.withBytes(unit.range) { String(decoding: $0, as: UTF8.self) }
        var tokens: [Unicode.Scalar] = []
        var token = [Int]()
        token.reserveCapacity(unit.range.length)
        for scalar in text.unicodeScalars {
            if UTF8Bytes.isWhitespace(scalar.value) {
                token.append(-1)
            } else {
                token.append(tokens.count)
                tokens.append(scalar)
            }
        }
        if tokens.isEmpty { return }
        // Each span as the tokens it covers (leading and trailing whitespace is not tagged).
        var pieces: [(first: Int, last: Int, a: Annotation)] = []
        for a in spans {
            let covered = token[(a.range.start - unit.range.start)..<(a.range.end - unit.range.start)].filter {
                $0 >= 0
            }
            guard let first = covered.first, let last = covered.last else {
                result.blankSpans += 1
                continue
            }
            pieces.append((first, last, a))
        }
        let kept = try resolveOverlaps(pieces, in: doc)
        var tags = Array(repeating: 0, count: tokens.count)
        for p in kept {
            let b = beginTag[p.a.label]!
            tags[p.first] = b
            if p.last > p.first { for k in (p.first + 1)...p.last { tags[k] = b + 1 } }
        }
        begin()
        if options.jsonl {
            header(doc, unit, locating: true)
            w.raw(", \"tokens\": [")
            for (k, t) in tokens.enumerated() {
                if k > 0 { w.raw(", ") }
                w.string(String(Character(t)))
            }
            w.raw("], \"ner_tags\": [")
            for (k, t) in tags.enumerated() {
                if k > 0 { w.raw(", ") }
                w.int(t)
            }
            w.raw("]}\n")
        } else {
            for (k, t) in tokens.enumerated() {
                var s = String(Character(t))
                s += "\t"
                s += tagNames[tags[k]]
                s += "\n"
                w.raw(s)
            }
            w.raw("\n")
        }
        end(labels: kept.map(\.a.label))
    }

    /// The pieces IOB2 can hold: all of them when none overlap, else by `--overlap`, else an error.
    private mutating func resolveOverlaps(_ pieces: [(first: Int, last: Int, a: Annotation)], in doc: ExportDocument)
        throws(TagbenchError) -> [(first: Int, last: Int, a: Annotation)]
    {
        let byStart = pieces.sorted { ($0.first, -$0.last, $0.a.number) < ($1.first, -$1.last, $1.a.number) }
        var clash: (Annotation, Annotation)?
        var reach = -1
        var holder: Annotation?
        for p in byStart {
            if p.first <= reach, let h = holder {
                clash = (h, p.a)
                break
            }
            if p.last > reach {
                reach = p.last
                holder = p.a
            }
        }
        guard let clash else { return byStart }
        guard let policy = options.overlap else {
            func name(_ a: Annotation) -> String { "\(a.id) (\(labelNames[a.label]) \(a.range) \"\(a.text)\")" }
            throw .overlappingSpans(document: doc.id, first: name(clash.0), second: name(clash.1))
        }
        let ranked: [(first: Int, last: Int, a: Annotation)]
        switch policy {
        case .longest:
            ranked = pieces.sorted {
                ($0.first - $0.last, $0.first, $0.a.number) < ($1.first - $1.last, $1.first, $1.a.number)
            }
        case .first: ranked = byStart
        }
        var taken = Set<Int>()
        var kept: [(first: Int, last: Int, a: Annotation)] = []
        for p in ranked {
            if (p.first...p.last).contains(where: taken.contains) {
                result.overlapDropped += 1
                continue
            }
            for k in p.first...p.last { taken.insert(k) }
            kept.append(p)
        }
        return kept.sorted { $0.first < $1.first }
    }

    private mutating func labelStudioTask(_ doc: ExportDocument) throws(TagbenchError) {
        // The task number comes from the writer, which knows the order of the file.
        result.numbered = true
        begin()
        w.raw(", \"data\": {\"text\": ")
        try doc.withBytes(TextRange(0, doc.document.length)) { w.string(utf8: $0) }
        w.raw(", \"doc\": ")
        w.string(doc.id)
        w.raw("}, \"annotations\": [{\"result\": [")
        for (i, a) in doc.spans.enumerated() {
            w.raw(i == 0 ? "{\"id\": \"t" as StaticString : ", {\"id\": \"t")
            w.int(i + 1)
            w.raw("\", \"from_name\": \"label\", \"to_name\": \"text\", \"type\": \"labels\", \"value\": {\"start\": ")
            w.int(a.range.start)
            w.raw(", \"end\": ")
            w.int(a.range.end)
            w.raw(", \"text\": ")
            w.string(a.text)
            w.raw(", \"labels\": [")
            label(a.label)
            w.raw("]}")
            if !a.note.isEmpty {
                w.raw(", \"meta\": {\"text\": [")
                w.string(a.note)
                w.raw("]}")
            }
            w.raw("}")
        }
        let choices = doc.categories.filter { $0.unit == .doc }.map(\.label)
        if !choices.isEmpty {
            w.raw(doc.spans.isEmpty ? "{\"id\": \"c1\"" as StaticString : ", {\"id\": \"c1\"")
            w.raw(
                ", \"from_name\": \"category\", \"to_name\": \"text\", \"type\": \"choices\", \"value\": {\"choices\": "
            )
            w.stringArray(choices.map { labelNames[$0] })
            w.raw("}}")
        }
        w.raw("]}]}")
        end(labels: doc.spans.map(\.label) + choices)
    }
}
