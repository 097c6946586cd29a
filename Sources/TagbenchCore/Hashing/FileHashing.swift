import Dispatch

/// The SHA-256 of a file's bytes (a saved session's), computed when a core is idle or by the
/// first caller of `wait`, whichever comes first.
///
/// Opening a session for an export used to hash its file at once, on a core the parse and the
/// document reads needed; an export asks for the hash only when it writes its manifest.
public final class FileHashing: @unchecked Sendable {
    /// How much is hashed under the lock at a time: a caller never waits long for the idle
    /// thread, which may be holding the lock while other work keeps it off the cores.
    private static let step = 1 << 20
    // Guarded by `lock`: the pieces still to hash (released once hashed), where the next one
    // starts, the running state and the result.
    private var segments: [ArraySlice<UInt8>]
    private var segment = 0
    private var offset = 0
    private var hasher = SHA256()
    private var hash: String?
    private let lock = DispatchSemaphore(value: 1)

    /// Hashes a file's contents, already read.
    public convenience init(bytes: [UInt8]) { self.init(segments: [bytes[...]]) }

    /// Hashes a file's contents given as consecutive pieces.
    public init(segments: [ArraySlice<UInt8>]) {
        self.segments = segments
        Parallel.whenIdle { [self] in
            while advance() {}
        }
    }

    /// The hash; computed here for whatever the idle thread has not hashed yet.
    public func wait() -> String {
        while advance() {}
        lock.wait()
        defer { lock.signal() }
        return hash!
    }

    /// Hashes the next step; false once the hash is known.
    private func advance() -> Bool {
        lock.wait()
        defer { lock.signal() }
        if hash != nil { return false }
        if segment == segments.count {
            hash = Document.hex(hasher.finalize())
            segments = []
            return false
        }
        let piece = segments[segment]
        let end = min(offset + Self.step, piece.count)
        piece.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }
        if end == piece.count { segment += 1; offset = 0 } else { offset = end }
        return true
    }
}
