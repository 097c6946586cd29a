/// The text of `help`.
enum Help {
    static func lines(for topic: String?) throws(TagbenchError) -> [String] {
        guard let topic else {
            let width = CommandReference.all.map { Format.displayWidth($0.usage) }.max() ?? 0
            var lines = CommandReference.all.map {
                "  " + Format.padded($0.usage, to: min(width, 40)) + "  " + $0.summary
            }
            lines.insert("commands (help COMMAND for one):", at: 0)
            lines.append(
                "arguments: \"…\" quotes (\\\" and \\\\ inside), /…/ is a regular expression, # starts a comment;")
            lines.append("offsets are code points, half-open S:E; labels may be names or aliases")
            return lines
        }
        guard let entry = CommandReference.named(topic) else {
            throw .unknownCommand(topic, suggestion: NameSuggester.nearest(to: topic, among: CommandReference.names))
        }
        return ["usage: \(entry.usage)", entry.summary] + entry.details
    }
}
