/// One annotator's session, as `agree` is given it.
public struct AgreementSource {
    /// The annotator's name (`Agreement.annotatorName`).
    public var name: String
    /// The session's path as given (shown in the report).
    public var path: String
    /// The session, opened (read only: `agree` never changes it).
    public var session: Session

    /// Makes a source.
    public init(name: String, path: String, session: Session) {
        self.name = name
        self.path = path
        self.session = session
    }
}

/// What `agree` is asked for besides the sessions.
public struct AgreementOptions: Sendable, Hashable {
    /// `--labels`: only these labels (names or aliases); empty keeps all.
    public var labels: [String] = []
    /// `--docs`: only these documents (ids in any session, globs, or numbers in the first).
    public var documents: [String] = []
    /// Whether to list the disagreements.
    public var listsDisagreements = false
    /// Whether a `--labels` or `--docs` name these sessions lack is passed over instead of an
    /// error: `agree --against` checks the names over every session once, then compares pairs.
    public var skipsUnknownNames = false

    /// No restriction.
    public init(labels: [String] = [], documents: [String] = [], listsDisagreements: Bool = false) {
        self.labels = labels
        self.documents = documents
        self.listsDisagreements = listsDisagreements
    }
}

/// Inter-annotator agreement between sessions, one annotator each: documents matched by the
/// SHA-256 of their text, labels by name; spans compared exactly and by overlap, characters by
/// Cohen's κ, Krippendorff's α and Fleiss' κ, category labels by κ and α per label.
public enum Agreement {
    /// The most annotators compared at once (the character sweep packs an annotator in 7 bits).
    public static let largestCount = 127

    /// Compares the sessions; throws when no document is common to them all, or an option names
    /// a label or document that none has.
    public static func compare(_ sources: [AgreementSource], options: AgreementOptions = AgreementOptions())
        throws(TagbenchError) -> AgreementReport
    {
        precondition(sources.count >= 2 && sources.count <= largestCount, "agree compares 2 to 127 sessions")
        let names = try Labels(sources, chosen: options.labels, skipsUnknown: options.skipsUnknownNames)
        let matching = try DocumentMatching(
            sources, chosen: options.documents, skipsUnknown: options.skipsUnknownNames)
        let m = sources.count
        let common = matching.common
        let texts = common.map { sources[0].session.documents[$0[0]] }
        var pairs: [(Int, Int)] = []
        for i in 0..<m { for j in (i + 1)..<m { pairs.append((i, j)) } }

        let checked = UncheckedSendable((sources, matching, names))
        let tables = Parallel.map(m) { a in
            AgreementSpanTable(
                checked.value.0[a].session, commonIndex: checked.value.1.commonIndex[a], commonCount: common.count,
                labelNumber: checked.value.2.numbers[a])
        }
        var report = AgreementReport(
            annotators: sources.map(\.name), sessions: sources.map(\.path),
            common: [], leftOut: matching.leftOut, notChosen: matching.notChosen, labels: [], pairs: [], characters: 0,
            krippendorffAlpha: nil,
            fleissKappa: nil, categories: [], disagreements: [])

        // Labels reported: those chosen, else those spans use.
        var spanLabels = Set<Int32>()
        for table in tables { for span in table.byPosition { spanLabels.insert(span.label) } }
        let reported = names.reportedSpanLabels(used: spanLabels)
        report.labels = reported.map { names.all[$0] }

        let checkedTables = UncheckedSendable(tables)
        report.pairs = Parallel.map(pairs.count) { p in
            let (i, j) = pairs[p]
            let counts = SpanAgreement.compare(
                checkedTables.value[i], checkedTables.value[j], documents: common.count, labels: names.all.count)
            return PairAgreement(a: i, b: j, spans: counts.overall, byLabel: reported.map { counts.byLabel[$0] })
        }

        let sweep = CharacterSweep(documents: texts, tables: tables, labels: names.all.count)
        report.characters = sweep.tally.total
        for p in pairs.indices {
            let kappas = sweep.tally.kappas(pair: p)
            report.pairs[p].characters = kappas.all
            report.pairs[p].taggedCharacters = kappas.tagged
        }
        report.krippendorffAlpha = sweep.tally.krippendorffAlpha
        report.fleissKappa = sweep.tally.fleissKappa
        report.common = common.indices.map { k in
            CommonDocument(
                sha256: texts[k].sha256, ids: (0..<m).map { sources[$0].session.documents[common[k][$0]].id },
                characters: sweep.characters[k])
        }

        let marks = (0..<m).map { a in categoryMarks(sources[a].session, matching.commonIndex[a], names.numbers[a]) }
        report.categories = CategoryAgreement.compare(marks, names: names.all, documents: texts, pairs: pairs)
        if options.listsDisagreements {
            report.disagreements = DisagreementFinder.find(
                tables: tables, marks: marks, documents: common, texts: texts, names: names.all)
        }
        return report
    }

