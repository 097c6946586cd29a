#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file as a document's bytes: UTF-8, leading BOM dropped, nothing else changed.
public enum DocumentReader {
    /// A document read from `path` in the given encoding (auto resolved), with its id.
    public static func document(id: String, path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> Document {
        let raw = try readFile(path, displayPath: displayPath)
        let utf16 = raw.starts(with: [0xFF, 0xFE]) || raw.starts(with: [0xFE, 0xFF])
        if encoding == .utf8 || (encoding == .auto && !utf16) {
            // One pass checks, counts and indexes the text, and settles `auto` for UTF-8 files.
            let bom = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let bytes = bom == 0 ? raw : Array(raw[bom...])
            let scan = bytes.withUnsafeBufferPointer { CodePointIndex.scan($0) }
            if scan.isWellFormed && !scan.containsNUL {
                let document = Document(id: id, path: path, bytes: bytes, index: scan.index)
                document.encoding = .utf8
                return document
            }
            if scan.isWellFormed || encoding == .utf8 || bom > 0 {
                // Throws, saying where the NUL or the bad sequence is (the two checks agree).
                let document = Document(id: id, path: path, bytes: try utf8Text(raw, displayPath: displayPath))
                document.encoding = .utf8
                return document
            }
        }
        let resolved = encoding == .auto ? TextEncoding.detect(raw) : encoding
        let document = Document(id: id, path: path, bytes: try converted(raw, from: resolved, displayPath: displayPath))
        document.encoding = resolved
        return document
    }

    /// The file's text as UTF-8 in the given encoding (auto resolved), and the encoding it was in.
    public static func read(_ path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> (bytes: [UInt8], encoding: TextEncoding) {
        let raw = try readFile(path, displayPath: displayPath)
        let resolved = encoding == .auto ? TextEncoding.detect(raw) : encoding
        guard resolved != .utf8 else { return (try utf8Text(raw, displayPath: displayPath), .utf8) }
        return (try converted(raw, from: resolved, displayPath: displayPath), resolved)
    }

    /// File bytes in another encoding as UTF-8 text (NUL bytes refused).
    private static func converted(_ raw: [UInt8], from encoding: TextEncoding, displayPath: String) throws(TagbenchError) -> [UInt8] {
        let bytes = try encoding.convertToUTF8(raw, path: displayPath)
        if let nul = firstNUL(bytes) { throw .binaryFile(path: displayPath, byteOffset: nul) }
        return bytes
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
