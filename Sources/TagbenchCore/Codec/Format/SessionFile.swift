/// A session file's contents as the file states them, before any document is read from disk:
/// labels checked, documents, annotations and the rest as records whose names are not yet
/// looked up. `SessionFileReader` makes it from bytes; `SessionLoader` turns it into a `Session`.
struct SessionFile {
    /// The bytes read (the stored context of each annotation is decoded from them on demand).
    let bytes: [UInt8]
    /// The file's name as messages give it.
    let displayPath: String
    /// The format version the file declares (nil: it declares none).
    var version: Int?
    /// Whether the file says `"format": "tagbench-session"`.
    var sawFormat = false
    /// The labels and overlap policy.
    var tagSet = TagSet()
    /// The documents, in file order.
    var documents: [DocumentRecord] = []
    /// The annotations and orphans, in the pieces they were read in (joined, a large session
    /// would be held twice).
    var annotations: [[RawAnnotation]] = []
    /// Category labels on units.
    var categories: [CategoryRecord] = []
    /// Suggestions waiting and rejected, in file order.
    var suggestions: [SuggestionRecord] = []
    /// The log: each command as typed (paths relative to the file) and its time.
    var log: [LogRecord] = []
    /// The kept undo history, unchecked.
    var undo = KeptUndo()
    /// `next_id`, when written.
    var nextID: Int?
    /// `next_suggestion`, when written.
    var nextSuggestion: Int?
    /// Conflicts of merged sessions, in file order.
    var conflicts: [ConflictRecord] = []
    /// `next_conflict`, when written.
    var nextConflict: Int?

    /// An empty file value over `bytes`.
    init(bytes: [UInt8], displayPath: String) {
        self.bytes = bytes
        self.displayPath = displayPath
    }

    /// The session-file error that says why the file is not a valid session.
    func invalid(_ reason: String) -> TagbenchError { .invalidSession(path: displayPath, reason: reason) }

    /// A stored prefix or suffix, decoded from where it is in the file (empty when not stored).
    func context(_ token: Range<Int>?) throws(TagbenchError) -> String {
        guard let token else { return "" }
        var reader = try JSONReader(bytes: Array(bytes[token]), path: displayPath)
        return try reader.readString()
    }
}

/// A document as the session file records it.
struct DocumentRecord: Equatable {
    var id = "", path = "", sha256 = "", length = -1
    var encoding = TextEncoding.utf8
    /// Where an imported document came from; its text is then in the file.
    var origin: String?
    /// The text of an imported document.
    var text: String?
    /// For a part of a larger file (`load --split-at`), where it lies in the file at `path`.
    var part: DocumentPart?
}

/// A category label on a unit, as the session file records it.
struct CategoryRecord: Equatable {
    var doc = "", unit = "", index = 0, start = -1, end = -1, label = "", annotator = "", time = ""
    var annotators: [String] = []
}

extension CategoryRecord {
    /// The record of `category`, its document and label named.
    init(_ category: CategoryAnnotation, documentID: String, labelName: String) {
        self.init(
            doc: documentID, unit: category.unit.rawValue, index: category.index, start: category.range.start,
            end: category.range.end, label: labelName, annotator: category.annotator, time: category.time,
            annotators: category.annotators)
    }
}

/// A suggestion, waiting or rejected, as the session file records it.
struct SuggestionRecord: Equatable {
    var id = "", doc = "", start = -1, end = -1, label = "", text = "", source = ""
    var rejected = false
}

/// A log entry as the session file records it.
struct LogRecord: Equatable {
    /// The command as typed, paths relative to the session file.
    var command = ""
    var time = ""
}
