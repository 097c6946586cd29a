import CTagbenchSHA256
import Testing
@testable import TagbenchCore

/// tagbench's own SHA-256 (processor extensions and portable C) against the digests FIPS 180-2
/// publishes and against coreutils' `sha256sum`.
struct SHA256Tests {
    static func hex(_ digest: [UInt8]) -> String { Document.hex(digest) }

    static func digest(_ bytes: [UInt8], portable: Bool, pieces: [Int] = []) -> String {
        var h = SHA256(portable: portable)
        var at = 0
        bytes.withUnsafeBytes { all in
            // Fed in pieces of the given sizes (cycled), then the rest: buffering across updates.
            var k = 0
            while !pieces.isEmpty && at < all.count {
                let n = min(pieces[k % pieces.count], all.count - at)
                h.update(UnsafeRawBufferPointer(rebasing: all[at..<(at + n)]))
                at += n
                k += 1
            }
            h.update(UnsafeRawBufferPointer(rebasing: all[at...]))
        }
        return hex(h.finalize())
    }

    static let published: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    ]

    @Test(arguments: published)
    func publishedDigests(message: String, expected: String) {
        let bytes = Array(message.utf8)
        #expect(Self.digest(bytes, portable: false) == expected)
        #expect(Self.digest(bytes, portable: true) == expected)
        #expect(Self.digest(bytes, portable: false, pieces: [1, 63, 64, 7]) == expected)
        #expect(Self.hex(bytes.withUnsafeBytes { SHA256.hash($0) }) == expected)
    }

    /// Lengths around every block boundary of the padding (55, 56, 63, 64 …), hashed whole and in
    /// odd pieces, with and without the extensions, agree with each other and with `sha256sum`.
    @Test func everyLengthAgreesWithTheReference() throws {
        var x: UInt32 = 2_463_534_242
        let message: [UInt8] = (0..<70_000).map { _ in
            x ^= x << 13
            x ^= x >> 17
            x ^= x << 5
            return UInt8(truncatingIfNeeded: x)
        }
        var checkedAgainstReference = 0
        for n in Array(0...300) + [1_000, 4_095, 4_096, 65_537, 70_000] {
            let bytes = Array(message[..<n])
            let fast = Self.digest(bytes, portable: false)
            #expect(Self.digest(bytes, portable: true) == fast, "length \(n)")
            #expect(Self.digest(bytes, portable: false, pieces: [3, 61, 128]) == fast, "length \(n)")
            #expect(Self.digest(bytes, portable: true, pieces: [1, 64, 65]) == fast, "length \(n)")
            if n % 64 <= 1 || n % 64 >= 55 || n > 300 {
                #expect(try referenceSHA256(bytes) == fast, "length \(n)")
                checkedAgainstReference += 1
            }
        }
        #expect(checkedAgainstReference > 50)
    }

    #if TB_PORTABLE
        /// Built with TB_PORTABLE (`make test-portable`), the processor's extensions are never used.
        @Test func aPortableBuildUsesNoProcessorExtensions() {
            #expect(tb_sha256_hardware() == 0)
            #expect(SHA256Tests.digest(Array("abc".utf8), portable: false) == Self.published[1].1)
        }
    #endif
}
