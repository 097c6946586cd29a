/// Strings written as JSON once and kept end to end in one buffer, for fields that repeat on
/// every line of a file (document ids, label names).
///
/// Read through a `View` of raw pointers: an array per string was retained and released at every
/// use, by every core at once, and the shared counts moved between the cores' caches for each
/// of a session's annotations.
struct EncodedStrings {
    private let bytes: [UInt8]
    /// String `i` is `bytes[ends[i]..<ends[i + 1]]`.
    private let ends: [Int]

    /// Encodes `strings` in order.
    init(_ strings: [String]) {
        var writer = JSONWriter(capacity: strings.reduce(0) { $0 + $1.utf8.count + 2 } + 16)
        var ends = [0]
        ends.reserveCapacity(strings.count + 1)
        for string in strings {
            writer.string(string)
            ends.append(writer.bytes.count)
        }
        bytes = writer.bytes
        self.ends = ends
    }

    /// Calls `body` with the strings' bytes in place (valid only inside `body`).
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in try body(View(bytes: bytes, ends: ends)) }
        }
    }

    /// The encoded strings, borrowed.
    struct View {
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>

        /// String `i` as JSON, quotes included.
        subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[ends[i]..<ends[i + 1]])
        }
    }
}
