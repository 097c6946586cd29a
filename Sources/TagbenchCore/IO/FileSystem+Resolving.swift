#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths resolved as the system resolves them, links followed: to compare the names of a file,
/// and to write where the user meant.
extension FileSystem {
    /// `typed` made absolute against `base` for a file or folder to be written. Paths are tidied
    /// as text (`Paths.absolute`: `L/../x` is `x`), where the system follows a link before its
    /// `..` (`L/../x` is `x` beside where `L` leads). So a `..` is taken as the system takes it:
    /// against `base` with its links followed (as a script's folder reached through a link is
    /// where the system would climb from); a `..` after a link in `typed`, or one the system
    /// cannot follow (a dangling link, a missing folder), is refused rather than writing
    /// somewhere the user did not mean.
    public static func writtenPath(_ typed: String, base: String) throws(TagbenchError) -> String {
        let parts = Paths.components(of: typed)
        guard let lastUp = parts.lastIndex(of: "..") else { return Paths.absolute(typed, base: base) }
        let from = typed.hasPrefix("/") ? "/" : resolved(base) ?? base
        let upTo = (from == "/" ? "" : from) + "/" + parts[...lastUp].joined(separator: "/")
        guard let followed = resolved(upTo) else {
            throw .writeFailed(
                typed,
                reason:
                    "the system cannot follow it as far as its last .. (\(errorText(errno))); name the place without .."
            )
        }
        guard resolved(Paths.absolute(upTo, base: "/")) == followed else {
            let meant = Paths.absolute(parts[(lastUp + 1)...].joined(separator: "/"), base: followed)
            throw .writeFailed(
                typed, reason: "a .. after a symbolic link leads to \(meant); name the place without the link or ..")
        }
        return Paths.absolute(typed, base: from)
    }

    /// `path` with every link followed (`realpath`); nil when it cannot be (errno says why).
    static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// `path` (absolute) with symbolic links resolved, so that every name of a file gives the
    /// same path; a file that does not exist yet is resolved through its folder.
    public static func resolvingLinks(_ path: String) -> String {
        if let whole = resolved(path) { return whole }
        let folder = Paths.directory(of: path)
        guard folder != path, let base = resolved(folder) else { return path }
        return (base == "/" ? "" : base) + "/" + Paths.fileName(of: path)
    }
}
