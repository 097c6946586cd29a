#if canImport(Glibc)
    import Glibc
#endif

/// A pull parser over JSON bytes that the session and tag-set decoders drive: it reports errors
/// with line and column and never builds a tree (Foundation's decoders build every value first:
/// an order of magnitude slower on a session).
public struct JSONReader {
    private let bytes: [UInt8]
    private var position = 0
    private let path: String

    /// Reads `bytes` (the contents of `path`, named in errors).
    public init(bytes: [UInt8], path: String) throws(TagbenchError) {
        self.bytes = bytes
        self.path = path
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Bytes.firstInvalidOffset($0) }) {
            position = bad
            throw error("invalid UTF-8")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// A malformed-JSON error at the current position.
    public func error(_ reason: String) -> TagbenchError {
        var line = 1
        var column = 1
        var i = 0
        while i < min(position, bytes.count) {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if !UTF8Bytes.isContinuation(bytes[i]) {
                column += 1
            }
            i += 1
        }
        return .malformedJSON(path: path, line: line, column: column, reason: reason)
    }

    private mutating func skipSpace() {
        position = bytes.withUnsafeBufferPointer { b in
            var p = position
            while p < b.count {
                switch b[p] {
                case 0x20, 0x0A, 0x0D, 0x09: p += 1
                default: return p
                }
            }
            return p
        }
    }

    /// The end of the plain run of string bytes from `start` (the first quote, backslash or
    /// control byte, or the end of the input).
    private func plainRunEnd(from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var p = start
            while p < b.count {
                let c = b[p]
                if c == 0x22 || c == 0x5C || c < 0x20 { return p }
                p += 1
            }
            return p
        }
    }

    private mutating func peek() -> UInt8? {
        skipSpace()
        return position < bytes.count ? bytes[position] : nil
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(TagbenchError) {
        guard peek() == byte else {
            throw error(peek() == nil ? "unexpected end of file, expected \(what)" : "expected \(what)")
        }
        position += 1
    }

    /// The byte offset the reader is at.
    var offset: Int { position }

    /// Moves to a byte offset (for readers that parse separate stretches of one file).
    mutating func seek(to offset: Int) {
        position = offset
        firstInContainer = false
    }

    /// Skips whitespace and, when the next byte is `byte`, consumes it.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// The file's bytes (shared, not copied).
    var contents: [UInt8] { bytes }

    /// What the next value is.
    public enum ValueKind { case object, array, string, number, bool, null }

    /// The kind of the next value.
    public mutating func nextKind() throws(TagbenchError) -> ValueKind {
        guard let next = peek() else { throw error("unexpected end of file") }
        switch next {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character")
        }
    }

    /// Enters an object; then call `nextKey()` until it returns nil.
    public mutating func beginObject() throws(TagbenchError) {
        try expect(UInt8(ascii: "{"), "an object")
        try enter()
    }

    private var firstInContainer = false

    /// How deeply nested containers may be (SQLite's JSON limit): deeper input is refused with an
    /// error instead of exhausting the stack of a recursive reader.
    public static let maximumDepth = 1000
    /// Containers entered and not yet left.
    private var depth = 0

    private mutating func enter() throws(TagbenchError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested more than \(Self.maximumDepth) levels deep") }
        firstInContainer = true
    }

    /// The next key of the object being read, or nil at its end.
    public mutating func nextKey() throws(TagbenchError) -> String? {
        if peek() == UInt8(ascii: "}") {
            position += 1
            firstInContainer = false
            depth -= 1
            return nil
        }
        if !firstInContainer { try expect(UInt8(ascii: ","), "',' or '}'") }
        firstInContainer = false
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Enters an array; then call `nextElement()` before each element until it returns false.
    public mutating func beginArray() throws(TagbenchError) {
        try expect(UInt8(ascii: "["), "an array")
        try enter()
    }

    /// Whether another element follows in the array being read.
    public mutating func nextElement() throws(TagbenchError) -> Bool {
        if peek() == UInt8(ascii: "]") {
            position += 1
            firstInContainer = false
            depth -= 1
            return false
        }
        if !firstInContainer { try expect(UInt8(ascii: ","), "',' or ']'") }
        firstInContainer = false
        return true
    }

    /// A string value that often repeats (a document id, a label, a time): when its bytes equal
    /// `previous`, that same String is returned instead of a new one being allocated.
    public mutating func readString(reusing previous: inout String) throws(TagbenchError) -> String {
        _ = peek()
        let start = position + 1
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            let end = plainRunEnd(from: start)
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                let same = bytes.withUnsafeBufferPointer { b in
                    previous.withUTF8 { p in
                        p.count == end - start
                            && (p.isEmpty || memcmp(p.baseAddress!, b.baseAddress! + start, p.count) == 0)
                    }
                }
                if !same {
                    previous = bytes.withUnsafeBufferPointer {
                        String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
                    }
                }
                position = end + 1
                return previous
            }
        }
        previous = try readString()
        return previous
    }

    /// Skips a string value, checking it; returns the byte range of the whole token (quotes
    /// included) to decode later with `readString()` on those bytes.
    public mutating func skipString() throws(TagbenchError) -> Range<Int> {
        _ = peek()
        let start = position
        try expect(UInt8(ascii: "\""), "a string")
        while true {
            position = plainRunEnd(from: position)
            guard position < bytes.count else { throw error("unterminated string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return start..<position
            }
            if b < 0x20 { throw error("control character in string") }
            // A backslash: skip it and the escaped byte (a \u escape's digits are plain bytes).
            position += 2
        }
    }

    /// A string value.
    public mutating func readString() throws(TagbenchError) -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        position = plainRunEnd(from: start)
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            let s = bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[start..<position]), as: UTF8.self)
            }
            position += 1
            return s
        }
        if position < bytes.count, bytes[position] < 0x20 { throw error("control character in string") }
        var out = Array(bytes[start..<position])
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else {
                        throw error("unpaired surrogate")
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate")
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                position -= 1
                throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(TagbenchError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - 55)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// An integer value (no fraction or exponent).
    public mutating func readInt() throws(TagbenchError) -> Int {
        _ = peek()
        let start = position
        var negative = false
        if position < bytes.count && bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var value = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[position] - 48))
            if o1 || o2 {
                position = start
                throw error("integer too large")
            }
            value = a
            digits += 1
            position += 1
        }
        if digits == 0 {
            position = start
            throw error("expected an integer")
        }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            position = start
            throw error("expected an integer")
        }
        return negative ? -value : value
    }

    /// A boolean value.
    public mutating func readBool() throws(TagbenchError) -> Bool {
        if literal("true") { return true }
        if literal("false") { return false }
        throw error("expected true or false")
    }

    /// Consumes `null` if it is next.
    public mutating func readNull() -> Bool { literal("null") }

    private mutating func literal(_ word: StaticString) -> Bool {
        _ = peek()
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[position + $0] == w[$0] } }
        if matches { position += n }
        return matches
    }

    /// Skips any value.
    public mutating func skipValue() throws(TagbenchError) {
        switch try nextKind() {
        case .object:
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try nextElement() { try skipValue() }
        case .string:
            // Checked as `readString` checks it, but built only when it holds an escape.
            let token = try skipString()
            if bytes[token].contains(UInt8(ascii: "\\")) {
                position = token.lowerBound
                _ = try readString()
            }
        case .bool: _ = try readBool()
        case .null: _ = readNull()
        case .number:
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            let start = position
            while position < bytes.count, b(bytes[position]) { position += 1 }
            if start == position { throw error("invalid number") }
        }
        func b(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
        }
    }

    /// Requires that nothing but whitespace follows.
    public mutating func finish() throws(TagbenchError) {
        if peek() != nil { throw error("unexpected data after the end") }
    }
}
