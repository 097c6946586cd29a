import Foundation
#if canImport(Glibc)
    import Glibc
#endif
@testable import TagbenchCore

/// A file system for tests: the real one, except that operation number `failing` (counted from
/// 1 over every operation of the seam) fails with `error`, a failed write having written half its
/// bytes first (a disk that filled up mid-write); or, with `crashing`, every operation after
/// number `crashing` fails as if the process had died there (what it did is on disk, nothing more);
/// or, with `removedMeanwhile`, what is removed is found already gone.
final class FaultyFileSystem: FileOperations, @unchecked Sendable {
    enum Mode {
        case fail(at: Int, error: Int32)
        case crash(after: Int)
        /// Every entry removed through `unlink(_:in:path:isFolder:)` is removed just before, as
        /// another process removing the same folder would: the call itself finds it gone.
        case removedMeanwhile
        /// `action` runs once, just before the first `exchange` or `rename`: what another
        /// process might do in the instant before a file takes its name.
        case beforeMoving(() -> Void)
    }

    private let mode: Mode
    private let lock = NSLock()
    private var count = 0
    /// Whether the failure (or the crash) happened.
    private(set) var fired = false
    /// The operations seen, in order (for a failure message).
    private(set) var log: [String] = []

    init(_ mode: Mode) { self.mode = mode }

    /// Operations counted so far.
    var operations: Int { lock.withLock { count } }

    /// Counts an operation; the error to give instead of doing it, 0 to do it.
    private func next(_ name: String) -> (error: Int32, partial: Bool) {
        lock.withLock {
            count += 1
            log.append(name)
            switch mode {
            case .fail(let at, let error):
                if count == at {
                    fired = true
                    return (error, true)
                }
            case .crash(let after):
                if count > after {
                    fired = true
                    return (EIO, false)
                }
            case .removedMeanwhile, .beforeMoving:
                break
            }
            return (0, false)
        }
    }

    func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        let (error, _) = next("open \(path)")
        return error != 0 ? -error : SystemFileOperations.shared.open(path, flags, mode)
    }

    func open(_ name: String, in directory: Int32, path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        let (error, _) = next("open \(path)")
        return error != 0 ? -error : SystemFileOperations.shared.open(name, in: directory, path: path, flags, mode)
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        let (error, partial) = next("write \(bytes.count)")
        if error != 0 {
            if partial, bytes.count > 1 {
                _ = SystemFileOperations.shared.write(fd, UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count / 2)]))
            }
            return error
        }
        return SystemFileOperations.shared.write(fd, bytes)
    }

    func fsync(_ fd: Int32) -> Int32 {
        let e = next("fsync").error
        return e != 0 ? e : SystemFileOperations.shared.fsync(fd)
    }
    func truncate(_ fd: Int32, _ length: Int) -> Int32 {
        let e = next("truncate \(length)").error
        return e != 0 ? e : SystemFileOperations.shared.truncate(fd, length)
    }
    func setMode(_ fd: Int32, _ mode: mode_t) -> Int32 {
        let e = next("chmod").error
        return e != 0 ? e : SystemFileOperations.shared.setMode(fd, mode)
    }
    func rename(_ from: String, _ to: String) -> Int32 {
        aboutToMove()
        let e = next("rename \(to)").error
        return e != 0 ? e : SystemFileOperations.shared.rename(from, to)
    }
    /// Runs a `beforeMoving` action, the first time only.
    private func aboutToMove() {
        guard case .beforeMoving(let action) = mode else { return }
        let first = lock.withLock { () -> Bool in
            defer { fired = true }
            return !fired
        }
        if first { action() }
    }

    func exchange(_ a: String, _ b: String) -> Int32 {
        aboutToMove()
        let e = next("exchange \(a) \(b)").error
        return e != 0 ? e : SystemFileOperations.shared.exchange(a, b)
    }
    func unlink(_ path: String) -> Int32 {
        let e = next("unlink \(path)").error
        return e != 0 ? e : SystemFileOperations.shared.unlink(path)
    }
    func unlink(_ name: String, in directory: Int32, path: String, isFolder: Bool) -> Int32 {
        let e = next("\(isFolder ? "rmdir" : "unlink") \(path)").error
        if e != 0 { return e }
        if case .removedMeanwhile = mode {
            _ = SystemFileOperations.shared.unlink(name, in: directory, path: path, isFolder: isFolder)
        }
        return SystemFileOperations.shared.unlink(name, in: directory, path: path, isFolder: isFolder)
    }
    func makeDirectory(_ path: String, _ mode: mode_t) -> Int32 {
        let e = next("mkdir").error
        return e != 0 ? e : SystemFileOperations.shared.makeDirectory(path, mode)
    }
    func makeDirectory(_ name: String, in directory: Int32, path: String, _ mode: mode_t) -> Int32 {
        let e = next("mkdir").error
        return e != 0 ? e : SystemFileOperations.shared.makeDirectory(name, in: directory, path: path, mode)
    }
    func syncDirectory(_ path: String) -> Int32 {
        let e = next("dirsync").error
        return e != 0 ? e : SystemFileOperations.shared.syncDirectory(path)
    }
}
