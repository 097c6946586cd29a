#if canImport(Glibc)
    import Glibc
#endif

/// Writes one page of a report, on the thread that made it (`ReportPages`): handing the pages to
/// one writing thread was no faster (docs/performance.md).
enum ReportPageFile {
    /// A folder open to write pages into. Pages are created relative to its descriptor: a folder
    /// swapped for a link or for another folder after it was opened is never written into.
    /// Valid while the `ReportFolder` it comes from is alive.
    struct Folder: Sendable {
        /// Its descriptor, opened without following a link.
        let descriptor: Int32
        /// Its path, for messages.
        let path: String
        /// Where each page written in it is recorded: a failed report removes those, and only
        /// those, while each is still the file written.
        let created: ReportFolder.KnownFiles
        /// The permissions pages are created with, less the umask.
        let mode: mode_t
    }

    /// Writes `w`'s bytes to a new file `name` in `folder` (never one already there, never through
    /// a link) and leaves `w` empty.
    static func write(_ name: String, in folder: Folder, _ w: inout JSONWriter, files: FileOperations)
        throws(TagbenchError)
    {
        let path = folder.path + "/" + name
        let fd = files.open(
            name, in: folder.descriptor, path: path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, folder.mode)
        guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(-fd)) }
        let failure = w.bytes.withUnsafeBytes { files.write(fd, $0) }
        // Known as written (or as far as the write got): a failed report removes it, and only
        // while it is still this file.
        var info = stat()
        if fstat(fd, &info) == 0 { folder.created.insert(name, ReportFolder.FileVersion(info)) }
        let closed = close(fd) == 0 ? 0 : errno
        w.bytes.removeAll(keepingCapacity: true)
        if failure != 0 || closed != 0 {
            throw .writeFailed(path, reason: FileSystem.errorText(failure != 0 ? failure : closed))
        }
    }
}
