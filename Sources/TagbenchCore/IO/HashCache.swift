#if canImport(Glibc)
    import Glibc
#endif

/// The SHA-256 of each document file as it was when last read, under the file's stamp, kept
/// beside the session (`.NAME.hashes`) so that opening the session need not hash every document
/// again to see that none changed: a file whose stamp (device, inode, size, modification and
/// change times) is the one recorded holds the bytes that were hashed (git's index trusts files
/// the same way). Stamps taken within `FileStamp.settling` seconds of a change are never recorded.
///
/// Only a cache: written after each save, not forced to disk, and ignored whole when missing,
/// unreadable or of another format; a document without an entry is hashed as before.
public struct HashCache: Sendable {
    /// What is known of one file.
    public struct Entry: Sendable, Equatable {
        /// The file's stamp when it was hashed.
        public var stamp: FileStamp
        /// The encoding its text was read in (the hash is of the text as UTF-8).
        public var encoding: TextEncoding
        /// Lowercase hex SHA-256 of its text.
        public var sha256: String
    }

    /// Entries by absolute file path.
    public private(set) var entries: [String: Entry] = [:]
    /// The paths in the order they were recorded (the order written).
    private var paths: [String] = []

    /// An empty cache.
    public init() {}

    /// The hashes of the documents read from files under stamps that can be trusted.
    public init(documents: [Document]) {
        for d in documents where !d.isMissing && d.origin == nil && d.encoding != .auto {
            guard let stamp = d.stamp else { continue }
            record(d.path, Entry(stamp: stamp, encoding: d.encoding, sha256: d.sha256))
        }
    }

    /// Records (or replaces) what is known of the file at `path`.
    public mutating func record(_ path: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: path) == nil { paths.append(path) }
    }

    /// Format name written to and required in cache files.
    static let formatName = "tagbench-hashes"

    /// The cache beside a session file.
    public static func path(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".hashes"
    }

    /// The recorded hash of the text of the file at `path`, if its stamp and encoding are as recorded.
    public func sha256(path: String, stamp: FileStamp, encoding: TextEncoding) -> String? {
        guard let entry = entries[path], entry.stamp == stamp, entry.encoding == encoding else { return nil }
        return entry.sha256
    }

    /// The cache beside `sessionPath`; empty when there is none or it cannot be read as one.
    public static func read(for sessionPath: String) -> HashCache {
        // A link in its place is not tagbench's: ignored, and replaced (not followed) by the next save.
        guard !FileSystem.isLink(path(for: sessionPath)),
            let bytes = try? FileSystem.read(path(for: sessionPath), regularOnly: true)
        else { return HashCache() }
        return (try? decode(bytes)) ?? HashCache()
    }

    /// The cache beside `sessionPath`, read on another thread meanwhile (it is needed only once
    /// the documents are about to be read: listing them or parsing the session comes first).
    static func reading(for sessionPath: String) -> Parallel.Pending<HashCache> {
        Parallel.start { read(for: sessionPath) }
    }

    /// Writes the cache beside `sessionPath`; one that cannot be written is left as it was
    /// (nothing depends on it).
    public func write(
        for sessionPath: String, mode: mode_t = 0o644, files: FileOperations = SystemFileOperations.shared
    ) {
        try? FileSystem.writeAtomically(
            encoded(), to: Self.path(for: sessionPath), durable: false, mode: mode, replacingMode: true, files: files)
    }

    /// The cache file's bytes: one file a line, in the order recorded.
    func encoded() -> [UInt8] {
        var w = JSONWriter(capacity: 256 * paths.count + 64)
        w.raw("{\"format\": ")
        w.string(Self.formatName)
        w.raw(", \"version\": 1, \"files\": [")
        for (i, path) in paths.enumerated() {
            let e = entries[path]!
            w.raw(i == 0 ? "\n" as StaticString : ",\n")
            w.raw("{\"path\": ")
            w.string(path)
            w.raw(", \"encoding\": ")
            w.string(e.encoding.rawValue)
            w.raw(", \"device\": ")
            w.int(Int(truncatingIfNeeded: e.stamp.device))
            w.raw(", \"inode\": ")
            w.int(Int(truncatingIfNeeded: e.stamp.inode))
            w.raw(", \"size\": ")
            w.int(Int(e.stamp.size))
            w.raw(", \"modified\": ")
            w.int(Int(e.stamp.modified))
            w.raw(", \"changed\": ")
            w.int(Int(e.stamp.changed))
            w.raw(", \"sha256\": ")
            w.string(e.sha256)
            w.raw("}")
        }
        w.raw("\n]}\n")
        return w.bytes
    }

    /// A cache from its file's bytes.
    public static func decode(_ bytes: [UInt8]) throws(TagbenchError) -> HashCache {
        var r = try JSONReader(bytes: bytes, path: "hash cache")
        var cache = HashCache()
        // About 250 bytes a file: the table is not grown (and rehashed) as it fills.
        cache.entries.reserveCapacity(bytes.count / 200)
        cache.paths.reserveCapacity(bytes.count / 200)
        var format = ""
        var version = 0
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "format": format = try r.readString()
            case "version": version = try r.readInt()
            case "files":
                guard format == formatName, version == 1 else { throw r.error("not a hash cache of this version") }
                try r.beginArray()
                while try r.nextElement() {
                    var path = "", encoding = "", sha256 = ""
                    var device = 0, inode = 0, size = 0, modified = 0, changed = 0
                    try r.beginObject()
                    while let field = try r.nextKey() {
                        switch field {
                        case "path": path = try r.readString()
                        case "encoding": encoding = try r.readString()
                        case "device": device = try r.readInt()
                        case "inode": inode = try r.readInt()
                        case "size": size = try r.readInt()
                        case "modified": modified = try r.readInt()
                        case "changed": changed = try r.readInt()
                        case "sha256": sha256 = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    guard let encoding = TextEncoding(rawValue: encoding), sha256.utf8.count == 64 else { continue }
                    let stamp = FileStamp(
                        device: UInt64(bitPattern: Int64(device)), inode: UInt64(bitPattern: Int64(inode)),
                        size: Int64(size), modified: Int64(modified), changed: Int64(changed))
                    cache.record(path, Entry(stamp: stamp, encoding: encoding, sha256: sha256))
                }
            default: try r.skipValue()
            }
        }
        try r.finish()
        return cache
    }
}
