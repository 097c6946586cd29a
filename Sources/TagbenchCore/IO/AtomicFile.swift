import CTagbenchSystem
#if canImport(Glibc)
    import Glibc
#endif

/// A file written in pieces under a temporary name beside its path, then renamed over it whole:
/// the path always holds either the old file or the new one.
///
/// The temporary file is created new (`O_EXCL`, `O_NOFOLLOW`: a link planted under its name is
/// never followed) with the mode of the file it replaces, so a private session stays private; a
/// file its owner cannot write (mode 0444) is refused rather than replaced. A SIGTERM or SIGINT
/// that ends the process while it is written removes it.
///
/// A durable file's pieces are sent to disk as they are written, so the `fsync` that makes it
/// durable waits only for the last ones, not for the whole file (see docs/performance.md).
public final class AtomicFile {
    /// The path the file takes when committed.
    public let path: String
    private let temporary: String
    private let durable: Bool
    private let files: FileOperations
    private var fd: Int32
    private var written = 0
    private var signalSlot: Int32 = -1

    /// Starts the file; `durable` forces it to disk before it takes its name (a session must
    /// survive a crash; an export, derived from one, need not). `mode` is for a file that does
    /// not exist yet: an existing one keeps its own, unless `replacingMode` (a side file takes
    /// its session's).
    public init(
        path: String, durable: Bool = true, mode: mode_t = 0o644, replacingMode: Bool = false,
        files: FileOperations = SystemFileOperations.shared
    ) throws(TagbenchError) {
        self.path = path
        self.durable = durable
        self.files = files
        temporary = FileSystem.temporaryPath(for: path)
        var mode = mode
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG {
            if !replacingMode { mode = info.st_mode & 0o7777 }
            // Replacing it would take away the protection its owner gave it.
            if info.st_mode & S_IWUSR == 0 { throw .readOnlyFile(path, mode: Int(info.st_mode & 0o7777)) }
        }
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        // Registered before it exists: a signal between its creation and its registration would
        // leave it behind (removing a name not yet made is harmless).
        signalSlot = tb_temp_register(temporary)
        fd = files.open(temporary, flags, mode)
        if fd == -EEXIST {
            // Left by a killed process of the same id, or planted: removed (a link is removed,
            // not what it points to), then created new.
            _ = files.unlink(temporary)
            fd = files.open(temporary, flags, mode)
        }
        guard fd >= 0 else {
            tb_temp_unregister(signalSlot)
            signalSlot = -1
            throw .writeFailed(path, reason: FileSystem.errorText(-fd))
        }
        // The creation mode was narrowed by the umask: the replaced file's mode is kept exactly.
        let failure = files.setMode(fd, mode)
        if failure != 0 {
            abandon()
            throw .writeFailed(path, reason: FileSystem.errorText(failure))
        }
    }

    deinit { abandon() }

    /// Writes the next piece; a failure abandons the file.
    public func append(_ bytes: ArraySlice<UInt8>) throws(TagbenchError) {
        precondition(fd >= 0, "append to a file already committed or abandoned")
        let failure = bytes.withUnsafeBytes { files.write(fd, $0) }
        if failure != 0 {
            abandon()
            throw .writeFailed(path, reason: FileSystem.errorText(failure))
        }
        if durable && !bytes.isEmpty { tb_start_writeback(fd, Int64(written), Int64(bytes.count)) }
        written += bytes.count
    }

    /// Makes the file durable (when asked) and gives it its name; a failure abandons it. Once
    /// renamed it is committed: a failure to sync the folder then is not reported, because the
    /// caller must go on as if the file were new (it is, for every later reader).
    public func commit() throws(TagbenchError) {
        precondition(fd >= 0, "commit of a file already committed or abandoned")
        var failure = durable ? files.fsync(fd) : 0
        close(fd)
        fd = -1
        if failure == 0 { failure = files.rename(temporary, path) }
        if failure != 0 {
            _ = files.unlink(temporary)
            release()
            throw .writeFailed(path, reason: FileSystem.errorText(failure))
        }
        release()
        guard durable else { return }
        _ = files.syncDirectory(Paths.directory(of: path))
    }

    /// Removes what was written; the path keeps what it held. Nothing once committed.
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        _ = files.unlink(temporary)
        release()
    }

    private func release() {
        tb_temp_unregister(signalSlot)
        signalSlot = -1
    }
}
