/// Writes JSON into a byte buffer by hand: keys in the order written, CJK as is, and unescaped
/// runs of a string copied in bulk (JSONEncoder is 10-30x slower and its key order unstable).
public struct JSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty writer.
    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    /// Appends ASCII punctuation or other text verbatim.
    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends text verbatim (through its contiguous UTF-8: appending a `String.UTF8View` goes
    /// byte by byte).
    public mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a decimal integer (without formatting a String: sessions hold millions of them).
    public mutating func int(_ value: Int) {
        if value >= 0 && value < 10 { bytes.append(UInt8(48 + value)); return }
        if value < 0 {
            if value == .min { bytes.append(contentsOf: String(value).utf8); return }
            bytes.append(UInt8(ascii: "-"))
            int(-value)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                count += 1
                buffer[24 - count] = UInt8(48 + v % 10)
                v /= 10
            }
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    /// Appends a JSON string.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    /// Appends UTF-8 bytes as a JSON string.
    public mutating func string(utf8 source: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        var i = 0
        let n = source.count
        let words = UnsafeRawPointer(source.baseAddress)
        while i < n {
            // Eight bytes at a time while none needs escaping (no control byte, quote or backslash).
            if let words {
                while i + 8 <= n {
                    let x = words.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if Self.needsEscape(x) { break }
                    i += 8
                }
                if i >= n { break }
            }
            let b = source[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C { i += 1; continue }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<i])) }
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                raw("\\u00")
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0x0F)])
            }
            i += 1
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<n])) }
        bytes.append(0x22)
    }

    /// Whether any of the eight bytes is below 0x20, a quote or a backslash (bit tricks from
    /// "Bit Twiddling Hacks": a byte is zero in `x ^ repeated(c)` where it equals `c`).
    @inline(__always)
    static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below = (x &- ones &* 0x20) & ~x & highs != 0
        return below || hasZero(x ^ (ones &* 0x22)) || hasZero(x ^ (ones &* 0x5C))
    }

    /// Appends `"key": ` (after a comma when `comma`).
    public mutating func key(_ key: StaticString, comma: Bool = true) {
        if comma {
            bytes.append(0x2C)
            bytes.append(0x20)
        }
        bytes.append(0x22)
        raw(key)
        bytes.append(0x22)
        bytes.append(0x3A)
        bytes.append(0x20)
    }

    /// Appends a list of strings on one line.
    public mutating func stringArray(_ values: [String]) {
        raw("[")
        for (i, value) in values.enumerated() {
            if i > 0 { raw(", ") }
            string(value)
        }
        raw("]")
    }
}
