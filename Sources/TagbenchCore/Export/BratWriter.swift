#if canImport(Glibc)
    import Glibc
#endif

/// Writes brat standoff: per split a directory with `ID.txt` (the text, byte for byte) and
/// `ID.ann` per document, and an `annotation.conf` naming the labels.
final class BratWriter {
    private let directories: [String]
    private let labelNames: [String]
    private let spanLabels: [Int]
    private(set) var files: [[ExportedFile]]
    /// Every directory created and file staged (by its temporary name), for removal in reverse
    /// order when the export fails.
    private(set) var created: [String] = []
    private var usedNames: [Set<String>]
    private let protected: ProtectedFiles
    private let fileSystem: FileOperations

    init(
        directories: [String], labelNames: [String], spanLabels: [Int], protected: ProtectedFiles, files: FileOperations
    ) throws(TagbenchError) {
        self.fileSystem = files
        // annotation.conf reads a line that starts with [ as a section, ! as an abstract type,
        // # as a comment, < as a macro; a type name holds none of its separators either.
        for l in spanLabels {
            let name = labelNames[l]
            if let first = name.unicodeScalars.first,
                "[!#<".unicodeScalars.contains(first)
                    || name.unicodeScalars.contains(where: { ":=|,".unicodeScalars.contains($0) })
            {
                throw .invalidExportOption(
                    "label \(name)",
                    reason: "brat cannot hold it as a type: it starts with [, !, # or <, or holds : = | or ,")
            }
        }
        self.protected = protected
        self.directories = directories
        self.labelNames = labelNames
        self.spanLabels = spanLabels
        self.files = Array(repeating: [], count: directories.count)
        usedNames = Array(repeating: [], count: directories.count)
        for directory in directories { try prepare(directory) }
    }

    /// Makes the directory, or takes one an earlier export made; anything else is refused. Nothing
    /// in it is removed here: the new files are staged beside the old ones, which stay whole until
    /// the export is complete (`staleFiles`).
    private func prepare(_ directory: String) throws(TagbenchError) {
        switch FileSystem.kind(of: directory) {
        case .missing:
            let failure = fileSystem.makeDirectory(directory, 0o755)
            guard failure == 0 else { throw .writeFailed(directory, reason: FileSystem.errorText(failure)) }
            created.append(directory)
        case .directory:
            // A link to a folder is refused: the manifest beside it vouches for the name, not for
            // where the link now leads (a documents folder, swapped in).
            guard !FileSystem.isLink(directory) else {
                throw .writeFailed(
                    directory, reason: "it is a symbolic link; brat files are written only into a real folder")
            }
            let names = try FileSystem.list(directory)
            guard names.isEmpty || FileSystem.kind(of: directory + ".manifest.json") == .file else {
                throw .writeFailed(
                    directory,
                    reason: "a folder that is not empty and that no tagbench export made (give a new or empty folder)")
            }
        default:
            throw .writeFailed(directory, reason: "exists and is not a directory")
        }
    }

    /// The files of the earlier export (those its manifest lists, in this export's directories)
    /// that this one did not write again: what to remove once this export is in place. Only files
    /// tagbench wrote are ever removed, and never a protected one (a document in the folder).
    func staleFiles(listedIn manifestPath: String) -> [String] {
        let written = Set(files.joined().map(\.path))
        let folders = Set(directories)
        return ExportManifest.listedFiles(manifestPath).filter { path in
            folders.contains(Paths.directory(of: path)) && !written.contains(path) && !protected.wouldReplace(path)
                && (path.hasSuffix(".txt") || path.hasSuffix(".ann") || Paths.fileName(of: path) == "annotation.conf")
        }
    }

    /// Writes one document's pair of files into split `split`.
    func write(_ doc: ExportDocument, split: Int) throws(TagbenchError) {
        var name = String(doc.id.map { $0 == "/" ? "_" : $0 })
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        var unique = name
        var n = 1
        while usedNames[split].contains(unique) {
            n += 1
            unique = "\(name)-\(n)"
        }
        usedNames[split].insert(unique)
        let base = directories[split] + "/" + unique

        var w = JSONWriter(capacity: doc.document.bytes.count + 64)
        w.bytes.append(contentsOf: doc.document.bytes)
        try writeFile(base + ".txt", &w, split: split, records: 0, labels: [])

        // A span across a line break becomes fragments, as brat requires; its text field joins
        // them with spaces.
        let text = doc.document
        var notes: [(Int, String)] = []
        for (i, a) in doc.spans.enumerated() {
            var fragments: [TextRange] = []
            var start = a.range.start
            let scalars = Array(a.text.unicodeScalars)
            for (k, s) in scalars.enumerated() where s == "\n" || s == "\r" {
                let at = a.range.start + k
                if at > start { fragments.append(TextRange(start, at)) }
                start = at + 1
            }
            if a.range.end > start { fragments.append(TextRange(start, a.range.end)) }
            if fragments.isEmpty { continue }
            w.raw("T\(i + 1)\t\(labelNames[a.label]) ")
            w.raw(fragments.map { "\($0.start) \($0.end)" }.joined(separator: ";"))
            w.raw("\t")
            w.raw(fragments.map { text.text($0) }.joined(separator: " "))
            w.raw("\n")
            if !a.note.isEmpty { notes.append((i + 1, a.note)) }
        }
        for (k, note) in notes.enumerated() {
            let flat = String(
                note.1.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
            w.raw("#\(k + 1)\tAnnotatorNotes T\(note.0)\t\(flat)\n")
        }
        try writeFile(base + ".ann", &w, split: split, records: 1, labels: doc.spans.map(\.label))
    }

    /// Writes each directory's `annotation.conf`; returns the files of each split.
    func finish() throws(TagbenchError) -> [[ExportedFile]] {
        for split in directories.indices {
            var w = JSONWriter(capacity: 1024)
            w.raw("[entities]\n")
            for l in spanLabels { w.raw(labelNames[l] + "\n") }
            w.raw("\n[relations]\n\n[events]\n\n[attributes]\n")
            try writeFile(directories[split] + "/annotation.conf", &w, split: split, records: 0, labels: [])
        }
        return files
    }

    private func writeFile(_ path: String, _ w: inout JSONWriter, split: Int, records: Int, labels: [Int])
        throws(TagbenchError)
    {
        let file = try ExportFile(path: path, staged: true, protected: protected, files: fileSystem)
        if let staging = file.staging { created.append(staging.temporary) }
        file.records = records
        file.count(labels: labels)
        try file.write(&w)
        files[split].append(try file.close())
    }
}
