/// Everything `report OUT [--docs D1,D2] [--labels L1,L2] [--with SESSION]...` says.
public struct ReportOptions: Hashable, Sendable {
    /// The folder the report is written to (`OUT/index.html`, `OUT/docs/N.html`).
    public var path: String
    /// `--docs`: only these documents (ids, numbers or globs); empty keeps all.
    public var documents: [String] = []
    /// `--labels`: only these labels' spans and categories (names or aliases); empty keeps all.
    public var labels: [String] = []
    /// `--with`: other annotators' sessions, as typed; with any, the index shows the agreement
    /// of the open session and these (what `agree` computes) as a heatmap.
    public var sessions: [String] = []

    /// Options with every default.
    public init(path: String, documents: [String] = [], labels: [String] = [], sessions: [String] = []) {
        self.path = path
        self.documents = documents
        self.labels = labels
        self.sessions = sessions
    }

    /// Parses the words after `report OUT`.
    public static func parse(path: String, options words: [String]) throws(TagbenchError) -> ReportOptions {
        // An empty path would be resolved to the folder the user is in.
        guard !path.isEmpty else {
            throw .invalidArgument(command: "report", argument: path, expected: "a folder to write to")
        }
        var options = ReportOptions(path: path)
        var i = 0
        while i < words.count {
            let option = words[i]
            guard option == "--docs" || option == "--labels" || option == "--with" else {
                if option.hasPrefix("--") { throw .unknownOption(option, command: "report") }
                throw .unexpectedArgument(command: "report", argument: option)
            }
            i += 1
            guard i < words.count, !words[i].hasPrefix("--") else {
                throw .missingArgument(command: "report", what: "a value after \(option)")
            }
            // A session a `--with` (a path may hold a comma); the others take lists.
            let list = words[i].split(separator: ",").map(String.init).filter { !$0.isEmpty }
            switch option {
            case "--docs": options.documents = list
            case "--labels": options.labels = list
            default: options.sessions.append(words[i])
            }
            i += 1
        }
        return options
    }

    /// The options as words after `report OUT`, in a fixed order.
    public var optionWords: [String] {
        (documents.isEmpty ? [] : ["--docs", documents.joined(separator: ",")])
            + (labels.isEmpty ? [] : ["--labels", labels.joined(separator: ",")])
            + sessions.flatMap { ["--with", $0] }
    }
}
