import CTagbenchBytes

/// Writes JSON into a byte buffer by hand: keys in the order written, CJK as is, and unescaped
/// runs of a string copied in bulk (JSONEncoder was an order of magnitude slower on a session, and
/// without `.sortedKeys` wrote its keys in another order on each run).
public struct JSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty writer.
    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    /// An empty writer writing into `buffer`'s storage (taken, and emptied), with room for
    /// `capacity` bytes.
    public init(reusing buffer: inout [UInt8], capacity: Int) {
        swap(&bytes, &buffer)
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
    }

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

    /// `text` as a JSON string, for writing again and again with `raw(_:)`.
    public static func encoded(_ text: String) -> [UInt8] {
        var w = JSONWriter(capacity: text.utf8.count + 2)
        w.string(text)
        return w.bytes
    }

    /// Appends bytes already in JSON form.
    public mutating func raw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Appends bytes already in JSON form, from where they are.
    public mutating func raw(_ json: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: json)
    }

    /// Appends a decimal integer (without formatting a String: sessions hold millions of them).
    public mutating func int(_ value: Int) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(48 + value))
            return
        }
        if value < 0 {
            if value == .min {
                bytes.append(contentsOf: String(value).utf8)
                return
            }
            bytes.append(UInt8(ascii: "-"))
            int(-value)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            let end = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + 24
            while v > 0 {
                count += 1
                end[-count] = UInt8(48 + v % 10)
                v /= 10
            }
            // As a buffer of bytes: a slice of raw bytes was appended element by element.
            bytes.append(contentsOf: UnsafeBufferPointer(start: end - count, count: count))
        }
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    /// Appends a JSON string.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    /// Appends UTF-8 bytes as a JSON string: runs that need no escape copied whole, found by
    /// `tb_json_plain_prefix` (32 bytes a step with AVX2).
    public mutating func string(utf8 source: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        if let base = source.baseAddress {
            let n = source.count
            var i = 0
            while true {
                let run = tb_json_plain_prefix(base + i, n - i)
                if run > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: run)) }
                i += run
                if i >= n { break }
                escape(source[i])
                i += 1
            }
        }
        bytes.append(0x22)
    }

    private mutating func escape(_ b: UInt8) {
        switch b {
        case 0x22: raw("\\\"")
        case 0x5C: raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            raw("\\u00")
            bytes.append(hex.utf8Start[Int(b >> 4)])
            bytes.append(hex.utf8Start[Int(b & 0x0F)])
        }
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
