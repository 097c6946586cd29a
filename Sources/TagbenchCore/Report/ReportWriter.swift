import CTagbenchSystem
#if canImport(Glibc)
    import Glibc
#endif

/// Writes a report folder: `OUT/index.html` and a page a document (`OUT/docs/N.html`, N its
/// number in the session), self-contained HTML with no network.
///
/// The pages are written (by `ReportPages`, on every core) into a new hidden folder beside OUT
/// (`.OUT.tmp-PID`), which takes OUT's name only when every page is written: Ctrl-C, SIGINT,
/// SIGTERM or a failure removes it and leaves an earlier report as it was. OUT may be new, an
/// empty folder, or a report tagbench wrote (nothing else in it); like every path tagbench
/// writes, it may not be the session or a document by any name, nor hold one.
public enum ReportWriter {
    /// The `generator` every page names: how an earlier report is known.
    public static let generator = "tagbench report"

    /// What a report wrote.
    public struct Result: Sendable {
        /// Documents given a page.
        public var documents = 0
        /// Spans marked.
        public var spans = 0
        /// The index page.
        public var index = ""
        /// Things left out, and why.
        public var warnings: [String] = []
    }

    /// Writes the report `options` ask for of `session` (`options.path` absolute); `name` is the
    /// session as the user named it, for the title; `agreement`, when given, is shown on the index.
    public static func write(
        _ session: Session, options: ReportOptions, name: String, agreement: AgreementReport? = nil,
        protected: ProtectedFiles,
        monitor: ProgressMonitor? = nil, files: FileOperations = SystemFileOperations.shared
    ) throws(TagbenchError) -> Result {
        let labels = session.tagSet.labels
        let chosenLabels = try SessionSelection.labels(options.labels, in: session.tagSet)
        var chosen = try SessionSelection.documents(options.documents, in: session)
        var result = Result()
        let missing = chosen.filter { session.documents[$0].isMissing }.count
        if missing > 0 {
            chosen.removeAll { session.documents[$0].isMissing }
            result.warnings.append("\(Format.count(missing, "missing document")) left out")
        }
        let target =
            options.path.hasSuffix("/") && options.path.count > 1 ? String(options.path.dropLast()) : options.path
        let shownName = Paths.fileName(of: target)
        try protected.check(target)
        let found = try checkTarget(target, protected: protected)
        // The earlier report, if any: only the folder found here is ever set aside and removed.
        let earlier = found?.isReport == true ? found?.folder : nil
        // The folder the report replaces (an earlier report, an empty folder): the new one takes
        // its permissions and group.
        let replaced = found?.folder.access
        try FileSystem.makeDirectories(Paths.directory(of: target), files: files)
        let (stuck, kept) = removeLeftovers(of: target, protected: protected, files: files)
        if !stuck.isEmpty {
            result.warnings.append(
                "what earlier reports left in \(stuck.joined(separator: ", ")) could not be removed; the next report to \(shownName) tries again"
            )
        }
        if !kept.isEmpty {
            result.warnings.append(
                "\(kept.joined(separator: ", ")) beside \(shownName) \(Format.agreeing(kept.count, "holds", "hold")) files no report wrote and \(Format.agreeing(kept.count, "is", "are")) left as \(Format.agreeing(kept.count, "it is", "they are")); remove what you do not need yourself"
            )
        }

        var categoriesOf: [Int: [CategoryAnnotation]] = [:]
        for category in session.categories where chosenLabels.contains(category.label) {
            categoriesOf[category.document, default: []].append(category)
        }
        let staging = FileSystem.temporaryPath(for: target)
        // The staging folder this report made: nothing else is removed when it fails.
        var made: ReportFolder?
        tb_defer_signals_begin()
        defer { tb_defer_signals_end() }
        do {
            try makeDirectory(staging, files: files)
            // Adopted only if what is opened is empty, as the folder just made is: one swapped in
            // between the mkdir and the open is never emptied.
            guard let folder = ReportFolder(staging), folder.names?.isEmpty == true else {
                throw TagbenchError.writeFailed(staging, reason: "it changed while the report was written")
            }
            made = folder
            // Kept from others while the pages (the documents' text) are written into it, then
            // given, just before it takes OUT's name, the permissions of the folder it replaces
            // (a folder kept from others stays so), or those it was made with. Its group, and
            // with it the set-group-id bit, it has from the start: what is made in it takes that
            // group, as in a team's shared folder (a group this user may not give is said).
            let access = replaced ?? folder.access
            try succeed(folder.take(privately: access, files: files), staging)
            try succeed(folder.makeDocs(files: files), staging + "/docs")
            // Opened now, and the same check: the `docs` removed on failure is the one made here.
            guard folder.adoptEmptyDocs(), let docs = folder.docs else {
                throw TagbenchError.writeFailed(staging + "/docs", reason: "it changed while the report was written")
            }
            // Its docs the replaced report's group before the pages are made in it, and its
            // permissions (read-only, it may be) once they are.
            let docsAccess = earlier?.docs?.access
            if let docsAccess { try succeed(docs.take(privately: docsAccess, files: files), staging + "/docs") }
            // Pages as any file is made (the umask deciding: 0644 under the usual 022, 0664 under
            // a team's 002), or, replacing a report, as its pages were (one made read-only or
            // private stays so), the umask applied.
            let pageMode = (earlier?.indexMode ?? 0o666) & 0o666
            defer { monitor?.finished() }
            // Pages are created in the folders opened here, whatever their paths lead to later.
            let pages = try ReportPages.write(
                chosen, of: session, chosenLabels: chosenLabels, categoriesOf: categoriesOf,
                into: docs.pageFolder(mode: pageMode),
                shownName: shownName, monitor: monitor, files: files)
            result.spans = pages.spans
            let stale = pages.stale
            var w = JSONWriter(capacity: 1 << 20)
            ReportIndex(
                session: name, labels: labels, chosenLabels: chosenLabels, rows: pages.rows, agreement: agreement
            )
            .write(&w)
            try ReportPageFile.write("index.html", in: folder.pageFolder(mode: pageMode), &w, files: files)
            if stale > 0 {
                result.warnings.append(
                    "\(Format.count(stale, "span")) no longer \(Format.agreeing(stale, "matches its document's", "match their documents'")) text; left out"
                )
            }
            if tb_deferred_signal() != 0 { throw TagbenchError.interrupted("report to \(shownName)") }
            for (made, wanted, inside) in [(folder, access, ""), (docs, docsAccess, "/docs")] {
                guard let wanted else { continue }
                try succeed(made.setMode(wanted.mode, files: files), staging + inside)
                if let warning = made.shortfall(from: wanted, shown: shownName + inside) {
                    result.warnings.append(warning)
                }
            }
            // The new report takes OUT's name (`replace`), then the earlier report goes. Each
            // is first checked to be the folder it was: one swapped in meanwhile (a link, a
            // folder of the user's) is not moved, and the report fails.
            if let earlier, FileSystem.identity(of: target, followingLinks: false) != earlier.identity {
                throw TagbenchError.writeFailed(target, reason: "it changed while the report was written")
            }
            if FileSystem.identity(of: staging, followingLinks: false) != folder.identity {
                throw TagbenchError.writeFailed(staging, reason: "it changed while the report was written")
            }
            if FileSystem.identity(of: staging + "/docs", followingLinks: false) != docs.identity {
                throw TagbenchError.writeFailed(staging + "/docs", reason: "it changed while the report was written")
            }
            let placed = try replace(earlier, at: target, with: staging, files: files)
            // Checked again under OUT's name: a folder or a `docs` swapped in just before the
            // replacement must not stand as the report. Put back, and the report fails.
            if FileSystem.identity(of: target, followingLinks: false) != folder.identity
                || FileSystem.identity(of: target + "/docs", followingLinks: false) != docs.identity
            {
                undo(placed, earlier: earlier, at: target, with: staging, files: files)
                throw TagbenchError.writeFailed(target, reason: "it changed while the report was written")
            }
            made = nil
            // The new report is in place whatever happens to the earlier one: what cannot be
            // removed is said, and the next report of OUT removes it (`removeLeftovers`).
            // Removed through the folder checked at the start (and its `docs` as then opened).
            if let earlier, !earlier.remove(files: files) {
                // Out of the staging folder's name, which the next report of this process takes.
                if earlier.path == staging {
                    let old = asidePath(for: target)
                    if files.rename(staging, old) == 0 { earlier.wasMoved(to: old) }
                }
                result.warnings.append(
                    "the earlier report could not be removed entirely: what is left of it is in \(Paths.fileName(of: earlier.path)), which the next report to \(shownName) removes if only report pages are left in it"
                )
            }
        } catch let error as TagbenchError {
            _ = made?.remove(files: SystemFileOperations.shared)
            throw said(error, of: target, staging: staging)
        } catch {
            _ = made?.remove(files: SystemFileOperations.shared)
            preconditionFailure("unexpected error \(error)")
        }
        result.documents = chosen.count
        result.index = target + "/index.html"
        return result
    }

