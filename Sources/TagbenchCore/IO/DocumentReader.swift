/// Reads a text file as a document's bytes: UTF-8, leading BOM dropped, nothing else changed.
public enum DocumentReader {
    /// The file's text as UTF-8 in the given encoding (auto resolved), and the encoding it was in.
    public static func read(_ path: String, displayPath: String, encoding: TextEncoding) throws(TagbenchError) -> (bytes: [UInt8], encoding: TextEncoding) {
        guard encoding != .utf8 else { return (try read(path, displayPath: displayPath), .utf8) }
        let raw: [UInt8]
        do { raw = try FileSystem.read(path) } catch {
            if case .fileNotFound = error { throw .fileNotFound(displayPath) }
            throw error
        }
        let resolved = encoding == .auto ? TextEncoding.detect(raw) : encoding
        guard resolved != .utf8 else { return (try read(path, displayPath: displayPath), .utf8) }
        let bytes = try resolved.convertToUTF8(raw, path: displayPath)
        if let nul = bytes.firstIndex(of: 0) { throw .binaryFile(path: displayPath, byteOffset: nul) }
        return (bytes, resolved)
    }

    /// The file's text bytes, or an error naming the path and byte offset of the first bad byte.
    public static func read(_ path: String, displayPath: String) throws(TagbenchError) -> [UInt8] {
        var bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            switch error {
            case .fileNotFound: throw .fileNotFound(displayPath)
            case .unreadable(_, let reason): throw .unreadable(displayPath, reason: reason)
            default: throw error
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let nul = bytes.firstIndex(of: 0) { throw .binaryFile(path: displayPath, byteOffset: nul) }
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Bytes.firstInvalidOffset($0) }) {
            let hadBOM = (try? FileSystem.read(path))?.starts(with: [0xEF, 0xBB, 0xBF]) ?? false
            throw .invalidUTF8(path: displayPath, byteOffset: bad + (hadBOM ? 3 : 0))
        }
        return bytes
    }
}
