/// An annotation as the session file gives it, before documents and labels are looked up.
struct RawAnnotation: Equatable {
    /// N of the id `aN`; nil when the id is missing or not of that form.
    var number: Int?
    /// The id as written when it is not a valid one (for the error that names it).
    var invalidID = ""
    var doc = "", start = -1, end = -1, label = "", text = "", note = "", source = "manual", annotator = "", time = ""
    /// Where the context strings are in the file, quotes included (read only if the document changed).
    var prefix: Range<Int>?, suffix: Range<Int>?
    var orphan = false
    /// `annotators`, written only on a span `merge` accepted.
    var annotators: [String] = []
}

/// The last value of each field that usually repeats, so equal strings share one allocation.
struct RepeatedStrings {
    var doc = "", label = "", source = "", annotator = "", time = ""
}

/// N of an id `aN` (N ≥ 1, digits only), read from its bytes.
func annotationNumber(_ id: String) -> Int? {
    var id = id
    return id.withUTF8 { annotationNumber($0) }
}

/// N of an id `aN` (N ≥ 1, digits only) given as UTF-8 bytes.
func annotationNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard bytes.count >= 2, bytes.count <= 19, bytes[0] == UInt8(ascii: "a"), bytes[1] != UInt8(ascii: "0") else {
        return nil
    }
    var number = 0
    for digit in bytes.dropFirst() {
        guard digit >= 48 && digit <= 57 else { return nil }
        number = number * 10 + Int(digit - 48)
    }
    return number
}
