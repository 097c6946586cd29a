extension Engine {
    /// `report OUT [--docs …] [--labels …]`: writes the HTML report folder.
    func report(_ options: ReportOptions, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        var options = options
        let typed = options.path
        options.path = Paths.absolute(typed, base: context.baseDirectory)
        // The check every written path goes through: not the session, not a document.
        let protected = ProtectedFiles(session.documents.map(\.path) + [sessionPath].compactMap { $0 })
        let name = sessionPath.map { Paths.fileName(of: $0) } ?? ""
        let result: ReportWriter.Result
        do {
            result = try ReportWriter.write(
                session, options: options, name: name, protected: protected, monitor: monitor, files: files)
        } catch {
            if case .exportOverInput = error { throw .exportOverInput(typed) }
            throw error
        }
        for warning in result.warnings { emit(.warning(warning)) }
        let base = typed.hasSuffix("/") && typed.count > 1 ? String(typed.dropLast()) : typed
        emit(.message(Wording.reported(documents: result.documents, spans: result.spans, index: base + "/index.html")))
    }
}
