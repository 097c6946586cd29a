/// The documents of several sessions matched by the SHA-256 of their text: the same report under
/// other ids or paths in two annotators' sessions is one document. (`merge` uses it; `agree`
/// matches documents the same way.)
public struct DocumentMatcher {
    /// Where a text is: the session (its position in the list given) and the document in it.
    public struct Place: Hashable, Sendable {
        /// Position of the session in the list matched.
        public var session: Int
        /// Index of the document in that session.
        public var document: Int
    }

    /// The texts' hashes, in the order they are first met (session by session, document by document).
    public private(set) var hashes: [String] = []
    /// Where each text is, by hash; a session holding a text twice is listed once, at the first.
    public private(set) var places: [String: [Place]] = [:]

    /// Matches the documents of `sessions`.
    public init(_ sessions: [Session]) {
        for (s, session) in sessions.enumerated() {
            for (d, document) in session.documents.enumerated() {
                let hash = Self.hash(of: document)
                if places[hash] == nil { hashes.append(hash) }
                guard places[hash, default: []].contains(where: { $0.session == s }) == false else { continue }
                places[hash, default: []].append(Place(session: s, document: d))
            }
        }
    }

    /// The hash a document is matched by: its text's (for a missing one, what the session recorded).
    public static func hash(of document: Document) -> String { document.sha256 }

    /// The document of session `session` holding the text `hash`, if it has one.
    public func document(_ hash: String, inSession session: Int) -> Int? {
        places[hash]?.first { $0.session == session }?.document
    }
}
