#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file operations tagbench needs, on the C library: whole-file reads, directory
/// listings, globs and atomic writes (whose changes go through a `FileOperations`). Errors come back as `TagbenchError`s naming the path.
public enum FileSystem {
    /// What a path is.
    public enum Kind { case file, directory, other, missing }

    /// What `path` is.
    public static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Whether `path` itself is a symbolic link (not followed).
    public static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// The whole file; with `regularOnly`, anything but a regular file is refused (see `readStamped`).
    public static func read(_ path: String, regularOnly: Bool = false) throws(TagbenchError) -> [UInt8] {
        try readStamped(path, regularOnly: regularOnly).bytes
    }

    /// The whole file and its stamp (nil for a file that is not regular or changed within
    /// `FileStamp.settling` seconds). The stamp is taken before the bytes are read: a change
    /// made meanwhile leaves the stamp older than the bytes, so the file's stamp differs the next
    /// time it is looked at, and its hash is not trusted. With `regularOnly` (a document, a
    /// session), a FIFO, a device or a socket is refused before anything is read: a FIFO would
    /// block the open and the read, `/dev/zero` would be read until memory ran out.
    public static func readStamped(_ path: String, regularOnly: Bool = false) throws(TagbenchError) -> (
        bytes: [UInt8], stamp: FileStamp?
    ) {
        // Non-blocking: opening a FIFO with no writer returns at once (a regular file ignores it).
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularOnly ? O_NONBLOCK : 0))
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path) }
            // A socket cannot be opened at all (ENXIO): say what it is.
            var info = stat()
            if regularOnly, stat(path, &info) == 0, let what = irregularKind(info.st_mode) {
                throw .unreadable(path, reason: "it is \(what), not a regular file")
            }
            throw .unreadable(path, reason: errorText(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path, reason: errorText(errno)) }
        if info.st_mode & S_IFMT == S_IFDIR { throw .unreadable(path, reason: "it is a directory") }
        if regularOnly, let what = irregularKind(info.st_mode) {
            throw .unreadable(path, reason: "it is \(what), not a regular file")
        }
        let stamp = FileStamp(info, now: FileStamp.now())
        if info.st_mode & S_IFMT == S_IFREG, info.st_size >= 1 << 24,
            let whole = readInParts(fd, size: Int(info.st_size))
        {
            return (whole, stamp)
        }
        // Uninitialised: every byte kept is one read (zeroing first was a pass of its own).
        var bytes: [UInt8] = []
        var capacity = max(Int(info.st_size), 0) + 1
        let regular = info.st_mode & S_IFMT == S_IFREG
        let expected = Int(info.st_size)
        while true {
            var failure: Int32 = 0
            var ended = false
            let kept = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = kept.count
                _ = buffer.initialize(fromContentsOf: kept)
                while count < capacity {
                    let n = Glibc.read(fd, buffer.baseAddress! + count, capacity - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if n == 0 {
                        ended = true
                        return
                    }
                    count += n
                    // A regular file that gave exactly its size when asked for a byte more has
                    // ended (the read that would say so was a system call per document).
                    if regular && count == expected && count < capacity {
                        ended = true
                        return
                    }
                }
            }
            if failure != 0 { throw .unreadable(path, reason: errorText(failure)) }
            if ended { return (bytes, stamp) }
            // The file grew while it was read: go on with more room.
            capacity *= 2
        }
    }

    /// What a file that is neither regular nor a directory is, for errors; nil for those two.
    static func irregularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// A large file read in four parts at once (a session file of tens of megabytes: the copy
    /// and the page faults of the fresh memory, split over the cores); nil when the file turned
    /// out not to be `size` bytes, for the plain loop to read it as it is.
    private static func readInParts(_ fd: Int32, size: Int) -> [UInt8]? {
        var whole = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            let base = UncheckedSendable(buffer.baseAddress!)
            let parts = 4
            let complete = Parallel.map(parts) { k -> Bool in
                var at = size * k / parts
                let end = size * (k + 1) / parts
                while at < end {
                    let n = pread(fd, base.value + at, end - at, off_t(at))
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    at += n
                }
                return true
            }
            // Exactly `size` bytes: every part full, and nothing after them.
            whole = !complete.contains(false) && pread(fd, buffer.baseAddress! + size, 1, off_t(size)) == 0
            count = whole ? size : 0
        }
        // `pread` leaves the file offset where it was: the plain loop starts from the beginning.
        return whole ? bytes : nil
    }

    /// Names in a directory (not `.` or `..`), sorted by their bytes.
    public static func list(_ directory: String) throws(TagbenchError) -> [String] {
        try entries(directory).map(\.name)
    }

    /// The regular files in a directory (links followed), sorted by their bytes. The entry's type
    /// from the directory spares a `stat` a file.
    public static func listFiles(_ directory: String) throws(TagbenchError) -> [String] {
        try entries(directory).filter { entry in
            entry.type == UInt8(DT_REG)
                || ((entry.type == UInt8(DT_LNK) || entry.type == UInt8(DT_UNKNOWN))
                    && kind(of: directory + "/" + entry.name) == .file)
        }.map(\.name)
    }

    /// A directory's entries (not `.` or `..`) and their types as `readdir` gives them, sorted by
    /// name bytes: compared as byte arrays with `memcmp`, since comparing Strings copies or
    /// decodes both sides of every comparison (measured in docs/performance.md).
    private static func entries(_ directory: String) throws(TagbenchError) -> [(name: String, type: UInt8)] {
        guard let dir = opendir(directory) else { throw .unreadable(directory, reason: errorText(errno)) }
        return sortedEntries(dir)
    }

    /// The entries of the folder open as `descriptor` (left open), as `entries` gives them; nil
    /// when it cannot be listed.
    static func entries(descriptor: Int32) -> [(name: String, type: UInt8)]? {
        let copy = dup(descriptor)
        guard copy >= 0 else { return nil }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        // The copy shares the descriptor's position: a listing before this one left it at the end.
        rewinddir(dir)
        return sortedEntries(dir)
    }

    /// The entries of an open directory stream, which it closes: see `entries`.
    private static func sortedEntries(_ dir: OpaquePointer) -> [(name: String, type: UInt8)] {
        defer { closedir(dir) }
        var found: [(bytes: [UInt8], type: UInt8)] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) {
                    UnsafeBufferPointer(
                        start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                    ).map { $0 }
                }
            }
            let dots = bytes.count <= 2 && bytes.allSatisfy { $0 == UInt8(ascii: ".") }
            if !dots { found.append((bytes, entry.pointee.d_type)) }
        }
        found.sort { a, b in
            // memcmp on the common length, then the shorter first: byte order, a name never empty.
            let common = Swift.min(a.bytes.count, b.bytes.count)
            let order = a.bytes.withUnsafeBufferPointer { x in
                b.bytes.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, common) }
            }
            return order != 0 ? order < 0 : a.bytes.count < b.bytes.count
        }
        return found.map { (String(decoding: $0.bytes, as: UTF8.self), $0.type) }
    }

    /// Paths matching a shell glob, sorted; empty when none match.
    public static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
        }
        return paths
    }

    /// Makes a directory and any missing parents (`mkdir -p`).
    public static func makeDirectories(_ path: String, files: FileOperations = SystemFileOperations.shared)
        throws(TagbenchError)
    {
        guard kind(of: path) != .directory else { return }
        try makeDirectories(Paths.directory(of: path), files: files)
        let failure = files.makeDirectory(path, 0o755)
        if failure != 0 && failure != EEXIST { throw .writeFailed(path, reason: errorText(failure)) }
    }

    /// The mode a session's side files (lock, journal, checkpoint, hash cache) are created with:
    /// the session file's read and write bits (they hold its notes and paths), else 0644.
    public static func sideFileMode(for sessionPath: String) -> mode_t {
        var info = stat()
        guard stat(sessionPath, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return 0o644 }
        return info.st_mode & 0o666 | S_IRUSR | S_IWUSR
    }

    /// The file a temporary (`.NAME.tmp-PID`, as `stagingPlan` names them) stands in for, and the
    /// process writing it; nil for any other name.
    static func temporary(_ entry: String) -> (name: String, pid: Int32)? {
        let bytes = Array(entry.utf8), marker = Array(".tmp-".utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count > marker.count + 1,
            let at = (1...(bytes.count - marker.count)).last(where: {
                bytes[$0..<($0 + marker.count)].elementsEqual(marker)
            }),
            at > 1, at + marker.count < bytes.count,
            bytes[(at + marker.count)...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let pid = Int32(String(decoding: bytes[(at + marker.count)...], as: UTF8.self))
        else { return nil }
        return (String(decoding: bytes[1..<at], as: UTF8.self), pid)
    }

    /// Removes the temporary files (`.NAME.tmp-PID`) that killed saves of `path` left behind;
    /// called by the session's one writer, holding its lock, so no save of it is under way.
    public static func removeStaleTemporaries(of paths: [String], files: FileOperations = SystemFileOperations.shared) {
        // A folder is read once for all its files: a large one takes milliseconds to list.
        for (directory, inFolder) in Dictionary(grouping: paths, by: { Paths.directory(of: $0) }) {
            let names = inFolder.map { Paths.fileName(of: $0) }
            for entry in (try? list(directory)) ?? [] {
                guard let stale = temporary(entry), names.contains(where: { sameName($0, stale.name) }) else {
                    continue
                }
                _ = files.unlink(directory + "/" + entry)
            }
        }
    }

    /// Whether two file names are the same bytes: as Strings, `é` composed equals `é` decomposed,
    /// which names another file.
    static func sameName(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// Removes temporary files (`.NAME.tmp-PID`) in `directory` whose name starts with one of
    /// `prefixes` (byte for byte, as `sameName`) and whose process is gone: what an export killed
    /// while writing left behind. Exports take no lock, so a temporary of a process still running
    /// is another export's, and is left alone.
    public static func removeTemporariesOfEndedProcesses(in directory: String, prefixes: [String]) {
        for entry in (try? list(directory)) ?? [] where prefixes.contains(where: { entry.utf8.starts(with: $0.utf8) }) {
            guard let pid = temporary(entry)?.pid, pid > 0, Glibc.kill(pid, 0) != 0, errno == ESRCH else { continue }
            Glibc.unlink(directory + "/" + entry)
        }
    }

    /// Whether `name` matches a shell glob (`*`, `?`, `[…]`).
    public static func matches(_ name: String, glob pattern: String) -> Bool { fnmatch(pattern, name, 0) == 0 }

    /// Whether a path holds glob characters.
    public static func isGlob(_ path: String) -> Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Writes `bytes` to `path` through a temporary file in the same directory, renamed over the
    /// target, so the file is always either the old one or the new one; `durable` forces it to disk
    /// first (a session must survive a crash; an export, derived from one, need not).
    public static func writeAtomically(
        _ bytes: [UInt8], to path: String, durable: Bool = true, mode: mode_t = 0o644, replacingMode: Bool = false,
        files: FileOperations = SystemFileOperations.shared
    ) throws(TagbenchError) {
        try writeAtomically(
            segments: [bytes[...]], to: path, durable: durable, mode: mode, replacingMode: replacingMode, files: files)
    }

    /// Where a file that should replace `path` whole is written first, and the name it then takes:
    /// nil when it is written in place, because `path` (links followed) is not a regular file (a
    /// device such as `/dev/stdout` must be written, never replaced) or is a dangling link.
    public static func stagingPlan(for path: String) -> (temporary: String, target: String)? {
        if isDevicePath(path) { return nil }
        var info = stat()
        guard lstat(path, &info) == 0 else { return (temporaryPath(for: path), path) }
        var target = path
        if info.st_mode & S_IFMT == S_IFLNK {
            // The link stays; what it points to is replaced.
            guard let resolved = resolved(path) else { return nil }
            target = resolved
            guard stat(target, &info) == 0 else { return nil }
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        return (temporaryPath(for: target), target)
    }

    /// Writes a whole output file (not a session) as an export writes one: a regular file, or
    /// what a link leads to (the link stays), replaced atomically; a device or a FIFO written in
    /// place, never replaced.
    public static func writeOutput(
        _ bytes: [UInt8], to path: String, files: FileOperations = SystemFileOperations.shared
    )
        throws(TagbenchError)
    {
        guard let plan = stagingPlan(for: path) else {
            let file = try OutputFile(path: path, files: files)
            try file.write(bytes: bytes)
            try file.close()
            return
        }
        try writeAtomically(bytes, to: plan.target, durable: false, files: files)
    }

    /// Whether `path` names a device by where it is (`/dev/stdout` is a link to whatever stdout
    /// is, a regular file when it is redirected to one): such a path is written in place, and
    /// nothing is created beside it.
    public static func isDevicePath(_ path: String) -> Bool {
        path.hasPrefix("/dev/") || path.hasPrefix("/proc/") || kind(of: path) == .other
    }

    /// The name a file is written under before it is renamed to `path`: hidden, beside it (a
    /// rename within one directory is atomic), and this process's own.
    public static func temporaryPath(for path: String) -> String {
        Paths.directory(of: path) + "/." + Paths.fileName(of: path) + ".tmp-\(getpid())"
    }

    /// Writes every byte to `fd`, retrying after signals and short writes; the `errno` of a
    /// failure, nil when all was written.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        let failure = SystemFileOperations.shared.write(fd, bytes)
        return failure == 0 ? nil : failure
    }

    /// Writes pieces one after another as one file, atomically (as `writeAtomically(_:to:)`):
    /// a large file built in pieces is never joined in memory.
    public static func writeAtomically(
        segments: [ArraySlice<UInt8>], to path: String, durable: Bool = true, mode: mode_t = 0o644,
        replacingMode: Bool = false, files: FileOperations = SystemFileOperations.shared
    ) throws(TagbenchError) {
        let file = try AtomicFile(path: path, durable: durable, mode: mode, replacingMode: replacingMode, files: files)
        for segment in segments { try file.append(segment) }
        try file.commit()
    }

    /// The current directory.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The device and inode of the file at `path` (links followed, unless `followingLinks` is
    /// false: then a link's own), nil when there is none: two paths name one file exactly when
    /// these are equal.
    public static func identity(of path: String, followingLinks: Bool = true) -> FileIdentity? {
        var info = stat()
        guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return FileIdentity(info)
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// Which file a path leads to (see `FileSystem.identity(of:)`).
public struct FileIdentity: Hashable, Sendable {
    /// The device holding it.
    public var device: UInt64
    /// Its inode on that device.
    public var inode: UInt64

    /// The identity a `stat` describes.
    init(_ info: stat) { self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)) }

    /// An identity from its parts.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// A file written in large chunks, for exports that must not hold their output in memory.
public final class OutputFile {
    private let fd: Int32
    private let path: String
    private let files: FileOperations
    private var buffer: [UInt8] = []
    private static let chunk = 4 << 20

    /// Creates (or truncates) `writingTo`, by default `path`, through `files`; errors name `path`.
    public init(path: String, writingTo actual: String? = nil, files: FileOperations = SystemFileOperations.shared)
        throws(TagbenchError)
    {
        // O_NONBLOCK: a FIFO with no reader fails the open (ENXIO) instead of blocking it for
        // good; it is cleared at once, so writes wait for a slow reader as usual.
        let opened = files.open(actual ?? path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0o644)
        fd = opened
        self.path = path
        self.files = files
        if opened == -ENXIO { throw .writeFailed(path, reason: "it is a FIFO that no process is reading") }
        guard opened >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(-opened)) }
        _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK)
        buffer.reserveCapacity(Self.chunk + 65536)
    }

    /// Appends bytes, writing a chunk when the buffer is full.
    public func write(_ writer: inout JSONWriter) throws(TagbenchError) {
        buffer.append(contentsOf: writer.bytes)
        writer.bytes.removeAll(keepingCapacity: true)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Writes `bytes` straight to the file (after what is buffered).
    public func write(bytes: [UInt8]) throws(TagbenchError) {
        try flush()
        let failure = bytes.withUnsafeBytes { files.write(fd, $0) }
        if failure != 0 { throw .writeFailed(path, reason: FileSystem.errorText(failure)) }
    }

    /// Writes what is buffered.
    public func flush() throws(TagbenchError) {
        if !buffer.isEmpty {
            let failure = buffer.withUnsafeBytes { files.write(fd, $0) }
            if failure != 0 { throw .writeFailed(path, reason: FileSystem.errorText(failure)) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() throws(TagbenchError) {
        try flush()
        Glibc.close(fd)
    }
}
