#if canImport(Glibc)
    import Glibc
#endif

/// What `stat` says of a file when it was read: which file (device, inode), its size and when its
/// contents and its metadata last changed. A file whose stamp is the same later holds the same
/// bytes, which is how a hash computed once is trusted again (`HashCache`, as git's index does).
public struct FileStamp: Equatable, Sendable {
    /// The device holding the file.
    public var device: UInt64
    /// The file's inode number.
    public var inode: UInt64
    /// Its size in bytes.
    public var size: Int64
    /// When its contents last changed, in nanoseconds since 1970.
    public var modified: Int64
    /// When its metadata last changed (set by the kernel; `touch -d` cannot put it back).
    public var changed: Int64

    /// Seconds a file must have been left alone before its stamp is trusted: a file written in
    /// the same tick of the file system's clock as it was read (ticks are milliseconds on ext4,
    /// two seconds on FAT) could change again without its stamp changing.
    public static let settling: Int64 = 3

    /// Makes a stamp from its fields.
    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }

    /// The stamp of a regular file from its `stat`, or nil when it changed less than `settling`
    /// seconds before `now` (nanoseconds since 1970): such a stamp is not trusted.
    init?(_ info: stat, now: Int64) {
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        guard max(modified, changed) < now - Self.settling * 1_000_000_000 else { return nil }
        self.init(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified,
            changed: changed)
    }

    /// The wall clock in nanoseconds since 1970.
    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }
}
