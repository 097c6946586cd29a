/// Parses one line of the command language into a `Command`.
public enum CommandParser {
    /// The command on `line`, or nil for a blank line or a comment.
    public static func parse(_ line: String) throws(LocatedError) -> Command? {
        var scanner = CommandScanner(line)
        do {
            return try parse(&scanner)
        } catch {
            return try failing(error, at: column(of: error))
        }
    }

    private static func failing(_ error: TagbenchError, at column: Int?) throws(LocatedError) -> Command? {
        throw LocatedError(file: "", line: 0, column: column, error: error)
    }

    /// Lexical errors have a column worth showing; the others are about a whole argument.
    private static func column(of error: TagbenchError) -> Int? {
        switch error {
        case .unterminatedQuote(let column), .unterminatedRegex(let column): return column
        default: return nil
        }
    }

    private static func parse(_ s: inout CommandScanner) throws(TagbenchError) -> Command? {
        guard let head = try s.next() else { return nil }
        let name = head.text
        var args = Arguments(command: name, scanner: s)
        defer { s = args.scanner }
        let command: Command
        switch name {
        case "load":
            var paths: [String] = []
            var encoding = TextEncoding.utf8
            var splitAt: String?
            while let token = try args.next() {
                if token.kind == .word && token.text == "--split-at" {
                    // Checked here, so a script fails at the line that has a bad expression.
                    guard case .regex(let source) = try args.pattern(), splitAt == nil else {
                        throw .invalidArgument(
                            command: name, argument: "--split-at", expected: "one /regular expression/ after --split-at"
                        )
                    }
                    _ = try TextSearch(.regex(source))
                    splitAt = source
                } else if token.kind == .word && token.text == "--encoding" {
                    let name = try args.required("an encoding after --encoding").text
                    guard let known = TextEncoding(name: name) else { throw .unknownEncoding(name) }
                    encoding = known
                } else if token.kind == .word && token.text.hasPrefix("--") {
                    throw .unknownOption(token.text, command: name)
                } else {
                    paths.append(token.text)
                }
            }
            if paths.isEmpty { throw .missingArgument(command: name, what: "a file, directory or glob") }
            command = .load(paths, encoding: encoding, splitAt: splitAt)
        case "docs": command = .docs
        case "open":
            command = .open(.name(try args.required("a document id or number").text))
        case "next", "prev":
            // Alone, a move between documents; `next para …` moves within the current one.
            if let unit = try args.next() {
                guard unit.kind == .word && unit.text == "para" else {
                    throw .invalidArgument(command: name, argument: unit.text, expected: "para")
                }
                command = .stepParagraph(forward: name == "next", try args.paragraphFilter())
            } else {
                command = .open(name == "next" ? .next : .previous)
            }
        case "paras": command = .paras(try args.paragraphFilter())
        case "show":
            if let first = try args.next() {
                switch first.text {
                case "para", "sent":
                    let (n, m) = try args.numbers(after: first.text)
                    if n == m {
                        command = .show(first.text == "para" ? .paragraph(n) : .sentence(n))
                    } else {
                        command = .show(first.text == "para" ? .paragraphs(n, m) : .sentences(n, m))
                    }
                case let word where parseDisagreement(word) != nil:
                    command = .show(.disagreement(parseDisagreement(word)!))
                default:
                    guard let range = parseRange(first.text) else {
                        throw .invalidArgument(
                            command: name, argument: first.text, expected: "para N, sent N, S:E or dN")
                    }
                    command = .show(.range(range))
                }
            } else {
                command = .show(.document)
            }
        case "find":
            let pattern = try args.pattern()
            command = .find(pattern, corpus: try args.flag("--corpus"))
        case "tag":
            let label = try args.required("a label").text
            let target = try args.required("a target: S:E, hN, \"text\", sent N, para N or all TEXT", allowRegex: false)
            if target.kind == .word && target.text == "all" {
                let pattern = try args.pattern()
                command = .tagAll(label: label, pattern: pattern, corpus: try args.flag("--corpus"))
            } else {
                command = .tag(label: label, target: try parseTarget(target, &args))
            }
        case "untag":
            var ids: [Int] = []
            while let token = try args.next() { ids.append(try parseID(token.text, command: name)) }
            if ids.isEmpty { throw .missingArgument(command: name, what: "an annotation id such as a3") }
            command = .untag(ids)
        case "relabel":
            let id = try parseID(try args.required("an annotation id").text, command: name)
            command = .relabel(id, label: try args.required("a label").text)
        case "note":
            let id = try parseID(try args.required("an annotation id").text, command: name)
            var words: [String] = []
            while let word = try args.next() { words.append(word.text) }
            command = .note(id, text: words.joined(separator: " "))
        case "classify", "unclassify":
            let label = try args.required("a label").text
            let unitToken = try args.required("a unit: doc, para N or sent N")
            let unit: UnitSelector
            switch unitToken.text {
            case "doc": unit = .document
            case "para": unit = .paragraph(try args.number(after: "para"))
            case "sent": unit = .sentence(try args.number(after: "sent"))
            default: throw .invalidArgument(command: name, argument: unitToken.text, expected: "doc, para N or sent N")
            }
            command = name == "classify" ? .classify(label: label, unit: unit) : .unclassify(label: label, unit: unit)
        case "spans":
            // After the label, a text or /RE/ the spans' text must hold.
            let (flags, words) = try args.rest(flags: ["--corpus"], most: 2, regexFrom: 1)
            let pattern =
                words.count < 2 ? nil : words[1].kind == .regex ? Pattern.regex(words[1].text) : .literal(words[1].text)
            return .spans(label: words.first?.text, matching: pattern, corpus: flags.contains("--corpus"))
        case "suggest":
            let (flags, labels) = try args.rest(flags: ["--corpus"], most: .max)
            return .suggest(labels: labels.map(\.text), corpus: flags.contains("--corpus"))
        case "suggestions": command = .suggestions(label: try args.next()?.text)
        case "accept", "reject":
            let target = try parseSuggestionTarget(try args.required("sN, sN-sM or all").text, command: name)
            var label: String?
            var asLabel: String?
            var at: TextRange?
            while let token = try args.next() {
                switch token.text {
                case "--as" where name == "accept" && token.kind == .word:
                    asLabel = try args.required("a label after --as").text
                case "--at" where name == "accept" && token.kind == .word:
                    let text = try args.required("S:E after --at").text
                    guard let r = parseRange(text), r.start < r.end else {
                        throw .invalidArgument(command: name, argument: text, expected: "S:E with S < E")
                    }
                    at = r
                default:
                    if token.kind == .word && token.text.hasPrefix("--") {
                        throw .unknownOption(token.text, command: name)
                    }
                    if label != nil { throw .unexpectedArgument(command: name, argument: token.text) }
                    label = token.text
                }
            }
            return name == "accept"
                ? .accept(target, label: label, asLabel: asLabel, at: at) : .reject(target, label: label)
        case "review": command = .review(label: try args.next()?.text)
        case "merge":
            var paths: [String] = []
            var strategy = MergeStrategy.unanimous
            while let token = try args.next() {
                if token.kind == .word && token.text == "--strategy" {
                    let name = try args.required("unanimous, majority or min=K after --strategy").text
                    guard let known = MergeStrategy(name: name) else {
                        throw .invalidArgument(
                            command: "merge", argument: name, expected: "unanimous, majority or min=K")
                    }
                    strategy = known
                } else if token.kind == .word && token.text.hasPrefix("--") {
                    throw .unknownOption(token.text, command: name)
                } else {
                    paths.append(token.text)
                }
            }
            if paths.isEmpty { throw .missingArgument(command: name, what: "a session file") }
            command = .merge(paths, strategy: strategy)
        case "conflicts": command = .conflicts(label: try args.next()?.text)
        case "adjudicate": command = .adjudicate(label: try args.next()?.text)
        case "conflict":
            let document = try args.required("a document").text
            let rangeText = try args.required("the conflict's S:E").text
            guard let range = Self.parseRange(rangeText), range.start < range.end else {
                throw .invalidArgument(command: name, argument: rangeText, expected: "S:E with S < E")
            }
            var versions: [ConflictVersion] = []
            while let token = try args.next() {
                guard token.text == "--version" || !versions.isEmpty else {
                    throw .invalidArgument(command: name, argument: token.text, expected: "--version NAME")
                }
                if token.text == "--version" {
                    let who = try args.required("an annotator's name after --version").text
                    versions.append(ConflictVersion(annotator: who, spans: []))
                    continue
                }
                let at = try args.required("S:E after the label \(token.text)").text
                guard let spanRange = Self.parseRange(at), spanRange.start < spanRange.end else {
                    throw .invalidArgument(command: name, argument: at, expected: "S:E with S < E")
                }
                versions[versions.count - 1].spans.append(ConflictSpan(range: spanRange, label: token.text))
            }
            guard versions.count >= 2 else {
                throw .missingArgument(command: name, what: "two or more --version NAME [LABEL S:E]...")
            }
            command = .conflict(
                document: document, range: range,
                versions: versions.map { ConflictVersion(annotator: $0.annotator, spans: $0.spans) })
        case "resolve":
            let id = try args.required("a conflict id such as c3").text
            guard id.first == "c", let number = Int(id.dropFirst()), number >= 1, id.dropFirst().allSatisfy(\.isASCII)
            else { throw .invalidArgument(command: name, argument: id, expected: "a conflict id such as c3") }
            var words: [String] = []
            while let token = try args.next() { words.append(token.text) }
            guard let decision = ConflictDecision(arguments: words) else {
                throw .invalidArgument(
                    command: name, argument: words.joined(separator: " "),
                    expected: "--pick K, --all, --none or --as LABEL [--at S:E]")
            }
            command = .resolve(number, decision)
        case "labels": command = .labels
        case "orphans": command = .orphans
        case "label":
            let verb = try args.required("add NAME")
            guard verb.text == "add" else {
                throw .invalidArgument(command: name, argument: verb.text, expected: "add")
            }
            var label = Label(name: try args.required("a label name").text)
            while let option = try args.next() {
                switch option.text {
                case "--alias": label.aliases.append(try args.required("an alias after --alias").text)
                case "--category": label.kind = .category
                case "--colour", "--color":
                    // `#` would start a comment, so the colour is written without it (or quoted).
                    let colour = try args.required("a colour after --colour (RRGGBB)").text
                    let hex = colour.hasPrefix("#") ? String(colour.dropFirst()) : colour
                    guard hex.count == 6, hex.allSatisfy(\.isHexDigit) else {
                        throw .invalidArgument(
                            command: name, argument: colour, expected: "a colour RRGGBB such as 3cb44b")
                    }
                    label.colour = "#" + hex.lowercased()
                case "--description": label.description = try args.required("a text after --description").text
                default:
                    if option.text.hasPrefix("--") { throw .unknownOption(option.text, command: name) }
                    throw .unexpectedArgument(command: name, argument: option.text)
                }
            }
            return .labelAdd(label)
        case "schema": command = .schema(try args.required("a tag-set file").text)
        case "undo", "redo":
            var n = 1
            if let count = try args.next() {
                guard let value = Int(count.text), value >= 1 else {
                    throw .invalidArgument(command: name, argument: count.text, expected: "a positive number")
                }
                n = value
            }
            command = name == "undo" ? .undo(n) : .redo(n)
        case "save": command = .save(try args.next()?.text)
        case "export":
            let format = try args.required("a format (\(ExportFormat.names))").text
            let path = try args.required("an output path").text
            var words: [String] = []
            while let token = try args.next() { words.append(token.text) }
            command = .export(try ExportOptions.parse(format: format, path: path, options: words))
        case "stats":
            var options = StatsOptions()
            while let option = try args.next() {
                switch option.text {
                case "--all": options.all = true
                case "--json": options.json = true
                case "--top":
                    let count = try args.required("a number after --top").text
                    guard let n = Int(count), n >= 1, count.allSatisfy(\.isASCII) else {
                        throw .invalidArgument(command: name, argument: count, expected: "a number of documents from 1")
                    }
                    options.top = n
                default:
                    if option.text.hasPrefix("--") { throw .unknownOption(option.text, command: name) }
                    throw .unexpectedArgument(command: name, argument: option.text)
                }
            }
            command = .stats(options)
        case "report":
            let path = try args.required("an output folder").text
            var words: [String] = []
            while let token = try args.next() { words.append(token.text) }
            command = .report(try ReportOptions.parse(path: path, options: words))
        case "agree":
            var words: [String] = []
            while let token = try args.next() { words.append(token.text) }
            command = .agree(try AgreeRequest.parse(words))
        case "history": command = .history
        case "run": command = .run(try args.required("a script file").text)
        case "help": command = .help(try args.next()?.text)
        case "quit", "exit": command = .quit
        default:
            throw .unknownCommand(name, suggestion: NameSuggester.nearest(to: name, among: CommandReference.names))
        }
        try args.finish()
        return command
    }

