/// A string field's last value and its JSON, copied again while the value stays the same: the
/// source, annotator and time of consecutive annotations are mostly one value.
struct RepeatedJSON {
    private var value: String?
    private var json: [UInt8] = []

    /// Writes `text` as a JSON string, from the JSON of the value before when it is equal (two
    /// strings sharing storage compare equal without reading it).
    mutating func write(_ text: String, to writer: inout JSONWriter) {
        if text != value {
            json = JSONWriter.encoded(text)
            value = text
        }
        json.withUnsafeBufferPointer { writer.raw($0) }
    }
}

/// The annotation fields that usually repeat from one annotation to the next, as last written.
struct RepeatedFields {
    var source = RepeatedJSON(), annotator = RepeatedJSON(), time = RepeatedJSON()
}
