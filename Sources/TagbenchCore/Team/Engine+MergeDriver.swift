/// The git merge driver's three-way merge of one session file: THEIRS' changes since BASE run as
/// commands on OURS, so that OURS' log followed by them replays to the merged annotations.
extension Engine {
    /// What a three-way merge did.
    public struct ThreeWayReport: Sendable, Equatable {
        /// Commands run on ours (THEIRS' changes), as script lines.
        public var commands: [String] = []
        /// Conflicts made where the two sides changed one span differently.
        public var conflicts: [String] = []
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
        for label in theirs.tagSet.labels where session.tagSet.index(of: label.name) == nil {
            try run(.labelAdd(label))
        }
        // Documents by text (a text's n-th copy with its n-th): theirs' new ones loaded from their files.
        let before = DocumentMatcher([session, theirs])
        for (d, key) in before.documentKeys[1].enumerated()
        where before.document(key, inSession: 0) == nil && !theirs.documents[d].isMissing {
            try run(.load([theirs.documents[d].path], encoding: theirs.documents[d].encoding))
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
            let label = session.tagSet.index(of: theirs.tagSet.labels[t.label].name)!
            if session.hasSpan(SpanKey(document: document, range: t.range, label: label)) { continue }
            try run(.open(.name(id)))
            try run(.tag(label: theirs.tagSet.labels[t.label].name, target: .range(t.range)))
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
            try run(.open(.name(parts[0])))
            try run(adding ? .classify(label: parts[3], unit: unit) : .unclassify(label: parts[3], unit: unit))
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
