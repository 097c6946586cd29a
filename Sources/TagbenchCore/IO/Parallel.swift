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
        let box = UncheckedSendable(results)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                box.value[i] = work.value(i)
            }
        }
        // Moved out, not copied: a copy would leave every result referenced twice (then leaked
        // by `deallocate`, which does not deinitialize), and an array so shared is copied again
        // by the first change its caller makes.
        return results.indices.map { (results.baseAddress! + $0).move()! }
    }

    /// Runs `body` for every index on every core and hands each result to `consume` on this
    /// thread in index order, as soon as it and every one before it is done: what is made in
    /// order can be written while the rest is still being made. At most `ahead` results are made
    /// and not yet consumed at once (a consumer slower than the cores, such as a slow disk, holds
    /// no more). After `consume` fails, the results still coming are dropped and the failure is
    /// thrown once the work is done.
    static func forEachInOrder<T, E: Error>(
        _ count: Int, ahead: Int = .max, _ body: (Int) -> T, consume: (Int, T) throws(E) -> Void
    ) throws(E) {
        guard count > 0 else { return }
        precondition(ahead > 0, "forEachInOrder must let one result be made")
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        // Index i is made once index i - ahead was consumed. The first index not yet consumed
        // never waits, so the consumer always gets it: the wait cannot close a circle.
        let consumed = (0..<Swift.max(0, count - ahead)).map { _ in DispatchSemaphore(value: 0) }
        var failure: E?
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable((body, results, ready, consumed))
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                DispatchQueue.concurrentPerform(iterations: count) { i in
                    if i >= ahead { work.value.3[i - ahead].wait() }
                    work.value.1[i] = work.value.0(i)
                    work.value.2[i].signal()
                }
            }
            for k in 0..<count {
                ready[k].wait()
                defer { if k < consumed.count { consumed[k].signal() } }
                guard failure == nil else { continue }
                let value = results[k]!
                results[k] = nil
                do throws(E) { try consume(k, value) } catch { failure = error }
            }
            // `body` must not outlive this call.
            group.wait()
        }
        if let failure { throw failure }
    }

    /// Starts `body` on another thread; the result is `wait()`ed for where it is needed.
    static func start<T>(_ body: @escaping @Sendable () -> T) -> Pending<T> { Pending(body) }

    /// A result being computed on another thread (`start`).
    // @unchecked: `result` is written once by the work and read only after `group` says it is done.
    final class Pending<T>: @unchecked Sendable {
        private let group = DispatchGroup()
        // Written once by the work, read only after `group` says it is done.
        private var result: T?

        fileprivate init(_ body: @escaping @Sendable () -> T) {
            DispatchQueue.global().async(group: group) { [self] in result = body() }
        }

        /// The result, once computed.
        func wait() -> T {
            group.wait()
            return result!
        }
    }

    /// Runs `other` on another thread while `body` runs on this one; returns when both are done.
    static func meanwhile<T, E: Error>(_ other: @escaping @Sendable () -> Void, _ body: () throws(E) -> T) throws(E)
        -> T
    {
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group, execute: other)
        defer { group.wait() }
        return try body()
    }
}

/// Hands a value to other threads where the caller knows it is safe: work whose indices never
/// overlap, or objects only read.
// @unchecked: that is its purpose; each use says why its value may cross threads.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
