/// Finds the known name nearest to a mistyped one, for "did you mean …?".
public enum NameSuggester {
    /// The candidate with the smallest edit distance (over Unicode scalars), if it is close enough:
    /// at most a third of the longer name's length, and at least one scalar of it kept.
    public static func nearest(to name: String, among candidates: [String]) -> String? {
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

    /// Levenshtein distance.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
