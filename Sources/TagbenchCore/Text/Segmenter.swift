/// A sentence: its range and the paragraph it lies in.
public struct Sentence: Hashable, Sendable {
    /// The trimmed range of the sentence.
    public var range: TextRange
    /// The 1-based paragraph number.
    public var paragraph: Int
}

/// Splits documents into paragraphs and sentences by the rules analysts count by.
public enum Segmenter {
    /// Ends a sentence: 。！？!? (a run of them).
    static func isTerminator(_ s: UInt32) -> Bool {
        s == 0x3002 || s == 0xFF01 || s == 0xFF1F || s == 0x21 || s == 0x3F
    }

    /// Closing quotes and brackets that stay with the sentence they follow: ”’」』）)》
    static func isCloser(_ s: UInt32) -> Bool {
        s == 0x201D || s == 0x2019 || s == 0x300D || s == 0x300F || s == 0xFF09 || s == 0x29 || s == 0x300B
    }

    /// Lines (split on `\n`, a `\r` before it excluded) holding non-whitespace, trimmed.
    public static func paragraphs(of document: Document) -> [TextRange] {
        var result: [TextRange] = []
        document.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var byte = 0
            var codePoint = 0
            var firstContent = -1
            var lastContentEnd = -1
            while byte < buffer.count {
                let (scalar, length) = UTF8Bytes.decode(base, byte)
                if scalar == 0x0A {
                    if firstContent >= 0 { result.append(TextRange(firstContent, lastContentEnd)) }
                    firstContent = -1
                } else if !UTF8Bytes.isWhitespace(scalar) {
                    if firstContent < 0 { firstContent = codePoint }
                    lastContentEnd = codePoint + 1
                }
                byte += length
                codePoint += 1
            }
            if firstContent >= 0 { result.append(TextRange(firstContent, lastContentEnd)) }
        }
        return result
    }

    /// Sentences of every paragraph, in order.
    public static func sentences(of document: Document, paragraphs: [TextRange]) -> [Sentence] {
        var result: [Sentence] = []
        let string = document.string
        var scalars = string.unicodeScalars.makeIterator()
        var position = 0
        for (number, paragraph) in paragraphs.enumerated() {
            // Move to the paragraph's start.
            while position < paragraph.start {
                _ = scalars.next()
                position += 1
            }
            var text: [UInt32] = []
            text.reserveCapacity(paragraph.length)
            while position < paragraph.end, let s = scalars.next() {
                text.append(s.value)
                position += 1
            }
            var start = 0
            var i = 0
            func emit(_ end: Int) {
                var a = start
                var b = end
                while a < b && UTF8Bytes.isWhitespace(text[a]) { a += 1 }
                while b > a && UTF8Bytes.isWhitespace(text[b - 1]) { b -= 1 }
                if a < b {
                    result.append(
                        Sentence(range: TextRange(paragraph.start + a, paragraph.start + b), paragraph: number + 1))
                }
                start = end
            }
            while i < text.count {
                if isTerminator(text[i]) {
                    while i < text.count && isTerminator(text[i]) { i += 1 }
                    while i < text.count && isCloser(text[i]) { i += 1 }
                    emit(i)
                } else {
                    i += 1
                }
            }
            if start < text.count { emit(text.count) }
        }
        return result
    }
}
