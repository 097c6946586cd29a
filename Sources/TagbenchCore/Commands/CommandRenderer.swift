/// Writes a `Command` back as a script line that parses to the same command.
public enum CommandRenderer {
    /// `text` as one argument: bare when that reads back the same, else quoted with escapes.
    public static func quoteIfNeeded(_ text: String, forceQuotes: Bool = false) -> String {
        let needsQuotes =
            forceQuotes || text.isEmpty || text.first == "\"" || text.first == "#" || text.first == "/"
            || text.unicodeScalars.contains { UTF8Bytes.isWhitespace($0.value) }
        guard needsQuotes else { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }

    /// The canonical script line for `command`.
    public static func render(_ command: Command) -> String {
        let q = { (s: String) in quoteIfNeeded(s) }
        switch command {
        case .load(let paths, let encoding, let splitAt):
            return
                (["load"] + (encoding == .utf8 ? [] : ["--encoding", encoding.rawValue])
                + (splitAt.map { ["--split-at", Pattern.regex($0).description] } ?? []) + paths.map(q)).joined(
                    separator: " ")
        case .docs: return "docs"
        case .open(.name(let name)): return "open " + q(name)
        case .open(.next): return "next"
        case .open(.previous): return "prev"
        case .show(.document): return "show"
        case .show(.paragraph(let n)): return "show para \(n)"
        case .show(.sentence(let n)): return "show sent \(n)"
        case .show(.paragraphs(let n, let m)): return "show para \(n)-\(m)"
        case .show(.sentences(let n, let m)): return "show sent \(n)-\(m)"
        case .show(.range(let r)): return "show \(r)"
        case .show(.disagreement(let n)): return "show d\(n)"
        case .find(let pattern, let corpus): return "find \(pattern)" + (corpus ? " --corpus" : "")
        case .tag(let label, let target):
            let t: String
            switch target {
            case .range(let r): t = r.description
            case .hits(let a, let b): t = a == b ? "h\(a)" : "h\(a)-h\(b)"
            case .text(let text, let k): t = quoteIfNeeded(text, forceQuotes: true) + (k.map { "#\($0)" } ?? "")
            case .sentence(let n): t = "sent \(n)"
            case .paragraph(let n): t = "para \(n)"
            }
            return "tag \(q(label)) \(t)"
        case .tagAll(let label, let pattern, let corpus):
            return "tag \(q(label)) all \(pattern)" + (corpus ? " --corpus" : "")
        case .untag(let ids): return "untag " + ids.map { "a\($0)" }.joined(separator: " ")
        case .relabel(let id, let label): return "relabel a\(id) \(q(label))"
        case .note(let id, let text):
            return "note a\(id)" + (text.isEmpty ? "" : " " + quoteIfNeeded(text, forceQuotes: true))
        case .classify(let label, let unit): return "classify \(q(label)) \(render(unit))"
        case .unclassify(let label, let unit): return "unclassify \(q(label)) \(render(unit))"
        case .spans(let label, let pattern, let corpus):
            return
                (["spans"] + (label.map { [q($0)] } ?? []) + (pattern.map { ["\($0)"] } ?? [])
                + (corpus ? ["--corpus"] : [])).joined(separator: " ")
        case .stepParagraph(let forward, let filter):
            return ([forward ? "next" : "prev", "para"] + filter.words).joined(separator: " ")
        case .paras(let filter): return (["paras"] + filter.words).joined(separator: " ")
        case .suggest(let labels, let corpus):
            return (["suggest"] + labels.map(q) + (corpus ? ["--corpus"] : [])).joined(separator: " ")
        case .suggestions(let label): return "suggestions" + (label.map { " " + q($0) } ?? "")
        case .accept(let target, let label, let asLabel, let at):
            return
                (["accept", render(target)] + (label.map { [q($0)] } ?? []) + (asLabel.map { ["--as", q($0)] } ?? [])
                + (at.map { ["--at", $0.description] } ?? [])).joined(separator: " ")
        case .reject(let target, let label):
            return (["reject", render(target)] + (label.map { [q($0)] } ?? [])).joined(separator: " ")
        case .review(let label): return "review" + (label.map { " " + q($0) } ?? "")
        case .merge(let paths, let strategy):
            return (["merge"] + paths.map(q) + (strategy == .unanimous ? [] : ["--strategy", strategy.name])).joined(
                separator: " ")
        case .conflicts(let label): return "conflicts" + (label.map { " " + q($0) } ?? "")
        case .adjudicate(let label): return "adjudicate" + (label.map { " " + q($0) } ?? "")
        case .conflict(let document, let range, let versions):
            var parts = ["conflict", q(document), range.description]
            for version in versions {
                parts += ["--version", q(version.annotator)]
                for span in version.spans { parts += [q(span.label), span.range.description] }
            }
            return parts.joined(separator: " ")
        case .resolve(let number, let decision):
            return (["resolve", "c\(number)"] + decision.arguments.map(q)).joined(separator: " ")
        case .labels: return "labels"
        case .orphans: return "orphans"
        case .labelAdd(let label):
            var parts = ["label", "add", q(label.name)]
            for alias in label.aliases { parts += ["--alias", q(alias)] }
            if label.kind == .category { parts.append("--category") }
            if !label.colour.isEmpty { parts += ["--colour", q(label.colour)] }
            if !label.description.isEmpty { parts += ["--description", q(label.description)] }
            return parts.joined(separator: " ")
        case .schema(let path): return "schema " + q(path)
        case .undo(let n): return n == 1 ? "undo" : "undo \(n)"
        case .redo(let n): return n == 1 ? "redo" : "redo \(n)"
        case .save(let path): return "save" + (path.map { " " + q($0) } ?? "")
        case .export(let options):
            return (["export", options.format.rawValue, q(options.path)] + options.optionWords.map(q)).joined(
                separator: " ")
        case .stats(let options): return (["stats"] + options.words).joined(separator: " ")
        case .report(let options):
            return (["report", q(options.path)] + options.optionWords.map(q)).joined(separator: " ")
        case .agree(let request): return (["agree"] + request.words.map(q)).joined(separator: " ")
        case .history: return "history"
        case .run(let path): return "run " + q(path)
        case .help(let topic): return "help" + (topic.map { " " + q($0) } ?? "")
        case .quit: return "quit"
        }
    }

    private static func render(_ target: SuggestionTarget) -> String {
        switch target {
        case .all: return "all"
        case .numbers(let a, let b): return a == b ? "s\(a)" : "s\(a)-s\(b)"
        }
    }

    private static func render(_ unit: UnitSelector) -> String {
        switch unit {
        case .document: return "doc"
        case .paragraph(let n): return "para \(n)"
        case .sentence(let n): return "sent \(n)"
        }
    }
}
