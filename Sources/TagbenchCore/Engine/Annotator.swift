/// Who annotates and what time it is, supplied by the caller so the core reads no environment.
public struct Annotator: Sendable {
    /// The annotator's name, written with each annotation.
    public var name: String
    /// Fixed seconds since 1970 (`SOURCE_DATE_EPOCH`), or nil for the clock.
    public var fixedTime: Int?

    /// Makes an annotator.
    public init(name: String, fixedTime: Int? = nil) {
        self.name = name
        self.fixedTime = fixedTime
    }

    /// The time to write now.
    public func now() -> String { Timestamp.iso8601(fixedTime ?? Timestamp.now()) }
}
