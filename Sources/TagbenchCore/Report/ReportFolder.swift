import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A folder a report may have written (OUT, a staging folder, an earlier report set aside),
/// opened without following a link. What it holds is looked at, and removed, through its
/// descriptor and descriptors opened from it without following links: a folder swapped for a
/// link or for another folder once it is open is never entered, wherever its path then leads.
/// Its `docs` folder is opened once, the first time it is asked for, and that folder is the one
/// checked and emptied, whatever is named `docs` later. Only files known to be a report's are
/// ever removed (`known`): pages this report created, or pages checked to name the generator;
/// each only while it is still the file that was known.
final class ReportFolder {
    /// One file as it was when it became known: which file (device and inode) and its last
    /// change (change time, size). An inode number freed and given to a new file, or a file
    /// written to or renamed since, is not the file known.
    struct FileVersion: Hashable, Sendable {
        let identity: FileIdentity
        let changed: Int
        let changedNanoseconds: Int
        let size: Int

        init(_ info: stat) {
            identity = FileIdentity(info)
            changed = Int(info.st_ctim.tv_sec)
            changedNanoseconds = Int(info.st_ctim.tv_nsec)
            size = Int(info.st_size)
        }
    }

    /// The files in a folder known to be a report's, by name, each as it was when it became
    /// known (written by this report, or checked). Shared by the threads that write pages.
    final class KnownFiles: Sendable {
        private let entries = Mutex<[String: FileVersion]>([:])

        /// `name` is a report's file, as it is now.
        func insert(_ name: String, _ version: FileVersion) { entries.withLock { $0[name] = version } }

        /// `name` as it was when it became known; nil for a file not known.
        func version(of name: String) -> FileVersion? { entries.withLock { $0[name] } }
    }

