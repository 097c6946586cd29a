/// `agree SESSION... [--labels L1,L2] [--docs D1,D2] [--json PATH|-] [--diff]`: what to compare
/// the open session with, and how to report it.
public struct AgreeRequest: Hashable, Sendable {
    /// The other sessions, as typed.
    public var sessions: [String]
    /// Labels and documents to keep, and whether to list the disagreements.
    public var options: AgreementOptions
    /// `--json`: a file to write the figures to, `-` for stdout; nil for none.
    public var json: String?
    /// `--against`: the curated session every annotator is measured against; nil for agreement
    /// among the sessions.
    public var against: String?

    /// Makes a request.
    public init(
        sessions: [String], options: AgreementOptions = AgreementOptions(), json: String? = nil, against: String? = nil
    ) {
        self.sessions = sessions
        self.options = options
        self.json = json
        self.against = against
    }

    /// The request in `words` (the arguments after `agree`, as the command line and the REPL give them).
    public static func parse(_ words: [String]) throws(TagbenchError) -> AgreeRequest {
        var request = AgreeRequest(sessions: [])
        var i = 0
        func value(_ option: String) throws(TagbenchError) -> String {
            i += 1
            guard i < words.count else { throw .missingArgument(command: "agree", what: "a value after \(option)") }
            return words[i]
        }
        while i < words.count {
            switch words[i] {
            case "--labels": request.options.labels = try list(try value("--labels"), of: "--labels")
            case "--docs": request.options.documents = try list(try value("--docs"), of: "--docs")
            case "--json": request.json = try value("--json")
            case "--against": request.against = try value("--against")
            case "--diff": request.options.listsDisagreements = true
            case let word where word.hasPrefix("--"): throw .unknownOption(word, command: "agree")
            case let word: request.sessions.append(word)
            }
            i += 1
        }
        // Against a curated session the open one may be the only annotator.
        if request.sessions.isEmpty && request.against == nil {
            throw .missingArgument(command: "agree", what: "a session to compare with")
        }
        return request
    }

    /// The names in a `--labels` or `--docs` value (comma-separated); one that names nothing
    /// (`''`, `,`) is an error, not "everything".
    public static func list(_ text: String, of option: String) throws(TagbenchError) -> [String] {
        let names = text.split(separator: ",").map(String.init)
        if names.isEmpty {
            throw .invalidArgument(
                command: "agree", argument: "\(option) \(text)",
                expected: option == "--labels" ? "label names separated by commas" : "document ids separated by commas")
        }
        return names
    }

    /// The words `parse` reads back into this request.
    public var words: [String] {
        var words = sessions
        if !options.labels.isEmpty { words += ["--labels", options.labels.joined(separator: ",")] }
        if !options.documents.isEmpty { words += ["--docs", options.documents.joined(separator: ",")] }
        if let json { words += ["--json", json] }
        if let against { words += ["--against", against] }
        if options.listsDisagreements { words.append("--diff") }
        return words
    }
}