    /// An error about the staging folder or a file in it, said of OUT: the staging folder is
    /// gone, or not the user's to look for, when the error is shown.
    private static func said(_ error: TagbenchError, of target: String, staging: String) -> TagbenchError {
        guard case .writeFailed(let path, let reason) = error else { return error }
        if path == staging { return .writeFailed(target, reason: "\(reason) (at \(Paths.fileName(of: staging)))") }
        guard path.utf8.starts(with: (staging + "/").utf8) else { return error }
        return .writeFailed(target, reason: "\(reason) (at \(String(path.utf8.dropFirst(staging.utf8.count + 1))!))")
    }

    /// How `replace` gave the staging folder OUT's name.
    private enum Placement {
        /// Swapped names with the earlier report, now at the staging name.
        case exchanged
        /// Renamed; the earlier report, if any, first stepped aside to this path.
        case renamed(aside: String?)
    }

    /// Gives `staging` the name `target`. An earlier report there swaps names with it in one
    /// step where the file system can (OUT is never missing, even to a process killed there) and
    /// is then at `staging`; elsewhere it first steps aside (`asidePath`).
    private static func replace(
        _ earlier: ReportFolder?, at target: String, with staging: String, files: FileOperations
    ) throws(TagbenchError) -> Placement {
        var aside: String?
        if let earlier {
            let swapped = files.exchange(staging, target)
            if swapped == 0 {
                earlier.wasMoved(to: staging)
                return .exchanged
            }
            if swapped != ENOSYS { throw .writeFailed(target, reason: FileSystem.errorText(swapped)) }
            let path = asidePath(for: target)
            let failure = files.rename(target, path)
            if failure != 0 { throw .writeFailed(target, reason: FileSystem.errorText(failure)) }
            earlier.wasMoved(to: path)
            aside = path
        }
        let failure = files.rename(staging, target)
        if failure != 0 {
            if let aside, files.rename(aside, target) == 0 { earlier?.wasMoved(to: target) }
            throw .writeFailed(target, reason: FileSystem.errorText(failure))
        }
        return .renamed(aside: aside)
    }

