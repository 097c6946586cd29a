/// `agree`: inter-annotator agreement of the open session with others, read only (they are
/// neither locked nor changed), and `show dN`, a disagreement it found.
extension Engine {
    /// Characters of context `show dN` gives on each side.
    static let disagreementContext = 20

    func agree(_ request: AgreeRequest, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        if request.against != nil { return try agreeAgainst(request, context: context, emit: emit) }
        let (sources, seen) = try agreementSources(request.sessions, command: "agree", context: context, emit: emit)
        var options = request.options
        // Always found here: `show dN` refers to them after a listing without --diff too.
        options.listsDisagreements = true
        let report = try Agreement.compare(sources, options: options)
        if let target = request.json {
            // The disagreements are in the JSON when they were asked for.
            var written = report
            if !request.options.listsDisagreements { written.disagreements = [] }
            try writeFigures(written.json(), to: target, sources: sources, files: seen, context: context, emit: emit)
        }
        lastAgreement = report
        lastWasAgainst = false
        // With the figures on stdout as JSON, the table would spoil them.
        if request.json != "-" { emit(.agreement(report, listing: request.options.listsDisagreements)) }
    }

    /// `agree --against CURATED [SESSION...]`: each annotator (the open session, unless it is the
    /// curated one, and the sessions named) against the curated session.
    private func agreeAgainst(_ request: AgreeRequest, context: ExecutionContext, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        let curated = request.against!
        guard !curated.isEmpty else {
            throw .invalidArgument(command: "agree", argument: "--against ''", expected: "a curated session's file")
        }
        let absolute = Paths.absolute(curated, base: context.baseDirectory)
        guard FileSystem.kind(of: absolute) != .missing else { throw .fileNotFound(curated) }
        let isOpen = sessionPath.flatMap { FileSystem.identity(of: $0) } == FileSystem.identity(of: absolute)
        let (sources, seen) = try agreementSources(
            isOpen ? request.sessions : [curated] + request.sessions, command: "agree", context: context, emit: emit)
        let reference = isOpen ? 0 : 1
        let annotators = sources.indices.filter { $0 != reference }
        guard !annotators.isEmpty else {
            throw .missingArgument(command: "agree", what: "an annotator's session to measure against \(curated)")
        }
        // Names are checked over every session once: a label only one annotator has is valid.
        try Agreement.checkNames(sources, options: request.options)
        var options = request.options
        options.listsDisagreements = true
        options.skipsUnknownNames = true
        let open = sources[reference].session.conflicts.open.count
        if open > 0 {
            emit(.warning(Wording.curationUnfinished(sources[reference].path, open: open)))
        }
        var comparisons: [AgreementReport] = []
        for a in annotators {
            do {
                comparisons.append(try Agreement.compare([sources[reference], sources[a]], options: options))
            } catch .noCommonDocument {
                // One annotator who shares nothing with the curation does not hide the others.
                emit(.warning(Wording.nothingInCommon(sources[a].path, with: sources[reference].path)))
            }
        }
        guard !comparisons.isEmpty else {
            throw .noCommonDocument(
                sessions: [sources[reference].path] + annotators.map { sources[$0].path },
                chosen: !request.options.documents.isEmpty)
        }
        let feedback = CurationFeedback(comparisons: comparisons)
        if let target = request.json {
            // The differences are in the JSON when they were asked for; the table counts them anyway.
            var written = feedback
            if !request.options.listsDisagreements {
                for k in written.comparisons.indices { written.comparisons[k].disagreements = [] }
            }
            try writeFigures(written.json(), to: target, sources: sources, files: seen, context: context, emit: emit)
        }
        // `show dN` numbers one comparison's disagreements: with several, they would be ambiguous.
        lastAgreement = nil
        lastWasAgainst = true
        if request.json != "-" { emit(.curation(feedback, listing: request.options.listsDisagreements)) }
    }

