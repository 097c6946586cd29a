import Dispatch

/// What the manifest says of one written file.
public struct ExportedFile: Sendable, Equatable {
    /// The absolute path.
    public var path: String
    /// Records (or documents, for brat) in it.
    public var records: Int
    /// Bytes written.
    public var bytes: Int
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    /// Label index → spans (or unit labels) in it.
    public var labelCounts: [Int: Int]
    /// Where the bytes are until the export is complete, and the name they then take (`path`,
    /// or what it links to); nil for a file written in place.
    var staging: (temporary: String, target: String)? = nil

    /// Equal when all the manifest says of them is (where the bytes were staged does not count).
    public static func == (a: ExportedFile, b: ExportedFile) -> Bool {
        (a.path, a.records, a.bytes, a.sha256, a.labelCounts) == (b.path, b.records, b.bytes, b.sha256, b.labelCounts)
    }
}

/// An output file that hashes what it writes and counts its records and labels. Hashing and
/// writing each happen on a queue of their own, a chunk at a time, while the next records are
/// encoded: the hash of a chunk and the write of another run side by side. A staged file is
/// written under a temporary name, so an earlier export stays whole until the new one is.
// @unchecked: each mutable field is confined to one queue or to the caller, as marked below.
final class ExportFile: @unchecked Sendable {
    let path: String
    /// The temporary name written to and the name it takes when complete, when staged.
    let staging: (temporary: String, target: String)?
    /// The name written to: the temporary one when staged.
    var writtenPath: String { staging?.temporary ?? path }
    private let file: OutputFile
    private let hashQueue = DispatchQueue(label: "tagbench.export-file.hash")
    private let writeQueue = DispatchQueue(label: "tagbench.export-file.write")
    // Touched only on `hashQueue`.
    private var hasher = SHA256()
    // Touched only on `pool`, which holds nothing for long: taking a spare buffer never waits
    // for the chunk being hashed and written, as a `queue.sync` would.
    private let pool = DispatchQueue(label: "tagbench.export-file.pool")
    private var spares: [[UInt8]] = []
    private var failure: TagbenchError?
    /// Chunks that may be in flight at once (each `chunkSize`): the encoder waits only when the
    /// queue is this far behind.
    private let inFlight = DispatchSemaphore(value: 3)
    // Touched only by the caller.
    private var chunk: [UInt8] = []
    private var byteCount = 0
    var records = 0
    /// Spans (or unit labels) written, by label index: an array, counted for every span (a
    /// dictionary's hashing was a share of the export's busiest core).
    private var counts: [Int] = []
    /// The counts of the labels that occur.
    var labelCounts: [Int: Int] {
        var c: [Int: Int] = [:]
        for (l, n) in counts.enumerated() where n > 0 { c[l] = n }
        return c
    }

    /// Counts one more span or unit label of each of `labels`.
    func count<S: Sequence>(labels: S) where S.Element == Int {
        for l in labels {
            if l >= counts.count { counts += Array(repeating: 0, count: l + 1 - counts.count) }
            counts[l] += 1
        }
    }
    private static let chunkSize = 1 << 22

    /// Opens `path` for writing, under a temporary name when `staged`; refused when `path` is,
    /// by any name, one of the `protected` files (every file an export writes comes here).
    init(path: String, staged: Bool, protected: ProtectedFiles, files: FileOperations) throws(TagbenchError) {
        try protected.check(path)
        self.path = path
        staging = staged ? FileSystem.stagingPlan(for: path) : nil
        file = try OutputFile(path: path, writingTo: staging?.temporary, files: files)
        chunk.reserveCapacity(Self.chunkSize + (1 << 16))
    }

    func write(_ w: inout JSONWriter) throws(TagbenchError) {
        try w.bytes.withUnsafeBufferPointer { (b) throws(TagbenchError) in try write(b) }
        w.bytes.removeAll(keepingCapacity: true)
    }

    /// Lets `body` append to the buffered bytes in place (what it appends is written like the
    /// rest); returns what `body` returns.
    func appendInPlace<R>(_ body: (inout [UInt8]) throws(TagbenchError) -> R) throws(TagbenchError) -> R {
        let before = chunk.count
        let result = try body(&chunk)
        byteCount += chunk.count - before
        if chunk.count >= Self.chunkSize { try handOff() }
        return result
    }

