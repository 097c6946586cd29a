#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One writer per session: an advisory lock (flock) on `.NAME.lock` beside the session file,
/// holding the owner's process id. The kernel drops the lock when its process dies, so a lock
/// file left by a dead process is simply taken over (and that is said).
///
/// The lock belongs to the real file: its path is taken from the session's path with links
/// resolved, so an alias (a symbolic link to the session, or a linked folder) finds the same lock.
/// A link planted in the lock file's place is refused. The lock is held on the descriptor: when
/// the lock file is removed or replaced under a running process, `verify` notices that the name
/// no longer leads to it, and takes the lock again by the name, or reports that another has.
public final class SessionLock {
    private var fd: Int32
    /// The lock file's path.
    public let path: String
    private let displayPath: String
    private let mode: mode_t
    private let files: FileOperations
    /// The session file the lock guards, links resolved.
    private let sessionPath: String
    /// The process that left the lock file behind without releasing it, if any.
    public let tookOverFrom: Int32?
    /// Whether this lock made its lock file (there was none).
    private let madeFile: Bool
    /// Set when the session is written under this lock: its lock file then stays.
    public var sessionWritten = false

    /// The lock file for a session file.
    public static func lockPath(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".lock"
    }

    /// Takes the lock of the session at `sessionPath` (absolute; links are resolved), or throws
    /// `.sessionLocked` naming the process that holds it.
    public init(sessionPath: String, displayPath: String, files: FileOperations = SystemFileOperations.shared)
        throws(TagbenchError)
    {
        let real = FileSystem.resolvingLinks(sessionPath)
        try Self.checkWritable(real, displayPath: displayPath)
        self.sessionPath = real
        path = Self.lockPath(for: real)
        self.displayPath = displayPath
        self.files = files
        mode = FileSystem.sideFileMode(for: real)
        var before = stat()
        madeFile = lstat(path, &before) != 0
        let (fd, previous) = try Self.take(path, displayPath: displayPath, mode: mode, files: files)
        self.fd = fd
        tookOverFrom = previous.flatMap { $0 != getpid() ? $0 : nil }
    }

    /// Refuses, before anything is created, a session path that tagbench must not write: one
    /// that is not a regular file (a save renames a new file over it: a device would be
    /// replaced), one with other names (another name would take another lock), one whose journal
    /// is a link, has other names or is not a regular file (the save would stop half done, or
    /// write through it), and one whose checkpoint is a link (it is read in place of the session).
    private static func checkWritable(_ real: String, displayPath: String) throws(TagbenchError) {
        var info = stat()
        if lstat(real, &info) == 0 {
            if let what = FileSystem.irregularKind(info.st_mode)
                ?? (info.st_mode & S_IFMT == S_IFDIR ? "a folder" : nil)
            {
                throw .unsafeSessionFile(displayPath, what: what)
            }
            if info.st_nlink > 1 {
                throw .unsafeSessionFile(displayPath, what: "a file with \(info.st_nlink) names (hard links)")
            }
        }
        let journal = Journal.path(for: real)
        if lstat(journal, &info) == 0 && (info.st_mode & S_IFMT != S_IFREG || info.st_nlink > 1) {
            throw .unsafeSideFile(journal)
        }
        // A checkpoint is read in place of the session: one that is a link is not tagbench's.
        let checkpoint = Journal.checkpointPath(for: real)
        if lstat(checkpoint, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK { throw .unsafeSideFile(checkpoint) }
    }

    /// Opens and locks the lock file, writing this process's id; the id that was in it.
    private static func take(_ path: String, displayPath: String, mode: mode_t, files: FileOperations)
        throws(TagbenchError) -> (Int32, Int32?)
    {
        let fd = files.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if -fd == ELOOP { throw .unsafeSideFile(path) }
            throw .writeFailed(path, reason: FileSystem.errorText(-fd))
        }
        var info = stat()
        // A lock file with another name (a hard link) would have that file emptied and written.
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            close(fd)
            throw .unsafeSideFile(path)
        }
        if info.st_mode & 0o777 != mode { _ = files.setMode(fd, mode) }
        let previous = readPID(fd)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .sessionLocked(path: displayPath, pid: previous ?? 0)
        }
        // Only a note for people (the flock is the lock): failures to write it are not errors.
        let text = Array("\(getpid())\n".utf8)
        _ = files.truncate(fd, 0)
        _ = lseek(fd, 0, SEEK_SET)
        _ = text.withUnsafeBytes { files.write(fd, $0) }
        _ = files.fsync(fd)
        return (fd, previous)
    }

    /// Checks that the lock file's name still leads to the file locked here; when it was removed
    /// or replaced, takes the lock again by the name, or throws `.lockLost` when another process
    /// has it (that process is then the one writer, and this one must not write).
    public func verify() throws(TagbenchError) {
        var held = stat(), named = stat()
        if fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino {
            return
        }
        do {
            let (fresh, _) = try Self.take(path, displayPath: displayPath, mode: mode, files: files)
            close(fd)
            fd = fresh
        } catch {
            throw .lockLost(path: displayPath)
        }
    }

    /// Releases the lock and empties the file, so the next opener has nothing to take over.
    /// A lock whose session was not written and has no journal takes its lock file away with it
    /// when there was none before (or when there is no session file): a refused `merge`, into a
    /// new file or a file that is no session, or a REPL left unused leaves nothing behind. A
    /// process that opened the file just before it went and locks it then is not fooled:
    /// `verify`, run before every write, sees the name no longer leads to its file.
    public func release() {
        guard !isReleased else { return }
        isReleased = true
        var info = stat()
        let noSession = lstat(sessionPath, &info) != 0 && errno == ENOENT
        let noJournal = lstat(Journal.path(for: sessionPath), &info) != 0 && errno == ENOENT
        if noJournal && (noSession || (madeFile && !sessionWritten)) {
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino
            {
                _ = files.unlink(path)
            }
        }
        _ = files.truncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }

    private var isReleased = false

    // A lock dropped without `release` (an engine let go) is released with its descriptor.
    deinit { if !isReleased { close(fd) } }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingWhitespace()
        return Int32(text)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, UTF8Bytes.isWhitespace(first.value) { scalars.removeFirst() }
        while let last = scalars.last, UTF8Bytes.isWhitespace(last.value) { scalars.removeLast() }
        return String(scalars)
    }
}
