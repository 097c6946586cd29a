#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import CTagbenchSystem
import TagbenchCore

/// `tagbench regex-worker PARENT`: the process a regular-expression search runs in (started by
/// `RegexWorkerRunner`, not by users): reads a request on stdin, answers on stdout, and ends with
/// its parent.
struct RegexWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "regex-worker", shouldDisplay: false)

    @Argument(help: "The process id of the tagbench that asks.")
    var parent: Int32

    func run() throws {
        guard tb_die_with_parent(parent) == 0 else { throw ExitCode(3) }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw ExitCode(2) }
            if count == 0 { break }
            request += buffer[..<count]
        }
        let served = RegexWorkerWire.serve(request) { record in
            record.withUnsafeBytes { FileSystem.writeAll(1, $0) == nil }
        }
        if !served { throw ExitCode(2) }
    }
}
