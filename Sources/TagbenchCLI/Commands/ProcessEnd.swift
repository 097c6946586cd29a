/// What a one-shot command (`run`, `export`, `stats`) has built, kept until the process ends
/// instead of taken apart when the command returns: the process ends right after, and the system
/// takes its memory back at once, where freeing a session object by object (a million spans and
/// their strings) takes a noticeable share of a short command.
enum ProcessEnd {
    nonisolated(unsafe) private static var kept: [AnyObject] = []

    /// Keeps `object` alive until the process exits.
    static func keep(_ object: AnyObject) {
        kept.append(object)
    }
}
