import CTagbenchShims
#if canImport(Glibc)
import Glibc
#endif

/// A file written in pieces under a temporary name beside its path, then renamed over it whole:
/// the path always holds either the old file or the new one.
///
/// A durable file's pieces are sent to disk as they are written, so the `fsync` that makes it
/// durable waits only for the last ones (a session written while it is still being encoded:
/// the benchmark's 32 MB file waited 37–52 ms in `fsync` when forced to disk only at the end).
public final class AtomicFile {
    /// The path the file takes when committed.
    public let path: String
    private let temporary: String
    private let durable: Bool
    private var fd: Int32
    private var written = 0

    /// Starts the file; `durable` forces it to disk before it takes its name (a session must
    /// survive a crash; an export, derived from one, need not).
    public init(path: String, durable: Bool = true) throws(TagbenchError) {
        self.path = path
        self.durable = durable
        temporary = FileSystem.temporaryPath(for: path)
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(errno)) }
    }

    deinit { abandon() }

    /// Writes the next piece; a failure abandons the file.
    public func append(_ bytes: ArraySlice<UInt8>) throws(TagbenchError) {
        precondition(fd >= 0, "append to a file already committed or abandoned")
        if let failure = bytes.withUnsafeBytes({ FileSystem.writeAll(fd, $0) }) {
            abandon()
            throw .writeFailed(path, reason: FileSystem.errorText(failure))
        }
        if durable && !bytes.isEmpty { tb_start_writeback(fd, Int64(written), Int64(bytes.count)) }
        written += bytes.count
    }

    /// Makes the file durable (when asked) and gives it its name; a failure abandons it.
    public func commit() throws(TagbenchError) {
        precondition(fd >= 0, "commit of a file already committed or abandoned")
        var reason: String?
        if durable && fsync(fd) != 0 { reason = FileSystem.errorText(errno) }
        close(fd)
        fd = -1
        if reason == nil && rename(temporary, path) != 0 { reason = FileSystem.errorText(errno) }
        if let reason {
            unlink(temporary)
            throw .writeFailed(path, reason: reason)
        }
        guard durable else { return }
        let directory = open(Paths.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
    }

    /// Removes what was written; the path keeps what it held. Nothing once committed.
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporary)
    }
}
