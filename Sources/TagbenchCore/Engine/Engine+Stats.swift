extension Engine {
    /// The figures `stats` shows.
    func statsFigures() -> StatsFigures {
        var figures = StatsFigures()
        figures.documents = session.documents.count
        figures.characters = session.documents.reduce(0) { $0 + $1.length }
        figures.spans = session.annotationCount
        figures.categories = session.categories.count
        let rows = labelRows()
        figures.labels = StatsFigures.hierarchyOrder(session.tagSet.labels).map { index, depth in
            let label = rows[index].label
            return .init(
                name: label.name, kind: label.kind, parent: label.parent, depth: depth, colour: label.colour,
                count: rows[index].count, units: rows[index].units)
        }
        var categoriesOf = Array(repeating: 0, count: session.documents.count)
        for category in session.categories where category.document < categoriesOf.count {
            categoriesOf[category.document] += 1
        }
        figures.byDocument = session.documents.enumerated().map { number, document in
            .init(
                id: document.id, characters: document.length, spans: session.annotationCount(inDocument: number),
                categories: categoriesOf[number])
        }
        figures.annotatedDocuments = figures.byDocument.reduce(0) { $0 + ($1.spans + $1.categories > 0 ? 1 : 0) }
        let bounds = StatsFigures.lengthBounds
        var lengthCounts = Array(repeating: 0, count: bounds.count + 1)
        for case let annotation? in session.annotationSlots {
            let length = annotation.range.end - annotation.range.start
            lengthCounts[bounds.firstIndex { length <= $0 } ?? bounds.count] += 1
            // An accepted suggestion keeps the rule that proposed it as its source.
            if annotation.source.hasPrefix("rule:") { figures.acceptedSuggestions += 1 }
        }
        let used = (lengthCounts.lastIndex { $0 > 0 } ?? -1) + 1
        figures.lengths = (0..<used).map { k in
            .init(from: k == 0 ? 1 : bounds[k - 1] + 1, to: k < bounds.count ? bounds[k] : nil, spans: lengthCounts[k])
        }
        figures.rejectedSuggestions = session.suggestions.rejected.count
        figures.waitingSuggestions = session.suggestions.pending.count
        figures.conflicts = mergeConflicts()
        return figures
    }

    /// The conflicts of a merged session, resolved and open; nil for a session no merge has
    /// given conflicts (so `stats` shows no conflicts line there).
    func mergeConflicts() -> StatsFigures.ConflictFigures? {
        let all = session.conflicts.all
        guard !all.isEmpty else { return nil }
        let open = all.count { $0.decision == nil }
        return .init(resolved: all.count - open, open: open)
    }
}

extension StatsFigures {
    /// The labels' indices in hierarchy order with their depth: each top-level label (no parent,
    /// or a parent not in the tag set) in tag-set order, followed by its children, depth first.
    /// A label in a cycle of parents is shown at the top level once, where the cycle is first met.
    static func hierarchyOrder(_ labels: [Label]) -> [(index: Int, depth: Int)] {
        var indexOf: [String: Int] = [:]
        for (i, label) in labels.enumerated() where indexOf[label.name] == nil { indexOf[label.name] = i }
        var children = Array(repeating: [Int](), count: labels.count)
        var roots: [Int] = []
        for (i, label) in labels.enumerated() {
            if let parent = indexOf[label.parent], parent != i { children[parent].append(i) } else { roots.append(i) }
        }
        var order: [(index: Int, depth: Int)] = []
        var seen = Array(repeating: false, count: labels.count)
        func visit(_ i: Int, _ depth: Int) {
            guard !seen[i] else { return }
            seen[i] = true
            order.append((i, depth))
            for child in children[i] { visit(child, depth + 1) }
        }
        for root in roots { visit(root, 0) }
        for i in labels.indices where !seen[i] { visit(i, 0) }
        return order
    }
}
