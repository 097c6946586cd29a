/// The tag set: labels added one by one or merged from a tag-set file.
extension Engine {
    func labelRows() -> [LabelRow] {
        session.tagSet.labels.enumerated().map { i, label in
            let units = session.categoryCount(label: i)
            return label.kind == .span
                ? LabelRow(
                    label: label, count: i < session.labelCounts.count ? session.labelCounts[i] : 0, units: units)
                : LabelRow(label: label, count: units)
        }
    }

    func addLabel(_ label: Label, command: Command, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let index = try session.tagSet.add(label)
        let added = session.tagSet.labels[index]
        push(UndoStep(summary: CommandRenderer.render(command), changes: [.addedLabels([added])]), log: command)
        emit(.message(Wording.labelAdded(added)))
    }

    func mergeTagSet(_ path: String, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        let absolute = Paths.absolute(path, base: context.baseDirectory)
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(absolute) } catch {
            if case .fileNotFound = error { throw .fileNotFound(path) }
            throw error
        }
        let file = try TagSetCodec.decode(bytes, displayPath: path)
        // Work on a copy so that an error part-way changes nothing.
        var tagSet = session.tagSet
        var added: [String] = []
        var updated = 0
        for label in file.labels {
            if let existing = tagSet.index(of: label.name), tagSet.labels[existing].name == label.name {
                let before = tagSet.labels[existing]
                guard before.kind == label.kind else {
                    throw .invalidTagSet(
                        path: path,
                        reason:
                            "label \(label.name) is a \(label.kind.rawValue) label here but a \(before.kind.rawValue) label in the session"
                    )
                }
                for alias in label.aliases { try tagSet.addAlias(alias, to: existing) }
                try tagSet.update(existing, from: label)
                if tagSet.labels[existing] != before { updated += 1 }
            } else {
                try tagSet.add(label)
                added.append(label.name)
            }
        }
        tagSet.overlap = file.overlap
        // Labels the file leaves out are removed, unless something still uses them.
        let kept = Set(file.labels.map(\.name))
        let leftOut = Set(tagSet.labels.indices.filter { !kept.contains(tagSet.labels[$0].name) })
        let inUse = leftOut.sorted().compactMap { i -> String? in
            let uses = session.uses(ofLabel: i)
            return uses.isEmpty ? nil : "\(tagSet.labels[i].name) (\(uses))"
        }
        if !inUse.isEmpty { throw .labelsInUse(inUse.joined(separator: "; ")) }
        let removedNames = leftOut.sorted().map { tagSet.labels[$0].name }
        let (after, map) = tagSet.removing(leftOut)
        let before = session.tagSet
        guard !added.isEmpty || updated > 0 || !leftOut.isEmpty || before.overlap != after.overlap else {
            emit(.message(Wording.tagSetUnchanged(path, labels: file.labels.count)))
            return
        }
        apply(.replacedTagSet(before: before, after: after, map: map))
        push(
            UndoStep(summary: "schema \(path)", changes: [.replacedTagSet(before: before, after: after, map: map)]),
            log: .schema(absolute))
        emit(
            .message(
                Wording.tagSetMerged(
                    path, added: added, updated: updated, removed: removedNames,
                    overlap: before.overlap != after.overlap ? after.overlap : nil)))
    }
}
