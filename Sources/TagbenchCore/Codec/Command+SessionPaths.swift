extension Command {
    /// The command with its file paths made absolute against `base`.
    public func absolutizingPaths(base: String) -> Command {
        switch self {
        case .load(let paths, let encoding, let splitAt):
            return .load(paths.map { Paths.absolute($0, base: base) }, encoding: encoding, splitAt: splitAt)
        case .schema(let path): return .schema(Paths.absolute(path, base: base))
        case .merge(let paths, let strategy):
            return .merge(paths.map { Paths.absolute($0, base: base) }, strategy: strategy)
        default: return self
        }
    }

    /// The command with its absolute file paths made relative to `directory`.
    public func relativizingPaths(to directory: String) -> Command {
        switch self {
        case .load(let paths, let encoding, let splitAt):
            return .load(paths.map { Paths.relative($0, to: directory) }, encoding: encoding, splitAt: splitAt)
        case .schema(let path): return .schema(Paths.relative(path, to: directory))
        case .merge(let paths, let strategy):
            return .merge(paths.map { Paths.relative($0, to: directory) }, strategy: strategy)
        default: return self
        }
    }
}
