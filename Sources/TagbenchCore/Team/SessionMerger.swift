/// One session given to `merge`: where it was read from and whose work it is.
public struct MergeInput {
    /// The file's name as messages give it.
    public var displayPath: String
    /// The session, as opened (its journal replayed, nothing written).
    public var session: Session
    /// The annotator it stands for in `annotators` and in conflicts.
    public var annotator: String

    /// Makes an input.
    public init(displayPath: String, session: Session, annotator: String) {
        self.displayPath = displayPath
        self.session = session
        self.annotator = annotator
    }

    /// Names for the inputs: each session's most frequent annotator, or its file's name (without
    /// `.json`) when it has none or when two inputs would share one.
    public static func annotatorNames(of sessions: [(displayPath: String, session: Session)]) -> [String] {
        let stems = sessions.map { entry -> String in
            let name = Paths.fileName(of: entry.displayPath)
            return name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        }
        let recorded = sessions.map { entry -> String? in
            var counts: [String: Int] = [:]
            for a in entry.session.annotationSlots { if let a { counts[a.annotator, default: 0] += 1 } }
            for c in entry.session.categories { counts[c.annotator, default: 0] += 1 }
            return counts.filter { !$0.key.isEmpty }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
        let chosen = zip(recorded, stems).map { $0 ?? $1 }
        return Set(chosen).count == chosen.count ? chosen : stems
    }
}

/// What a merge changes in the session merged into: computed whole before anything changes.
public struct MergePlan {
    /// Labels new to the session, in input order.
    public var labels: [Label] = []
    /// Documents new to the session, in input order.
    public var documents: [Document] = []
    /// Accepted spans not yet in the session (numbers given when inserted).
    public var annotations: [Annotation] = []
    /// Accepted labels on units not yet in the session.
    public var categories: [CategoryAnnotation] = []
    /// New conflicts, numbered from the session's next number.
    public var conflicts: [Conflict] = []
    /// Open conflicts of an earlier merge of these annotators that the inputs no longer give.
    public var dropped: [Conflict] = []
    /// Decided conflicts that a new conflict overlaps: the decision is kept, and reported.
    public var contradicted: [(decided: Conflict, by: Conflict)] = []
    /// Spans and labels on units the strategy accepted (including those already in the session).
    public var acceptedSpans = 0, acceptedCategories = 0
    /// Accepted spans not added because this session took them out before (`untag`, `relabel`).
    public var keptOut = 0
    /// Accepted spans not added because a decided conflict covers their place: the decision stands.
    public var overruled: [(decided: Conflict, span: ConflictSpan)] = []
    /// Documents the inputs hold between them.
    public var documentCount = 0
}

/// Merges annotators' sessions into one: identical spans counted, those the strategy accepts
/// kept, the rest grouped into conflicts. Pure: reads sessions, returns a plan.
public enum SessionMerger {
    /// The source of the spans a merge accepts.
    public static let source = "merge"

    /// The plan for merging `inputs` into `target` (whose file is `targetPath`, for messages).
    public static func plan(
        into target: Session, targetPath: String, inputs: [MergeInput], strategy: MergeStrategy, annotator: Annotator
    ) throws(TagbenchError) -> MergePlan {
        var plan = MergePlan()
        var tagSet = target.tagSet
        try uniteLabels(of: inputs, into: &tagSet, plan: &plan, targetPath: targetPath, target: target)
        let matcher = DocumentMatcher([target] + inputs.map(\.session))
        // Each session after the first must share a document with one before it.
        for (i, input) in inputs.enumerated().dropFirst() {
            let shares = matcher.documentKeys[i + 1].contains { key in
                (matcher.places[key] ?? []).contains { $0.session >= 1 && $0.session <= i }
            }
            if !shares {
                throw .mergeInput(input.displayPath, reason: "it shares no document with the sessions named before it")
            }
        }
        let time = annotator.now()
        var fresh: [Conflict] = []
        var taken = Set<String>()
        for key in matcher.keys {
            let places = (matcher.places[key] ?? []).filter { $0.session > 0 }
            guard !places.isEmpty else { continue }
            plan.documentCount += 1
            // The session's own document, or a new one (its id made unique).
            let document: Int
            if let own = matcher.document(key, inSession: 0) {
                document = own
            } else {
                let first = places[0]
                let source = inputs[first.session - 1].session.documents[first.document]
                let id = target.uniqueID(for: source.id, avoiding: taken)
                taken.insert(id)
                document = target.documents.count + plan.documents.count
                plan.documents.append(source.renamed(id))
            }
            let text =
                document < target.documents.count
                ? target.documents[document] : plan.documents[document - target.documents.count]
            let voters = places.map { (input: inputs[$0.session - 1], document: $0.document) }
            fresh += mergeSpans(
                voters, into: document, text: text, tagSet: tagSet, target: target, strategy: strategy,
                annotator: annotator, time: time, plan: &plan)
            fresh += mergeUnits(
                voters, into: document, tagSet: tagSet, target: target, strategy: strategy, annotator: annotator,
                time: time, plan: &plan)
        }
        reconcile(fresh, with: target.conflicts, annotators: Set(inputs.map(\.annotator)), plan: &plan)
        return plan
    }

