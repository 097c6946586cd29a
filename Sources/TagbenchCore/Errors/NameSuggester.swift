/// Finds the known name nearest to a mistyped one, for "did you mean …?".
public enum NameSuggester {
    /// The candidate with the smallest edit distance (over Unicode scalars), if it is close enough:
    /// at most a third of the longer name's length, and at least one scalar of it kept; else the
    /// one candidate that begins with the name (`主题` for `主题教育`: a short Chinese name is
    /// mostly typed as the start of the long one).
    public static func nearest(to name: String, among candidates: [String]) -> String? {
        if let close = closest(to: name, among: candidates) { return close }
        let extending = Set(candidates.filter { !name.isEmpty && $0.hasPrefix(name) })
        return extending.count == 1 ? extending.first : nil
    }

    private static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates.sorted() {
            let scalars = Array(candidate.unicodeScalars)
            let limit = max(1, max(scalars.count, target.count) / 3)
            let distance = editDistance(target, scalars)
            if distance <= limit && distance < max(scalars.count, target.count) && distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
    /// since swapped letters are the commonest typo (`tga` for `tag`).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows of the table are enough: the swap looks two rows back.
        let width = b.count + 1
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
