import Foundation
import Testing
@testable import TagbenchCore

/// Reading whole files: a large one is read in parts at once, and must come back byte for byte.
struct FileSystemTests {
    @Test(arguments: [1 << 24, (1 << 24) + 4_093, 3 * (1 << 23) + 1])
    func aLargeFileReadInPartsIsItsBytes(size: Int) throws {
        let dir = try Fixture.workspace()
        var bytes = [UInt8](repeating: 0, count: size)
        // Every offset different from its neighbours, so a part read to the wrong place shows.
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let path = dir + "/large.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try FileSystem.read(path)
        #expect(read.count == size)
        #expect(read == bytes)
    }

    @Test func filesAreListedInByteOrder() throws {
        let dir = try Fixture.workspace() + "/listed"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let names = ["b.txt", "B.txt", "a.txt", "巡察.txt", "a10.txt", "a2.txt", "é.txt"]
        for name in names { try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        #expect(try FileSystem.list(dir) == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    /// Files, and links that lead to files, are listed as files; folders, links to folders and
    /// dangling links are not.
    @Test func listingFilesFollowsLinksAndLeavesOutTheRest() throws {
        let dir = try Fixture.workspace() + "/list"
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        for name in ["b.txt", "a.txt", "巡察.txt"] { try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: "a.txt")
        try FileManager.default.createSymbolicLink(atPath: dir + "/folder-link", withDestinationPath: "sub")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.txt", withDestinationPath: "nowhere.txt")
        #expect(try FileSystem.listFiles(dir) == ["a.txt", "b.txt", "link.txt", "巡察.txt"])
        #expect(try FileSystem.list(dir) == ["a.txt", "b.txt", "dangling.txt", "folder-link", "link.txt", "sub", "巡察.txt"])
    }
}

/// Large buffers are advised into huge pages before they are filled, and keep what they held.
struct HugePagesTests {
    /// The `VmFlags` of the mapping holding `address`, from /proc/self/smaps.
    static func mappingFlags(of address: UInt) throws -> [Substring] {
        // Read to its end (Foundation stops at the first page of a file whose size reads as 0).
        let smaps = String(decoding: try FileSystem.read("/proc/self/smaps"), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let ends = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = ends.count == 2 && ends[0] <= address && address < ends[1]
            } else if inside && line.hasPrefix("VmFlags:") {
                return Array(fields.dropFirst())
            }
        }
        return []
    }

    @Test func aLargeReservationKeepsItsElementsAndIsAdvised() throws {
        var numbers = Array(0..<1_000)
        numbers.reserveCapacityInHugePages(3_000_000)
        #expect(numbers == Array(0..<1_000) && numbers.capacity >= 3_000_000)
        numbers.append(contentsOf: 1_000..<3_000_000)
        #expect(numbers.count == 3_000_000 && numbers[2_999_999] == 2_999_999)
        let thp = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        guard thp.contains("[madvise]") || thp.contains("[always]") else { return }
        // The middle of a 24 MB buffer lies in a 2 MB page wholly inside it.
        let middle = numbers.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress! + 1_500_000) }
        #expect(try Self.mappingFlags(of: middle).contains("hg"))
    }

    @Test func aFileOfManyMegabytesIsReadIntoAdvisedMemory() throws {
        let dir = try Fixture.workspace()
        let path = dir + "/big.bin"
        let bytes = (0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try FileSystem.read(path)
        #expect(read == bytes)
        let thp = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        guard thp.contains("[madvise]") || thp.contains("[always]") else { return }
        let middle = read.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress! + (9 << 19)) }
        #expect(try Self.mappingFlags(of: middle).contains("hg"))
    }
}
