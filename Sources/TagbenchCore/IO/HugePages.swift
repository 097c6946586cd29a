import CTagbenchShims

/// Large buffers backed by huge pages where the kernel offers them on request (transparent huge
/// pages in `madvise` mode, the common default): a buffer of tens of megabytes then takes one page
/// fault per 2 MB instead of one per 4 KB, and the tables looked up at random miss the TLB less.
/// `perf stat -e page-faults` on the benchmark's export: 64,000 faults, a tenth of the processor
/// time in the kernel's fault path, before; see docs/performance.md for after.
public enum HugePages {
    /// Below this, a buffer is left alone (its pages may be shared with other allocations, and
    /// a huge page for a small buffer is mostly waste).
    static let threshold = 4 << 20

    /// Puts the C heap on huge pages for the rest of the process (`tb_prepare_heap`): a gigabyte
    /// of address space, backed only as it is used. Called once, first thing, by the executable.
    /// Reading a corpus and opening a session allocate a hundred megabytes in pieces of a few
    /// kilobytes (documents, strings): `perf stat -e page-faults` on the benchmark's run went
    /// from 38,000 to 7,500, its export from 36,000 to 8,000.
    @discardableResult
    public static func prepareHeap(reserving reserve: Int = 1 << 30) -> Bool {
        tb_prepare_heap(reserve) == 0
    }

    /// Advises the pages of memory not yet touched (freshly allocated, not yet written).
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= threshold, let base = buffer.baseAddress else { return }
        tb_advise_huge_pages(base, buffer.count)
    }
}

extension Array {
    /// `reserveCapacity(_:)` for a large array about to be filled: its new storage is advised
    /// into huge pages before anything is written to it.
    mutating func reserveCapacityInHugePages(_ minimumCapacity: Int) {
        let before = capacity
        reserveCapacity(minimumCapacity)
        guard capacity != before, capacity * MemoryLayout<Element>.stride >= HugePages.threshold else { return }
        let used = count * MemoryLayout<Element>.stride
        let total = capacity * MemoryLayout<Element>.stride
        withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            HugePages.advise(UnsafeMutableRawBufferPointer(start: base + used, count: total - used))
        }
    }
}