    /// Whether `name` is one a report gives a page in `docs`: a number from 1, then `.html`.
    static func isPageName(_ name: String) -> Bool {
        let digits = name.utf8.dropLast(5)
        return name.hasSuffix(".html") && digits.first.map { $0 != UInt8(ascii: "0") } == true
            && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Its files known to be a report's: only these are removed.
    let known = KnownFiles()
    /// The path that names it: for messages, and for the folder's own removal once empty.
    private(set) var path: String
    private let descriptor: Int32
    /// Its device and inode when opened.
    let identity: FileIdentity?
    /// `docs` as first opened (nil inside: there was none to open).
    private var openedDocs: ReportFolder??

    /// Opens `path`; nil when it is not a folder, is a link, or cannot be opened.
    convenience init?(_ path: String) {
        self.init(path: path, descriptor: open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
    }

    private init?(path: String, descriptor: Int32) {
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.descriptor = descriptor
        var info = stat()
        let known = fstat(descriptor, &info) == 0
        identity = known ? FileIdentity(info) : nil
        access = known ? (info.st_mode & 0o7777, info.st_gid) : nil
    }

    /// A folder's permissions (with the set-group-id bit) and group.
    typealias Access = (mode: mode_t, group: gid_t)

    /// Its permissions and group when opened.
    let access: Access?

    /// Gives its owner, when that is this process's user, the right to change what is in it.
    private func makeWritable(files: FileOperations) {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_uid == geteuid(), info.st_mode & S_IWUSR == 0 else { return }
        _ = files.setMode(descriptor, (info.st_mode & 0o7777) | S_IWUSR)
    }

    /// Gives it the permissions `mode`; 0 or the `errno`.
    func setMode(_ mode: mode_t, files: FileOperations) -> Int32 { files.setMode(descriptor, mode) }

    /// Kept from others (0700) while a report is written into it, with the group of `access`
    /// where this process may give it and its set-group-id bit: what is made in it takes the
    /// group, as in a team's shared folder. 0 or the `errno` of the permissions.
    func take(privately access: Access?, files: FileOperations) -> Int32 {
        if let access { _ = fchown(descriptor, uid_t.max, access.group) }
        return setMode(0o700 | ((access?.mode ?? 0) & S_ISGID), files: files)
    }

    /// What it lacks of `wanted` (the folder it replaces), said as `shown`: a group this user
    /// may not give, or the set-group-id bit, which the system drops for a user outside the
    /// group; nil when it has both.
    func shortfall(from wanted: Access, shown: String) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        if info.st_gid != wanted.group {
            return
                "\(shown) had the group \(Self.groupName(wanted.group)), which this user may not give it; the new one has the group \(Self.groupName(info.st_gid))"
        }
        if wanted.mode & S_ISGID != 0 && info.st_mode & S_ISGID == 0 {
            return
                "\(shown) cannot keep the set-group-id bit of group \(Self.groupName(wanted.group)), which this user is not in: its files have this user's group"
        }
        return nil
    }

    /// A group's name, or its number when it has none.
    static func groupName(_ group: gid_t) -> String {
        guard let entry = getgrgid(group), let name = entry.pointee.gr_name else { return "\(group)" }
        return String(cString: name)
    }

    deinit { close(descriptor) }

    /// It as a folder to create pages in (through its descriptor; each page created is known),
    /// each with the permissions `mode` less the umask.
    func pageFolder(mode: mode_t) -> ReportPageFile.Folder {
        ReportPageFile.Folder(descriptor: descriptor, path: path, created: known, mode: mode)
    }

    /// The permissions of its `index.html` (not followed if a link); nil when it has none.
    var indexMode: mode_t? {
        var info = stat()
        guard fstatat(descriptor, "index.html", &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Makes its `docs` (through its descriptor), as `mkdir` would (the user's umask decides its
    /// permissions); 0 or the `errno`.
    func makeDocs(files: FileOperations) -> Int32 {
        files.makeDirectory("docs", in: descriptor, path: path + "/docs", 0o777)
    }

    /// Its entries' names, sorted by bytes; nil when it cannot be listed.
    var names: [String]? { FileSystem.entries(descriptor: descriptor)?.map(\.name) }

    /// Its `docs` folder, opened the same way the first time it is asked for; the same folder
    /// every time after.
    var docs: ReportFolder? {
        if let openedDocs { return openedDocs }
        let opened = ReportFolder(
            path: path + "/docs",
            descriptor: openat(descriptor, "docs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
        openedDocs = .some(opened)
        return opened
    }

    /// Opens its `docs`, just made, and keeps it only if it is empty (as a folder just made is);
    /// whether it was. Otherwise `docs` is nil from then on: a folder swapped in between the
    /// mkdir and the open is never emptied.
    func adoptEmptyDocs() -> Bool {
        if docs?.names?.isEmpty == true { return true }
        openedDocs = .some(nil)
        return false
    }

    /// Up to `count` bytes from the start of the regular file `name` in it, and the file as it
    /// was; nil when it cannot be read. Opened without blocking: a FIFO put there does not hang
    /// the report.
    func head(of name: String, count: Int) -> (bytes: [UInt8], version: FileVersion)? {
        let fd = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: count)
        while head.count < count {
            let n = read(fd, &chunk, count - head.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            head += chunk[..<n]
        }
        return (head, FileVersion(info))
    }

    /// The first thing in it (a name relative to it) that a report did not write: anything but
    /// `index.html` and a `docs` folder of pages (`N.html`), a link, a protected file, or a page
    /// whose head does not name the generator. With `orEmpty`, an empty page counts as a
    /// report's (a report killed between creating a page and writing it; a finished report has
    /// none). Nil when there is none: the pages checked are then known (`known`). A folder or
    /// page that cannot be read counts as not a report's.
    func firstNotAReports(protected: ProtectedFiles, orEmpty: Bool) -> String? {
        guard let names else { return "." }
        if let other = names.first(where: { $0 != "index.html" && $0 != "docs" }) { return other }
        // `head` reads only a regular file, never through a link.
        let isPage = { (folder: ReportFolder, name: String) -> Bool in
            guard let head = folder.head(of: name, count: Self.headSize),
                !protected.wouldReplace(folder.path + "/" + name),
                orEmpty && head.bytes.isEmpty || Self.namesGenerator(head.bytes)
            else { return false }
            folder.known.insert(name, head.version)
            return true
        }
        if names.contains("index.html") && !isPage(self, "index.html") { return "index.html" }
        guard names.contains("docs") else { return nil }
        guard let docs, let pages = docs.names else { return "docs" }
        return pages.first { !(Self.isPageName($0) && isPage(docs, $0)) }.map { "docs/" + $0 }
    }

    /// It was renamed to `newPath` (the folder, and its `docs`, are the same).
    func wasMoved(to newPath: String) {
        path = newPath
        if case .some(.some(let docs)) = openedDocs { docs.wasMoved(to: newPath + "/docs") }
    }

    /// Removes `name` from it if it is a file known to be a report's and still the file that
    /// was known; anything else there stays (and keeps the folder from being removed).
    private func removeIfKnown(_ name: String, files: FileOperations) {
        guard let version = known.version(of: name) else { return }
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG,
            FileVersion(info) == version
        else { return }
        _ = files.unlink(name, in: descriptor, path: path + "/" + name, isFolder: false)
    }

    /// Removes the files in it known to be a report's (`known`: the pages of `docs`, then
    /// `docs`, `index.html`), then the folder itself by its path, only if the path still names
    /// this folder. Anything else in it (a file put there or in a known file's place since)
    /// stays, and the folder with it. Whether the folder is gone: one removed meanwhile, whole
    /// or in part, by another report counts as gone.
    func remove(files: FileOperations) -> Bool {
        let gone = { (failure: Int32) in failure == 0 || failure == ENOENT }
        // A report made read-only by its owner (`chmod -R a-w`) is still removed when replaced.
        makeWritable(files: files)
        docs?.makeWritable(files: files)
        if let docs {
            for name in docs.names ?? [] { docs.removeIfKnown(name, files: files) }
            // Only the `docs` opened (an empty folder put in its place stays).
            var info = stat()
            if fstatat(descriptor, "docs", &info, AT_SYMLINK_NOFOLLOW) == 0 {
                guard FileIdentity(info) == docs.identity,
                    gone(files.unlink("docs", in: descriptor, path: docs.path, isFolder: true))
                else { return false }
            }
        }
        removeIfKnown("index.html", files: files)
        guard let named = FileSystem.identity(of: path, followingLinks: false) else { return errno == ENOENT }
        guard named == identity else { return false }
        return gone(files.unlink(path, in: AT_FDCWD, path: path, isFolder: true))
    }

    /// How much of a page's start is read to find the generator (every page names it in its
    /// first few hundred bytes).
    private static let headSize = 1024

    /// Whether the head of a page names this generator.
    private static func namesGenerator(_ head: [UInt8]) -> Bool {
        String(decoding: head, as: UTF8.self).contains(
            "<meta name=\"generator\" content=\"\(ReportWriter.generator)\">")
    }
}
