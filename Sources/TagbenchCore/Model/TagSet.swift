/// The labels of a session, looked up by name or alias.
public struct TagSet: Sendable {
    /// Labels in the order they were added; an annotation refers to a label by its index here.
    public private(set) var labels: [Label] = []
    private var lookup: [String: Int] = [:]

    /// An empty tag set.
    public init() {}

    /// The index of the label that `name` (a name or an alias) names.
    public func index(of name: String) -> Int? { lookup[name] }

    /// The label that `name` names, or an error suggesting the nearest name.
    public func resolve(_ name: String) throws(TagbenchError) -> Int {
        if let found = lookup[name] { return found }
        throw .unknownLabel(name, suggestion: NameSuggester.nearest(to: name, among: Array(lookup.keys)).map { self.label(named: $0) })
    }

    private func label(named key: String) -> String { lookup[key].map { labels[$0].name } ?? key }

    /// Adds a label; a name or alias already in use is an error.
    @discardableResult
    public mutating func add(_ label: Label) throws(TagbenchError) -> Int {
        for name in [label.name] + label.aliases {
            if let existing = lookup[name] {
                throw .labelNameInUse(name, by: labels[existing].name)
            }
            if name.isEmpty || name.unicodeScalars.contains(where: { UTF8Bytes.isWhitespace($0.value) }) {
                throw .invalidLabelName(name)
            }
        }
        if Set(label.aliases).count != label.aliases.count { throw .labelNameInUse(label.name, by: label.name) }
        var label = label
        if label.colour.isEmpty { label.colour = Label.palette[labels.count % Label.palette.count] }
        let index = labels.count
        labels.append(label)
        lookup[label.name] = index
        for alias in label.aliases { lookup[alias] = index }
        return index
    }

    /// Removes the most recently added label (undo of `label add`); nothing may refer to it.
    public mutating func removeLast() {
        guard let label = labels.popLast() else { return }
        lookup[label.name] = nil
        for alias in label.aliases { lookup[alias] = nil }
    }

    /// Adds an alias to an existing label (merging a tag set file).
    mutating func addAlias(_ alias: String, to index: Int) throws(TagbenchError) {
        if let existing = lookup[alias] {
            if existing == index { return }
            throw .labelNameInUse(alias, by: labels[existing].name)
        }
        labels[index].aliases.append(alias)
        lookup[alias] = index
    }

    /// Replaces the descriptive fields of a label (merging a tag set file); aliases are unchanged.
    mutating func update(_ index: Int, colour: String, description: String) {
        if !colour.isEmpty { labels[index].colour = colour }
        if !description.isEmpty { labels[index].description = description }
    }

    /// Restores a label's aliases, colour and description (undo of a merge).
    mutating func restore(_ index: Int, to label: Label) {
        for alias in labels[index].aliases where !label.aliases.contains(alias) { lookup[alias] = nil }
        labels[index] = label
    }
}
