#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The encodings documents may come in. Chinese documents often come in GB18030/GBK; everything
/// is held (and exported) as UTF-8.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8, a leading BOM dropped (the default).
    case utf8 = "utf-8"
    /// GB18030, which also reads GBK and GB2312.
    case gb18030
    /// UTF-16, little-endian (a BOM dropped).
    case utf16le = "utf-16le"
    /// UTF-16, big-endian (a BOM dropped).
    case utf16be = "utf-16be"
    /// Detect: UTF-8 (with or without BOM), UTF-16 (by its BOM, or without one by its zero
    /// bytes), else GB18030.
    case auto

    /// The encoding a name given to `--encoding` means (case-insensitive; gbk and gb2312 read as GB18030).
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        case "utf-16le", "utf16le": self = .utf16le
        case "utf-16be", "utf16be": self = .utf16be
        case "auto": self = .auto
        default: return nil
        }
    }

    /// The names `--encoding` accepts, for errors.
    public static let names = "utf-8, gb18030 (or gbk), utf-16le, utf-16be, auto"

    /// The encoding `bytes` are in, for `auto`.
    static func detect(_ bytes: [UInt8]) -> TextEncoding {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        if bytes.starts(with: [0xFF, 0xFE]) { return .utf16le }
        if bytes.starts(with: [0xFE, 0xFF]) { return .utf16be }
        if let utf16 = utf16ByZeroBytes(bytes) { return utf16 }
        if bytes.withUnsafeBufferPointer({ UTF8Bytes.firstInvalidOffset($0) }) == nil { return .utf8 }
        return .gb18030
    }

    /// UTF-16 without a BOM, told by its zero bytes: text in UTF-8 or GB18030 holds none, UTF-16
    /// one in every ASCII character (a line break) and in characters such as 开 (U+5F00). The byte
    /// order is the one under which more of the first 64 KB reads as ASCII, CJK or CJK punctuation.
    static func utf16ByZeroBytes(_ bytes: [UInt8]) -> TextEncoding? {
        let sample = bytes.prefix(1 << 16)
        guard sample.contains(0) else { return nil }
        var little = 0, big = 0
        func plausible(_ unit: Int) -> Bool {
            unit < 0x80 || (0x4E00...0x9FFF).contains(unit) || (0x3000...0x303F).contains(unit)
                || (0xFF00...0xFFEF).contains(unit)
        }
        var i = sample.startIndex
        while i + 1 < sample.endIndex {
            if plausible(Int(sample[i]) | Int(sample[i + 1]) << 8) { little += 1 }
            if plausible(Int(sample[i]) << 8 | Int(sample[i + 1])) { big += 1 }
            i += 2
        }
        let units = sample.count / 2
        if little >= big && 2 * little > units { return .utf16le }
        if big > little && 2 * big > units { return .utf16be }
        return nil
    }

    /// `bytes` in this (resolved, not auto) encoding converted to UTF-8; an invalid or cut
    /// sequence is an error naming the file and the byte offset where it starts.
    func convertToUTF8(_ bytes: [UInt8], path: String) throws(TagbenchError) -> [UInt8] {
        var input = bytes
        var skip = 0
        switch self {
        case .utf16le where input.starts(with: [0xFF, 0xFE]), .utf16be where input.starts(with: [0xFE, 0xFF]): skip = 2
        default: break
        }
        let from: String
        switch self {
        case .gb18030: from = "GB18030"
        case .utf16le: from = "UTF-16LE"
        case .utf16be: from = "UTF-16BE"
        case .utf8, .auto: return bytes
        }
        let cd = iconv_open("UTF-8", from)
        guard cd != iconv_t(bitPattern: -1) else {
            throw .unreadable(path, reason: "this system cannot convert from \(from)")
        }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let count = input.count
        var failedAt: Int?
        var written = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress! + skip)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = count - skip
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                if iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                    failedAt = count - inLeft
                }
                written = outBuffer.count - outLeft
            }
        }
        if let failedAt { throw .invalidEncoding(path: path, encoding: rawValue, byteOffset: failedAt) }
        output.removeLast(output.count - written)
        return output
    }
}
