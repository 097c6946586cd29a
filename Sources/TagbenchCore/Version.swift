/// The version of tagbench, written into exports and shown by `--version`.
public enum TagbenchVersion {
    /// Semantic version.
    public static let current = "0.1.0"
}