    /// Writes `agree`'s JSON to `target` (`-`: stdout), as an export writes a file: never over a
    /// session, a file beside one, or a document of any of them.
    private func writeFigures(
        _ json: [UInt8], to target: String, sources: [AgreementSource], files: [String], context: ExecutionContext,
        emit: (OutputItem) -> Void
    ) throws(TagbenchError) {
        if target == "-" {
            emit(.json(json))
            return
        }
        let absolute = Paths.absolute(target, base: context.baseDirectory)
        let inputs = sources.flatMap { $0.session.documents.map(\.path) } + files
        try ProtectedFiles(inputs).check(absolute, shown: target)
        // Missing folders are made, as an export makes them.
        try FileSystem.makeDirectories(Paths.directory(of: absolute))
        try FileSystem.writeOutput(json, to: absolute)
    }

    /// The open session and the sessions at `others` (opened read only: no lock, no journal,
    /// nothing written), each named for its annotator as `agree` names them, and the sessions'
    /// files (resolved) for the check every written path goes through. `agree` and a report of
    /// several sessions both go through here; a session given twice or missing is an error.
    func agreementSources(
        _ others: [String], command: String, context: ExecutionContext, emit: (OutputItem) -> Void
    ) throws(TagbenchError) -> (sources: [AgreementSource], files: [String]) {
        var paths = [sessionPath.map { Paths.relative($0, to: context.baseDirectory) } ?? "(unsaved session)"]
        var sessions = [session]
        // One file by any name (a symbolic or hard link, another spelling of the path) is one
        // annotator: files are told apart by device and inode.
        var identities = Set(sessionPath.flatMap { FileSystem.identity(of: $0) }.map { [$0] } ?? [])
        var seen = Set(sessionPath.map { [$0] } ?? [])
        for path in others {
            let absolute = Paths.absolute(path, base: context.baseDirectory)
            // A session that does not exist would open as a new, empty one.
            guard FileSystem.kind(of: absolute) != .missing else { throw .fileNotFound(path) }
            guard let identity = FileSystem.identity(of: absolute), identities.insert(identity).inserted else {
                throw .sessionGivenTwice(path)
            }
            seen.insert(FileSystem.resolvingLinks(absolute))
            guard sessions.count < Agreement.largestCount else {
                throw .unexpectedArgument(command: command, argument: path)
            }
            // Opened as `--read-only` opens it: no lock taken, no journal attached, nothing written
            // (so its undo history is not read).
            let (other, warnings) = try Engine.open(
                path: absolute, displayPath: path, annotator: annotator, history: false)
            for warning in warnings { emit(.warning(warning)) }
            paths.append(path)
            sessions.append(other.session)
        }
        let names = Agreement.distinctNames(
            sessions.indices.map { k in
                Agreement.annotatorName(
                    of: sessions[k],
                    fallback: k == 0
                        ? sessionPath.map { Paths.stem(of: $0) } ?? annotator.name : Paths.stem(of: paths[k]))
            }, paths: paths)
        let sources = sessions.indices.map { AgreementSource(name: names[$0], path: paths[$0], session: sessions[$0]) }
        return (sources, Array(seen))
    }

    func disagreementView(_ number: Int) throws(TagbenchError) -> OutputItem {
        guard let report = lastAgreement else {
            throw .invalidArgument(
                command: "show", argument: "d\(number)",
                expected: lastWasAgainst
                    ? "a disagreement of a plain agree (agree --against numbers each annotator's differences apart; "
                        + "agree CURATED SESSION numbers one pair's)"
                    : "a disagreement: run agree first")
        }
        guard number >= 1 && number <= report.disagreements.count else {
            throw .invalidArgument(
                command: "show", argument: "d\(number)",
                expected: "a disagreement of the last agree (d1–d\(report.disagreements.count))")
        }
        let item = report.disagreements[number - 1]
        guard item.documents[0] < session.documents.count else {
            throw .invalidArgument(
                command: "show", argument: "d\(number)", expected: "a disagreement in a document still loaded")
        }
        // The open session is the first annotator: its document holds the text.
        let document = session.documents[item.documents[0]]
        let from = max(0, item.range.start - Self.disagreementContext)
        let to = min(document.length, item.range.end + Self.disagreementContext)
        var text = document.text(TextRange(from, to))
        text = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
        return .disagreement(
            DisagreementView(disagreement: item, annotators: report.annotators, start: from, text: text))
    }
}
