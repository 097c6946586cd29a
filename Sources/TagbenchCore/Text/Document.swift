import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// One loaded text: its UTF-8 bytes and the lazily built indexes over them.
///
/// The bytes are exactly the file's, less a leading BOM; nothing is normalised, so offsets index
/// exactly the text that is exported beside them.
public final class Document {
    /// The unique id, from the file name without extension.
    public let id: String
    /// The absolute path the text was read from.
    public internal(set) var path: String
    /// The text as UTF-8, BOM removed.
    public let bytes: [UInt8]
    /// The length in code points.
    public let length: Int
    /// Lowercase hex SHA-256 of `bytes`.
    public var sha256: String { digest.value(of: bytes) }
    private let digest: Digest
    /// Whether the file could not be read when the session was opened (its annotations are kept).
    public internal(set) var isMissing: Bool
    /// The encoding of the file (the text is held as UTF-8 whatever it is).
    public internal(set) var encoding: TextEncoding = .utf8
    /// For a document imported from annotated data (whose text the session file holds), where
    /// it came from: the record's `meta.source`, or the file it was read from. Nil for a text file.
    public internal(set) var origin: String?
    /// For a part of a larger file (`load --split-at`), where it lies in that file (`path`); nil
    /// for a document that is a whole file.
    public internal(set) var part: DocumentPart?
    /// The hash and length the session recorded, when the file on disk has changed since: they
    /// are written back unchanged, so the annotations made on the old text stay valid in the file.
    public internal(set) var recorded: (sha256: String, length: Int)?
    /// The file's stamp when `bytes` were read from it; nil when not trusted (it had just
    /// changed) or not read from a file. `HashCache` keeps the hash under it.
    public internal(set) var stamp: FileStamp?

    /// Makes a document from already validated UTF-8 (BOM removed); its hash is computed at once
    /// unless given, or left until it is first asked for when `hashLater`.
    public convenience init(id: String, path: String, bytes: [UInt8], sha256: String? = nil, hashLater: Bool = false) {
        self.init(
            id: id, path: path, bytes: bytes, index: bytes.withUnsafeBufferPointer { CodePointIndex($0) },
            sha256: sha256, hashLater: hashLater)
    }

    /// Makes a document from validated UTF-8 and its index, built by the pass that validated it.
    init(
        id: String, path: String, bytes: [UInt8], index: CodePointIndex, sha256: String? = nil, hashLater: Bool = false
    ) {
        self.id = id
        self.path = path
        self.bytes = bytes
        self.isMissing = false
        self.index = index
        self.length = index.count
        self.digest = Digest(sha256 ?? (hashLater ? nil : Document.hash(bytes)))
    }

    /// A document whose file could not be read: what the session recorded of it, and no text.
    public init(missingID id: String, path: String, length: Int, sha256: String) {
        self.id = id
        self.path = path
        self.bytes = []
        self.index = CodePointIndex(UnsafeBufferPointer(start: nil, count: 0))
        self.isMissing = true
        self.length = length
        self.digest = Digest(sha256)
    }

    /// Whether the hash is known and empty (a document made with an empty one): a hash still to
    /// be computed is never empty, so this asks without computing it.
    var hasEmptyHash: Bool { digest.isKnownEmpty }

    /// The documents whose hash is not yet known.
    public static func unhashed(_ documents: [Document]) -> [Document] {
        documents.filter { !$0.digest.isKnown }
    }

    /// The hash, once known; computed by whichever thread needs it first. It is computed outside
    /// the lock and published under it, so no thread waits on another's hashing: two threads that
    /// ask at once may both compute it, and they get the same value.
    private final class Digest: Sendable {
        private let hex: Mutex<String?>

        init(_ hex: String?) { self.hex = Mutex(hex) }

        var isKnown: Bool { hex.withLock { $0 != nil } }

        var isKnownEmpty: Bool { hex.withLock { $0?.isEmpty == true } }

        func value(of bytes: [UInt8]) -> String {
            if let known = hex.withLock({ $0 }) { return known }
            let computed = Document.hash(bytes)
            return hex.withLock { hex in
                if hex == nil { hex = computed }
                return hex!
            }
        }
    }

    /// Lowercase hex SHA-256 of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> String {
        hex(bytes.withUnsafeBytes { SHA256.hash($0) })
    }

    /// Lowercase hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var hex = ""
        hex.reserveCapacity(64)
        let digits: [Character] = Array("0123456789abcdef")
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return hex
    }

    /// Code-point ↔ byte conversions (of the text held: empty for a missing document).
    public let index: CodePointIndex

    /// The whole text as a Swift string (for regular expressions and display).
    public private(set) lazy var string: String = String(decoding: bytes, as: UTF8.self)

    /// Non-blank lines, trimmed, numbered from 1 by position.
    public private(set) lazy var paragraphs: [TextRange] = Segmenter.paragraphs(of: self)

    /// Sentences through the whole document, numbered from 1 by position.
    public private(set) lazy var sentences: [Sentence] = Segmenter.sentences(of: self, paragraphs: paragraphs)

    /// The byte offset of a code-point offset.
    public func byteOffset(_ codePoint: Int) -> Int {
        return bytes.withUnsafeBufferPointer { index.byteOffset(ofCodePoint: codePoint, in: $0) }
    }

    /// The code-point offset of a byte offset.
    public func codePointOffset(ofByte byte: Int) -> Int {
        let index = self.index
        return bytes.withUnsafeBufferPointer { index.codePointOffset(ofByte: byte, in: $0) }
    }

    /// The text in a code-point range.
    public func text(_ range: TextRange) -> String {
        let range = clamped(range)
        let from = byteOffset(range.start)
        let to = byteOffset(range.end)
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[from..<to]), as: UTF8.self)
        }
    }

    /// Whether the text at `range` is exactly `expected` (compared as bytes); an empty range
    /// matches empty text only when `allowEmpty`.
    public func covers(_ range: TextRange, with expected: String, allowEmpty: Bool = false) -> Bool {
        if allowEmpty && range.start == range.end {
            return expected.isEmpty && range.start >= 0 && range.end <= index.count
        }
        guard range.start >= 0, range.start < range.end, range.end <= index.count else { return false }
        // One lookup: where the bytes at the start equal the expected text's (whole characters),
        // the range ends where the text does if its length in code points is the range's.
        let from = byteOffset(range.start)
        var expected = expected
        return expected.withUTF8 { want in
            bytes.withUnsafeBufferPointer { have in
                want.count <= have.count - from && memcmp(have.baseAddress! + from, want.baseAddress!, want.count) == 0
            } && UTF8Bytes.countCodePoints(want) == range.end - range.start
        }
    }

    /// `range` limited to the text held (a missing or changed document may be shorter than recorded).
    public func clamped(_ range: TextRange) -> TextRange {
        let held = index.count
        return TextRange(min(max(range.start, 0), held), min(max(range.end, range.start, 0), held))
    }

    /// The 1-based number of the paragraph that contains `offset`, if any.
    public func paragraphNumber(containing offset: Int) -> Int? {
        let found = paragraphs.partitioningIndex { $0.end > offset }
        return found < paragraphs.count && paragraphs[found].start <= offset ? found + 1 : nil
    }
}

extension Array {
    /// The first index whose element satisfies a predicate that is false then true along the array.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
