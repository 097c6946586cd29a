/// The documents of several sessions matched by the SHA-256 of their text: the same report under
/// other ids or paths in two annotators' sessions is one document. A text a session holds twice
/// is two documents: its n-th copy is matched with the n-th copy in the others. `merge`, the git
/// merge driver and `agree` match documents with it.
public struct DocumentMatcher {
    /// Where a text is: the session (its position in the list given) and the document in it.
    public struct Place: Hashable, Sendable {
        /// Position of the session in the list matched.
        public var session: Int
        /// Index of the document in that session.
        public var document: Int
    }

    /// The matching keys (a text's hash, then `#n` for its n-th copy in a session), in the order
    /// they are first met (session by session, document by document).
    public private(set) var keys: [String] = []
    /// Where each key is, at most one place a session.
    public private(set) var places: [String: [Place]] = [:]
    /// Per session, each document's key.
    public private(set) var documentKeys: [[String]] = []

    /// Matches the documents of `sessions`.
    public init(_ sessions: [Session]) {
        for (s, session) in sessions.enumerated() {
            var seen: [String: Int] = [:]
            var byDocument: [String] = []
            byDocument.reserveCapacity(session.documents.count)
            for (d, document) in session.documents.enumerated() {
                let hash = Self.hash(of: document)
                let n = seen[hash, default: 0]
                seen[hash] = n + 1
                let key = n == 0 ? hash : "\(hash)#\(n)"
                byDocument.append(key)
                if places[key] == nil { keys.append(key) }
                places[key, default: []].append(Place(session: s, document: d))
            }
            documentKeys.append(byDocument)
        }
    }

    /// The hash a document is matched by: its text's (for a missing one, what the session recorded).
    public static func hash(of document: Document) -> String { document.sha256 }

    /// The document of session `session` matched by `key`, if it has one.
    public func document(_ key: String, inSession session: Int) -> Int? {
        places[key]?.first { $0.session == session }?.document
    }
}
