import Testing
import Foundation
import Synchronization
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

/// What `forEachInOrder`'s consumer failed with.
private struct Stop: Error, Equatable { let at: Int }

struct ForEachInOrderTests {
    @Test(arguments: [0, 1, 2, 7, 64])
    func everyResultIsConsumedOnceInOrder(count: Int) {
        var seen: [Int] = []
        Parallel.forEachInOrder(count) { k in
            // Later indices finish first here: order must still hold.
            Thread.sleep(forTimeInterval: Double((count - k) % 4) * 0.002)
            return k * k
        } consume: { k, value in
            #expect(value == k * k)
            seen.append(k)
        }
        #expect(seen == Array(0..<count))
    }

    /// A consumer slower than the workers holds at most `ahead` results made and not consumed.
    @Test(arguments: [1, 2, 3, 8])
    func resultsMadeAheadOfTheConsumerAreBounded(ahead: Int) {
        let outstanding = Mutex((now: 0, most: 0))
        var seen: [Int] = []
        Parallel.forEachInOrder(40, ahead: ahead) { k in
            outstanding.withLock { state in
                state.now += 1
                state.most = Swift.max(state.most, state.now)
            }
            return k
        } consume: { k, value in
            Thread.sleep(forTimeInterval: 0.002)
            outstanding.withLock { $0.now -= 1 }
            seen.append(value)
        }
        #expect(seen == Array(0..<40))
        #expect(outstanding.withLock { $0.most } <= ahead)
    }

    @Test func aFailureStopsConsumingAndEveryResultIsFreed() {
        var watched: [Int: Box] = [:]
        let lock = NSLock()
        weak var last: Box?
        var consumed: [Int] = []
        #expect(throws: Stop(at: 3)) {
            try Parallel.forEachInOrder(10) { k -> Box in
                let box = Box(k)
                lock.lock()
                watched[k] = box
                lock.unlock()
                return box
            } consume: { (k, box) throws(Stop) in
                if k == 3 { throw Stop(at: 3) }
                consumed.append(box.value)
            }
        }
        #expect(consumed == [0, 1, 2])
        last = watched[9]
        watched = [:]
        #expect(last == nil)
    }
}

struct AtomicFileTests {
    @Test func piecesBecomeTheFileOnlyWhenCommitted() throws {
        let dir = try Fixture.workspace()
        let path = dir + "/out.json"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try AtomicFile(path: path)
        try file.append(Array("巡察".utf8)[...])
        try file.append([][...])
        try file.append(Array("整改\n".utf8)[...])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        try file.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "巡察整改\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func anAbandonedFileLeavesThePathAsItWas() throws {
        let dir = try Fixture.workspace()
        let path = dir + "/out.json"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            let file = try AtomicFile(path: path, durable: false)
            try file.append(Array("new".utf8)[...])
            file.abandon()
        }
        do {
            // Dropped without a commit: abandoned too.
            let file = try AtomicFile(path: path)
            try file.append(Array("newer".utf8)[...])
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
        #expect(throws: TagbenchError.self) { try AtomicFile(path: dir + "/no/such/dir/out.json") }
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
        // Asked once, and asked again (the pieces are released after the first).
        let hashing = FileHashing(segments: segments)
        #expect(hashing.wait() == expected)
        #expect(hashing.wait() == expected)
    }

    @Test func manyWaitersGetTheSameHash() throws {
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let expected = try referenceSHA256(bytes)
        let hashing = FileHashing(bytes: bytes)
        let seen = Parallel.map(8) { _ in hashing.wait() }
        #expect(seen == Array(repeating: expected, count: 8))
    }
}
