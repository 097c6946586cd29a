/// Reads tag-set files (`Schemas/tagset.schema.json`): the labels a project annotates with.
public enum TagSetCodec {
    /// Format name required in tag-set files.
    public static let formatName = "tagbench-tagset"

    /// The labels of a tag-set file.
    public static func decode(_ bytes: [UInt8], displayPath: String) throws(TagbenchError) -> [Label] {
        var r = try JSONReader(bytes: bytes, path: displayPath)
        func invalid(_ reason: String) -> TagbenchError { .invalidSession(path: displayPath, reason: reason) }
        var labels: [Label] = []
        var sawFormat = false
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "format":
                guard try r.readString() == formatName else { throw invalid("format is not \"\(formatName)\"") }
                sawFormat = true
            case "version":
                let v = try r.readInt()
                if v > 1 { throw .sessionTooNew(path: displayPath, version: v) }
            case "labels":
                try r.beginArray()
                while try r.nextElement() {
                    let label = try decodeLabel(&r, number: labels.count + 1, invalid: invalid)
                    labels.append(label)
                }
            default:
                try r.skipValue()
            }
        }
        try r.finish()
        guard sawFormat else { throw invalid("it has no \"format\": \"\(formatName)\"") }
        return labels
    }

    /// One label object, as session and tag-set files both write it.
    static func decodeLabel(_ r: inout JSONReader, number: Int, invalid: (String) -> TagbenchError) throws(TagbenchError) -> Label {
        var label = Label(name: "")
        var kind = "span"
        try r.beginObject()
        while let k = try r.nextKey() {
            switch k {
            case "name": label.name = try r.readString()
            case "kind": kind = try r.readString()
            case "aliases":
                try r.beginArray()
                while try r.nextElement() { label.aliases.append(try r.readString()) }
            case "colour": label.colour = try r.readString()
            case "description": label.description = try r.readString()
            default: try r.skipValue()
            }
        }
        guard !label.name.isEmpty else { throw invalid("label \(number) has no name") }
        guard let k = LabelKind(rawValue: kind) else { throw invalid("label \(label.name) has unknown kind \"\(kind)\"") }
        label.kind = k
        return label
    }
}
