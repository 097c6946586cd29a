import Dispatch

/// The SHA-256 of a file's bytes (a saved session's), computed when first asked for: an export
/// needs it only for its manifest, at the end, and most commands never ask.
public final class FileHashing: @unchecked Sendable {
    // Guarded by `lock`: the pieces still to hash (released once hashed) and the result.
    private var segments: [ArraySlice<UInt8>]
    private var hash: String?
    private let lock = DispatchSemaphore(value: 1)

    /// Hashes a file's contents, already read.
    public convenience init(bytes: [UInt8]) { self.init(segments: [bytes[...]]) }

    /// Hashes a file's contents given as consecutive pieces.
    public init(segments: [ArraySlice<UInt8>]) {
        self.segments = segments
    }

    /// The hash, computed on the first call.
    public func wait() -> String {
        lock.wait()
        defer { lock.signal() }
        if let hash { return hash }
        var hasher = SHA256()
        for piece in segments { piece.withUnsafeBytes { hasher.update($0) } }
        let computed = Document.hex(hasher.finalize())
        hash = computed
        segments = []
        return computed
    }
}
