import Foundation
import Testing
@testable import TagbenchCore

/// The fast path of `Codec/FastPath` (the layout reader, invariants in `AnnotationLayout`) gives
/// exactly what the general reader gives.
struct FastPathEqualityTests {
    /// Every annotation object of a saved session (escapes in notes and sources, a span across a
    /// line break) read straight from its layout and by the general reader: the layout reader
    /// gives the same fields or declines; a file laid out otherwise opens to the same session.
    @Test func annotationsReadFromTheWrittenLayoutEqualTheGeneralReader() throws {
        let (h, path) = try SessionCodecTests().savedSession()
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
            for start in 0..<(b.count - marker.count) where b[start] == 0x0A && Array(b[start..<(start + marker.count)]) == marker {
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
        (#"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "巡察", "text": "巡察", "prefix": "", "suffix": "工作", "source": "manual", "annotator": "x", "time": "t"}"#, true),
        (#"{"id": "a7", "doc": "d\"q", "start": 10, "end": 12, "label": "巡\\察", "text": "巡察", "prefix": "前", "suffix": "", "note": "n", "source": "all:\"巡察\"", "annotator": "x\/y", "time": "t\u0041"}"#, true),
        (#"{"id": "a123456789012345678", "doc": "d", "start": 0, "end": 999999999999999999, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "", "time": ""}"#, true),
        (#"{"id": "a07", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#, false),
        (#"{"id": "a7", "doc": "d", "start": 01, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#, false),
        (#"{"id": "a7", "doc": "d", "start": -1, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#, false),
        (#"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t\"", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#, false),
        (#"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "\n", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#, false),
        (#"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "note": null, "source": "s", "annotator": "a", "time": "t"}"#, false),
        (#"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t", "x": 1}"#, false),
        (#"{"id": "a7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "time": "t", "annotator": "a"}"#, false),
        (#"{"id": "b7", "doc": "d", "start": 0, "end": 2, "label": "l", "text": "t", "prefix": "", "suffix": "", "source": "s", "annotator": "a", "time": "t"}"#, false),
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
            let fields = { (a: RawAnnotation) in [a.number.map(String.init) ?? "-", a.doc, "\(a.start)", "\(a.end)", a.label, a.text, a.note, a.source, a.annotator, a.time,
                                                  "\(a.prefix.map { Array(data[$0]) } ?? [])", "\(a.suffix.map { Array(data[$0]) } ?? [])"] }
            #expect(fields(a) == fields(expected))
            #expect(end == general.offset)
        }
    }

}
