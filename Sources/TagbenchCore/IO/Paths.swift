/// Path arithmetic on strings, `/`-separated, without touching the file system.
public enum Paths {
    /// `path` made absolute against `base` and tidied (`.` and `..` removed).
    public static func absolute(_ path: String, base: String) -> String {
        // Over the UTF-8 bytes: splitting a String goes character by character, and opening a
        // session resolves every document's path.
        var joined = path.utf8.first == UInt8(ascii: "/") ? path : base + "/" + path
        return joined.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 1)
            // Where each part's "/" is in `out`, so that ".." can take the last one back.
            var partStarts: [Int] = []
            var i = 0
            while i < bytes.count {
                while i < bytes.count && bytes[i] == UInt8(ascii: "/") { i += 1 }
                let start = i
                while i < bytes.count && bytes[i] != UInt8(ascii: "/") { i += 1 }
                let part = UnsafeBufferPointer(rebasing: bytes[start..<i])
                if part.isEmpty || part.elementsEqual(".".utf8) { continue }
                if part.elementsEqual("..".utf8) {
                    if let last = partStarts.popLast() { out.removeSubrange(last...) }
                    continue
                }
                partStarts.append(out.count)
                out.append(UInt8(ascii: "/"))
                out.append(contentsOf: part)
            }
            return out.isEmpty ? "/" : String(decoding: out, as: UTF8.self)
        }
    }

    /// `path` relative to directory `base` (both absolute), with `..` where needed.
    public static func relative(_ path: String, to base: String) -> String {
        let p = Array(path.utf8).split(separator: UInt8(ascii: "/"))
        let b = Array(base.utf8).split(separator: UInt8(ascii: "/"))
        var common = 0
        while common < p.count && common < b.count && p[common].elementsEqual(b[common]) { common += 1 }
        var out: [UInt8] = []
        func append(_ part: some Sequence<UInt8>) {
            if !out.isEmpty { out.append(UInt8(ascii: "/")) }
            out.append(contentsOf: part)
        }
        for _ in common..<b.count { append("..".utf8) }
        for part in p[common...] { append(part) }
        return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
    }

    /// The directory part (`.` for a bare name, `/` for a root file).
    public static func directory(of path: String) -> String {
        // Searched as bytes, as `fileName`: a "/" followed by a combining mark is one Character,
        // which a search by Character would not find.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Its parts between "/"s, none empty, found as bytes (as `directory` and `fileName`).
    public static func components(of path: String) -> [Substring] {
        path.utf8.split(separator: UInt8(ascii: "/")).map { path[$0.startIndex..<$0.endIndex] }
    }

    /// The last component.
    public static func fileName(of path: String) -> String {
        // Searched as bytes: "/" and "." are ASCII, so their positions are character boundaries
        // (a search by Character breaks the whole path into graphemes).
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// The file name without its last extension.
    public static func stem(of path: String) -> String {
        let name = fileName(of: path)
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The path's extension (after the last dot of the file name), or "".
    public static func fileExtension(of path: String) -> String {
        let name = fileName(of: path)
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        return String(name[name.utf8.index(after: dot)...])
    }
}
