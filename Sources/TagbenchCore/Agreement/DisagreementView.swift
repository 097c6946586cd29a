/// `show dN`: one disagreement with the text around it, for each annotator's version to be
/// marked under it.
public struct DisagreementView: Sendable, Equatable {
    /// The disagreement.
    public var disagreement: Disagreement
    /// The annotators, in the order of `disagreement.versions`.
    public var annotators: [String]
    /// The offset of the first code point of `text`.
    public var start: Int
    /// The disagreement's text with a few characters either side (line ends shown as spaces).
    public var text: String
}
