/// The bytes between tagbench and the process it runs a regular-expression search in
/// (`RegexWorkerRunner`, `tagbench regex-worker`). The request: `TBRX`, the number of expressions
/// and each as a length and UTF-8, the number of documents and each as a length and UTF-8. The
/// answer, one record per document in order: for each expression, the number of matches and each
/// match's start and end in code points. Every number is an unsigned 64-bit little-endian integer.
public enum RegexWorkerWire {
    private static let magic: [UInt8] = Array("TBRX".utf8)

    /// The request's start: everything before the documents' texts.
    public static func requestHeader(sources: [String], documentCount: Int) -> [UInt8] {
        var bytes = magic
        append(UInt64(sources.count), to: &bytes)
        for source in sources {
            append(UInt64(source.utf8.count), to: &bytes)
            bytes += source.utf8
        }
        append(UInt64(documentCount), to: &bytes)
        return bytes
    }

    /// What goes before a document's text in the request.
    public static func documentHeader(length: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        append(UInt64(length), to: &bytes)
        return bytes
    }

    /// A whole request read back: the expressions and the documents' texts; nil if it is not one.
    public static func parseRequest(_ bytes: [UInt8]) -> (sources: [String], texts: [ArraySlice<UInt8>])? {
        var reader = Reader(bytes: bytes[...])
        guard reader.take(magic.count).map(Array.init) == magic, let sourceCount = reader.number() else { return nil }
        var sources: [String] = []
        for _ in 0..<sourceCount {
            guard let length = reader.number(), let utf8 = reader.take(length) else { return nil }
            sources.append(String(decoding: utf8, as: UTF8.self))
        }
        guard let documentCount = reader.number() else { return nil }
        var texts: [ArraySlice<UInt8>] = []
        for _ in 0..<documentCount {
            guard let length = reader.number(), let text = reader.take(length) else { return nil }
            texts.append(text)
        }
        return reader.isAtEnd ? (sources, texts) : nil
    }

    /// The worker's side: the record of every document of `request`, in order, handed to `send`
    /// (which says false to stop); false if the request is not one or `send` stopped.
    public static func serve(_ request: [UInt8], send: ([UInt8]) -> Bool) -> Bool {
        guard let (sources, texts) = parseRequest(request), let searches = try? regexSearches(sources) else {
            return false
        }
        for text in texts {
            // The text was validated UTF-8 where it was loaded; its hash is never needed here.
            let document = Document(id: "", path: "", bytes: Array(text), hashLater: true)
            guard send(answer(searches.map { $0.matches(in: document) })) else { return false }
        }
        return true
    }

    /// One document's record of the answer: `matches[source]`.
    public static func answer(_ matches: [[TextRange]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for list in matches {
            append(UInt64(list.count), to: &bytes)
            for range in list {
                append(UInt64(range.start), to: &bytes)
                append(UInt64(range.end), to: &bytes)
            }
        }
        return bytes
    }

    /// Reads the answer as it arrives: `feed` the bytes received, then take the documents'
    /// records completed so far from `records`.
    public struct AnswerReader {
        private let sourceCount: Int
        private var pending: [UInt8] = []
        /// The records read whole, in document order: `records[document][source]`.
        public private(set) var records: [[[TextRange]]] = []

        /// A reader of the answer to a request with `sourceCount` expressions.
        public init(sourceCount: Int) { self.sourceCount = sourceCount }

        /// Whether bytes arrived that no whole record holds yet (an answer cut short).
        public var hasPartialRecord: Bool { !pending.isEmpty }

        /// Takes `bytes`, reading every record they complete; false if they cannot be an answer.
        public mutating func feed(_ bytes: ArraySlice<UInt8>) -> Bool {
            pending += bytes
            var reader = Reader(bytes: pending[...])
            var consumed = 0
            while let record = Self.record(sourceCount, from: &reader) {
                guard let record else { return false }
                records.append(record)
                consumed = reader.offset
            }
            pending.removeFirst(consumed)
            return true
        }

        /// The next whole record; nil when the bytes end first, .some(nil) when they are wrong.
        private static func record(_ sourceCount: Int, from reader: inout Reader) -> [[TextRange]]?? {
            var record: [[TextRange]] = []
            for _ in 0..<sourceCount {
                guard let count = reader.number() else { return nil }
                // A count the bytes left cannot hold waits for more; 16 bytes a match.
                var list: [TextRange] = []
                for _ in 0..<count {
                    guard let start = reader.number(), let end = reader.number() else { return nil }
                    guard start < end else { return .some(nil) }
                    list.append(TextRange(start, end))
                }
                record.append(list)
            }
            return .some(record)
        }
    }

    private static func append(_ number: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: number >> UInt64(shift))) }
    }

    /// Numbers and byte runs read in order from a slice.
    private struct Reader {
        let bytes: ArraySlice<UInt8>
        private(set) var offset = 0

        init(bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        var isAtEnd: Bool { offset == bytes.count }

        /// The next number, if eight bytes remain and it fits an `Int`.
        mutating func number() -> Int? {
            guard bytes.count - offset >= 8 else { return nil }
            var value: UInt64 = 0
            let start = bytes.startIndex + offset
            for k in 0..<8 { value |= UInt64(bytes[start + k]) << UInt64(8 * k) }
            offset += 8
            return value <= UInt64(Int.max) ? Int(value) : nil
        }

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, bytes.count - offset >= count else { return nil }
            let start = bytes.startIndex + offset
            offset += count
            return bytes[start..<start + count]
        }
    }
}
