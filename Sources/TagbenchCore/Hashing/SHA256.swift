import CTagbenchSHA256

/// SHA-256 (`sha256.c`: the processor's SHA extensions where it has them, else portable C), as
/// fast as OpenSSL's. Written here rather than taken from swift-crypto: that package brought
/// Foundation into every process (a slower start) and BoringSSL into every build.
public struct SHA256: Sendable {
    private var state = tb_sha256()

    /// A hash of nothing yet.
    public init() { tb_sha256_init(&state) }

    /// A hash of nothing yet, computed without the processor's SHA extensions (tests compare the two).
    init(portable: Bool) {
        if portable { tb_sha256_init_portable(&state) } else { tb_sha256_init(&state) }
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        tb_sha256_update(&state, base, bytes.count)
    }

    /// The digest of everything added.
    public mutating func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            tb_sha256_final(&state, buffer.baseAddress!)
            count = 32
        }
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }

    /// Whether the processor's SHA extensions are in use.
    public static var usesHardware: Bool { tb_sha256_hardware() != 0 }
}
