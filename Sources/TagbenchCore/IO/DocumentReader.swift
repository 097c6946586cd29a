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
        if let nul = bytes.firstIndex(of: 0) { throw .binaryFile(path: displayPath, byteOffset: nul) }
        return (bytes, resolved)
    }

    /// The file's text bytes, or an error naming the path and byte offset of the first bad byte.
    public static func read(_ path: String, displayPath: String) throws(TagbenchError) -> [UInt8] {
        try utf8Text(try readFile(path, displayPath: displayPath), displayPath: displayPath)
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
        var bytes = raw
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        bytes.removeFirst(bom)
        if let nul = bytes.firstIndex(of: 0) { throw .binaryFile(path: displayPath, byteOffset: nul + bom) }
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Bytes.firstInvalidOffset($0) }) {
            throw .invalidUTF8(path: displayPath, byteOffset: bad + bom)
        }
        return bytes
    }
}