    /// Appends bytes straight from the caller's buffer.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(TagbenchError) {
        byteCount += bytes.count
        chunk.append(contentsOf: bytes)
        if chunk.count >= Self.chunkSize { try handOff() }
    }

    /// Gives the buffered bytes to the queue and takes a buffer it finished with (a few buffers
    /// in turn: no fresh memory per chunk); reports a failure of an earlier chunk.
    private func handOff() throws(TagbenchError) {
        inFlight.wait()
        let (spare, failed) = pool.sync { () -> ([UInt8]?, TagbenchError?) in (spares.popLast(), failure) }
        if let failed {
            inFlight.signal()
            throw failed
        }
        // Moved, not copied, into a box the queue owns: a buffer referenced twice would be
        // reallocated (fresh, page-faulting memory) when the queue empties it for reuse.
        let full = Chunk(spare ?? [])
        swap(&full.bytes, &chunk)
        if chunk.capacity < Self.chunkSize { chunk.reserveCapacity(Self.chunkSize + (1 << 16)) }
        // Both queues only read the chunk; it is reused once both are done with it.
        let done = DispatchGroup()
        hashQueue.async(group: done) { [self] in
            full.bytes.withUnsafeBytes { hasher.update($0) }
        }
        writeQueue.async(group: done) { [self] in
            guard pool.sync(execute: { failure }) == nil else { return }
            do throws(TagbenchError) {
                try file.write(bytes: full.bytes)
            } catch {
                pool.sync { if failure == nil { failure = error } }
            }
        }
        done.notify(queue: pool) { [self] in
            full.bytes.removeAll(keepingCapacity: true)
            spares.append(full.bytes)
            full.bytes = []
            inFlight.signal()
        }
    }

    /// A chunk's bytes, held by one reference while the queues work on them.
    // @unchecked: the hash queue reads the bytes, then the write queue; nothing writes them after.
    private final class Chunk: @unchecked Sendable {
        var bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    func close() throws(TagbenchError) -> ExportedFile {
        if !chunk.isEmpty { try handOff() }
        writeQueue.sync {}
        let digest = hashQueue.sync { hasher.finalize() }
        if let failure = pool.sync(execute: { failure }) { throw failure }
        try file.close()
        return ExportedFile(
            path: path, records: records, bytes: byteCount, sha256: Document.hex(digest), labelCounts: labelCounts,
            staging: staging)
    }
}

/// The record files of one split: a new numbered shard every `shardSize` records, each file
/// framed (a JSON list for Label Studio, nothing for JSONL and CoNLL).
final class ShardedOutput {
    /// The split's name, nil when the export is not split.
    let split: String?
    private let basePath: String
    private let shardSize: Int?
    private let framing: Framing
    private var current: ExportFile?
    private(set) var files: [ExportedFile] = []
    /// Every file staged (by its temporary name), for removal when the export fails; a file
    /// written in place (a device) is never removed.
    private(set) var opened: [String] = []

    /// How records sit in a file.
    struct Framing {
        var open: StaticString = ""
        var separator: StaticString = ""
        var close: StaticString = ""
        static let lines = Framing()
        static let jsonList = Framing(open: "[\n", separator: ",\n", close: "\n]\n")
    }

    private let protected: ProtectedFiles
    private let fileSystem: FileOperations

    init(
        split: String?, basePath: String, shardSize: Int?, framing: Framing, protected: ProtectedFiles,
        files: FileOperations
    ) {
        self.protected = protected
        self.fileSystem = files
        self.split = split
        self.basePath = basePath
        self.shardSize = shardSize
        self.framing = framing
    }

    private var w = JSONWriter(capacity: 1 << 16)
    /// Records written to this split so far (Label Studio numbers its tasks by it).
    private(set) var recordCount = 0

