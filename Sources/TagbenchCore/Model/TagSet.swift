/// The labels of a session, looked up by name or alias.
public struct TagSet: Sendable {
    /// Labels in the order they were added; an annotation refers to a label by its index here.
    public private(set) var labels: [Label] = []
    private var lookup: [String: Int] = [:]
    /// Whether spans may overlap or nest.
    public var overlap: OverlapPolicy = .allow

    /// An empty tag set.
    public init() {}

    /// The index of the label that `name` (a name or an alias) names.
    public func index(of name: String) -> Int? { lookup[name] }

    /// The label that `name` names, or an error suggesting the nearest name.
    public func resolve(_ name: String) throws(TagbenchError) -> Int {
        if let found = lookup[name] { return found }
        throw .unknownLabel(
            name, suggestion: NameSuggester.nearest(to: name, among: Array(lookup.keys)).map { self.label(named: $0) })
    }

    private func label(named key: String) -> String { lookup[key].map { labels[$0].name } ?? key }

    /// Adds a label; a name or alias already in use is an error.
    @discardableResult
    public mutating func add(_ label: Label) throws(TagbenchError) -> Int {
        for name in [label.name] + label.aliases {
            if let existing = lookup[name] {
                throw .labelNameInUse(name, by: labels[existing].name)
            }
            try Names.checkLabel(name)
        }
        if Set(label.aliases).count != label.aliases.count { throw .labelNameInUse(label.name, by: label.name) }
        try checkShortcut(label)
        var label = label
        if label.colour.isEmpty { label.colour = Label.palette[labels.count % Label.palette.count] }
        let index = labels.count
        labels.append(label)
        lookup[label.name] = index
        for alias in label.aliases { lookup[alias] = index }
        return index
    }

    /// The label whose review shortcut is `key`.
    public func index(ofShortcut key: String) -> Int? { labels.firstIndex { $0.shortcut == key && !key.isEmpty } }

    /// A shortcut is one key, not one `review` uses, and not another label's.
    private func checkShortcut(_ label: Label, replacing index: Int? = nil) throws(TagbenchError) {
        guard !label.shortcut.isEmpty else { return }
        guard label.shortcut.count == 1, !Label.reviewKeys.contains(label.shortcut) else {
            throw .invalidShortcut(
                label.shortcut, label: label.name,
                reason: "a shortcut is one key other than "
                    + Label.reviewKeys.sorted().filter { $0 != " " }.joined(separator: " ") + " and space")
        }
        if let other = self.index(ofShortcut: label.shortcut), other != index {
            throw .invalidShortcut(
                label.shortcut, label: label.name, reason: "it is already the shortcut of \(labels[other].name)")
        }
    }

    /// The label's chain of parents, outermost first, then the label (`全面从严治党 › 巡察`).
    public func path(of index: Int) -> [String] {
        var names = [labels[index].name]
        var seen: Set<String> = [labels[index].name]
        var parent = labels[index].parent
        while !parent.isEmpty, let p = lookup[parent], seen.insert(labels[p].name).inserted {
            names.insert(labels[p].name, at: 0)
            parent = labels[p].parent
        }
        return names
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

    /// Takes a tag-set file's fields for a label (merging); aliases are added separately.
    mutating func update(_ index: Int, from label: Label) throws(TagbenchError) {
        try checkShortcut(label, replacing: index)
        if !label.colour.isEmpty { labels[index].colour = label.colour }
        if !label.description.isEmpty { labels[index].description = label.description }
        labels[index].shortcut = label.shortcut
        labels[index].parent = label.parent
        labels[index].patterns = label.patterns
    }

    /// The tag set without the labels at `removed` (none of them in use); `map[old]` is each
    /// remaining label's new index.
    func removing(_ removed: Set<Int>) -> (tagSet: TagSet, map: [Int?]) {
        var result = TagSet()
        result.overlap = overlap
        var map: [Int?] = []
        for (i, label) in labels.enumerated() {
            if removed.contains(i) {
                map.append(nil)
                continue
            }
            map.append(result.labels.count)
            result.lookup[label.name] = result.labels.count
            for alias in label.aliases { result.lookup[alias] = result.labels.count }
            result.labels.append(label)
        }
        return (result, map)
    }

    /// Restores a label's aliases, colour and description (undo of a merge).
    mutating func restore(_ index: Int, to label: Label) {
        for alias in labels[index].aliases where !label.aliases.contains(alias) { lookup[alias] = nil }
        labels[index] = label
    }
}
