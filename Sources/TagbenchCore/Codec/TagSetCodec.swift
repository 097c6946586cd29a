/// Reads tag-set files (`Schemas/tagset.schema.json`): the labels a project annotates with.
public enum TagSetCodec {
    /// Format name required in tag-set files.
    public static let formatName = "tagbench-tagset"

    /// What a tag-set file holds.
    public struct File: Sendable {
        /// The labels, in file order.
        public var labels: [Label] = []
        /// The overlap policy.
        public var overlap: OverlapPolicy = .allow
    }

    /// The labels and overlap policy of a tag-set file, checked: parents exist and form no
    /// cycle, patterns belong to span labels and compile.
    public static func decode(_ bytes: [UInt8], displayPath: String) throws(TagbenchError) -> File {
        var r = try JSONReader(bytes: bytes, path: displayPath)
        func invalid(_ reason: String) -> TagbenchError { .invalidTagSet(path: displayPath, reason: reason) }
        var labels: [Label] = []
        var file = File()
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
            case "overlap":
                let name = try r.readString()
                guard let policy = OverlapPolicy(rawValue: name) else {
                    throw invalid("overlap is \"\(name)\"; it is allow, nest or none")
                }
                file.overlap = policy
            default:
                try r.skipValue()
            }
        }
        try r.finish()
        guard sawFormat else { throw invalid("it has no \"format\": \"\(formatName)\"") }
        try check(labels, invalid: invalid)
        file.labels = labels
        return file
    }

    /// Parents name labels of the set and form no cycle; patterns are on span labels and compile.
    static func check(_ labels: [Label], invalid: (String) -> TagbenchError) throws(TagbenchError) {
        var byName: [String: Label] = [:]
        for label in labels { for name in [label.name] + label.aliases { byName[name] = label } }
        for label in labels {
            var seen: Set<String> = [label.name]
            var parent = label.parent
            while !parent.isEmpty {
                guard let p = byName[parent] else {
                    throw invalid("the parent of \(label.name), \(parent), is not a label of the set")
                }
                guard seen.insert(p.name).inserted else {
                    throw invalid("the parents of \(label.name) go round in a circle")
                }
                parent = p.parent
            }
            if !label.patterns.isEmpty && label.kind != .span {
                throw invalid("\(label.name) is a category label; only span labels have patterns")
            }
            for p in label.patterns {
                do { _ = try TextSearch(p.pattern) } catch {
                    throw invalid("\(label.name): pattern \(p.fileText): \(error.message)")
                }
            }
        }
    }

    /// One label object, as session and tag-set files both write it.
    static func decodeLabel(_ r: inout JSONReader, number: Int, invalid: (String) -> TagbenchError)
        throws(TagbenchError) -> Label
    {
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
            case "shortcut": label.shortcut = try r.readString()
            case "parent": label.parent = try r.readString()
            case "patterns":
                try r.beginArray()
                while try r.nextElement() {
                    if try r.nextKind() == .string {
                        label.patterns.append(LabelPattern(LabelPattern.pattern(fromFileText: try r.readString())))
                        continue
                    }
                    var text = ""
                    var p = LabelPattern(.literal(""))
                    try r.beginObject()
                    while let pk = try r.nextKey() {
                        switch pk {
                        case "pattern": text = try r.readString()
                        case "not_inside", "inside":
                            try r.beginArray()
                            while try r.nextElement() {
                                let context = try r.readString()
                                if pk == "inside" { p.inside.append(context) } else { p.notInside.append(context) }
                            }
                        default: try r.skipValue()
                        }
                    }
                    guard !text.isEmpty else {
                        throw invalid(
                            "a pattern of \(label.name.isEmpty ? "label \(number)" : label.name) has no \"pattern\"")
                    }
                    p.pattern = LabelPattern.pattern(fromFileText: text)
                    label.patterns.append(p)
                }
            default: try r.skipValue()
            }
        }
        guard !label.name.isEmpty else { throw invalid("label \(number) has no name") }
        guard let k = LabelKind(rawValue: kind) else {
            throw invalid("label \(label.name) has unknown kind \"\(kind)\"")
        }
        label.kind = k
        return label
    }

    /// Writes the optional fields of a label (shortcut, parent, patterns) when they are set, as
    /// session and tag-set files both hold them.
    static func encodeExtras(of label: Label, to w: inout JSONWriter) {
        if !label.shortcut.isEmpty {
            w.key("shortcut")
            w.string(label.shortcut)
        }
        if !label.parent.isEmpty {
            w.key("parent")
            w.string(label.parent)
        }
        guard !label.patterns.isEmpty else { return }
        w.key("patterns")
        w.raw("[")
        for (i, p) in label.patterns.enumerated() {
            if i > 0 { w.raw(", ") }
            if p.notInside.isEmpty && p.inside.isEmpty {
                w.string(p.fileText)
                continue
            }
            w.raw("{\"pattern\": ")
            w.string(p.fileText)
            if !p.notInside.isEmpty {
                w.key("not_inside")
                w.stringArray(p.notInside)
            }
            if !p.inside.isEmpty {
                w.key("inside")
                w.stringArray(p.inside)
            }
            w.raw("}")
        }
        w.raw("]")
    }
}
