import Foundation
import Testing
@testable import TagbenchCore

/// The fast path of `Codec/FastPath` (the layout reader and the splitter, invariants in
/// `AnnotationLayout`) gives exactly what the general reader gives, and a session laid out
/// otherwise (by hand, by another tool) still opens, through the general reader, to the same session.
struct FastPathEqualityTests {
    /// Ways a session file can be laid out other than as tagbench writes it; all valid JSON.
    enum Layout: String, CaseIterable, Sendable {
        case asWritten
        /// `{ "id" :` for `{"id": `: no object is in the written layout.
        case respacedKeys
        /// Windows line breaks and tabs: the splitter finds no line to cut at.
        case crlfAndTabs
        /// One line, no spaces after separators: nothing for the layout reader or the splitter.
        case compact
        /// `annotator` before `source`, where neither holds an escape.
        case reorderedKeys
        /// An unknown key with a nested value at the end of every annotation.
        case extraKey

        func apply(to text: String) -> String {
            switch self {
            case .asWritten: return text
            case .respacedKeys: return text.replacingOccurrences(of: "{\"id\": ", with: "{ \"id\" :")
            case .crlfAndTabs:
                return text.replacingOccurrences(of: "\n    ", with: "\r\n\t").replacingOccurrences(
                    of: "\n", with: "\r\n")
            case .compact:
                // A raw line break is never inside a JSON string: every one, and the spaces after it,
                // is layout.
                var out: [UInt8] = []
                var bytes = Array(text.utf8)[...]
                while let byte = bytes.popFirst() {
                    if byte == UInt8(ascii: "\n") {
                        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
                    } else {
                        out.append(byte)
                    }
                }
                return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\": ", with: "\":")
            case .reorderedKeys:
                return Self.rewrite(text, after: ", \"source\": ") { source, rest in
                    let key = Array(", \"annotator\": ".utf8)
                    guard rest.starts(with: key) else { return nil }
                    let annotator = Self.stringLength(rest.dropFirst(key.count))
                    let value = rest.dropFirst(key.count).prefix(annotator)
                    return (key + value + Array(", \"source\": ".utf8) + source, key.count + annotator)
                }
            case .extraKey:
                return Self.rewrite(text, after: "\"time\": ") { time, rest in
                    guard rest.first == UInt8(ascii: "}") else { return nil }
                    return (Array("\"time\": ".utf8) + time + Array(", \"extra\": [1, {\"y\": null}] }".utf8), 1)
                }
            }
        }

        /// The length of the JSON string at the start of `bytes`, its quotes included.
        static func stringLength(_ bytes: ArraySlice<UInt8>) -> Int {
            var at = bytes.startIndex + 1
            while bytes[at] != UInt8(ascii: "\"") { at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1 }
            return at + 1 - bytes.startIndex
        }