    private static func parseTarget(_ token: Token, _ args: inout Arguments) throws(TagbenchError) -> TagTarget {
        if token.kind == .quoted { return .text(token.text, occurrence: token.occurrence) }
        switch token.text {
        case "sent": return .sentence(try args.number(after: "sent"))
        case "para": return .paragraph(try args.number(after: "para"))
        default: break
        }
        if let range = parseRange(token.text) { return .range(range) }
        if let hits = parseHits(token.text) {
            // hM-hN with M > N is a slip, not a text to look for.
            guard hits.0 <= hits.1 else {
                throw .invalidArgument(
                    command: "tag", argument: token.text, expected: "a range of hits in order (h\(hits.1)-h\(hits.0))")
            }
            return .hits(hits.0, hits.1)
        }
        if token.text.hasPrefix("--") { throw .unknownOption(token.text, command: "tag") }
        return .text(token.text, occurrence: nil)
    }

    /// `S:E` with S and E non-negative integers.
    static func parseRange(_ text: String) -> TextRange? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let s = Int(parts[0]), let e = Int(parts[1]), s >= 0, e >= 0,
            parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII), !parts[0].hasPrefix("+"),
            !parts[1].hasPrefix("+")
        else { return nil }
        return TextRange(s, e)
    }

    /// `hN` or `hN-hM` (in either order; the caller checks it).
    static func parseHits(_ text: String) -> (Int, Int)? {
        func hit(_ part: Substring) -> Int? {
            guard part.first == "h", let n = Int(part.dropFirst()), n >= 1, !part.dropFirst().hasPrefix("+") else {
                return nil
            }
            return n
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1, let n = hit(parts[0]) { return (n, n) }
        if parts.count == 2, let a = hit(parts[0]), let b = hit(parts[1]) { return (a, b) }
        return nil
    }

    /// `sN`, `sN-sM` or `all`.
    static func parseSuggestionTarget(_ text: String, command: String) throws(TagbenchError) -> SuggestionTarget {
        if text == "all" { return .all }
        func number(_ part: Substring) -> Int? {
            guard part.first == "s", let n = Int(part.dropFirst()), n >= 1, part.dropFirst().allSatisfy(\.isASCII),
                !part.dropFirst().hasPrefix("+")
            else { return nil }
            return n
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1, let n = number(parts[0]) { return .numbers(n, n) }
        if parts.count == 2, let a = number(parts[0]), let b = number(parts[1]), a <= b { return .numbers(a, b) }
        throw .invalidArgument(command: command, argument: text, expected: "sN, sN-sM or all")
    }

    /// `dN` → N (a disagreement of the last `agree`).
    static func parseDisagreement(_ text: String) -> Int? {
        guard text.first == "d", text.dropFirst().allSatisfy(\.isASCII), !text.dropFirst().hasPrefix("+"),
            let n = Int(text.dropFirst()), n >= 1
        else { return nil }
        return n
    }

    /// `aN` → N.
    static func parseID(_ text: String, command: String) throws(TagbenchError) -> Int {
        guard let n = annotationNumber(text) else {
            throw .invalidArgument(command: command, argument: text, expected: "an annotation id such as a3")
        }
        return n
    }
}

/// The arguments after a command name, consumed in order.
private struct Arguments {
    let command: String
    var scanner: CommandScanner

    mutating func next(allowRegex: Bool = false) throws(TagbenchError) -> Token? {
        try scanner.next(allowRegex: allowRegex)
    }

    mutating func required(_ what: String, allowRegex: Bool = false) throws(TagbenchError) -> Token {
        guard let token = try scanner.next(allowRegex: allowRegex) else {
            throw .missingArgument(command: command, what: what)
        }
        return token
    }

    /// `N` or `N-M` (N ≤ M, both from 1) after `keyword`.
    mutating func numbers(after keyword: String) throws(TagbenchError) -> (Int, Int) {
        let token = try required("a number after \(keyword)")
        let parts = token.text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { part in
            part.allSatisfy(\.isASCII) ? Int(part).flatMap { $0 >= 1 ? $0 : nil } : nil
        }
        guard parts.count <= 2, numbers.count == parts.count, numbers[0] <= numbers[numbers.count - 1] else {
            throw .invalidArgument(
                command: command, argument: token.text, expected: "a number from 1, or N-M with N ≤ M")
        }
        return (numbers[0], numbers[numbers.count - 1])
    }

    mutating func number(after keyword: String) throws(TagbenchError) -> Int {
        let token = try required("a number after \(keyword)")
        guard let n = Int(token.text), n >= 1, token.text.allSatisfy(\.isASCII) else {
            throw .invalidArgument(command: command, argument: token.text, expected: "a number from 1")
        }
        return n
    }

    mutating func pattern() throws(TagbenchError) -> Pattern {
        let token = try required("a text or /regular expression/", allowRegex: true)
        if token.kind == .word && token.text.hasPrefix("--") {
            throw .missingArgument(command: command, what: "a text or /regular expression/ before \(token.text)")
        }
        return token.kind == .regex ? .regex(token.text) : .literal(token.text)
    }

    /// `[--untagged] [LABEL]`, in either order, to the end of the line.
    mutating func paragraphFilter() throws(TagbenchError) -> ParagraphFilter {
        let (flags, words) = try rest(flags: ["--untagged"], most: 1)
        switch (flags.contains("--untagged"), words.first?.text) {
        case (false, nil): return .any
        case (true, nil): return .untagged
        case (false, let label?): return .labelled(label)
        case (true, let label?): return .unlabelled(label)
        }
    }

    /// The rest of the line, in any order: which of `flags` are given, and at most `most` other
    /// arguments (`/…/` read as a regex from the `regexFrom`-th of them, counting from 0); any other
    /// option, or an argument past `most`, is an error.
    mutating func rest(flags: Set<String>, most: Int, regexFrom: Int = .max) throws(TagbenchError) -> (
        flags: Set<String>, words: [Token]
    ) {
        var given = Set<String>()
        var words: [Token] = []
        while let token = try scanner.next(allowRegex: words.count >= regexFrom) {
            if token.kind == .word && flags.contains(token.text) {
                given.insert(token.text)
            } else if token.kind == .word && token.text.hasPrefix("--") {
                throw .unknownOption(token.text, command: command)
            } else if words.count < most {
                words.append(token)
            } else {
                throw .unexpectedArgument(command: command, argument: token.text)
            }
        }
        return (given, words)
    }

    /// Reads an optional flag; anything else left over is an error.
    mutating func flag(_ name: String) throws(TagbenchError) -> Bool {
        guard let token = try scanner.next() else { return false }
        if token.kind == .word && token.text == name { return true }
        if token.kind == .word && token.text.hasPrefix("--") { throw .unknownOption(token.text, command: command) }
        throw .unexpectedArgument(command: command, argument: token.text)
    }

    mutating func finish() throws(TagbenchError) {
        if let extra = try scanner.next() {
            if extra.kind == .word && extra.text.hasPrefix("--") { throw .unknownOption(extra.text, command: command) }
            throw .unexpectedArgument(command: command, argument: extra.text)
        }
    }
}
