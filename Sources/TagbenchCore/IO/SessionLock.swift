#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer per session: an advisory lock (flock) on `.NAME.lock` beside the session file,
/// holding the owner's process id. The kernel drops the lock when its process dies, so a lock
/// file left by a dead process is simply taken over (and that is said).
public final class SessionLock {
    private let fd: Int32
    /// The lock file's path.
    public let path: String
    /// The process that left the lock file behind without releasing it, if any.
    public let tookOverFrom: Int32?

    /// The lock file for a session file.
    public static func lockPath(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".lock"
    }

    /// Takes the lock of the session at `sessionPath` (absolute), or throws `.sessionLocked`
    /// naming the process that holds it.
    public init(sessionPath: String, displayPath: String) throws(TagbenchError) {
        path = Self.lockPath(for: sessionPath)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(errno)) }
        let previous = Self.readPID(fd)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .sessionLocked(path: displayPath, pid: previous ?? 0)
        }
        tookOverFrom = previous.flatMap { $0 != getpid() ? $0 : nil }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        fsync(fd)
    }

    /// Releases the lock and empties the file, so the next opener has nothing to take over.
    public func release() {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }

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
