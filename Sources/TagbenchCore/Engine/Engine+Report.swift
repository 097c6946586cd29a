extension Engine {
    /// `report OUT [--docs …] [--labels …] [--with SESSION]...`: writes the HTML report folder;
    /// with other sessions, its index also shows their agreement with the open one, computed
    /// by `agree`'s code before anything is written (its errors leave nothing behind).
    func report(_ options: ReportOptions, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var options = options
        let typed = options.path
        // The folder a report goes in is replaced whole: the folder the user is in, or its
        // parent, named as `.` or `..`, is not one to give.
        let last = typed.split(separator: "/", omittingEmptySubsequences: true).last
        if last == nil || last == "." || last == ".." {
            throw .writeFailed(typed, reason: "a report replaces the folder it is written to; name a folder of its own")
        }
        options.path = Paths.absolute(typed, base: context.baseDirectory)
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
            if case .exportOverInput = error { throw .exportOverInput(typed) }
            throw error
        }
        for warning in result.warnings { emit(.warning(warning)) }
        let base = typed.hasSuffix("/") && typed.count > 1 ? String(typed.dropLast()) : typed
        emit(.message(Wording.reported(documents: result.documents, spans: result.spans, index: base + "/index.html")))
    }
}