        /// `text` with each `key` followed by a JSON string, and what `change` accepts after it,
        /// replaced: `change` gets the string and the rest, and gives what replaces the key, the
        /// string and the `count` bytes of the rest it used, or nil to leave them.
        static func rewrite(
            _ text: String, after key: String,
            _ change: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> (replacement: [UInt8], count: Int)?
        ) -> String {
            let bytes = Array(text.utf8), key = Array(key.utf8)
            var out: [UInt8] = []
            var at = 0
            while at < bytes.count {
                if bytes[at] == key[0], bytes[at...].starts(with: key), at + key.count < bytes.count,
                    bytes[at + key.count] == UInt8(ascii: "\"")
                {
                    let value = bytes[(at + key.count)...].prefix(stringLength(bytes[(at + key.count)...]))
                    if let (replacement, used) = change(value, bytes[value.endIndex...]) {
                        out += replacement
                        at = value.endIndex + used
                        continue
                    }
                }
                out.append(bytes[at])
                at += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// How large a session: small (read in order) or with over 1 MB of annotations (split).
    enum Size: String, CaseIterable, Sendable {
        case small, large
    }

    /// A saved session of `size` and its file's path.
    func savedSession(_ size: Size) throws -> (EngineHarness, String) {
        if size == .small { return try SessionCodecTests().savedSession() }
        // A note with an escape: one object in the middle of a piece taken by the general reader.
        let (h, dir) = try SessionCodecTests().largeSession()
        try h.run("note a9000 \"带 \\\"引号\\\"\"", "save")
        return (h, dir + "/s.json")
    }

    @Test(arguments: Layout.allCases, Size.allCases)
    func theFastPathReadsWhatTheGeneralReaderReadsAndAnyLayoutOpensAlike(layout: Layout, size: Size) throws {
        let (_, path) = try savedSession(size)
        let written = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let text = layout.apply(to: String(decoding: written, as: UTF8.self))
        if layout != .asWritten {
            #expect(text != String(decoding: written, as: UTF8.self), "the layout changes the file")
        }
        let bytes = Array(text.utf8)
        let fast = try SessionFileReader.read(bytes, displayPath: "s.json")
        let general = try SessionFileReader.read(bytes, displayPath: "s.json", fastPath: false)
        #expect(Array(fast.annotations.joined()) == Array(general.annotations.joined()))
        #expect(fast.documents == general.documents && fast.categories == general.categories && fast.log == general.log)
        #expect(fast.tagSet.labels == general.tagSet.labels && fast.nextID == general.nextID)
        if layout == .asWritten && size == .large { #expect(fast.annotations.count > 1, "the splitter cut the list") }
        // Opened, the session is the same: saved again, it is the file as tagbench wrote it.
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let (reopened, warnings) = try Engine.open(path: path, displayPath: "s.json", annotator: Annotator(name: "x"))
        #expect(warnings.isEmpty)
        #expect(SessionCodec.encode(reopened.session, directory: Paths.directory(of: path)) == written)
    }

    /// Every annotation object of a saved session (escapes in notes and sources, a span across a
    /// line break) read straight from its layout and by the general reader: the layout reader
    /// gives the same fields or declines; a file laid out otherwise opens to the same session.
    @Test func annotationsReadFromTheWrittenLayoutEqualTheGeneralReader() throws {
        let (h, path) = try savedSession(.small)
        try h.run("open xinqu-2023", "tag 巡察 1:30", "note a\(h.engine.session.nextNumber - 1) 'a\\b \"q\" 末'", "save")
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        func fields(_ a: RawAnnotation) -> String {
            "\(a.number as Any) \(a.doc) \(a.start) \(a.end) \(a.label) \(a.text) \(a.note) \(a.source) \(a.annotator) \(a.time) "
                + "\(a.prefix.map { Array(data[$0]) } ?? []) \(a.suffix.map { Array(data[$0]) } ?? [])"
        }
        var read = 0
        var declined = 0
        try data.withUnsafeBufferPointer { b in
            var layout = AnnotationLayoutReader(b)
            let marker = Array("\n    {\"id\"".utf8)
            for start in 0..<(b.count - marker.count)
            where b[start] == 0x0A && Array(b[start..<(start + marker.count)]) == marker {
                var general = try JSONReader(bytes: data, path: "s.json")
                general.seek(to: start + 5)
                var repeated = RepeatedStrings()
                let expected = try SessionFileReader.readAnnotation(&general, orphan: false, repeated: &repeated)
                if let (a, end) = layout.read(at: start, orphan: false) {
                    #expect(fields(a) == fields(expected))
                    #expect(end == general.offset)
                    read += 1
                } else {
                    declined += 1
                }
            }
        }
        #expect(read > 10 && declined >= 2, "the spans across a line break and with the note take the general reader")
        // The same annotations laid out otherwise: read by the general reader, written back alike.
        let respaced = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "{\"id\": ", with: "{ \"id\" :")
        try respaced.write(toFile: path, atomically: true, encoding: .utf8)
        let (reopened, _) = try Engine.open(path: path, displayPath: "session.json", annotator: Annotator(name: "x"))
        #expect(SessionCodec.encode(reopened.session, directory: Paths.directory(of: path)) == data)
    }

    /// Objects near the written layout, one variation each: the layout reader (`tb_parse_annotation`)
    /// reads what the general reader reads, or declines.
    @Test(arguments: [
        (
            #"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "巡察", "text": "巡察", "prefix": "", "suffix": "工作", "source": "manual", "annotator": "x", "time": "t"}"#,
            true
        ),
        (
            #"{"id": "a7", "doc": "d\"q", "start": 10, "end": 12, "label": "巡\\察", "text": "巡察", "prefix": "前", "suffix": "", "note": "n", "source": "all:\"巡察\"", "annotator": "x\/y", "time": "t\u0041"}"#,
            true
        ),
        (
            #"{"id": "a123456789012345678", "doc": "d", "start": 0, "end": 999999999999999999, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "", "time": ""}"#,
            true
        ),
        (
            #"{"id": "a07", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": 01, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": -1, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t\"", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "\n", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "note": null, "source": "s", "annotator": "a", "time": "t"}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t", "x": 1}"#,
            false
        ),
        (
            #"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "time": "t", "annotator": "a"}"#,
            false
        ),
        (
            #"{"id": "b7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#,
            false
        )
    ])
    func theLayoutReaderReadsWhatTheGeneralReaderReadsOrDeclines(object: String, read: Bool) throws {
        let data = Array(("\n    " + object + "\n").utf8)
        var general = try JSONReader(bytes: data, path: "s.json")
        general.seek(to: 5)
        var repeated = RepeatedStrings()
        let expected = try SessionFileReader.readAnnotation(&general, orphan: false, repeated: &repeated)
        let found = data.withUnsafeBufferPointer { b in
            var layout = AnnotationLayoutReader(b)
            return layout.read(at: 0, orphan: false)
        }
        #expect((found != nil) == read)
        if let (a, end) = found {
            let fields = { (a: RawAnnotation) in
                [
                    a.number.map(String.init) ?? "-", a.doc, "\(a.start)", "\(a.end)", a.label, a.text, a.note,
                    a.source, a.annotator, a.time,
                    "\(a.prefix.map { Array(data[$0]) } ?? [])", "\(a.suffix.map { Array(data[$0]) } ?? [])"
                ]
            }
            #expect(fields(a) == fields(expected))
            #expect(end == general.offset)
        }
    }

}
