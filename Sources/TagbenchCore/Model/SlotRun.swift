/// A run of consecutive annotation numbers kept in consecutive slots of a session: how numbers
/// far apart (an id jump from a hostile or edited `next_id`) are kept without a slot for every
/// number between them.
struct SlotRun {
    /// The first number of the run.
    var number: Int
    /// The slot of that number.
    var slot: Int
    /// How many numbers (and slots) the run holds.
    var count: Int

    /// How many empty slots may be added before a number: up to the slots there are (removed
    /// ids leave empty slots too) and at least 65,536, so memory follows the annotations made,
    /// never the size of an id.
    @inline(__always)
    static func largestGap(_ slots: Int) -> Int { Swift.max(slots, 1 << 16) }

    /// The slot of `number` in `runs` (sorted by number, not overlapping), nil when none holds it.
    static func slot(of number: Int, in runs: [SlotRun]) -> Int? {
        var low = 0, high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].number <= number { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let run = runs[low - 1]
        return number - run.number < run.count ? run.slot + (number - run.number) : nil
    }

    /// Gives `number` (which has none) a slot: right after the run that ends at the last slot when
    /// the gap to it is small, else a run of its own at a new slot. Returns the slot.
    static func place(_ number: Int, slots: inout [Annotation?], runs: inout [SlotRun]) -> Int {
        if runs.isEmpty { runs = [SlotRun(number: 1, slot: 0, count: slots.count)] }
        // The run ending at the last slot: the last run made or grown (the last one by number,
        // unless numbers came out of order).
        if let last = runs.lastIndex(where: { $0.slot + $0.count == slots.count }) {
            let end = runs[last].number + runs[last].count
            let nextStart = last + 1 < runs.count ? runs[last + 1].number : Int.max
            if number >= end, number < nextStart, number - end <= largestGap(slots.count) {
                for _ in end..<number { slots.append(nil) }
                runs[last].count += number - end + 1
                slots.append(nil)
                return slots.count - 1
            }
        }
        var low = 0, high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].number < number { low = middle + 1 } else { high = middle }
        }
        runs.insert(SlotRun(number: number, slot: slots.count, count: 1), at: low)
        slots.append(nil)
        return slots.count - 1
    }

    /// How many runs a session may hold: each is a jump in the ids of its file, and a file that
    /// jumps more often than this is refused (each jump costs a run, and runs are searched).
    static let largestCount = 4_096
}
