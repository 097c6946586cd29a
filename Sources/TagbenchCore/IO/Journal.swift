#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write-ahead journal beside a session (`.NAME.journal`): every state-changing command since
/// the last save, one JSON line each, flushed to disk (fsync) before the command is reported done.
/// Opening the session replays it; saving empties it.
public final class Journal {
    private let fd: Int32
    /// The journal file.
    public let path: String

    /// The journal of a session file.
    public static func path(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".journal"
    }

    /// The snapshot written when a change cannot be expressed as commands replayed on the saved
    /// session (an undo past the last save): recovery starts from it instead.
    public static func checkpointPath(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".checkpoint"
    }

    /// Opens (creating) the journal of `sessionPath` for appending.
    public init(sessionPath: String) throws(TagbenchError) {
        path = Self.path(for: sessionPath)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path, reason: FileSystem.errorText(errno)) }
    }

    deinit { close(fd) }

    /// Appends entries and waits until they are on disk.
    public func append(_ entries: [LogEntry], directory: String) throws(TagbenchError) {
        guard !entries.isEmpty else { return }
        var w = JSONWriter(capacity: 256 * entries.count)
        for entry in entries {
            w.raw("{\"command\": ")
            w.string(CommandRenderer.render(entry.command.relativizingPaths(to: directory)))
            w.raw(", \"time\": ")
            w.string(entry.time)
            w.raw("}\n")
        }
        try write(w.bytes)
        guard fsync(fd) == 0 else { throw .writeFailed(path, reason: FileSystem.errorText(errno)) }
    }

    private func write(_ bytes: [UInt8]) throws(TagbenchError) {
        if let failure = bytes.withUnsafeBytes({ FileSystem.writeAll(fd, $0) }) {
            throw .writeFailed(path, reason: FileSystem.errorText(failure))
        }
    }

    /// Empties the journal (after a save or a checkpoint made its entries redundant).
    public func reset() throws(TagbenchError) {
        guard ftruncate(fd, 0) == 0, fsync(fd) == 0 else { throw .writeFailed(path, reason: FileSystem.errorText(errno)) }
    }

    /// What a journal file holds: its whole records, and whether a last one was cut mid-write.
    public struct Contents: Sendable {
        /// The command lines of the whole records, in order.
        public var commands: [String] = []
        /// Whether the file ended with an incomplete record (dropped).
        public var torn = false
    }

    /// Reads the journal of a session, if there is one.
    public static func read(sessionPath: String) -> Contents? {
        let path = Self.path(for: sessionPath)
        guard FileSystem.kind(of: path) == .file, let bytes = try? FileSystem.read(path), !bytes.isEmpty else { return nil }
        var contents = Contents()
        var start = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: 0x0A) else {
                contents.torn = true
                break
            }
            let line = Array(bytes[start..<end])
            start = end + 1
            guard let command = try? parseRecord(line) else {
                // A record is whole only with its line end; a bad one can only be the torn last.
                contents.torn = true
                break
            }
            contents.commands.append(command)
        }
        return contents
    }

    private static func parseRecord(_ line: [UInt8]) throws(TagbenchError) -> String {
        var r = try JSONReader(bytes: line, path: "journal")
        var command: String?
        try r.beginObject()
        while let key = try r.nextKey() {
            if key == "command" { command = try r.readString() } else { try r.skipValue() }
        }
        try r.finish()
        guard let command else { throw r.error("no command") }
        return command
    }
}