    /// Writes a document's records in order, in the file's framing, starting new shards as needed.
    func write(_ encoded: EncodedDocument) throws(TagbenchError) {
        try encoded.bytes.withUnsafeBufferPointer { (bytes) throws(TagbenchError) in
            for record in encoded.records {
                if let c = current, let shardSize, c.records >= shardSize { try finishFile() }
                if current == nil {
                    let path =
                        shardSize == nil ? basePath : ExportPaths.inserting(format5(files.count + 1), into: basePath)
                    current = try ExportFile(path: path, staged: true, protected: protected, files: fileSystem)
                    if let staging = current!.staging { opened.append(staging.temporary) }
                    w.raw(framing.open)
                } else {
                    w.raw(framing.separator)
                }
                recordCount += 1
                if encoded.numbered {
                    w.raw("{\"id\": ")
                    w.int(recordCount)
                }
                let c = current!
                try c.write(&w)
                try c.write(UnsafeBufferPointer(rebasing: bytes[record.range]))
                c.records += 1
                c.count(labels: record.labels)
            }
        }
    }

    /// Whether records can be encoded straight into the file's buffer (`write(encoding:)`):
    /// nothing goes before or between them (JSON lines) and they all go to one file.
    var takesRecordsInPlace: Bool {
        shardSize == nil && framing.open.utf8CodeUnitCount == 0 && framing.separator.utf8CodeUnitCount == 0
    }

    /// A document's records, encoded by `encode` straight into the file's buffer (a copy of the
    /// whole export less, on the core the hashing waits for); only when `takesRecordsInPlace`.
    func write(encoding encode: (inout [UInt8]) throws(TagbenchError) -> EncodedDocument) throws(TagbenchError)
        -> EncodedDocument
    {
        precondition(takesRecordsInPlace, "records in place in a framed or sharded output")
        if current == nil {
            current = try ExportFile(path: basePath, staged: true, protected: protected, files: fileSystem)
            if let staging = current!.staging { opened.append(staging.temporary) }
        }
        let c = current!
        let encoded = try c.appendInPlace(encode)
        precondition(!encoded.numbered, "numbered records in place")
        for record in encoded.records {
            recordCount += 1
            c.records += 1
            c.count(labels: record.labels)
        }
        return encoded
    }

    /// Closes the last file. An export that is not split still gets its (empty) file when nothing
    /// went to it; a split with no records gets none (the exporter warns of it): an empty file
    /// is one that consumers such as `datasets.load_dataset` fail on.
    func finish() throws(TagbenchError) {
        if current == nil && files.isEmpty {
            if split != nil { return }
            let path = shardSize == nil ? basePath : ExportPaths.inserting(format5(1), into: basePath)
            current = try ExportFile(path: path, staged: true, protected: protected, files: fileSystem)
            if let staging = current!.staging { opened.append(staging.temporary) }
            var w = JSONWriter(capacity: 16)
            w.raw(framing.open)
            if framing.open.utf8CodeUnitCount > 0 { w.raw("]\n") }
            try current!.write(&w)
            files.append(try current!.close())
            current = nil
            return
        }
        try finishFile()
    }

    private func finishFile() throws(TagbenchError) {
        guard let c = current else { return }
        var w = JSONWriter(capacity: 16)
        w.raw(framing.close)
        try c.write(&w)
        files.append(try c.close())
        current = nil
    }

    private func format5(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}

/// Names of the files an export writes.
enum ExportPaths {
    /// `dir/name.ext` with `-part` before the extension (`out.jsonl` → `out-train.jsonl`).
    static func inserting(_ part: String, into path: String) -> String {
        let directory = Paths.directory(of: path)
        let name = Paths.fileName(of: path)
        let stem: Substring
        let ext: Substring
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = name[..<dot]
            ext = name[dot...]
        } else {
            stem = Substring(name)
            ext = ""
        }
        return (directory == "/" ? "/" : directory + "/") + stem + "-" + part + ext
    }

    /// `dir/name.ext` with its extension replaced (`out.jsonl` → `out.labels.json`).
    static func replacingExtension(of path: String, with ext: String) -> String {
        let name = Paths.fileName(of: path)
        let directory = Paths.directory(of: path)
        let stem = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : name[..<$0] } ?? Substring(name)
        return (directory == "/" ? "/" : directory + "/") + stem + ext
    }
}
