import CTagbenchBytes
#if canImport(Glibc)
    import Glibc
#endif

/// Cuts a large annotations list laid out as written into pieces read on every core
/// (invariants: `AnnotationLayout`).
enum AnnotationSplitter {
    /// Pieces to cut a list into: one per core of the machines this is tuned for, and a few more.
    static let pieceCount = 4
    /// Lists shorter than this are read in order (cutting would cost more than it saves).
    static let smallestList = 1 << 20

    /// The annotations list at the reader (just after its `[`), in pieces read on every core;
    /// the reader is left after the list. Nil, with the reader where it was, when the list is
    /// short or laid out otherwise, or anything in it is wrong: the caller then reads it in
    /// order, with exact error positions.
    static func readInPieces(_ reader: inout JSONReader) -> [[RawAnnotation]]? {
        let bytes = reader.contents
        let start = reader.offset
        guard let end = listEnd(in: bytes, from: start), end - start > smallestList else { return nil }
        let cuts = cuts(in: bytes, from: start, to: end)
        let template = reader
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            Parallel.map(cuts.count - 1) { index in
                readPiece(from: cuts[index], to: cuts[index + 1], first: index == 0, template: template, buffer: buffer)
            }
        }
        var pieces: [[RawAnnotation]] = []
        for piece in parsed {
            guard let piece else { return nil }
            pieces.append(piece)
        }
        reader.seek(to: end)
        guard (try? reader.nextElement()) == false else {
            reader.seek(to: start)
            return nil
        }
        return pieces
    }

    /// Where the list ends: the line `  ],` that the orphans key follows, found from the end of
    /// the file a line at a time, else the first line `  ]` after `start`.
    private static func listEnd(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard start < buffer.count, let base = buffer.baseAddress else { return nil }
            let next: [UInt8] = Array("\n  ],\n  \"orphans\": [".utf8)
            var line = buffer.count
            while line > start {
                line = tb_memrchr(base, 0x0A, line)
                if line < start { break }
                if line + next.count <= buffer.count && memcmp(base + line, next, next.count) == 0 { return line }
            }
            let close: [UInt8] = Array("\n  ]".utf8)
            let hit = tb_memmem(base + start, buffer.count - start, close, close.count)
            return hit < 0 ? nil : start + hit
        }
    }

    /// Offsets that cut `start..<end` into about `pieceCount` pieces, each at a `,\n    {` (a new
    /// element: a raw line break is never inside a JSON string); `start` and `end` included.
    private static func cuts(in bytes: [UInt8], from start: Int, to end: Int) -> [Int] {
        var cuts = [start]
        bytes.withUnsafeBufferPointer { buffer in
            let separator: [UInt8] = Array(",\n    {".utf8)
            for index in 1..<pieceCount {
                let from = start + (end - start) * index / pieceCount
                guard from > cuts.last! else { continue }
                let hit = tb_memmem(buffer.baseAddress! + from, end - from, separator, separator.count)
                if hit >= 0 { cuts.append(from + hit) }
            }
        }
        cuts.append(end)
        return cuts
    }

    /// The annotations of `from..<to`; every piece but the first starts at the comma before its
    /// first element. Nil when the piece is not a run of elements or any is wrong.
    private static func readPiece(
        from: Int, to: Int, first: Bool, template: JSONReader,
        buffer: UnsafeBufferPointer<UInt8>
    ) -> [RawAnnotation]? {
        var piece = template
        piece.seek(to: from)
        var layout = AnnotationLayoutReader(buffer)
        var list: [RawAnnotation] = []
        list.reserveCapacity((to - from) / 200)
        do {
            if !first && !piece.consume(UInt8(ascii: ",")) { return nil }
            while true {
                list.append(try layout.readOrFallBack(&piece, orphan: false))
                if piece.offset >= to { break }
                guard piece.consume(UInt8(ascii: ",")) else { return nil }
                if piece.offset >= to { return nil }
            }
            return list
        } catch {
            return nil
        }
    }
}