    /// The category labels of a session on the common documents, in the shared label numbering.
    private static func categoryMarks(_ session: Session, _ commonIndex: [Int], _ numbers: [Int32])
        -> [CategoryAgreement.Mark]
    {
        session.categories.compactMap { c in
            let k = commonIndex[c.document]
            let label = c.label < numbers.count ? Int(numbers[c.label]) : -1
            guard k >= 0, label >= 0 else { return nil }
            return CategoryAgreement.Mark(
                unit: CategoryAgreement.Unit(document: k, kind: c.unit, index: c.index), range: c.range, label: label)
        }
    }

    /// Throws, as `compare` would, when `--labels` or `--docs` names something no session has.
    public static func checkNames(_ sources: [AgreementSource], options: AgreementOptions) throws(TagbenchError) {
        _ = try Labels(sources, chosen: options.labels, skipsUnknown: false)
        _ = try DocumentMatching.chosen(sources, options.documents, skipsUnknown: false)
    }

    /// The annotator a session stands for: the name most of its annotations and category labels
    /// carry (the first met among equals), else `fallback` (the file name).
    public static func annotatorName(of session: Session, fallback: String) -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        var last = ""
        var run = 0
        func flush() {
            guard run > 0 else { return }
            if counts[last] == nil { order.append(last) }
            counts[last, default: 0] += run
        }
        // Runs of one name counted at once: a session's annotations mostly carry one.
        session.annotationSlots.withUnsafeBufferPointer { slots in
            for i in slots.indices {
                guard let name = slots[i]?.annotator else { continue }
                if name == last {
                    run += 1
                } else {
                    flush()
                    last = name
                    run = 1
                }
            }
        }
        flush()
        for c in session.categories {
            if counts[c.annotator] == nil { order.append(c.annotator) }
            counts[c.annotator, default: 0] += 1
        }
        var best: String?
        for name in order where !name.isEmpty && counts[name]! > best.map({ counts[$0]! }) ?? 0 { best = name }
        return best ?? fallback
    }

    /// Names for the annotators that tell them apart: their own, else (where two share one) the
    /// sessions' file names, else the paths as given.
    public static func distinctNames(_ names: [String], paths: [String]) -> [String] {
        var result = names
        func clashes(_ list: [String]) -> Set<Int> {
            var seen: [String: [Int]] = [:]
            for (i, name) in list.enumerated() { seen[name, default: []].append(i) }
            return Set(seen.values.filter { $0.count > 1 }.flatMap { $0 })
        }
        for i in clashes(result) { result[i] = Paths.stem(of: paths[i]) }
        for i in clashes(result) { result[i] = paths[i] }
        return result
    }

    /// Whether `x` comes before `y` by code points (Python's string order).
    static func inCodePointOrder(_ x: String, _ y: String) -> Bool {
        x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) { $0.value < $1.value }
    }
}

/// The labels of every session under one numbering, by name.
private struct Labels {
    /// Every label name of any session, the chosen ones first.
    var all: [String] = []
    /// Per session: each tag-set index's number, -1 for a label not compared.
    var numbers: [[Int32]] = []
    /// The numbers of the labels `--labels` chose (empty: all).
    var chosen: [Int] = []

    init(_ sources: [AgreementSource], chosen names: [String], skipsUnknown: Bool) throws(TagbenchError) {
        var number: [String: Int] = [:]
        var keep: Set<String>?
        if !names.isEmpty {
            var kept = Set<String>()
            for name in names {
                // A name or an alias in any session's tag set.
                guard
                    let found = sources.lazy.compactMap({ source in
                        source.session.tagSet.index(of: name).map { source.session.tagSet.labels[$0].name }
                    }).first
                else {
                    if skipsUnknown { continue }
                    let known = Array(Set(sources.flatMap { $0.session.tagSet.labels.map(\.name) }))
                        .sorted(by: Agreement.inCodePointOrder)
                    throw .unknownLabel(name, suggestion: NameSuggester.nearest(to: name, among: known))
                }
                if kept.insert(found).inserted {
                    number[found] = all.count
                    all.append(found)
                    chosen.append(all.count - 1)
                }
            }
            keep = kept
        }
        for source in sources {
            numbers.append(
                source.session.tagSet.labels.map { label in
                    if let keep, !keep.contains(label.name) { return -1 }
                    if let known = number[label.name] { return Int32(known) }
                    number[label.name] = all.count
                    all.append(label.name)
                    return Int32(all.count - 1)
                })
        }
    }

