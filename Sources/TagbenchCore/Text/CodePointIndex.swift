import CTagbenchBytes

/// Converts between code-point offsets (what users and files see) and UTF-8 byte offsets
/// (how text is held): the code points before every block of `blockSize` bytes, so either way
/// is a lookup plus a scan of at most one block.
///
/// Built by the same pass that checks the text is UTF-8 and counts it (`scan`), so a document
/// read from disk costs one pass over its bytes besides its hash.
public struct CodePointIndex: Sendable {
    /// Bytes per block.
    public static let blockSize = Int(TB_SCAN_BLOCK)
    /// Code points before byte `k * blockSize`.
    private let blocks: [Int32]
    /// The text's length in code points.
    public let count: Int
    private let byteCount: Int

    /// What one pass over a text's bytes found.
    public struct Scan: Sendable {
        /// The index (meaningful only when the bytes are well-formed).
        public var index: CodePointIndex
        /// Whether the bytes are well-formed UTF-8.
        public var isWellFormed: Bool
        /// Whether the bytes hold a NUL.
        public var containsNUL: Bool
    }

    /// Checks, counts and indexes `bytes` in one pass (`portable`: without SIMD, for tests).
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, portable: Bool = false) -> Scan {
        let n = bytes.count
        var codePoints = 0
        var flags: Int32 = 0
        let blocks = [Int32](unsafeUninitializedCapacity: (n + blockSize - 1) / blockSize) { buffer, initialized in
            guard let base = bytes.baseAddress, n > 0 else { return }
            flags =
                portable
                ? tb_text_scan_portable(base, n, buffer.baseAddress, &codePoints)
                : tb_text_scan(base, n, buffer.baseAddress, &codePoints)
            initialized = buffer.count
        }
        return Scan(
            index: CodePointIndex(blocks: blocks, count: codePoints, byteCount: n),
            isWellFormed: flags & TB_SCAN_INVALID == 0, containsNUL: flags & TB_SCAN_NUL != 0)
    }

    /// Builds the index for well-formed UTF-8 `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self = Self.scan(bytes).index
    }

    private init(blocks: [Int32], count: Int, byteCount: Int) {
        self.blocks = blocks
        self.count = count
        self.byteCount = byteCount
    }

    /// The byte offset where code point `offset` starts (`offset == count` gives the byte count).
    public func byteOffset(ofCodePoint offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        precondition(offset >= 0 && offset <= count, "code point offset out of range")
        // The ends of the text (what whole-document exports ask) need no lookup.
        if offset == count { return byteCount }
        if offset == 0 { return 0 }
        // The last block that starts with at most `offset` code points before it: the code
        // point starts in it. Text density varies little, so the proportional guess is usually
        // that block or next to it; a few steps either way, else a binary search.
        var low = 0
        var high = blocks.count - 1
        let guess = min(high, offset * blocks.count / count)
        // A step that finds the block closes the search: the binary search below then has
        // nothing left to do (left open, it would search the whole rest of the index, a cache
        // miss a step).
        if Int(blocks[guess]) <= offset {
            low = guess
            for _ in 0..<4 where low < high {
                if Int(blocks[low + 1]) > offset {
                    high = low
                    break
                }
                low += 1
            }
        } else {
            // blocks[high + 1] > offset throughout.
            high = guess - 1
            for _ in 0..<4 where high > low {
                if Int(blocks[high]) <= offset {
                    low = high
                    break
                }
                high -= 1
            }
        }
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(blocks[mid]) <= offset { low = mid } else { high = mid - 1 }
        }
        // On from the block's start, eight bytes a step (`tb_code_point_start`, in C for the
        // processor's POPCNT: Swift's `nonzeroBitCount` without it was a fifth of an export's
        // span checks).
        return tb_code_point_start(bytes.baseAddress!, bytes.count, low * Self.blockSize, Int(blocks[low]), offset)
    }

    /// The code-point offset of the character that starts at (or contains) byte `offset`.
    public func codePointOffset(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if offset >= byteCount { return count }
        let block = offset / Self.blockSize
        // Starts in the block up to and including `offset`, less one: the character holding it.
        var codePoint = Int(blocks[block]) - 1
        for byte in (block * Self.blockSize)...offset where !UTF8Bytes.isContinuation(bytes[byte]) {
            codePoint += 1
        }
        return codePoint
    }
}
