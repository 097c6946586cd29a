import Synchronization

/// The SHA-256 of a file's bytes (a saved session's), computed when first asked for: an export
/// needs it only for its manifest, at the end, and most commands never ask.
public final class FileHashing: Sendable {
    /// The pieces still to hash (released once hashed), then the result.
    private let state: Mutex<(segments: [ArraySlice<UInt8>], hash: String?)>

    /// Hashes a file's contents, already read.
    public convenience init(bytes: [UInt8]) { self.init(segments: [bytes[...]]) }

    /// A hash already computed.
    public init(hash: String) { state = Mutex(([], hash)) }

    /// Hashes a file's contents given as consecutive pieces.
    public init(segments: [ArraySlice<UInt8>]) {
        state = Mutex((segments, nil))
    }

    /// The hash, computed on the first call.
    public func wait() -> String {
        state.withLock { state in
            if let hash = state.hash { return hash }
            var hasher = SHA256()
            for piece in state.segments { piece.withUnsafeBytes { hasher.update($0) } }
            let computed = Document.hex(hasher.finalize())
            state = ([], computed)
            return computed
        }
    }
}
