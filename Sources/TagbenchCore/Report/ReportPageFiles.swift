#if canImport(Glibc)
    import Glibc
#endif
import Dispatch

/// Writes a report's pages on a queue of their own while the next page is encoded: creating and
/// writing 35,000 files was a third of a report's time on the encoding core. A few pages at most
/// are in flight; their buffers come back for reuse.
// @unchecked: `failure` and `spares` are touched only on `state`; the page bytes are moved into a
// box the write queue owns until it gives the buffer back.
final class ReportPageFiles: @unchecked Sendable {
    private let files: FileOperations
    private let writes = DispatchQueue(label: "tagbench.report.pages")
    private let state = DispatchQueue(label: "tagbench.report.pages.state")
    private let inFlight = DispatchSemaphore(value: 4)
    private var failure: TagbenchError?
    private var spares: [[UInt8]] = []

    /// A page's bytes, held by one reference while the queue writes them.
    private final class Page: @unchecked Sendable {
        var bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    init(files: FileOperations) { self.files = files }

    /// Writes `w`'s bytes to a new file at `path` (later, on the queue) and leaves `w` empty; a
    /// failure of an earlier page is thrown here.
    func write(_ path: String, _ w: inout JSONWriter) throws(TagbenchError) {
        inFlight.wait()
        let (spare, failed) = state.sync { (spares.popLast(), failure) }
        if let failed {
            inFlight.signal()
            throw failed
        }
        let page = Page(spare ?? [])
        swap(&page.bytes, &w.bytes)
        writes.async { [self] in
            do throws(TagbenchError) {
                try Self.writeFile(path, page.bytes, files: files)
            } catch {
                state.sync { if failure == nil { failure = error } }
            }
            page.bytes.removeAll(keepingCapacity: true)
            state.sync { spares.append(page.bytes) }
            inFlight.signal()
        }
    }

    /// Waits for every page given; throws the first failure.
    func finish() throws(TagbenchError) {
        writes.sync {}
        if let failed = state.sync(execute: { failure }) { throw failed }
    }

    /// Waits for every page given, failed or not (before what was written is removed).
    func drain() { writes.sync {} }

    /// Writes a new file (never one already there, never through a link).
    static func writeFile(_ path: String, _ bytes: [UInt8], files: FileOperations) throws(TagbenchError) {
        let fd = files.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(-fd)) }
        let failure = bytes.withUnsafeBytes { files.write(fd, $0) }
        let closed = close(fd) == 0 ? 0 : errno
        if failure != 0 || closed != 0 {
            throw .writeFailed(path, reason: FileSystem.errorText(failure != 0 ? failure : closed))
        }
    }
}