    /// Adds the inputs' labels the session lacks; one name with another kind or parent is an
    /// error naming both files.
    static func uniteLabels(
        of inputs: [MergeInput], into tagSet: inout TagSet, plan: inout MergePlan, targetPath: String, target: Session
    ) throws(TagbenchError) {
        var origin: [String: String] = [:]
        for label in target.tagSet.labels { origin[label.name] = targetPath }
        for input in inputs {
            for label in input.session.tagSet.labels {
                if let index = tagSet.index(of: label.name), tagSet.labels[index].name == label.name {
                    let known = tagSet.labels[index]
                    if known.kind != label.kind || known.parent != label.parent {
                        throw .labelClash(
                            label.name, first: origin[label.name] ?? targetPath, firstIs: known.kindAndParent,
                            second: input.displayPath, secondIs: label.kindAndParent)
                    }
                    continue
                }
                do {
                    _ = try tagSet.add(label)
                } catch {
                    throw .mergeInput(
                        input.displayPath, reason: "its label \(label.name) cannot join: \(error.message)")
                }
                origin[label.name] = input.displayPath
                plan.labels.append(label)
            }
        }
    }

    /// Spans of one document: identical ones counted, accepted ones planned as annotations, the
    /// rest grouped by overlap into conflicts (numbered later).
    static func mergeSpans(
        _ voters: [(input: MergeInput, document: Int)], into document: Int, text: Document, tagSet: TagSet,
        target: Session, strategy: MergeStrategy, annotator: Annotator, time: String, plan: inout MergePlan
    ) -> [Conflict] {
        var makers: [ConflictSpan: [Int]] = [:]
        var order: [ConflictSpan] = []
        for (v, voter) in voters.enumerated() {
            let session = voter.input.session
            for a in session.annotations(inDocument: voter.document) {
                let span = ConflictSpan(range: a.range, label: session.tagSet.labels[a.label].name)
                if makers[span] == nil {
                    order.append(span)
                    makers[span] = []
                }
                if makers[span]!.last != v { makers[span]!.append(v) }
            }
        }
        var rejected: [(voter: Int, span: ConflictSpan)] = []
        for span in order.sorted() {
            let who = makers[span]!
            guard strategy.accepts(who.count, of: voters.count) else {
                rejected += who.map { ($0, span) }
                continue
            }
            plan.acceptedSpans += 1
            let label = tagSet.index(of: span.label)!
            let key = SpanKey(document: document, range: span.range, label: label)
            if document < target.documents.count && target.hasSpan(key) { continue }
            if document < target.documents.count && target.suggestions.wasRejected(key) {
                plan.keptOut += 1
                continue
            }
            // A decision made there stands over what a merge (another strategy, say) accepts now.
            if document < target.documents.count,
                let decided = target.conflicts.all.first(where: {
                    $0.decision != nil && $0.unit == nil && $0.document == document && $0.range.overlaps(span.range)
                })
            {
                plan.overruled.append((decided, span))
                continue
            }
            plan.annotations.append(
                Annotation(
                    number: 0, document: document, range: span.range, label: label, text: text.text(span.range),
                    source: source, annotator: annotator.name, time: time,
                    annotators: who.map { voters[$0].input.annotator }))
        }
        // Groups of overlapping spans, swept by start.
        rejected.sort { $0.span < $1.span }
        var conflicts: [Conflict] = []
        var group: [(voter: Int, span: ConflictSpan)] = []
        var end = -1
        func close() {
            guard !group.isEmpty else { return }
            let versions = voters.indices.map { v in
                ConflictVersion(annotator: voters[v].input.annotator, spans: group.filter { $0.voter == v }.map(\.span))
            }
            conflicts.append(
                Conflict(
                    number: 0, document: document, range: TextRange(group[0].span.range.start, end), versions: versions)
            )
            group = []
        }
        for entry in rejected {
            if entry.span.range.start >= end { close() }
            group.append(entry)
            end = group.count == 1 ? entry.span.range.end : Swift.max(end, entry.span.range.end)
        }
        close()
        return conflicts
    }

