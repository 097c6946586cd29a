import Testing
import Foundation
@testable import TagbenchCore

/// A value whose references can be counted and watched.
private final class Box: Sendable {
    let value: Int
    init(_ value: Int) { self.value = value }
}

struct ParallelTests {
    @Test func mapHandsBackEachResultOnceInOrder() {
        var results = Parallel.map(16) { Box($0) }
        #expect(results.map(\.value) == Array(0..<16))
        // Held by the array alone: nothing left behind in the workers' buffer.
        for k in results.indices { #expect(isKnownUniquelyReferenced(&results[k])) }
        weak let first = results[0]
        weak let last = results[15]
        results = []
        #expect(first == nil && last == nil)
    }

    @Test func mapResultsAreNotCopiedByTheirFirstChange() {
        // A result array referenced twice would be copied (a new buffer) when first changed.
        var lists = Parallel.map(4) { k in Array(repeating: k, count: 1000) }
        let before = lists[2].withUnsafeBufferPointer { $0.baseAddress }
        lists[2][0] = 99
        #expect(lists[2].withUnsafeBufferPointer { $0.baseAddress } == before)
    }
}

struct FileHashingTests {
    /// Pieces that cross the hashing step (1 MiB) and leave some empty.
    static let cases: [[Int]] = [[], [0], [5], [0, 3, 0], [1 << 20], [(1 << 20) - 1, 2], [3_500_001, 0, 1_048_577, 17]]

    @Test(arguments: cases)
    func hashIsTheFilesWhoeverComputesIt(sizes: [Int]) throws {
        var offset = 0
        let segments: [ArraySlice<UInt8>] = sizes.map { size in
            defer { offset += size }
            return Array((0..<size).map { UInt8(truncatingIfNeeded: ($0 + offset) &* 31 &+ ($0 >> 9)) })[...]
        }
        let expected = try referenceSHA256(Array(segments.joined()))
        // Asked at once (mostly computed by the caller), and asked after the idle thread had time.
        #expect(FileHashing(segments: segments).wait() == expected)
        let later = FileHashing(segments: segments)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(later.wait() == expected)
        #expect(later.wait() == expected)
    }

    @Test func manyWaitersGetTheSameHash() throws {
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let expected = try referenceSHA256(bytes)
        let hashing = FileHashing(bytes: bytes)
        let seen = Parallel.map(8) { _ in hashing.wait() }
        #expect(seen == Array(repeating: expected, count: 8))
    }
}
