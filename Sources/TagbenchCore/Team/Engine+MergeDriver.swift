/// The git merge driver's three-way merge of one session file: THEIRS' changes since BASE run as
/// commands on OURS, so that OURS' log followed by them replays to the merged annotations.
extension Engine {
    /// What a three-way merge did.
    public struct ThreeWayReport: Sendable, Equatable {
        /// Commands run on ours (THEIRS' changes), as script lines.
        public var commands: [String] = []
        /// Conflicts made where the two sides changed one span differently.
        public var conflicts: [String] = []
        /// Their new documents whose files are not there yet (git writes them after the driver
        /// runs): kept as missing documents, with their spans, read when the session next opens.
        public var unread: [String] = []
    }

    /// Applies to this engine's session (OURS) what `theirs` changed since `base`: labels,
    /// documents, spans and labels on units added on that side are added, removed or changed ones
    /// removed or changed where ours left them as in base; one span changed differently on the two
    /// sides is taken out and kept as a conflict between ours' and theirs' versions.
    public func mergeThreeWay(base: Session, theirs: Session, directory: String) throws(TagbenchError)
        -> ThreeWayReport
    {
        var report = ThreeWayReport()
        let context = ExecutionContext(baseDirectory: directory, file: "merge-driver", line: 0)
        func run(_ command: Command) throws(TagbenchError) {
            do {
                try execute(command, context: context) { _ in }
            } catch {
                throw error.error
            }
            report.commands.append(CommandRenderer.render(command.relativizingPaths(to: directory)))
        }
        // One name with another kind or parent on the two sides is not merged silently (as
        // `merge` refuses it): the driver fails, OURS stays, git reports the conflict.
        for label in theirs.tagSet.labels {
            guard let index = session.tagSet.index(of: label.name) else {
                do {
                    try run(.labelAdd(label))
                } catch {
                    // An alias of it names another label of ours: say which side holds which.
                    throw .mergeInput("THEIRS", reason: "its label \(label.name) cannot join OURS: \(error.message)")
                }
                continue
            }
            let known = session.tagSet.labels[index]
            if known.name == label.name && (known.kind != label.kind || known.parent != label.parent) {
                throw .labelClash(
                    label.name, first: "OURS", firstIs: known.kindAndParent, second: "THEIRS",
                    secondIs: label.kindAndParent)
            }
        }
        // Documents by text (a text's n-th copy with its n-th): theirs' new ones loaded from their
        // files. A file git has not written yet (a document new on their side: git puts it in
        // place after the driver ran) is kept as a missing document, as a session keeps one whose
        // file is gone, and logged as the `load` that reads it once it is there.
        // The parts of a file cut by `load --split-at` come from one load of the file.
        let before = DocumentMatcher([session, theirs])
        var loaded = Set<Command>()
        var unread: [(load: Command, documents: [Document])] = []
        var taken = Set<String>()
        for (d, key) in before.documentKeys[1].enumerated() where before.document(key, inSession: 0) == nil {
            let their = theirs.documents[d]
            let load = Command.load([their.path], encoding: their.encoding, splitAt: their.part?.pattern)
            guard their.isMissing else {
                if loaded.insert(load).inserted { try run(load) }
                continue
            }
            let document = their.renamed(session.uniqueID(for: their.id, avoiding: taken))
            taken.insert(document.id)
            if let k = unread.firstIndex(where: { $0.load == load }) {
                unread[k].documents.append(document)
            } else {
                unread.append((load, [document]))
            }
        }
        for (load, documents) in unread {
            let change = Change.addedDocuments(documents)
            apply(change)
            push(UndoStep(summary: CommandRenderer.render(load), changes: [change]), log: load)
            report.commands.append(CommandRenderer.render(load.relativizingPaths(to: directory)))
            report.unread += documents.map(\.id)
        }
        // Sides: 0 ours, 1 theirs, 2 base.
        let matcher = DocumentMatcher([session, theirs, base])
        func documentID(_ side: Int, _ d: Int) -> String? {
            matcher.document(matcher.documentKeys[side][d], inSession: 0).map { session.documents[$0].id }
        }
        func same(_ a: Annotation?, _ b: Annotation?, in left: Session, _ right: Session) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return a.range == b.range && a.note == b.note
                && left.tagSet.labels[a.label].name == right.tagSet.labels[b.label].name
        }
        var conflicts: [Conflict] = []
        for slot in base.annotationSlots {
            guard let b = slot else { continue }
            let o = session.annotation(number: b.number)
            let t = theirs.annotation(number: b.number)
            if same(t, b, in: theirs, base) { continue }
            if same(o, b, in: session, base) {
                if let t {
                    let name = theirs.tagSet.labels[t.label].name
                    if name != base.tagSet.labels[b.label].name { try run(.relabel(b.number, label: name)) }
                    if t.note != b.note { try run(.note(b.number, text: t.note)) }
                } else {
                    try run(.untag([b.number]))
                }
                continue
            }
            if same(o, t, in: session, theirs) { continue }
            // Only the notes differ: the span stays, with both notes (neither side's is lost).
            if let o, let t, o.range == t.range,
                session.tagSet.labels[o.label].name == theirs.tagSet.labels[t.label].name
            {
                let notes = [o.note, t.note].filter { !$0.isEmpty }
                try run(.note(b.number, text: notes.joined(separator: " / ")))
                continue
            }
            // Both sides changed it, differently: neither version stays; both are kept for adjudicating.
            guard let document = documentID(2, b.document).flatMap({ session.documentIndex(id: $0) })
            else { continue }
            func version(_ name: String, _ a: Annotation?, _ s: Session) -> ConflictVersion {
                ConflictVersion(
                    annotator: name,
                    spans: a.map { [ConflictSpan(range: $0.range, label: s.tagSet.labels[$0.label].name)] } ?? [])
            }
            if o != nil { try run(.untag([b.number])) }
            conflicts.append(
                Conflict(
                    number: 0, document: document, range: b.range,
                    versions: [version("ours", o, session), version("theirs", t, theirs)]))
        }
        // Spans new on their side.
        for slot in theirs.annotationSlots.dropFirst(base.nextNumber - 1) {
            guard let t = slot, t.number >= base.nextNumber,
                let id = documentID(1, t.document), let document = session.documentIndex(id: id)
            else { continue }
            let name = theirs.tagSet.labels[t.label].name
            let label = session.tagSet.index(of: name)!
            if session.hasSpan(SpanKey(document: document, range: t.range, label: label)) { continue }
            let tag = Command.tag(label: name, target: .range(t.range))
            if session.documents[document].isMissing {
                // No text here to check it against: kept as their session holds it.
                var made = [
                    Annotation(
                        number: 0, document: document, range: t.range, label: label, text: t.text, note: t.note,
                        source: t.source, annotator: t.annotator, time: t.time, annotators: t.annotators)
                ]
                session.insert(contentsOf: &made, numbering: true)
                current = document
                push(
                    UndoStep(summary: CommandRenderer.render(tag), changes: [.addedAnnotations(made)]), log: tag,
                    needsDocument: true)
                report.commands.append(CommandRenderer.render(tag))
                if !t.note.isEmpty { record(.note(made[0].number, text: t.note)) }
                continue
            }
            // Their span is theirs: made under their annotator's name, not the merging user's.
            let merging = annotator
            annotator = Annotator(name: t.annotator, fixedTime: merging.fixedTime)
            defer { annotator = merging }
            try run(.open(.name(id)))
            try run(tag)
            if !t.note.isEmpty { try run(.note(session.nextNumber - 1, text: t.note)) }
        }
        // Labels on units: added or removed on their side.
        func keys(_ s: Session, side: Int) -> Set<String> {
            Set(
                s.categories.compactMap { c in
                    documentID(side, c.document).map {
                        "\($0)\t\(c.unit.rawValue)\t\(c.index)\t\(s.tagSet.labels[c.label].name)"
                    }
                })
        }
        let (inBase, inTheirs, inOurs) = (keys(base, side: 2), keys(theirs, side: 1), keys(session, side: 0))
        for key in inTheirs.symmetricDifference(inBase).sorted() {
            let adding = inTheirs.contains(key)
            guard adding != inOurs.contains(key) else { continue }
            let parts = key.split(separator: "\t").map(String.init)
            let number = Int(parts[2])!
            let unit: UnitSelector =
                parts[1] == "doc" ? .document : parts[1] == "para" ? .paragraph(number) : .sentence(number)
            let command: Command =
                adding ? .classify(label: parts[3], unit: unit) : .unclassify(label: parts[3], unit: unit)
            let theirLabel = theirs.categories.first(where: {
                documentID(1, $0.document) == parts[0] && $0.unit.rawValue == parts[1] && $0.index == number
                    && theirs.tagSet.labels[$0.label].name == parts[3]
            })
            if let document = session.documentIndex(id: parts[0]), session.documents[document].isMissing {
                // No text to find the unit in: their label is kept with the range their session gives.
                guard adding, let c = theirLabel else { continue }
                var category = c
                category.document = document
                category.label = session.tagSet.index(of: parts[3])!
                let change = Change.addedCategory(category)
                apply(change)
                current = document
                push(
                    UndoStep(summary: CommandRenderer.render(command), changes: [change]), log: command,
                    needsDocument: true)
                report.commands.append(CommandRenderer.render(command))
                continue
            }
            // Their label is theirs: put there under their annotator's name.
            let merging = annotator
            if adding, let c = theirLabel { annotator = Annotator(name: c.annotator, fixedTime: merging.fixedTime) }
            defer { annotator = merging }
            try run(.open(.name(parts[0])))
            try run(command)
        }
        // Made as commands, so the log replays to them (and to the `resolve` lines that follow).
        for conflict in conflicts {
            try run(
                .conflict(
                    document: session.documents[conflict.document].id, range: conflict.range,
                    versions: conflict.versions))
            report.conflicts.append("c\(session.conflicts.nextNumber - 1)")
        }
        return report
    }
}

extension Engine {
    /// Makes `session` (decoded from a file that is not this engine's) the one edited.
    public func adopt(_ session: Session) {
        self.session = session
        current = session.documents.isEmpty ? nil : 0
        journalBookkeeping.wrote(upTo: session.log.count)
    }
}