    /// Takes back what `replace` did: what is at OUT returns to the staging name, and the
    /// earlier report, if any, to OUT.
    private static func undo(
        _ placed: Placement, earlier: ReportFolder?, at target: String, with staging: String,
        files: FileOperations
    ) {
        switch placed {
        case .exchanged:
            if files.exchange(staging, target) == 0 { earlier?.wasMoved(to: target) }
        case .renamed(let aside):
            guard files.rename(target, staging) == 0 else { return }
            if let aside, files.rename(aside, target) == 0 { earlier?.wasMoved(to: target) }
        }
    }

    /// `target` as found, opened: an empty folder, or an earlier report (to be replaced); nil
    /// when it is missing. Throws when it is anything else (a file, a link, a folder with other
    /// things in it).
    private static func checkTarget(
        _ target: String, protected: ProtectedFiles
    ) throws(TagbenchError) -> (folder: ReportFolder, isReport: Bool)? {
        // A link is refused whatever it leads to (a folder, a file, nowhere): where it leads may
        // change under the report.
        guard !FileSystem.isLink(target) else {
            throw .writeFailed(target, reason: "it is a symbolic link; a report is written only into a real folder")
        }
        switch FileSystem.kind(of: target) {
        case .missing: return nil
        case .directory:
            guard let folder = ReportFolder(target), let names = folder.names else {
                throw .unreadable(target, reason: FileSystem.errorText(errno))
            }
            if names.isEmpty { return (folder, false) }
            if let other = folder.firstNotAReports(protected: protected, orEmpty: false) {
                // A page this user may not read (a teammate's, made under umask 077) cannot be
                // told to be a report's: said as such, not as a stranger's file.
                if other != ".", access(target + "/" + other, R_OK) != 0, errno == EACCES {
                    throw .writeFailed(
                        target,
                        reason:
                            "\(other) cannot be read by this user, so it cannot be checked to be a report's; give a new or empty folder, or ask its owner"
                    )
                }
                throw .writeFailed(
                    target,
                    reason:
                        "a folder that is not empty and that no tagbench report made (\(other) is not a report's; give a new or empty folder)"
                )
            }
            guard names.contains("index.html") else {
                throw .writeFailed(
                    target,
                    reason:
                        "a folder that is not empty and that no tagbench report made (it has no index.html; give a new or empty folder)"
                )
            }
            return (folder, true)
        default:
            throw .writeFailed(target, reason: "exists and is not a folder")
        }
    }

