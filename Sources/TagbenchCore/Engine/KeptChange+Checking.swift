/// A change read back from a session file made a `Change` to apply, once checked against the
/// session as it is now: everything it names must be there as the step left it (an annotation
/// to take away with its document, offsets and label; a label to remove unused), and everything
/// it puts back must fit (its id free, its document's text at its offsets, its label known).
/// A file edited by hand or a document whose text changed thus makes the step refused, never
/// applied half or onto other text.
extension KeptChange {
    /// Why a kept change does not apply.
    struct Mismatch: Error {
        var reason: String
    }

    /// The change as made, checked for being applied forward (redone) or not (undone).
    func change(forward: Bool, in session: Session) throws(Mismatch) -> Change {
        switch self {
        case .annotations(let added, let list):
            let adding = added == forward
            var annotations: [Annotation] = []
            annotations.reserveCapacity(list.count)
            var numbers = Set<Int>()
            for kept in list {
                let annotation =
                    adding ? try Self.insertable(kept, in: session) : try Self.live(kept.raw, in: session)
                guard numbers.insert(annotation.number).inserted else {
                    throw Mismatch(reason: "\(annotation.id) is named twice")
                }
                annotations.append(annotation)
            }
            if adding {
                var keys = Set<SpanKey>()
                for annotation in annotations where !keys.insert(SpanKey(annotation)).inserted {
                    throw Mismatch(reason: "\(annotation.id) would repeat another span it puts back")
                }
            }
            return added ? .addedAnnotations(annotations) : .removedAnnotations(annotations)
        case .relabeled(let number, let from, let to):
            let before = try Self.label(from, kind: .span, in: session)
            let after = try Self.label(to, kind: .span, in: session)
            let annotation = try Self.live(number, in: session)
            let (now, next) = forward ? (before, after) : (after, before)
            guard annotation.label == now else {
                throw Mismatch(
                    reason:
                        "a\(number) is labelled \(session.tagSet.labels[annotation.label].name), not \(forward ? from : to)"
                )
            }
            if session.hasSpan(SpanKey(document: annotation.document, range: annotation.range, label: next)) {
                throw Mismatch(reason: "a\(number) would repeat a span labelled \(forward ? to : from)")
            }
            return .relabeled(number: number, from: before, to: after)
        case .noted(let number, let from, let to):
            let annotation = try Self.live(number, in: session)
            guard annotation.note == (forward ? from : to) else {
                throw Mismatch(reason: "the note of a\(number) is not as the step left it")
            }
            return .noted(number: number, from: from, to: to)
        case .category(let added, let record):
            let category = try Self.category(record, in: session)
            let adding = added == forward
            guard session.hasCategory(category) != adding else {
                throw Mismatch(
                    reason:
                        "\(record.doc) \(record.unit) \(record.index) \(adding ? "already has" : "has no") category \(record.label)"
                )
            }
            return added ? .addedCategory(category) : .removedCategory(category)
        case .labels(let labels):
            if forward {
                var tagSet = session.tagSet
                for label in labels {
                    do { try tagSet.add(label) } catch { throw Mismatch(reason: error.message) }
                }
            } else {
                let last = session.tagSet.labels.suffix(labels.count)
                guard last.map(\.name) == labels.map(\.name) else {
                    throw Mismatch(
                        reason: "the tag set no longer ends with \(labels.map(\.name).joined(separator: ", "))")
                }
                for index in last.indices {
                    let uses = session.uses(ofLabel: index)
                    if !uses.isEmpty { throw Mismatch(reason: "\(last[index].name) is in use (\(uses))") }
                }
            }
            return .addedLabels(labels)
        }
    }

    /// The live annotation a kept one names, which must have its document, offsets and label.
    static func live(_ raw: RawAnnotation, in session: Session) throws(Mismatch) -> Annotation {
        let annotation = try live(raw.number, in: session, id: raw.invalidID)
        guard session.documents[annotation.document].id == raw.doc, annotation.range.start == raw.start,
            annotation.range.end == raw.end, session.tagSet.labels[annotation.label].name == raw.label
        else {
            throw Mismatch(
                reason:
                    "\(annotation.id) is no longer \(raw.label) at \(raw.doc) \(raw.start):\(raw.end) (it is \(session.tagSet.labels[annotation.label].name) at \(session.documents[annotation.document].id) \(annotation.range.start):\(annotation.range.end))"
            )
        }
        return annotation
    }

    /// The live annotation `aN`.
    static func live(_ number: Int?, in session: Session, id: String = "") throws(Mismatch) -> Annotation {
        guard let number else { throw Mismatch(reason: "\"\(id)\" is not an annotation id") }
        guard let annotation = session.annotation(number: number) else {
            throw Mismatch(reason: "a\(number) is no longer in the session")
        }
        return annotation
    }

    /// A kept annotation to put back: whole, its id free, on its document's text, its label a
    /// span label.
    static func insertable(_ kept: KeptAnnotation, in session: Session) throws(Mismatch) -> Annotation {
        let raw = kept.raw
        guard let number = raw.number else { throw Mismatch(reason: "\"\(raw.invalidID)\" is not an annotation id") }
        guard !kept.isReference else { throw Mismatch(reason: "a\(number) is kept as a reference, without its text") }
        guard number < session.nextNumber, !session.hasAnnotation(number: number),
            !session.orphans.contains(where: { $0.number == number })
        else { throw Mismatch(reason: "a\(number) is taken") }
        guard let document = session.documentIndex(id: raw.doc) else {
            throw Mismatch(reason: "document \(raw.doc) is not in the session")
        }
        let label = try label(raw.label, kind: .span, in: session)
        let range = TextRange(raw.start, raw.end)
        let text = session.documents[document]
        guard !text.isMissing, text.covers(range, with: raw.text) else {
            throw Mismatch(
                reason: "\(raw.doc) no longer has \"\(raw.text)\" at \(raw.start):\(raw.end) (for a\(number))")
        }
        guard !session.hasSpan(SpanKey(document: document, range: range, label: label)) else {
            throw Mismatch(reason: "a\(number) would repeat a span the session has")
        }
        return Annotation(
            number: number, document: document, range: range, label: label, text: raw.text, note: raw.note,
            source: raw.source, annotator: raw.annotator, time: raw.time)
    }

    /// The index of the label named `name`, of `kind` when one is given.
    static func label(_ name: String, kind: LabelKind?, in session: Session) throws(Mismatch) -> Int {
        guard let index = session.tagSet.index(of: name), session.tagSet.labels[index].name == name,
            kind == nil || session.tagSet.labels[index].kind == kind
        else { throw Mismatch(reason: "the tag set has no \(kind.map { "\($0.rawValue) " } ?? "")label \(name)") }
        return index
    }

    /// A kept category label on a unit, its document, unit and label looked up.
    static func category(_ record: CategoryRecord, in session: Session) throws(Mismatch) -> CategoryAnnotation {
        guard let document = session.documentIndex(id: record.doc) else {
            throw Mismatch(reason: "document \(record.doc) is not in the session")
        }
        guard let unit = UnitKind(rawValue: record.unit), record.index >= 1, record.start >= 0,
            record.start <= record.end, record.end <= session.documents[document].length
        else { throw Mismatch(reason: "category \(record.label) on \(record.doc) has an invalid unit or range") }
        return CategoryAnnotation(
            document: document, unit: unit, index: record.index, range: TextRange(record.start, record.end),
            // Any label the session has: which labels may mark units is `classify`'s to say.
            label: try label(record.label, kind: nil, in: session), annotator: record.annotator,
            time: record.time)
    }
}
