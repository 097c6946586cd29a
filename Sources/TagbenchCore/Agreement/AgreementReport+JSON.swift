extension AgreementReport {
    /// The report as one JSON object (`Schemas/agreement.schema.json`), keys in a fixed order,
    /// numbers as the shortest text that reads back to the same double, undefined figures `null`.
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.raw("{")
        w.key("annotators", comma: false)
        w.stringArray(annotators)
        w.key("sessions")
        w.stringArray(sessions)
        w.key("documents")
        w.raw("{")
        w.key("common", comma: false)
        Self.lines(common, "[", "]", into: &w) { document, w in
            w.raw("{")
            w.key("sha256", comma: false)
            w.string(document.sha256)
            w.key("ids")
            w.stringArray(document.ids)
            w.key("characters")
            w.int(document.characters)
            w.raw("}")
        }
        w.key("left_out")
        Self.lines(leftOut, "[", "]", into: &w) { document, w in
            w.raw("{")
            w.key("annotator", comma: false)
            w.string(document.annotator)
            w.key("id")
            w.string(document.id)
            w.key("sha256")
            w.string(document.sha256)
            w.key("reason")
            w.string(document.reason)
            w.raw("}")
        }
        w.key("not_chosen")
        w.int(notChosen)
        w.raw("}")
        w.key("labels")
        w.stringArray(labels)
        w.key("pairs")
        Self.lines(pairs, "[", "]", into: &w) { writePair($0, into: &$1) }
        w.key("characters")
        w.raw("{")
        w.key("count", comma: false)
        w.int(characters)
        w.key("krippendorff_alpha")
        Self.number(krippendorffAlpha, into: &w)
        w.key("fleiss_kappa")
        Self.number(fleissKappa, into: &w)
        w.raw("}")
        w.key("categories")
        Self.lines(categories, "{", "}", into: &w) { writeCategory($0, into: &$1) }
        w.key("disagreements")
        Self.lines(disagreements, "[", "]}\n", into: &w) { writeDisagreement($0, into: &$1) }
        return w.bytes
    }

    private func writePair(_ pair: PairAgreement, into w: inout JSONWriter) {
        w.raw("{")
        w.key("a", comma: false)
        w.string(annotators[pair.a])
        w.key("b")
        w.string(annotators[pair.b])
        w.key("spans")
        Self.match(pair.spans, into: &w)
        w.key("by_label")
        w.raw("{")
        for (k, label) in labels.enumerated() {
            if k > 0 { w.raw(", ") }
            w.string(label)
            w.raw(": ")
            Self.match(pair.byLabel[k], into: &w)
        }
        w.raw("}")
        w.key("characters")
        w.raw("{")
        w.key("cohen_kappa", comma: false)
        Self.number(pair.characters.kappa, into: &w)
        w.key("p_o")
        Self.number(pair.characters.observed, into: &w)
        w.key("p_e")
        Self.number(pair.characters.expected, into: &w)
        w.key("cohen_kappa_tagged_only")
        Self.number(pair.taggedCharacters.kappa, into: &w)
        w.key("count")
        w.int(pair.characters.units)
        w.key("tagged_count")
        w.int(pair.taggedCharacters.units)
        w.raw("}}")
    }

    private func writeCategory(_ category: CategoryLabelAgreement, into w: inout JSONWriter) {
        w.string(category.label)
        w.raw(": {")
        w.key("units", comma: false)
        w.stringArray(category.units.map(\.rawValue))
        w.key("count")
        w.int(category.unitCount)
        w.key("marked")
        w.raw("{")
        for (a, n) in category.marked.enumerated() {
            if a > 0 { w.raw(", ") }
            w.string(annotators[a])
            w.raw(": ")
            w.int(n)
        }
        w.raw("}")
        w.key("krippendorff_alpha")
        Self.number(category.krippendorffAlpha, into: &w)
        w.key("pairs")
        w.raw("[")
        for (k, figures) in category.pairs.enumerated() {
            if k > 0 { w.raw(", ") }
            w.raw("{")
            w.key("a", comma: false)
            w.string(annotators[pairs[k].a])
            w.key("b")
            w.string(annotators[pairs[k].b])
            w.key("cohen_kappa")
            Self.number(figures.kappa, into: &w)
            w.key("p_o")
            Self.number(figures.observed, into: &w)
            w.key("p_e")
            Self.number(figures.expected, into: &w)
            w.raw("}")
        }
        w.raw("]}")
    }

    private func writeDisagreement(_ item: Disagreement, into w: inout JSONWriter) {
        w.raw("{")
        w.key("id", comma: false)
        w.string("d\(item.number)")
        w.key("document")
        w.string(item.document)
        w.key("start")
        w.int(item.range.start)
        w.key("end")
        w.int(item.range.end)
        if let unit = item.unit {
            w.key("unit")
            w.string(unit.kind.rawValue)
            w.key("index")
            w.int(unit.index)
        }
        w.key("text")
        w.string(item.text)
        w.key("versions")
        w.raw("{")
        for (a, marks) in item.versions.enumerated() {
            if a > 0 { w.raw(", ") }
            w.string(annotators[a])
            w.raw(": [")
            for (k, mark) in marks.enumerated() {
                if k > 0 { w.raw(", ") }
                w.raw("{")
                w.key("start", comma: false)
                w.int(mark.range.start)
                w.key("end")
                w.int(mark.range.end)
                w.key("label")
                w.string(mark.label)
                w.raw("}")
            }
            w.raw("]")
        }
        w.raw("}}")
    }

    /// `open`, each item on a line of its own, then `close`.
    private static func lines<T>(
        _ items: [T], _ open: StaticString, _ close: StaticString, into w: inout JSONWriter,
        _ write: (T, inout JSONWriter) -> Void
    ) {
        w.raw(open)
        for (k, item) in items.enumerated() {
            w.raw(k == 0 ? "\n  " : ",\n  ")
            write(item, &w)
        }
        w.raw(close)
    }

    /// `{exact, overlap}`, each `{f1, precision, recall, tp, fp, fn, tp_b}`.
    private static func match(_ match: SpanMatch, into w: inout JSONWriter) {
        w.raw("{")
        w.key("exact", comma: false)
        counts(match.exact, into: &w)
        w.key("overlap")
        counts(match.overlap, into: &w)
        w.raw("}")
    }

    private static func counts(_ counts: SpanCounts, into w: inout JSONWriter) {
        w.raw("{")
        w.key("f1", comma: false)
        number(counts.f1, into: &w)
        w.key("precision")
        number(counts.precision, into: &w)
        w.key("recall")
        number(counts.recall, into: &w)
        w.key("tp")
        w.int(counts.tp)
        w.key("fp")
        w.int(counts.fp)
        w.key("fn")
        w.int(counts.fn)
        w.key("tp_b")
        w.int(counts.tpB)
        w.raw("}")
    }

    /// A double as Swift prints it (the shortest text that reads back the same), or `null`.
    private static func number(_ value: Double?, into w: inout JSONWriter) { w.raw(numberText(value)) }

    /// A double as the JSON writes it: the shortest text that reads back the same, or `null`
    /// (the report's heatmap carries the figures in these same words).
    static func numberText(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)).0" : "\(value)"
    }

    /// A figure as people read it, in the table and the report: four decimals, `—` when undefined.
    public static func figure(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let scaled = Int((abs(value) * 10_000).rounded())
        let fraction = String(scaled % 10_000)
        return (value < 0 && scaled > 0 ? "-" : "") + "\(scaled / 10_000)."
            + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}
