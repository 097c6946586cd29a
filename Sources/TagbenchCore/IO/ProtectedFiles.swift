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

    /// Protects `paths` (absolute).
    public init(_ paths: [String]) {
        self.paths = paths
        pathSet = Set(paths)
    }

    /// The files tagbench keeps beside a session (absolute): its journal, checkpoint, lock and
    /// hash cache, beside the real file as they are made. Writing over one loses unsaved work
    /// or breaks the one-writer lock, so no output may.
    public static func sideFiles(of sessionPath: String) -> [String] {
        let real = FileSystem.resolvingLinks(sessionPath)
        return [
            Journal.path(for: real), Journal.checkpointPath(for: real), SessionLock.lockPath(for: real),
            HashCache.path(for: real)
        ]
    }

    /// Session files and the files beside each.
    public static func sessions(_ paths: [String]) -> [String] {
        paths + paths.flatMap(sideFiles(of:))
    }

    /// Throws `exportOverInput(shown)` when writing `path` (absolute) would replace or create one
    /// of the protected files, by whatever name.
    public func check(_ path: String, shown: String? = nil) throws(TagbenchError) {
        if wouldReplace(path) { throw .exportOverInput(shown ?? path) }
    }

    /// Whether writing `path` (absolute) would replace or create one of the protected files.
    public func wouldReplace(_ path: String) -> Bool {
        if paths.isEmpty { return false }
        if pathSet.contains(path) { return true }
        var info = stat()
        if stat(path, &info) == 0 {
            return lookUp().contains(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
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
