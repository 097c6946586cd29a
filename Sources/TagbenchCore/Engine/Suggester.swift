/// Runs a tag set's patterns over documents: every literal pattern, and every context text the
/// rules name, in one pass of one `TermMatcher` per document; the regular expressions are
/// searched by a `RegexRunner` and their matches handed in.
struct Suggester {
    /// A span a rule proposes.
    struct Candidate {
        var range: TextRange
        var label: Int
        var source: String
    }

    private struct Rule {
        var label: Int
        var pattern: LabelPattern
        /// The matcher's number for a literal pattern; nil for a regular expression.
        var literal: Int?
        var notInside: [Int]
        var inside: [Int]
    }

    private let rules: [Rule]
    private let matcher: TermMatcher
    private let literalCount: Int

    /// The rules of the labels in `labels` (all span labels with patterns when empty).
    init(tagSet: TagSet, labels: Set<Int>) throws(TagbenchError) {
        var texts: [String] = []
        var number: [String: Int] = [:]
        func literal(_ text: String) -> Int {
            if let n = number[text] { return n }
            number[text] = texts.count
            texts.append(text)
            return texts.count - 1
        }
        var rules: [Rule] = []
        for (l, label) in tagSet.labels.enumerated() where label.kind == .span && (labels.isEmpty || labels.contains(l))
        {
            for p in label.patterns {
                var rule = Rule(
                    label: l, pattern: p, literal: nil, notInside: p.notInside.map(literal),
                    inside: p.inside.map(literal))
                switch p.pattern {
                case .literal(let text):
                    guard !text.isEmpty else { throw .emptyPattern }
                    rule.literal = literal(text)
                case .regex: _ = try TextSearch(p.pattern)  // checked here; searched by a RegexRunner
                }
                rules.append(rule)
            }
        }
        self.rules = rules
        literalCount = texts.count
        matcher = TermMatcher(texts.map { Array($0.utf8) })
    }

    /// Whether any rule applies.
    var isEmpty: Bool { rules.isEmpty }

    /// The regular expressions among the rules (their searches are watched: `WatchedSearch`).
    var regexSources: [String] {
        rules.compactMap { if case .regex(let source) = $0.pattern.pattern { return source } else { return nil } }
    }

    /// What the rules propose in one document, by position; `regexMatches` holds the matches of
    /// `regexSources` in it, in that order (found by a `RegexRunner`).
    func candidates(in document: Document, regexMatches: [[TextRange]]) -> [Candidate] {
        var occurrences = Array(repeating: [TextRange](), count: literalCount)
        if literalCount > 0 {
            document.bytes.withUnsafeBufferPointer { bytes in
                matcher.scan(bytes) { p, start, end in occurrences[p].append(TextRange(start, end)) }
            }
        }
        func covered(_ r: TextRange, by texts: [Int]) -> Bool {
            texts.contains { t in occurrences[t].contains { $0.start <= r.start && r.end <= $0.end } }
        }
        var result: [Candidate] = []
        var regexRule = 0
        for rule in rules {
            let matches: [TextRange]
            if let literal = rule.literal {
                matches = occurrences[literal]
            } else {
                matches = regexMatches[regexRule]
                regexRule += 1
            }
            for m in matches {
                if covered(m, by: rule.notInside) { continue }
                if !rule.inside.isEmpty && !covered(m, by: rule.inside) { continue }
                result.append(Candidate(range: m, label: rule.label, source: rule.pattern.source))
            }
        }
        return result.sorted { ($0.range.start, $0.range.end, $0.label) < ($1.range.start, $1.range.end, $1.label) }
    }
}
