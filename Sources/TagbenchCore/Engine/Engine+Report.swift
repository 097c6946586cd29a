extension Engine {
    /// Whether the folder `target` is `folder` or one of the folders above it (its parent, its
    /// parent's parent, … up to `/`).
    static func isAtOrAbove(_ target: FileIdentity, _ folder: String) -> Bool {
        var path = folder
        var seen = FileIdentity(device: 0, inode: 0)
        while let here = FileSystem.identity(of: path, followingLinks: true), here != seen {
            if here == target { return true }
            seen = here
            path += "/.."
        }
        return false
    }

    /// `report OUT [--docs …] [--labels …] [--with SESSION]...`: writes the HTML report folder;
    /// with other sessions, its index also shows their agreement with the open one, computed
    /// by `agree`'s code before anything is written (its errors leave nothing behind).
    func report(_ options: ReportOptions, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var options = options
        // OUT as typed, for messages (`out/` and `out//` are `out`).
        var typed = options.path
        while typed.count > 1 && typed.hasSuffix("/") { typed.removeLast() }
        options.path = try FileSystem.writtenPath(typed, base: context.baseDirectory)
        // The folder a report goes in is replaced whole: not the folder the user (or the
        // script) is in, nor one above it, however named.
        let last = Paths.components(of: typed).last
        if last == nil || last == "." || last == ".."
            || FileSystem.identity(of: options.path, followingLinks: true).map({ target in
                Self.isAtOrAbove(target, ".") || Self.isAtOrAbove(target, context.baseDirectory)
            }) == true
        {
            throw .writeFailed(typed, reason: "a report replaces the folder it is written to; name a folder of its own")
        }
        // The check every written path goes through: not the session, not a document.
        var inputs = session.documents.map(\.path) + [sessionPath].compactMap { $0 }
        var agreement: AgreementReport?
        if !options.sessions.isEmpty {
            let (sources, files) = try agreementSources(
                options.sessions, command: "report", context: context, emit: emit)
            agreement = try Agreement.compare(
                sources, options: AgreementOptions(labels: options.labels, documents: options.documents))
            // Nor any other session or its documents.
            inputs += files + sources.dropFirst().flatMap { $0.session.documents.map(\.path) }
        }
        let protected = ProtectedFiles(inputs)
        let name = sessionPath.map { Paths.fileName(of: $0) } ?? ""
        let result: ReportWriter.Result
        do {
            result = try ReportWriter.write(
                session, options: options, name: name, agreement: agreement, protected: protected, monitor: monitor,
                files: files)
        } catch {
            // Said of OUT as the user typed it.
            switch error {
            case .exportOverInput: throw .exportOverInput(typed)
            case .writeFailed(let path, let reason) where path == options.path:
                throw .writeFailed(typed, reason: reason)
            case .unreadable(let path, let reason) where path == options.path: throw .unreadable(typed, reason: reason)
            default: throw error
            }
        }
        for warning in result.warnings { emit(.warning(warning)) }
        emit(.message(Wording.reported(documents: result.documents, spans: result.spans, index: typed + "/index.html")))
    }
}
