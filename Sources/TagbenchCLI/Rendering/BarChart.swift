import TagbenchCore

/// Horizontal bars of Unicode block elements at eighth-of-a-column precision, and the rows of a
/// chart aligned by display width (a CJK name takes two columns a character).
public enum BarChart {
    /// The blocks from one eighth to seven eighths of a column wide (`▏` … `▉`).
    static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    /// A whole column.
    static let full: Character = "█"
    /// A column of the empty track behind a bar that shows a share of a whole.
    static let track: Character = "░"

    /// A bar `value / maximum` of `width` columns long, rounded to the nearest eighth; a value
    /// above zero gets at least an eighth, so it never looks like none. Empty for zero.
    public static func bar(_ value: Int, of maximum: Int, width: Int) -> String {
        guard value > 0, maximum > 0, width > 0 else { return "" }
        let eighths = max(1, Int((Double(min(value, maximum)) * Double(width * 8) / Double(maximum)).rounded()))
        var bar = String(repeating: full, count: eighths / 8)
        if eighths % 8 > 0 { bar.append(partials[eighths % 8 - 1]) }
        return bar
    }

    /// Columns a bar from `bar` takes (each block one column).
    public static func columns(of bar: String) -> Int { bar.unicodeScalars.count }

    /// The columns left for bars on a line of `lineWidth` after `used` columns: one column is
    /// kept free (a line that fills the terminal's last column wraps on some terminals), and a
    /// bar gets at least 8.
    public static func barWidth(lineWidth: Int, used: Int) -> Int { max(8, lineWidth - used - 1) }
}
