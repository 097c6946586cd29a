#if canImport(Glibc)
    import Glibc
#endif

/// Reads a text file as a document's bytes: UTF-8, leading BOM dropped, nothing else changed.
public enum DocumentReader {
    /// A document read from `path` in the given encoding (auto resolved), with its id; its hash
    /// taken from `knownHashes` when the file is as it was when hashed, else computed at once, or
    /// left until it is first asked for when `hashLater`.
    public static func document(
        id: String, path: String, displayPath: String, encoding: TextEncoding, hashLater: Bool = false,
        knownHashes: HashCache? = nil
    ) throws(TagbenchError) -> Document {
        let (raw, stamp) = try readFile(path, displayPath: displayPath, regularOnly: true)
        let text = try decoded(raw, encoding: encoding, displayPath: displayPath)
        let known = stamp.flatMap { knownHashes?.sha256(path: path, stamp: $0, encoding: text.encoding) }
        let document =
            text.index.map {
                Document(id: id, path: path, bytes: text.bytes, index: $0, sha256: known, hashLater: hashLater)
            }
            ?? Document(id: id, path: path, bytes: text.bytes, sha256: known, hashLater: hashLater)
        document.encoding = text.encoding
        document.stamp = stamp
        return document
    }

    /// The file's text as UTF-8 in the given encoding (auto resolved), and the encoding it was in.
    public static func read(_ path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> (
        bytes: [UInt8], encoding: TextEncoding
    ) {
        let text = try decoded(
            try readFile(path, displayPath: displayPath, regularOnly: true).bytes, encoding: encoding,
            displayPath: displayPath)
        return (text.bytes, text.encoding)
    }

    /// File bytes as UTF-8 text, the encoding they were in and, for UTF-8, the index built by the
    /// pass that checked them.
    private static func decoded(_ raw: [UInt8], encoding: TextEncoding, displayPath: String) throws(TagbenchError) -> (
        bytes: [UInt8], index: CodePointIndex?, encoding: TextEncoding
    ) {
        let resolved = encoding == .auto ? TextEncoding.detect(raw) : encoding
        guard resolved != .utf8 else {
            let text = try utf8Text(raw, displayPath: displayPath)
            return (text.bytes, text.index, .utf8)
        }
        return (try converted(raw, from: resolved, displayPath: displayPath), nil, resolved)
    }

    /// File bytes in another encoding as UTF-8 text (NUL bytes refused).
    private static func converted(_ raw: [UInt8], from encoding: TextEncoding, displayPath: String)
        throws(TagbenchError) -> [UInt8]
    {
        let bytes = try encoding.convertToUTF8(raw, path: displayPath)
        if let nul = firstNUL(bytes) { throw .binaryFile(path: displayPath, byteOffset: nul) }
        return bytes
    }

    /// The file's text bytes, or an error naming the path and byte offset of the first bad byte
    /// (a script or an import, which may come from a pipe).
    public static func read(_ path: String, displayPath: String) throws(TagbenchError) -> [UInt8] {
        try utf8Text(try readFile(path, displayPath: displayPath).bytes, displayPath: displayPath).bytes
    }

    /// The offset of the first NUL byte (`memchr`: a byte-at-a-time search showed in profiles).
    static func firstNUL(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The file's bytes and its stamp; errors name the path as the user gave it. A document must
    /// be a regular file (`FileSystem.readStamped`).
    private static func readFile(_ path: String, displayPath: String, regularOnly: Bool = false) throws(TagbenchError)
        -> (bytes: [UInt8], stamp: FileStamp?)
    {
        do {
            return try FileSystem.readStamped(path, regularOnly: regularOnly)
        } catch {
            switch error {
            case .fileNotFound: throw .fileNotFound(displayPath)
            case .unreadable(_, let reason): throw .unreadable(displayPath, reason: reason)
            default: throw error
            }
        }
    }

    /// UTF-8 file bytes as text with its code-point index: the BOM dropped, NUL bytes and
    /// ill-formed UTF-8 refused (offsets are the file's). One pass checks, counts and indexes the
    /// text; only a text found wrong is gone over again, for the offset.
    private static func utf8Text(_ raw: [UInt8], displayPath: String) throws(TagbenchError) -> (
        bytes: [UInt8], index: CodePointIndex
    ) {
        let bom = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let bytes = bom == 0 ? raw : Array(raw[bom...])
        let scan = bytes.withUnsafeBufferPointer { CodePointIndex.scan($0) }
        if scan.containsNUL, let nul = firstNUL(bytes) { throw .binaryFile(path: displayPath, byteOffset: nul + bom) }
        if !scan.isWellFormed,
            let bad = bytes.withUnsafeBufferPointer({ UTF8Bytes.sequenceByteOffset(ofFirstInvalidIn: $0) })
        {
            throw .invalidUTF8(path: displayPath, byteOffset: bad + bom)
        }
        return (bytes, scan.index)
    }
}
