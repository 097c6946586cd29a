/// Writes and reads session files: pretty-printed JSON in a fixed key order, one annotation a
/// line, CJK as is (`Schemas/session.schema.json`). Two layers: the format (`Format/`: bytes ⇄
/// the file's contents, no disk) and the loader (`Loader/`: documents read back, hashes,
/// re-anchoring, the log); a fast path that relies on the writer's layout is in `FastPath/`.
public enum SessionCodec {
    /// The session as file bytes; paths are written relative to `directory` (the file's folder).
    public static func encode(_ session: Session, directory: String) -> [UInt8] {
        Array(encodeSegments(session, directory: directory).joined())
    }

    /// The session file as consecutive pieces (written in turn, never joined in memory: a large
    /// session would otherwise be held twice while it is saved).
    public static func encodeSegments(_ session: Session, directory: String) -> [ArraySlice<UInt8>] {
        var segments: [ArraySlice<UInt8>] = []
        encode(session, directory: directory) { segments.append($0) }
        return segments
    }

    /// The session file's consecutive pieces, each handed to `emit` as soon as it and those
    /// before it are made: a save writes the first pieces while the last are being encoded.
    public static func encode<E: Error>(
        _ session: Session, directory: String,
        into emit: (ArraySlice<UInt8>) throws(E) -> Void
    ) throws(E) {
        try SessionFileWriter.write(session, directory: directory, into: emit)
    }

    /// Code points of context kept on each side of a span, to find it again if its document changes.
    public static let contextLength = 8

    /// What opening a session found besides the session itself.
    public struct OpenReport: Sendable, Equatable {
        /// Documents whose file could not be read (their annotations are kept).
        public var missing: [String] = []
        /// Why, for those of `missing` whose file is there but could not be read (not UTF-8 in
        /// the recorded encoding, a folder, a FIFO): the error's message by document id.
        public var unreadable: [String: String] = [:]
        /// Documents whose text changed since they were annotated: how their spans were re-anchored.
        public var changed: [Reanchoring] = []
    }

    /// What re-anchoring the spans of a changed document did.
    public struct Reanchoring: Sendable, Equatable {
        /// The document.
        public var document: String
        /// Spans whose text is still at their offsets.
        public var kept = 0
        /// Spans found again, by their text and context, elsewhere.
        public var moved = 0
        /// Spans that could not be found again (now orphans).
        public var orphaned = 0
        /// Category labels on paragraphs or sentences, kept by number on the new text.
        public var categoriesByNumber = 0
        /// Category labels dropped because their paragraph or sentence no longer exists.
        public var categoriesDropped = 0
    }

    /// Reads a session file at `path` (absolute), reading back every document and checking its
    /// hash (taken from `knownHashes` for a file as it was when hashed). `history` false leaves
    /// the kept undo history unread: for a session only read, never saved.
    public static func decode(
        _ bytes: [UInt8], path: String, displayPath: String, history: Bool = true,
        knownHashes: @autoclosure () -> HashCache = HashCache()
    ) throws(TagbenchError) -> (Session, OpenReport) {
        try SessionLoader.load(
            bytes, path: path, displayPath: displayPath, history: history, knownHashes: knownHashes)
    }
}
