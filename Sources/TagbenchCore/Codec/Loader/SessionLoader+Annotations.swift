import Dispatch

extension SessionLoader {
    /// The annotations and orphans, piece by piece, their documents and labels looked up and
    /// checked; each piece is let go once its annotations are in the session.
    mutating func addAnnotations() throws(TagbenchError) {
        var lookup = AnnotationLookup()
        let total = file.annotations.reduce(0) { $0 + $1.count }
        session.reserveCapacity(annotations: total)
        liveContext.reserveCapacity(total)
        var pieces = file.annotations
        file.annotations = []
        pieces.reverse()
        while var piece = pieces.popLast() {
            var live: [Annotation] = []
            live.reserveCapacity(piece.count)
            // Read in place and its strings moved out: copying each raw annotation and then
            // each annotation retained and released every string.
            try piece.withUnsafeMutableBufferPointer { (entries) throws(TagbenchError) in
                for index in entries.indices {
                    if let annotation = try take(&entries[index], lookup: &lookup) { live.append(annotation) }
                }
            }
            try insert(&live)
            // Destroyed on another core: element by element, the spent piece and list took a
            // tenth of this step, which has the only busy core once the documents are read.
            let spent = UncheckedSendable((piece, live))
            piece = []
            live = []
            DispatchQueue.global().async { withExtendedLifetime(spent) {} }
        }
    }

    /// What checking consecutive annotations keeps: they mostly share a document and a label,
    /// looked up once per run; orphans' ids, to find one repeated.
    struct AnnotationLookup {
        var position = 0
        var orphanNumbers = Set<Int>()
        var lastDocument: (name: String, index: Int)?
        var lastLabel: (name: String, index: Int)?
    }

    /// The annotation `raw` stands for, checked, its strings moved out of `raw`; nil for an
    /// orphan, which is added to the session here.
    private mutating func take(_ raw: inout RawAnnotation, lookup: inout AnnotationLookup) throws(TagbenchError)
        -> Annotation?
    {
        lookup.position += 1
        guard let number = raw.number, number <= Session.largestNumber else {
            let name = raw.invalidID.isEmpty ? "annotation \(lookup.position)" : "annotation \(raw.invalidID)"
            throw file.invalid("\(name) has an invalid id (expected a1, a2, …)")
        }
        let unseen =
            raw.orphan
            ? lookup.orphanNumbers.insert(number).inserted
            : lookup.orphanNumbers.isEmpty || !lookup.orphanNumbers.contains(number)
        guard !session.hasAnnotation(number: number), unseen else {
            throw file.invalid("annotation id a\(number) appears twice")
        }
        // Named in errors only: made when one is thrown.
        var name: String { "annotation a\(number)" }
        let document: Int
        if let last = lookup.lastDocument, last.name == raw.doc {
            document = last.index
        } else {
            guard let found = session.documentIndex(id: raw.doc) else {
                throw file.invalid("\(name) refers to document \"\(raw.doc)\", which the session does not have")
            }
            document = found
            lookup.lastDocument = (raw.doc, found)
        }
        let label: Int
        if let last = lookup.lastLabel, last.name == raw.label {
            label = last.index
        } else {
            guard let found = session.tagSet.index(of: raw.label), session.tagSet.labels[found].name == raw.label else {
                throw file.invalid("\(name) has label \"\(raw.label)\", which is not in the tag set")
            }
            guard session.tagSet.labels[found].kind == .span else {
                throw file.invalid("\(name) uses category label \(raw.label) as a span")
            }
            label = found
            lookup.lastLabel = (raw.label, found)
        }
        guard raw.start >= 0, raw.start < raw.end else {
            throw file.invalid("\(name) has start \(raw.start) and end \(raw.end): start must be ≥ 0 and < end")
        }
        // An orphan's offsets are those of an older text: they are kept only as a record.
        guard raw.orphan || raw.end <= recordedLength[document] else {
            throw file.invalid(
                "\(name) ends at \(raw.end), beyond document \(raw.doc) (length \(recordedLength[document]))")
        }
        let annotation = Annotation(
            number: number, document: document, range: TextRange(raw.start, raw.end), label: label,
            text: raw.text.taken(), note: raw.note.taken(), source: raw.source.taken(),
            annotator: raw.annotator.taken(), time: raw.time.taken(), annotators: raw.annotators)
        if raw.orphan {
            session.preservedContext[number] = (try file.context(raw.prefix), try file.context(raw.suffix))
            session.addOrphan(annotation)
            return nil
        }
        liveContext.append((number, raw.prefix, raw.suffix))
        return annotation
    }

    /// A piece's live annotations into the session. Ids were checked against the pieces before;
    /// within a piece they are in increasing order as written, else checked one by one (and put
    /// in order). Each jump of more than a gap takes a run of slots (`SlotRun`): counted, so that
    /// no file makes many.
    private func insert(_ live: inout [Annotation]) throws(TagbenchError) {
        var unordered = false
        var jumps = 1
        for index in live.indices.dropLast() {
            let step = live[index + 1].number - live[index].number
            if step <= 0 { unordered = true }
            if step > SlotRun.largestGap(0) { jumps += 1 }
        }
        if unordered {
            var numbers = Set<Int>()
            for annotation in live where !numbers.insert(annotation.number).inserted {
                throw file.invalid("annotation id a\(annotation.number) appears twice")
            }
            live.sort { $0.number < $1.number }
            jumps = 1 + zip(live, live.dropFirst()).filter { $1.number - $0.number > SlotRun.largestGap(0) }.count
        }
        if session.slotRunCount + jumps > SlotRun.largestCount {
            throw file.invalid(
                "its annotation ids jump by more than \(SlotRun.largestGap(0)) more than \(SlotRun.largestCount) times")
        }
        let duplicates = session.insert(contentsOf: &live, numbering: false, moving: true)
        if let first = duplicates.first {
            throw file.invalid(
                "annotation a\(live[first].number) duplicates another span (same document, offsets and label)")
        }
    }
}

extension String {
    /// The value, leaving an empty string in its place: moved, not copied (no reference counting).
    fileprivate mutating func taken() -> String {
        var value = ""
        swap(&value, &self)
        return value
    }
}
