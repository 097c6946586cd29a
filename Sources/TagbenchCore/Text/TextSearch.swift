import CTagbenchBytes

/// What `find` and `tag … all` look for: literal text or a regular expression.
public enum Pattern: Hashable, Sendable, CustomStringConvertible {
    /// Exact text, matched byte for byte.
    case literal(String)
    /// A regular expression (Swift Regex syntax, matched by Unicode scalar).
    case regex(String)

    /// The pattern as a script writes it: `"text"` or `/re/`.
    public var description: String {
        switch self {
        case .literal(let text): return CommandRenderer.quoteIfNeeded(text, forceQuotes: true)
        case .regex(let source): return "/" + source.replacing("/", with: "\\/") + "/"
        }
    }
}

/// A pattern compiled once and matched against many documents.
public struct TextSearch {
    private enum Matcher {
        case literal([UInt8])
        case regex(Regex<AnyRegexOutput>)
    }

    private let matcher: Matcher
    /// The pattern this search was made from.
    public let pattern: Pattern

    /// Compiles `pattern`; an invalid regular expression or an empty literal is an error.
    public init(_ pattern: Pattern) throws(TagbenchError) {
        self.pattern = pattern
        switch pattern {
        case .literal(let text):
            guard !text.isEmpty else { throw .emptyPattern }
            matcher = .literal(Array(text.utf8))
        case .regex(let source):
            do {
                matcher = .regex(try Regex(source).matchingSemantics(.unicodeScalar))
            } catch {
                throw .invalidRegex(pattern: source, reason: String(describing: error))
            }
        }
    }

    /// Every match in `document`, in order; literal matches may overlap (as Python's repeated
    /// `str.find(term, i + 1)` finds them); empty regex matches are skipped.
    public func matches(in document: Document) -> [TextRange] {
        switch matcher {
        case .literal(let needle):
            return Self.literalMatches(needle, in: document)
        case .regex(let regex):
            let string = document.string
            var result: [TextRange] = []
            var byteToCodePoint = IncrementalCodePointCounter()
            for match in string.matches(of: regex) {
                let range = match.range
                let startByte = string.utf8.distance(from: string.startIndex, to: range.lowerBound)
                let endByte = string.utf8.distance(from: string.startIndex, to: range.upperBound)
                if startByte == endByte { continue }
                document.bytes.withUnsafeBufferPointer { bytes in
                    let start = byteToCodePoint.advance(to: startByte, in: bytes)
                    let end = byteToCodePoint.advance(to: endByte, in: bytes)
                    result.append(TextRange(start, end))
                }
            }
            return result
        }
    }

    static func literalMatches(_ needle: [UInt8], in document: Document) -> [TextRange] {
        var result: [TextRange] = []
        // Byte offsets become code points through the document's index, built once and kept, so
        // repeated searches do not count the code points of the whole text again.
        let index = document.index
        document.bytes.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                guard let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return }
                let needleCodePoints = UTF8Bytes.countCodePoints(pin)
                var from = 0
                while from + pin.count <= hay.count {
                    let found = tb_memmem(hayBase + from, hay.count - from, pinBase, pin.count)
                    if found < 0 { break }
                    let byte = from + found
                    let start = index.codePointOffset(ofByte: byte, in: hay)
                    result.append(TextRange(start, start + needleCodePoints))
                    // Next search from the following character, so overlapping matches count.
                    from = byte + 1
                    while from < hay.count && UTF8Bytes.isContinuation(hay[from]) { from += 1 }
                }
            }
        }
        return result
    }
}

/// Converts increasing byte offsets to code-point offsets by counting only the bytes in between.
struct IncrementalCodePointCounter {
    private var byte = 0
    private var codePoint = 0

    mutating func advance(to target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if target > byte {
            codePoint += UTF8Bytes.countCodePoints(UnsafeBufferPointer(rebasing: bytes[byte..<target]))
            byte = target
        }
        return codePoint
    }
}
