#if canImport(Glibc)
    import Glibc
#endif

/// The files a write must never replace — the session file and the documents — and the one
/// check every path tagbench writes (a saved session, an export file and each file derived from
/// its name) goes through.
///
/// A path is compared with them as the kernel resolves it, not as a string: an existing target
/// by the device and inode it leads to (so a symlink, a hard link, `..` or a symlinked folder on
/// the way make no difference), a target that does not exist yet by the device and inode of the
/// folder it would be created in and its name (a missing document's place stays its own). The
/// protected files are looked up once, on the first check that needs them: a check costs one
/// `stat` of the target (two for a new file), not one per document.
public final class ProtectedFiles {
    private let paths: [String]
    private let pathSet: Set<String>
    /// Device and inode of each protected file that exists; the folder and name of each that does
    /// not. Filled on first use.
    private var existing: Set<FileIdentity>?
    private var places: Set<Place> = []

    /// Where a file that does not exist would be: its folder's identity and its name.
    private struct Place: Hashable {
        var folder: FileIdentity
        var name: String
    }

    private let refusesEverySession: Bool

    /// Protects `paths` (absolute), and any file of any session: a file beside one (by its name)
    /// and, unless `refusesEverySession` is false (`save PATH`, which may replace a session), a
    /// session file (by its first bytes).
    public init(_ paths: [String], refusesEverySession: Bool = true) {
        self.paths = paths
        pathSet = Set(paths)
        self.refusesEverySession = refusesEverySession
    }

    /// Throws `exportOverInput(shown)` when writing `path` (absolute) would replace or create one
    /// of the protected files by whatever name, a file beside any session, or (unless told
    /// otherwise) any session file.
    public func check(_ path: String, shown: String? = nil) throws(TagbenchError) {
        if wouldReplace(path) || Self.isSessionFile(path, sessionsToo: refusesEverySession) {
            throw .exportOverInput(shown ?? path)
        }
    }

    /// The endings of the files tagbench keeps beside a session `NAME` (`.NAME.journal` …), and
    /// the journal it keeps aside when recovery failed (`.NAME.journal.failed-TIME`).
    static let sideFileEndings = [".journal", ".lock", ".checkpoint", ".hashes"]

    /// Whether `path` (links followed) is a file beside some session, by its name (whether it
    /// exists or not: a checkpoint written there would be read in place of the session), or, with
    /// `sessionsToo`, an existing session file, by its first bytes. Not only the sessions at hand:
    /// `--json merged.json` meant as `--against merged.json` must not replace the curation, nor
    /// an export replace the lock of a session a REPL holds.
    static func isSessionFile(_ path: String, sessionsToo: Bool) -> Bool {
        let resolved = FileSystem.resolved(path) ?? followingDanglingLinks(path)
        let name = Paths.fileName(of: resolved)
        if name.hasPrefix(".")
            && (sideFileEndings.contains { name.hasSuffix($0) } || name.contains(".journal.failed-"))
        {
            return true
        }
        guard sessionsToo else { return false }
        let fd = open(resolved, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        var head = [UInt8](repeating: 0, count: 256)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 256) }
        guard n > 0 else { return false }
        return String(decoding: head[0..<n], as: UTF8.self).contains("\"tagbench-session\"")
    }

    /// Whether writing `path` (absolute) would replace or create one of the protected files.
    public func wouldReplace(_ path: String) -> Bool {
        if paths.isEmpty { return false }
        if pathSet.contains(path) { return true }
        var info = stat()
        if stat(path, &info) == 0 {
            return lookUp().contains(FileIdentity(info))
        }
        // Nothing there: a write creates the file where the name (or a dangling link) leads.
        guard let place = Self.place(of: Self.followingDanglingLinks(path)) else { return false }
        _ = lookUp()
        return places.contains(place)
    }

    private func lookUp() -> Set<FileIdentity> {
        if let existing { return existing }
        var found = Set<FileIdentity>()
        for p in paths {
            if let identity = FileSystem.identity(of: p) {
                found.insert(identity)
            } else if let place = Self.place(of: p) {
                places.insert(place)
            }
        }
        existing = found
        return found
    }

    private static func place(of path: String) -> Place? {
        guard let folder = FileSystem.identity(of: Paths.directory(of: path)) else { return nil }
        return Place(folder: folder, name: Paths.fileName(of: path))
    }

    /// Where a chain of symbolic links that ends nowhere leads (`path` itself when it is not a
    /// link); at most 40 links are followed, as the kernel does.
    private static func followingDanglingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = Paths.absolute(target, base: Paths.directory(of: current))
        }
        return current
    }
}
