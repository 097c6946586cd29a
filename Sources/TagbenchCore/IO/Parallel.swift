import Dispatch

/// Runs independent pieces of work on every core: reading, validating and hashing documents is
/// most of the time of `load` and of opening a session, and each document is independent.
enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, results in order.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        if count < 2 { return (0..<count).map(body) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let box = UnsafeSendable(results)
        withoutActuallyEscaping(body) { body in
            let work = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                box.value[i] = work.value(i)
            }
        }
        return results.map { $0! }
    }
}

/// Hands a value to concurrent work whose indices never overlap.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
