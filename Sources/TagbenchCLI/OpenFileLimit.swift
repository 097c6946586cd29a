#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// The floor on open files (`ulimit -n`). Below it tagbench would fail part-way, saying a
/// document cannot be read or a page cannot be written, or be killed outright by the dispatch
/// library, which traps when it cannot make its event descriptor; so it stops first and says why.
public enum OpenFileLimit {
    /// The files tagbench may hold open at once: the standard three, the dispatch library's
    /// event descriptors, a session's lock and journal, a file read or written on each core, a
    /// regex worker's pipes and a folder being listed, with room to spare.
    public static let needed = 16

    /// Past this limit, descriptors are not counted: so many inherited is not a case to serve.
    static let counted = 256

    /// `RLIMIT_NOFILE`, as the C library's functions take it on Linux.
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

    /// Raises the soft limit where it leaves fewer than `needed` descriptor numbers free for
    /// tagbench (the standard three and any the process was started with are taken; new ones
    /// take the lowest numbers free), if the hard limit allows; otherwise shows the error and
    /// exits with status 1. Called first thing, before any thread starts.
    public static func ensure() {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < counted else { return }
        // The lowest limit that leaves `needed - 3` numbers free above the standard three.
        var free = 0
        var inherited = 0
        var next: Int32 = 3
        while free < needed - 3 {
            if fcntl(next, F_GETFD) == -1 { free += 1 } else { inherited += 1 }
            next += 1
        }
        let wanted = Int(next)
        let allowed = Int(limit.rlim_cur)
        guard allowed < wanted else { return }
        // No limit (RLIM_INFINITY) is the largest value: it passes the comparison.
        if limit.rlim_max >= wanted {
            limit.rlim_cur = rlim_t(wanted)
            if setrlimit(resource, &limit) == 0 { return }
        }
        let console = Console.standard(environment: CLIEnvironment.current().variables)
        // The bound that stopped it: the hard limit when that is too low, else the soft one.
        let bound = limit.rlim_max < wanted ? Int(limit.rlim_max) : allowed
        let error = TagbenchError.tooFewOpenFiles(allowed: bound, needed: wanted, inherited: inherited)
        exit(failure(error, console: console).rawValue)
    }
}
