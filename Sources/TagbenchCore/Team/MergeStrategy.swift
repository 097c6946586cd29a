/// Which spans (and labels on units) `merge` accepts: how many of the annotators who have the
/// document must have made it identically.
public enum MergeStrategy: Hashable, Sendable {
    /// Every one of them.
    case unanimous
    /// More than half of them.
    case majority
    /// At least K of them.
    case atLeast(Int)

    /// `unanimous`, `majority` or `min=K` (K ≥ 1); nil for anything else.
    public init?(name: String) {
        switch name {
        case "unanimous": self = .unanimous
        case "majority": self = .majority
        default:
            guard name.hasPrefix("min="), let k = Int(name.dropFirst(4)), k >= 1,
                name.dropFirst(4).allSatisfy(\.isASCII)
            else { return nil }
            self = .atLeast(k)
        }
    }

    /// The name `--strategy` takes.
    public var name: String {
        switch self {
        case .unanimous: return "unanimous"
        case .majority: return "majority"
        case .atLeast(let k): return "min=\(k)"
        }
    }

    /// Whether `count` of `voters` annotators making the same span is enough.
    func accepts(_ count: Int, of voters: Int) -> Bool {
        switch self {
        case .unanimous: return count == voters
        case .majority: return count * 2 > voters
        case .atLeast(let k): return count >= k
        }
    }
}
