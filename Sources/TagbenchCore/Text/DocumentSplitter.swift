#if canImport(Glibc)
    import Glibc
#endif

/// Where a document cut from a larger file (`load --split-at /RE/`) lies in that file: enough to
/// read it again from the file, and to find it again when the file has changed.
public struct DocumentPart: Hashable, Sendable {
    /// The regular expression whose matching lines cut the file.
    public var pattern: String
    /// The part's 1-based number among the file's parts.
    public var number: Int
    /// Its start in the file's text, in code points (its length is the document's).
    public var start: Int
    /// The 1-based number of its first line in the file.
    public var line: Int
    /// Lowercase hex SHA-256 of the whole file's text: while it is unchanged, the part is where
    /// it was; once it has changed, the file is cut again to find the part.
    public var fileSHA256: String

    /// Makes a part's provenance.
    public init(pattern: String, number: Int, start: Int, line: Int, fileSHA256: String) {
        self.pattern = pattern
        self.number = number
        self.start = start
        self.line = line
        self.fileSHA256 = fileSHA256
    }
}

extension DocumentPart {
    /// `"number": N, "start": S, "line": L`: where the part is, as the session file and the
    /// `spans` export's `meta.part` both write it.
    func writePlace(to writer: inout JSONWriter) {
        writer.raw("\"number\": ")
        writer.int(number)
        writer.raw(", \"start\": ")
        writer.int(start)
        writer.raw(", \"line\": ")
        writer.int(line)
    }
}

/// Cuts a text into parts at the lines a regular expression matches (`load --split-at`): each
/// matching line starts a part that runs to the next one; the text before the first, when not
/// blank, is a part of its own. Lines are split on `\n`; a line is matched without its `\n` (and
/// the `\r` before it), so `^` and `$` are the line's start and end. The matching is left to the
/// caller (a `RegexRunner`, which can stop a search that never ends): this type makes the lines
/// to match and cuts at the ones that did.
public enum DocumentSplitter {
    /// One line of a text: its code-point range (without the line break) and byte range.
    public struct Line: Sendable {
        /// Code points, line break excluded.
        public var range: TextRange
        /// Bytes, line break excluded.
        var bytes: Range<Int>
    }

    /// The lines of `document`, numbered from 1 by position (a last line without `\n` included
    /// when not empty).
    public static func lines(of document: Document) -> [Line] {
        var result: [Line] = []
        document.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var lineStartByte = 0
            var lineStart = 0
            var codePoint = 0
            var byte = 0
            // Only the line breaks are looked for: code points between them are counted by byte.
            while byte < buffer.count {
                guard let hit = memchr(base + byte, 0x0A, buffer.count - byte) else { break }
                let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                codePoint += UTF8Bytes.countCodePoints(UnsafeBufferPointer(rebasing: buffer[byte..<newline]))
                var endByte = newline
                var end = codePoint
                if endByte > lineStartByte && buffer[endByte - 1] == 0x0D {
                    endByte -= 1
                    end -= 1
                }
                result.append(Line(range: TextRange(lineStart, end), bytes: lineStartByte..<endByte))
                codePoint += 1
                byte = newline + 1
                lineStartByte = byte
                lineStart = codePoint
            }
            if lineStartByte < buffer.count {
                let count = UTF8Bytes.countCodePoints(UnsafeBufferPointer(rebasing: buffer[lineStartByte...]))
                result.append(
                    Line(range: TextRange(lineStart, lineStart + count), bytes: lineStartByte..<buffer.count))
            }
        }
        return result
    }

    /// Each line as a document of its own, for a `RegexRunner` to match one at a time.
    public static func lineDocuments(_ lines: [Line], of document: Document) -> [Document] {
        lines.map { Document(id: "line", path: document.path, bytes: Array(document.bytes[$0.bytes]), sha256: "") }
    }

    /// The parts of `document` cut at the lines whose positions in `lines` are `matching`
    /// (ascending), with the provenance each records: their ranges in the document and their
    /// first lines' numbers. Empty when no line matched.
    public static func parts(of document: Document, lines: [Line], matching: [Int], pattern: String)
        -> [(range: TextRange, part: DocumentPart)]
    {
        guard let first = matching.first else { return [] }
        var starts: [Int] = []
        // The text before the first matching line (line 0 on) is a part when it holds more than
        // whitespace.
        if lines[first].range.start > 0 && document.hasContent(before: lines[first].range.start) {
            starts.append(0)
        }
        starts += matching
        var result: [(range: TextRange, part: DocumentPart)] = []
        let fileSHA256 = document.sha256
        for (k, line) in starts.enumerated() {
            let start = lines[line].range.start
            let end = k + 1 < starts.count ? lines[starts[k + 1]].range.start : document.length
            result.append(
                (
                    TextRange(start, end),
                    DocumentPart(
                        pattern: pattern, number: k + 1, start: start, line: line + 1, fileSHA256: fileSHA256)
                ))
        }
        return result
    }

    /// The document of one part of `source` (its text held as the source's, its hash left until
    /// asked for), not read from a file of its own: no stamp, so the hash cache never records it.
    public static func document(id: String, range: TextRange, part: DocumentPart, of source: Document) -> Document {
        let from = source.byteOffset(range.start)
        let to = source.byteOffset(range.end)
        let document = Document(id: id, path: source.path, bytes: Array(source.bytes[from..<to]), hashLater: true)
        document.encoding = source.encoding
        document.part = part
        return document
    }
}

extension Document {
    /// Whether any non-whitespace lies before `offset` (the text before a first title is a part
    /// only when it is not blank).
    fileprivate func hasContent(before offset: Int) -> Bool {
        guard let first = paragraphs.first else { return false }
        return first.start < offset
    }
}
