#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file as a document's bytes: UTF-8, leading BOM dropped, nothing else changed.
public enum DocumentReader {
    /// A document read from `path` in the given encoding (auto resolved), with its id.
    public static func document(id: String, path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> Document {
        let read = try read(path, displayPath: displayPath, encoding: encoding)
        let document = Document(id: id, path: path, bytes: read.bytes)
        document.encoding = read.encoding
        return document
    }

    /// The file's text as UTF-8 in the given encoding (auto resolved), and the encoding it was in.
    public static func read(_ path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> (bytes: [UInt8], encoding: TextEncoding) {
        let raw = try readFile(path, displayPath: displayPath)
        let resolved = encoding == .auto ? TextEncoding.detect(raw) : encoding
        guard resolved != .utf8 else { return (try utf8Text(raw, displayPath: displayPath), .utf8) }
        let bytes = try resolved.convertToUTF8(raw, path: displayPath)
        if let nul = firstNUL(bytes) { throw .binaryFile(path: displayPath, byteOffset: nul) }
        return (bytes, resolved)
    }

    /// The file's text bytes, or an error naming the path and byte offset of the first bad byte.
    public static func read(_ path: String, displayPath: String) throws(TagbenchError) -> [UInt8] {
        try utf8Text(try readFile(path, displayPath: displayPath), displayPath: displayPath)
    }

    /// The offset of the first NUL byte (`memchr`: a byte-at-a-time search showed in profiles).
    static func firstNUL(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// A document read from `path` with its code-point index built, for work spread over cores:
    /// the index is needed by the first search or save, and building it here takes it off the
    /// main thread.
    public static func indexedDocument(id: String, path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> Document {
        let document = try self.document(id: id, path: path, displayPath: displayPath, encoding: encoding)
        _ = document.index
        return document
    }

    /// The file's bytes; errors name the path as the user gave it.
    private static func readFile(_ path: String, displayPath: String) throws(TagbenchError) -> [UInt8] {
        do {
            return try FileSystem.read(path)
        } catch {
            switch error {
            case .fileNotFound: throw .fileNotFound(displayPath)
            case .unreadable(_, let reason): throw .unreadable(displayPath, reason: reason)
            default: throw error
            }
        }
    }

    /// UTF-8 file bytes as text: the BOM dropped, NUL bytes and ill-formed UTF-8 refused (offsets
    /// are the file's).
    private static func utf8Text(_ raw: [UInt8], displayPath: String) throws(TagbenchError) -> [UInt8] {
        let bom = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let bytes = bom == 0 ? raw : Array(raw[bom...])
        if let nul = firstNUL(bytes) { throw .binaryFile(path: displayPath, byteOffset: nul + bom) }
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Bytes.firstInvalidOffset($0) }) {
            throw .invalidUTF8(path: displayPath, byteOffset: bad + bom)
        }
        return bytes
    }
}
