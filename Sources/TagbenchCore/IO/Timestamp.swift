#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// ISO 8601 UTC times, fixed by `SOURCE_DATE_EPOCH` when it is set (for reproducible files).
public enum Timestamp {
    /// Seconds since 1970 from `SOURCE_DATE_EPOCH`, or nil when it is unset or not a number.
    public static func sourceDateEpoch(_ environment: [String: String]) -> Int? {
        environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for a time in seconds since 1970.
    public static func iso8601(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// Now, in seconds since 1970.
    public static func now() -> Int { Int(time(nil)) }
}
