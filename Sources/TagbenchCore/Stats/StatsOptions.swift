/// What `stats [--all] [--top N] [--json]` asks for.
public struct StatsOptions: Hashable, Sendable {
    /// How many documents the per-document chart shows when not `all` (the most annotated first).
    public static let defaultTop = 10

    /// `--all`: every document in the per-document chart.
    public var all = false
    /// `--top N`: the N most annotated documents.
    public var top = StatsOptions.defaultTop
    /// `--json`: the figures as JSON instead of charts.
    public var json = false

    /// Options with every default.
    public init(all: Bool = false, top: Int = StatsOptions.defaultTop, json: Bool = false) {
        self.all = all
        self.top = top
        self.json = json
    }

    /// The options as words after `stats`, in a fixed order (the command's rendering).
    public var words: [String] {
        var words: [String] = []
        if all { words.append("--all") }
        if top != Self.defaultTop { words += ["--top", String(top)] }
        if json { words.append("--json") }
        return words
    }
}
