#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The write-ahead journal beside a session (`.NAME.journal`): every state-changing command since
/// the last save, one JSON line each, flushed to disk (fsync) before the command is reported done.
/// Opening the session replays it; saving empties it.
///
/// Its first line names the saved state it follows, the SHA-256 of the session file (or of the
/// checkpoint) that its commands apply to: a journal left behind by a process killed between
/// writing a new session file and emptying the journal follows the old file, and is not replayed
/// on the new one (which already holds its commands). A journal without that line (written
/// before it existed) is replayed as it is.
///
/// An append that fails (a full disk) is cut back to the last whole record, so the commands
/// acknowledged after it are not lost behind a torn one; when even that fails the journal is
/// `damaged` and must be made redundant (a checkpoint) before it is appended to again.
public final class Journal {
    private let fd: Int32
    private let files: FileOperations
    /// The journal file.
    public let path: String
    /// The length of its whole records (what a failed append is cut back to).
    private var length: Int
    /// A failed append could not be cut back: the journal ends in a torn record.
    public private(set) var isDamaged = false

    /// The journal of a session file.
    public static func path(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".journal"
    }

    /// The snapshot written when a change cannot be expressed as commands replayed on the saved
    /// session (an undo past the last save): recovery starts from it instead.
    public static func checkpointPath(for sessionPath: String) -> String {
        Paths.directory(of: sessionPath) + "/." + Paths.fileName(of: sessionPath) + ".checkpoint"
    }

    /// Opens (creating, with `mode`) the journal of `sessionPath` for appending; a link in its
    /// place is refused, never followed.
    public init(sessionPath: String, mode: mode_t = 0o644, files: FileOperations = SystemFileOperations.shared)
        throws(TagbenchError)
    {
        path = Self.path(for: sessionPath)
        self.files = files
        // O_NONBLOCK: a FIFO in its place would block the open until a reader came (ENXIO now);
        // writes to a regular file are unaffected by it.
        fd = files.open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if -fd == ELOOP || -fd == ENXIO { throw .unsafeSideFile(path) }
            throw .writeFailed(path, reason: FileSystem.errorText(-fd))
        }
        var info = stat()
        // A file with another name (a hard link) would be written through: not tagbench's.
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            close(fd)
            throw .unsafeSideFile(path)
        }
        length = Int(info.st_size)
        // A journal made before the session's mode was narrowed follows it (it holds its notes).
        if info.st_mode & 0o777 != mode { _ = files.setMode(fd, mode) }
    }

    deinit { close(fd) }

    /// Appends entries and waits until they are on disk; a journal still empty first gets the
    /// line naming the saved state it `follows` (a SHA-256, empty for a session not saved yet).
    /// A failure leaves the journal as it was before the call, or `isDamaged`.
    public func append(_ entries: [LogEntry], directory: String, follows: @autoclosure () -> String)
        throws(TagbenchError)
    {
        guard !entries.isEmpty else { return }
        precondition(!isDamaged, "append to a damaged journal")
        var w = JSONWriter(capacity: 256 * entries.count + 128)
        if length == 0 {
            w.raw("{\"journal\": ")
            w.string(Self.formatName)
            w.raw(", \"follows\": ")
            w.string(follows())
            w.raw("}\n")
        }
        for entry in entries {
            w.raw("{\"command\": ")
            w.string(CommandRenderer.render(entry.command.relativizingPaths(to: directory)))
            w.raw(", \"time\": ")
            w.string(entry.time)
            w.raw("}\n")
        }
        var failure = w.bytes.withUnsafeBytes { files.write(fd, $0) }
        if failure == 0 { failure = files.fsync(fd) }
        guard failure != 0 else {
            length += w.bytes.count
            return
        }
        // Cut back to the last whole record, durably: a torn piece must not hide what follows.
        if files.truncate(fd, length) != 0 || files.fsync(fd) != 0 { isDamaged = true }
        throw .writeFailed(path, reason: FileSystem.errorText(failure))
    }

    /// Empties the journal (after a save or a checkpoint made its entries redundant); a failure
    /// leaves it `isDamaged`.
    public func reset() throws(TagbenchError) {
        try cut(to: 0)
        isDamaged = false
    }

    /// Cuts the journal back to its first `length` bytes (the whole records before a torn one),
    /// durably; a failure leaves it `isDamaged`.
    public func cut(to length: Int) throws(TagbenchError) {
        var failure = files.truncate(fd, length)
        if failure == 0 { failure = files.fsync(fd) }
        guard failure == 0 else {
            isDamaged = true
            throw .writeFailed(path, reason: FileSystem.errorText(failure))
        }
        self.length = length
    }

    /// The first line's format name.
    static let formatName = "tagbench-journal"

    /// What a journal file holds: its whole records, and whether a last one was cut mid-write.
    public struct Contents: Sendable {
        /// The SHA-256 of the saved state the commands follow (empty: no saved file); nil for a
        /// journal written before journals said so.
        public var follows: String?
        /// The command lines of the whole records, in order.
        public var commands: [String] = []
        /// Whether the file ended with an incomplete record (dropped).
        public var torn = false
        /// The length of the records read (what a torn last one is cut back to).
        public var wholeLength = 0
        /// The line of a record that cannot be read with more after it: damage (an edit, the
        /// disk), not a torn append. The commands before it are the ones to replay.
        public var unreadableLine: Int?
    }

    /// Reads the journal of a session, if there is one (a link in its place is not followed).
    public static func read(sessionPath: String) -> Contents? {
        let path = Self.path(for: sessionPath)
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
            let bytes = try? FileSystem.read(path, regularOnly: true), !bytes.isEmpty
        else { return nil }
        return parse(bytes)
    }

    /// The records of a journal's bytes.
    public static func parse(_ bytes: [UInt8]) -> Contents {
        var contents = Contents()
        var start = 0
        var first = true
        var lineNumber = 0
        reading: while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: 0x0A) else {
                contents.torn = true
                break
            }
            let line = Array(bytes[start..<end])
            start = end + 1
            lineNumber += 1
            guard let record = try? parseRecord(line) else {
                // A record is whole only with its line end, and a failed append is cut back
                // before anything else is appended: a bad last record is the torn one. A bad
                // record with more after it was damaged, and what follows it is not replayed.
                if start < bytes.count { contents.unreadableLine = lineNumber } else { contents.torn = true }
                break
            }
            switch record {
            case .header(let follows):
                guard first else {
                    contents.torn = true
                    break reading
                }
                contents.follows = follows
            case .command(let command):
                contents.commands.append(command)
            }
            contents.wholeLength = start
            first = false
        }
        return contents
    }

    private enum Record {
        case header(String)
        case command(String)
    }

    private static func parseRecord(_ line: [UInt8]) throws(TagbenchError) -> Record {
        var r = try JSONReader(bytes: line, path: "journal")
        var command: String?
        var follows: String?
        var format: String?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "command": command = try r.readString()
            case "journal": format = try r.readString()
            case "follows": follows = try r.readString()
            default: try r.skipValue()
            }
        }
        try r.finish()
        if format == formatName, let follows { return .header(follows) }
        guard let command else { throw r.error("no command") }
        return .command(command)
    }
}
