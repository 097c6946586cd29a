import CTagbenchBytes

/// Byte-level UTF-8 facts used by every offset computation.
///
/// Offsets that users see are code points; the text is held as UTF-8 bytes, so these helpers
/// convert between the two without ever decoding Swift `Character`s.
public enum UTF8Bytes {
    /// Whether `byte` continues a multi-byte sequence (10xxxxxx).
    @inline(__always)
    public static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// The byte offset `count` code points after the character starting at `offset` in
    /// well-formed UTF-8 (the end of `bytes` at most), walked over the bytes.
    @inline(__always)
    static func offset(_ offset: Int, after count: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var at = offset
        for _ in 0..<count where at < bytes.count {
            at += 1
            while at < bytes.count && isContinuation(bytes[at]) { at += 1 }
        }
        return at
    }

    /// The byte offset `count` code points before the character starting at `offset` in
    /// well-formed UTF-8 (0 at least), walked over the bytes.
    @inline(__always)
    static func offset(_ offset: Int, before count: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var at = offset
        for _ in 0..<count where at > 0 {
            at -= 1
            while at > 0 && isContinuation(bytes[at]) { at -= 1 }
        }
        return at
    }

    /// The number of code points in well-formed UTF-8 `bytes`.
    public static func countCodePoints(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        if bytes.count >= 64 {
            var count = 0
            _ = tb_text_scan(base, bytes.count, nil, &count)
            return count
        }
        var starts = 0
        for byte in bytes where !isContinuation(byte) { starts += 1 }
        return starts
    }

    /// The byte offset of the first ill-formed sequence, or nil when `bytes` is valid UTF-8.
    public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        // The verdict at memory speed; the offset, when there is one, a sequence at a time.
        var count = 0
        if tb_text_scan(base, bytes.count, nil, &count) & TB_SCAN_INVALID == 0 { return nil }
        return sequenceByteOffset(ofFirstInvalidIn: bytes)
    }

    /// `firstInvalidOffset` a sequence at a time: for a text the scan found wrong, and what the scan
    /// is tested against.
    static func sequenceByteOffset(ofFirstInvalidIn bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i < n {
            // Skip ASCII eight bytes at a time.
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            if i >= n { break }
            let b0 = base[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            // Most of a Chinese text: E1–EC or EE–EF followed by two continuation bytes.
            if i + 2 < n, b0 >= 0xE1, b0 != 0xED, b0 <= 0xEF, base[i + 1] & 0xC0 == 0x80, base[i + 2] & 0xC0 == 0x80 {
                i += 3
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return i
            }
            if i + length > n { return i }
            let b1 = base[i + 1]
            if b1 < lower || b1 > upper { return i }
            var k = 2
            while k < length {
                if !isContinuation(base[i + k]) { return i }
                k += 1
            }
            i += length
        }
        return nil
    }

    /// Decodes the scalar that starts at `offset`; returns it with its length in bytes.
    @inline(__always)
    public static func decode(_ base: UnsafePointer<UInt8>, _ offset: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(base[offset])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 {
            return ((b0 & 0x1F) << 6 | UInt32(base[offset + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(base[offset + 1] & 0x3F) << 6 | UInt32(base[offset + 2] & 0x3F), 3)
        }
        return (
            (b0 & 0x07) << 18 | UInt32(base[offset + 1] & 0x3F) << 12
                | UInt32(base[offset + 2] & 0x3F) << 6 | UInt32(base[offset + 3] & 0x3F), 4
        )
    }

    /// Whether a scalar is whitespace: exactly Python's `str.isspace()` (Unicode White_Space plus
    /// the separators U+001C–U+001F), so `bio` tokens match what Python skips.
    @inline(__always)
    public static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x1C...0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000:
            return true
        default:
            return false
        }
    }
}