    /// The span labels reported, in code-point order of their names: those chosen, else those used.
    func reportedSpanLabels(used: Set<Int32>) -> [Int] {
        let picked = chosen.isEmpty ? used.map { Int($0) } : chosen
        return picked.sorted { Agreement.inCodePointOrder(all[$0], all[$1]) }
    }
}

/// Which documents the sessions share, by the SHA-256 of their text (the k-th document with a
/// given text in one session is matched with the k-th in the others).
private struct DocumentMatching {
    /// Each common document's index in every session, in the first session's order.
    var common: [[Int]] = []
    /// Per session: each document's index among the common ones, -1 when not common.
    var commonIndex: [[Int]]
    /// The documents left out.
    var leftOut: [LeftOutDocument] = []
    /// How many documents `--docs` did not choose, counted in every session.
    var notChosen = 0

    init(_ sources: [AgreementSource], chosen names: [String], skipsUnknown: Bool) throws(TagbenchError) {
        let chosen = try Self.chosen(sources, names, skipsUnknown: skipsUnknown)
        // Each document's key (its text's hash, then `#n` for its n-th copy), readable or not: a
        // text every session has is left out for being unreadable in one, not for being absent.
        // `--docs` chooses texts, every copy alike, so the keys of the chosen are their own.
        let matcher = DocumentMatcher(sources.map(\.session))
        for row in chosen { notChosen += row.lazy.filter { !$0 }.count }
        commonIndex = sources.map { Array(repeating: -1, count: $0.session.documents.count) }
        for (d, key) in matcher.documentKeys[0].enumerated() where chosen[0][d] {
            let places = matcher.places[key]!
            guard places.count == sources.count,
                places.allSatisfy({ !sources[$0.session].session.documents[$0.document].isMissing })
            else { continue }
            for place in places { commonIndex[place.session][place.document] = common.count }
            common.append(places.map(\.document))
        }
        for (s, source) in sources.enumerated() {
            for (d, document) in source.session.documents.enumerated() where chosen[s][d] && commonIndex[s][d] < 0 {
                let inEvery = matcher.places[matcher.documentKeys[s][d]]!.count == sources.count
                let reason =
                    document.isMissing
                    ? LeftOutDocument.unreadable
                    : inEvery ? LeftOutDocument.unreadableElsewhere : LeftOutDocument.absent
                leftOut.append(
                    LeftOutDocument(annotator: source.name, id: document.id, sha256: document.sha256, reason: reason))
            }
        }
        if common.isEmpty { throw .noCommonDocument(sessions: sources.map(\.path), chosen: !names.isEmpty) }
    }

    /// Per session, whether each document is chosen by `--docs` (every one without it): an id
    /// in any session, a glob, or a number (of the first session's documents).
    static func chosen(_ sources: [AgreementSource], _ names: [String], skipsUnknown: Bool) throws(TagbenchError)
        -> [[Bool]]
    {
        guard !names.isEmpty else { return sources.map { Array(repeating: true, count: $0.session.documents.count) } }
        // The texts chosen, by hash, in whichever session the name matches.
        var hashes = Set<String>()
        for name in names {
            var matched = false
            for (s, source) in sources.enumerated() {
                let documents = source.session.documents
                for (d, document) in documents.enumerated() {
                    let byNumber = s == 0 && Int(name) == d + 1
                    if byNumber || document.id == name
                        || (FileSystem.isGlob(name) && FileSystem.matches(document.id, glob: name))
                    {
                        hashes.insert(document.sha256)
                        matched = true
                    }
                }
            }
            guard matched || skipsUnknown else {
                let ids = Array(Set(sources.flatMap { $0.session.documents.map(\.id) })).sorted()
                throw .unknownDocument(name, suggestion: NameSuggester.nearest(to: name, among: ids))
            }
        }
        return sources.map { source in source.session.documents.map { hashes.contains($0.sha256) } }
    }
}
