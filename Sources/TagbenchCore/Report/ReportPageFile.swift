#if canImport(Glibc)
    import Glibc
#endif

/// Writes one page of a report, on the thread that made it (`ReportPages`): handing the pages to
/// one writing thread was no faster (docs/performance.md).
enum ReportPageFile {
    /// Writes `w`'s bytes to a new file at `path` (never one already there, never through a link)
    /// and leaves `w` empty.
    static func write(_ path: String, _ w: inout JSONWriter, files: FileOperations) throws(TagbenchError) {
        let fd = files.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(-fd)) }
        let failure = w.bytes.withUnsafeBytes { files.write(fd, $0) }
        let closed = close(fd) == 0 ? 0 : errno
        w.bytes.removeAll(keepingCapacity: true)
        if failure != 0 || closed != 0 {
            throw .writeFailed(path, reason: FileSystem.errorText(failure != 0 ? failure : closed))
        }
    }
}
