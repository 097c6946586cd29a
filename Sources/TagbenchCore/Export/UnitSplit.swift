/// `export … --split … --split-by para|sent`: paragraphs or sentences, instead of whole documents,
/// put into the splits by `SplitAssigner` (the same seeded, label-stratified placing, every split
/// with a weight given one while there are enough), and each record sent to its unit's split.
struct UnitSplit {
    /// For each chosen document (by position), the split of each of its units of the `--split-by`
    /// kind; -1 for a unit left out of the placing because it makes no record (`classify` with
    /// no label on it and no `--negatives`).
    let splitOfUnit: [[Int]]
    /// How close the label shares came.
    let balance: SplitAssigner.Balance
    /// How many units were placed.
    let placed: Int

    /// The placing of the units of `documents` (session indexes), counting the spans of
    /// `chosenLabels` wholly inside each unit and the category labels on its records' units.
    init(
        session: Session, documents: [Int], options: ExportOptions, chosenLabels: Set<Int>,
        categoriesOf: [Int: [CategoryAnnotation]]
    ) {
        let kind = options.splitBy!
        var labels: [[(label: Int, count: Int)]] = []
        var owner: [(document: Int, unit: Int)] = []
        var splitOfUnit: [[Int]] = []
        for (position, documentNumber) in documents.enumerated() {
            let units = Self.ranges(of: session.documents[documentNumber], kind)
            var counts = Array(repeating: [Int: Int](), count: units.count)
            func unit(holding range: TextRange) -> Int? {
                let u = units.partitioningIndex { $0.end > range.start }
                return u < units.count && units[u].start <= range.start && range.end <= units[u].end ? u : nil
            }
            // `classify` labels a record by its spans only with --from-spans.
            let spansLabel = options.format != .classify || options.fromSpans
            for number in session.annotationNumbers(inDocument: documentNumber) where spansLabel {
                guard let a = session.annotation(number: number), chosenLabels.contains(a.label),
                    let u = unit(holding: a.range)
                else { continue }
                counts[u][a.label, default: 0] += 1
            }
            // Records hold the category labels on their own unit only.
            for category in categoriesOf[documentNumber] ?? [] where category.unit == options.recordUnit {
                if let u = unit(holding: category.range) { counts[u][category.label, default: 0] += 1 }
            }
            var splits = Array(repeating: -1, count: units.count)
            for u in units.indices {
                if options.format == .classify && !options.negatives && !options.fromSpans && counts[u].isEmpty {
                    continue
                }
                splits[u] = owner.count
                owner.append((position, u))
                labels.append(counts[u].sorted { $0.key < $1.key }.map { (label: $0.key, count: $0.value) })
            }
            splitOfUnit.append(splits)
        }
        let assigner = SplitAssigner(weights: options.split.map(\.weight), labels: labels, seed: options.seed)
        for (item, place) in owner.enumerated() {
            splitOfUnit[place.document][place.unit] = assigner.assignment[item]
        }
        self.splitOfUnit = splitOfUnit
        balance = assigner.balance
        placed = owner.count
    }

    /// The code-point ranges of a document's paragraphs or sentences.
    static func ranges(of document: Document, _ kind: UnitKind) -> [TextRange] {
        switch kind {
        case .doc: return [TextRange(0, document.length)]
        case .para: return document.paragraphs
        case .sent: return document.sentences.map(\.range)
        }
    }

    /// The split of each record unit of the document at `position`: its own, or that of the
    /// paragraph it lies in (sentence records split by paragraph).
    func splits(of records: [ExportUnit], position: Int, in document: Document, by kind: UnitKind) -> [Int] {
        records.map { record in
            switch (record.kind, kind) {
            case (.sent, .para): return splitOfUnit[position][document.sentences[record.index - 1].paragraph - 1]
            default: return splitOfUnit[position][record.index - 1]
            }
        }
    }
}
