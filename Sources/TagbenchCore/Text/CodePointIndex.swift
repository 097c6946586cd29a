/// Converts between code-point offsets (what users and files see) and UTF-8 byte offsets
/// (how text is held), in O(1) plus a scan of at most `stride` code points.
public struct CodePointIndex: Sendable {
    /// Code points between two checkpoints.
    public static let stride = 64
    /// Byte offset of code point `k * stride`.
    private let checkpoints: [Int32]
    /// The text's length in code points.
    public let count: Int
    private let byteCount: Int

    /// Builds the index for well-formed UTF-8 `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var marks: [Int32] = []
        marks.reserveCapacity(bytes.count / (Self.stride * 2) + 1)
        var codePoints = 0
        var i = 0
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i < n {
                if i + 8 <= n {
                    // Code points starting in these eight bytes: those that are not continuations.
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let continuation = (word & 0x8080_8080_8080_8080 & ((~word & 0x4040_4040_4040_4040) << 1)).nonzeroBitCount
                    let starts = 8 - continuation
                    let position = codePoints % Self.stride
                    if starts == 0 || (position != 0 && position + starts <= Self.stride) {
                        codePoints += starts
                        i += 8
                        continue
                    }
                }
                let end = min(i + 8, n)
                while i < end {
                    if !UTF8Bytes.isContinuation(base[i]) {
                        if codePoints % Self.stride == 0 { marks.append(Int32(i)) }
                        codePoints += 1
                    }
                    i += 1
                }
            }
        }
        checkpoints = marks
        count = codePoints
        byteCount = bytes.count
    }

    /// The byte offset where code point `offset` starts (`offset == count` gives the byte count).
    public func byteOffset(ofCodePoint offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        precondition(offset >= 0 && offset <= count, "code point offset out of range")
        if offset == count { return byteCount }
        var byte = Int(checkpoints[offset / Self.stride])
        var remaining = offset % Self.stride
        while remaining > 0 {
            byte += 1
            while UTF8Bytes.isContinuation(bytes[byte]) { byte += 1 }
            remaining -= 1
        }
        return byte
    }

    /// The code-point offset of the character that starts at (or contains) byte `offset`.
    public func codePointOffset(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if offset >= byteCount { return count }
        // The last checkpoint at or before `offset`.
        var low = 0
        var high = checkpoints.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(checkpoints[mid]) <= offset { low = mid } else { high = mid - 1 }
        }
        var codePoint = low * Self.stride
        var byte = Int(checkpoints[low]) + 1
        while byte <= offset {
            if !UTF8Bytes.isContinuation(bytes[byte]) { codePoint += 1 }
            byte += 1
        }
        return codePoint
    }
}