    /// Where the earlier report steps aside: `.OUT.old.tmp-PID`, or `.OUT.oldK.tmp-PID` when
    /// this process already left one there that it could not remove (a rename onto a folder
    /// that is not empty fails, and the new report would not take its place).
    private static func asidePath(for target: String) -> String {
        var k = 1
        while true {
            let path = FileSystem.temporaryPath(for: target + (k == 1 ? ".old" : ".old\(k)"))
            if FileSystem.kind(of: path) == .missing && !FileSystem.isLink(path) { return path }
            k += 1
        }
    }

    /// Whether `temporaryName` (of `.NAME.tmp-PID`) is `OUT.old` or `OUT.oldK`, compared as bytes.
    private static func isAsideName(_ temporaryName: String, of name: String) -> Bool {
        let bytes = Array(temporaryName.utf8), prefix = Array((name + ".old").utf8)
        return bytes.starts(with: prefix)
            && bytes[prefix.count...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Removes the staging folders earlier reports of `target` left (`.OUT.tmp-PID`,
    /// `.OUT.old.tmp-PID`, `.OUT.oldK.tmp-PID`): of a process killed part-way, or of this one
    /// (which writes one report at a time), whose earlier report could not be removed entirely.
    /// A folder that holds anything else (a file of the user's) is left alone. Returns the names
    /// of the leftovers that could not be removed, and of those kept for what they hold.
    private static func removeLeftovers(
        of target: String, protected: ProtectedFiles, files: FileOperations
    ) -> (stuck: [String], kept: [String]) {
        let directory = Paths.directory(of: target), name = Paths.fileName(of: target)
        var stuck: [String] = [], kept: [String] = []
        for entry in (try? FileSystem.list(directory)) ?? [] {
            guard let temporary = FileSystem.temporary(entry),
                FileSystem.sameName(temporary.name, name) || isAsideName(temporary.name, of: name),
                temporary.pid > 0, temporary.pid == getpid() || (kill(temporary.pid, 0) != 0 && errno == ESRCH),
                let folder = ReportFolder(directory + "/" + entry)
            else { continue }
            guard folder.firstNotAReports(protected: protected, orEmpty: true) == nil else {
                kept.append(entry)
                continue
            }
            if !folder.remove(files: files) { stuck.append(entry) }
        }
        return (stuck, kept)
    }

    /// Makes a folder as `mkdir` would: the user's umask decides its permissions.
    private static func makeDirectory(_ path: String, files: FileOperations) throws(TagbenchError) {
        try succeed(files.makeDirectory(path, 0o777), path)
    }

    /// Throws the failure of an operation on `path` (0: none).
    private static func succeed(_ failure: Int32, _ path: String) throws(TagbenchError) {
        if failure != 0 { throw .writeFailed(path, reason: FileSystem.errorText(failure)) }
    }
}