    /// Labels on units of one document, counted per unit as spans are; a unit whose labels are
    /// not all accepted is a conflict over that unit.
    static func mergeUnits(
        _ voters: [(input: MergeInput, document: Int)], into document: Int, tagSet: TagSet, target: Session,
        strategy: MergeStrategy, annotator: Annotator, time: String, plan: inout MergePlan
    ) -> [Conflict] {
        struct Unit: Hashable, Comparable {
            var kind: UnitKind, index: Int
            static func < (a: Unit, b: Unit) -> Bool { (a.kind.order, a.index) < (b.kind.order, b.index) }
        }
        var ranges: [Unit: TextRange] = [:]
        var makers: [Unit: [String: [Int]]] = [:]
        for (v, voter) in voters.enumerated() {
            let session = voter.input.session
            for c in session.categories(inDocument: voter.document) {
                let unit = Unit(kind: c.unit, index: c.index)
                ranges[unit] = c.range
                makers[unit, default: [:]][session.tagSet.labels[c.label].name, default: []].append(v)
            }
        }
        var conflicts: [Conflict] = []
        for unit in makers.keys.sorted() {
            var rejected: [(voter: Int, label: String)] = []
            for (name, who) in makers[unit]!.sorted(by: { $0.key < $1.key }) {
                guard strategy.accepts(who.count, of: voters.count) else {
                    rejected += who.map { ($0, name) }
                    continue
                }
                plan.acceptedCategories += 1
                let category = CategoryAnnotation(
                    document: document, unit: unit.kind, index: unit.index, range: ranges[unit]!,
                    label: tagSet.index(of: name)!, annotator: annotator.name, time: time,
                    annotators: who.map { voters[$0].input.annotator })
                if document < target.documents.count && target.hasCategory(category) { continue }
                // A decision over the unit stands over what a merge (another strategy) accepts now.
                if document < target.documents.count,
                    let decided = target.conflicts.all.first(where: {
                        $0.decision != nil && $0.document == document && $0.unit == unit.kind && $0.index == unit.index
                    })
                {
                    plan.overruled.append((decided, ConflictSpan(range: ranges[unit]!, label: name)))
                    continue
                }
                plan.categories.append(category)
            }
            guard !rejected.isEmpty else { continue }
            let versions = voters.indices.map { v in
                ConflictVersion(
                    annotator: voters[v].input.annotator,
                    spans: rejected.filter { $0.voter == v }.map { ConflictSpan(range: ranges[unit]!, label: $0.label) }
                )
            }
            conflicts.append(
                Conflict(
                    number: 0, document: document, range: ranges[unit]!, unit: unit.kind, index: unit.index,
                    versions: versions))
        }
        return conflicts
    }

    /// Fresh conflicts against those the session has: one found again adds nothing (its decision
    /// stands); a new one is numbered, and reported when it overlaps a decided one; an open one of
    /// these annotators that is not found again is dropped.
    static func reconcile(
        _ fresh: [Conflict], with existing: ConflictList, annotators: Set<String>, plan: inout MergePlan
    ) {
        var next = existing.nextNumber
        var found = Set<Int>()
        for var conflict in fresh {
            if let same = existing.all.first(where: { $0.sameDisagreement(conflict) }) {
                found.insert(same.number)
                continue
            }
            conflict.number = next
            next += 1
            plan.conflicts.append(conflict)
            for decided in existing.all where decided.decision != nil && decided.document == conflict.document {
                let overlaps =
                    decided.unit == nil && conflict.unit == nil
                    ? decided.range.overlaps(conflict.range)
                    : decided.unit == conflict.unit && decided.index == conflict.index
                if overlaps { plan.contradicted.append((decided, conflict)) }
            }
        }
        plan.dropped = existing.all.filter { old in
            old.decision == nil && !found.contains(old.number)
                && Set(old.versions.map(\.annotator)).isSubset(of: annotators)
        }
    }
}

extension Document {
    /// This document under another id (itself when the id is its own).
    func renamed(_ id: String) -> Document {
        guard id != self.id else { return self }
        if isMissing {
            let copy = Document(missingID: id, path: path, length: length, sha256: sha256)
            copy.part = part
            return copy
        }
        let copy = Document(id: id, path: path, bytes: bytes, sha256: sha256)
        copy.encoding = encoding
        copy.origin = origin
        copy.part = part
        return copy
    }
}

extension Label {
    /// "a span label under 巡察": how a label clash names each side.
    var kindAndParent: String { "a \(kind.rawValue) label" + (parent.isEmpty ? "" : " under \(parent)") }
}
