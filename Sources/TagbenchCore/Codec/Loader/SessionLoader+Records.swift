extension SessionLoader {
    /// The labels on units, each on a known document, unit and label, within the text. The label
    /// may be of either kind: a span label marks units too.
    func addCategories() throws(TagbenchError) {
        for record in file.categories {
            guard let document = session.documentIndex(id: record.doc) else {
                throw file.invalid("a category refers to unknown document \"\(record.doc)\"")
            }
            guard let unit = UnitKind(rawValue: record.unit) else {
                throw file.invalid("a category has unknown unit \"\(record.unit)\"")
            }
            guard let label = session.tagSet.index(of: record.label) else {
                throw file.invalid("category \"\(record.label)\" is not a label of the tag set")
            }
            guard record.start >= 0, record.start <= record.end, record.end <= recordedLength[document],
                record.index >= 1
            else {
                throw file.invalid(
                    "category \(record.label) on \(record.doc) \(record.unit) \(record.index) has an invalid range or index"
                )
            }
            session.addCategory(
                CategoryAnnotation(
                    document: document, unit: unit, index: record.index, range: TextRange(record.start, record.end),
                    label: label, annotator: record.annotator, time: record.time, annotators: record.annotators))
        }
    }

    /// The suggestions waiting and rejected. A waiting suggestion whose document changed under
    /// it is dropped: `suggest` finds it again.
    mutating func addSuggestions() throws(TagbenchError) {
        var pending: [Suggestion] = []
        var rejected: [Suggestion] = []
        var seen = Set<Int>()
        for record in file.suggestions {
            guard record.id.first == "s", let number = Int(record.id.dropFirst()), number >= 1,
                seen.insert(number).inserted
            else {
                throw file.invalid("suggestion \(record.id) has an invalid or repeated id (expected s1, s2, …)")
            }
            guard let document = session.documentIndex(id: record.doc) else {
                throw file.invalid("suggestion \(record.id) refers to unknown document \"\(record.doc)\"")
            }
            guard let label = session.tagSet.index(of: record.label), session.tagSet.labels[label].name == record.label,
                session.tagSet.labels[label].kind == .span
            else {
                throw file.invalid(
                    "suggestion \(record.id) has label \"\(record.label)\", which is not a span label of the tag set")
            }
            guard record.start >= 0, record.start < record.end, record.end <= recordedLength[document] else {
                throw file.invalid("suggestion \(record.id) has an invalid range \(record.start):\(record.end)")
            }
            let suggestion = Suggestion(
                number: number, document: document, range: TextRange(record.start, record.end), label: label,
                text: record.text, source: record.source)
            if record.rejected {
                rejected.append(suggestion)
            } else if session.documents[document].recorded == nil
                || session.documents[document].covers(suggestion.range, with: record.text)
            {
                pending.append(suggestion)
            }
        }
        session.suggestions.enqueue(pending)
        session.suggestions.addRejected(rejected)
        highestSuggestion = seen.max() ?? 0
    }
}
