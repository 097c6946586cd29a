#if canImport(Glibc)
    import Glibc
#endif

/// Writes one page of a report. Pages are written in turn on the encoding thread: a queue of
/// their own, writing while the next page was encoded, was no faster.
enum ReportPageFile {
    /// Writes `w`'s bytes to a new file at `path` (never one already there, never through a link)
    /// and leaves `w` empty, its buffer kept for the next page.
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
