/// The labels and documents `--labels` and `--docs` choose, as an export and a report read them.
public enum SessionSelection {
    /// The indices of the labels named (names or aliases); every label when `names` is empty.
    public static func labels(_ names: [String], in tagSet: TagSet) throws(TagbenchError) -> Set<Int> {
        guard !names.isEmpty else { return Set(tagSet.labels.indices) }
        var chosen = Set<Int>()
        for name in names {
            guard let labelIndex = tagSet.index(of: name) else {
                throw .unknownLabel(name, suggestion: NameSuggester.nearest(to: name, among: tagSet.labels.map(\.name)))
            }
            chosen.insert(labelIndex)
        }
        return chosen
    }

    /// The documents named (ids, numbers from 1 or globs over ids), in session order; every
    /// document when `names` is empty.
    public static func documents(_ names: [String], in session: Session) throws(TagbenchError) -> [Int] {
        guard !names.isEmpty else { return Array(session.documents.indices) }
        var picked = Set<Int>()
        for name in names {
            let matches: [Int]
            if let number = Int(name), number >= 1, number <= session.documents.count {
                matches = [number - 1]
            } else if let index = session.documentIndex(id: name) {
                matches = [index]
            } else if FileSystem.isGlob(name) {
                matches = session.documents.indices.filter { FileSystem.matches(session.documents[$0].id, glob: name) }
            } else {
                matches = []
            }
            guard !matches.isEmpty else {
                throw .unknownDocument(
                    name, suggestion: NameSuggester.nearest(to: name, among: session.documents.map(\.id)))
            }
            picked.formUnion(matches)
        }
        return picked.sorted()
    }
}
