import CTagbenchSystem
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one seam every change tagbench makes to a session's files goes through: creating,
/// writing, syncing, truncating, renaming and removing. Each call returns 0 (or a descriptor)
/// on success and the `errno` of a failure otherwise (negated for `open`), so a test file system
/// can fail any one of them, or "crash" after it, and the code above must keep its promises.
public protocol FileOperations: AnyObject, Sendable {
    /// `open(2)`: a descriptor, or `-errno`.
    func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
    /// `openat(2)`: opens `name` in the folder open as `directory`; `path` names it in messages
    /// and logs. A descriptor, or `-errno`.
    func open(_ name: String, in directory: Int32, path: String, _ flags: Int32, _ mode: mode_t) -> Int32
    /// Writes every byte at the descriptor's offset (retrying short writes); 0 or the `errno`.
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32
    /// `fsync(2)`; 0 or the `errno`.
    func fsync(_ fd: Int32) -> Int32
    /// `ftruncate(2)`; 0 or the `errno`.
    func truncate(_ fd: Int32, _ length: Int) -> Int32
    /// `fchmod(2)`; 0 or the `errno`.
    func setMode(_ fd: Int32, _ mode: mode_t) -> Int32
    /// `rename(2)`; 0 or the `errno`.
    func rename(_ from: String, _ to: String) -> Int32
    /// Swaps the names `a` and `b` in one step (`renameat2` with `RENAME_EXCHANGE`); 0, or the
    /// `errno`: `ENOSYS` where the system or the file system cannot.
    func exchange(_ a: String, _ b: String) -> Int32
    /// `unlink(2)`; 0 or the `errno`.
    func unlink(_ path: String) -> Int32
    /// `unlinkat(2)`: removes `name` from the folder open as `directory` (`AT_FDCWD`: `name` is a
    /// path), a folder (which must be empty) when `isFolder`; `path` names it in messages and
    /// logs. 0 or the `errno`.
    func unlink(_ name: String, in directory: Int32, path: String, isFolder: Bool) -> Int32
    /// `mkdir(2)`; 0 or the `errno`.
    func makeDirectory(_ path: String, _ mode: mode_t) -> Int32
    /// `mkdirat(2)`: makes the folder `name` in the folder open as `directory`; `path` names it
    /// in messages and logs. 0 or the `errno`.
    func makeDirectory(_ name: String, in directory: Int32, path: String, _ mode: mode_t) -> Int32
    /// Forces a directory's entries (a rename, a new file) to disk; 0 or the `errno`.
    func syncDirectory(_ path: String) -> Int32
}

/// The file operations of the running system.
public final class SystemFileOperations: FileOperations {
    /// The one instance.
    public static let shared = SystemFileOperations()

    private init() {}

    /// See `FileOperations.open`.
    public func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        let fd = Glibc.open(path, flags, mode)
        return fd >= 0 ? fd : -errno
    }

    /// See `FileOperations.open(_:in:path:_:_:)`.
    public func open(_ name: String, in directory: Int32, path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        let fd = openat(directory, name, flags, mode)
        return fd >= 0 ? fd : -errno
    }

    /// See `FileOperations.write`.
    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    /// See `FileOperations.fsync`.
    public func fsync(_ fd: Int32) -> Int32 { Glibc.fsync(fd) == 0 ? 0 : errno }

    /// See `FileOperations.truncate`.
    public func truncate(_ fd: Int32, _ length: Int) -> Int32 { ftruncate(fd, off_t(length)) == 0 ? 0 : errno }

    /// See `FileOperations.setMode`.
    public func setMode(_ fd: Int32, _ mode: mode_t) -> Int32 { fchmod(fd, mode) == 0 ? 0 : errno }

    /// See `FileOperations.rename`.
    public func rename(_ from: String, _ to: String) -> Int32 { Glibc.rename(from, to) == 0 ? 0 : errno }

    /// See `FileOperations.exchange`.
    public func exchange(_ a: String, _ b: String) -> Int32 { tb_exchange_names(a, b) }

    /// See `FileOperations.unlink`.
    public func unlink(_ path: String) -> Int32 { Glibc.unlink(path) == 0 ? 0 : errno }

    /// See `FileOperations.unlink(_:in:path:isFolder:)`.
    public func unlink(_ name: String, in directory: Int32, path: String, isFolder: Bool) -> Int32 {
        unlinkat(directory, name, isFolder ? AT_REMOVEDIR : 0) == 0 ? 0 : errno
    }

    /// See `FileOperations.makeDirectory`.
    public func makeDirectory(_ path: String, _ mode: mode_t) -> Int32 { mkdir(path, mode) == 0 ? 0 : errno }

    /// See `FileOperations.makeDirectory(_:in:path:_:)`.
    public func makeDirectory(_ name: String, in directory: Int32, path: String, _ mode: mode_t) -> Int32 {
        mkdirat(directory, name, mode) == 0 ? 0 : errno
    }

    /// See `FileOperations.syncDirectory`.
    public func syncDirectory(_ path: String) -> Int32 {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return Glibc.fsync(fd) == 0 ? 0 : errno
    }
}
