/// One argument of a command line.
public struct Token: Equatable, Sendable {
    /// How the argument was written.
    public enum Kind: Equatable, Sendable {
        /// Unquoted.
        case word
        /// `"…"`, escapes resolved.
        case quoted
        /// `/…/`, its source with `\/` resolved.
        case regex
    }
    /// The argument's text.
    public var text: String
    /// How it was written.
    public var kind: Kind
    /// The 1-based column (in code points) where it starts.
    public var column: Int
    /// K in `"text"#K`.
    public var occurrence: Int?
}

/// Splits a command line into tokens: spaces separate, `"…"` quotes (with `\"` and `\\`),
/// `/…/` is a regular expression where the command expects one, and `#` at the start of a token
/// begins a comment.
public struct CommandScanner {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    /// Scans `line`.
    public init(_ line: String) {
        scalars = Array(line.unicodeScalars)
    }

    private mutating func skipSpaces() {
        while position < scalars.count, UTF8Bytes.isWhitespace(scalars[position].value) { position += 1 }
    }

    /// Whether only spaces or a comment remain.
    public mutating func atEnd() -> Bool {
        skipSpaces()
        return position >= scalars.count || scalars[position] == "#"
    }

    /// The 1-based column of the next token.
    public mutating func column() -> Int {
        skipSpaces()
        return position + 1
    }

    /// The next token, or nil at the end; `/…/` is read as a regex only when `allowRegex`.
    public mutating func next(allowRegex: Bool = false) throws(TagbenchError) -> Token? {
        if atEnd() { return nil }
        let start = position
        let first = scalars[position]
        if first == "\"" {
            position += 1
            var text = String.UnicodeScalarView()
            while true {
                guard position < scalars.count else { throw .unterminatedQuote(column: start + 1) }
                let c = scalars[position]
                if c == "\\", position + 1 < scalars.count,
                    scalars[position + 1] == "\"" || scalars[position + 1] == "\\"
                {
                    text.append(scalars[position + 1])
                    position += 2
                    continue
                }
                position += 1
                if c == "\"" { break }
                text.append(c)
            }
            var token = Token(text: String(text), kind: .quoted, column: start + 1)
            // `"text"#K` picks the K-th occurrence.
            if position < scalars.count, scalars[position] == "#" {
                var digits = ""
                var p = position + 1
                while p < scalars.count, ("0"..."9").contains(scalars[p]) {
                    digits.unicodeScalars.append(scalars[p])
                    p += 1
                }
                if let k = Int(digits), p == scalars.count || UTF8Bytes.isWhitespace(scalars[p].value) {
                    token.occurrence = k
                    position = p
                }
            }
            if position < scalars.count, !UTF8Bytes.isWhitespace(scalars[position].value) {
                throw .invalidArgument(
                    command: "quoting",
                    argument: String(String.UnicodeScalarView(scalars[start..<min(scalars.count, position + 1)])),
                    expected: "followed by a space")
            }
            return token
        }
        if allowRegex && first == "/" {
            position += 1
            var source = String.UnicodeScalarView()
            while true {
                guard position < scalars.count else { throw .unterminatedRegex(column: start + 1) }
                let c = scalars[position]
                if c == "\\", position + 1 < scalars.count, scalars[position + 1] == "/" {
                    source.append("/")
                    position += 2
                    continue
                }
                if c == "\\", position + 1 < scalars.count {
                    source.append(c)
                    source.append(scalars[position + 1])
                    position += 2
                    continue
                }
                position += 1
                if c == "/" { break }
                source.append(c)
            }
            return Token(text: String(source), kind: .regex, column: start + 1)
        }
        var word = String.UnicodeScalarView()
        while position < scalars.count, !UTF8Bytes.isWhitespace(scalars[position].value) {
            word.append(scalars[position])
            position += 1
        }
        return Token(text: String(word), kind: .word, column: start + 1)
    }
}
