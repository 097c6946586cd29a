import CTagbenchSystem

/// The document pages of a report, made and written on every core: making them is most of a
/// large report's time (docs/performance.md). Each page is a file of its own made from what the
/// session holds (read, never changed, while the pages are made), so the pages of a batch are
/// independent; after each batch the calling thread reports progress and sees Ctrl-C, and once
/// more after the last, so a stop asked for at any page is heeded.
enum ReportPages {
    /// Pages a batch: at a third of a millisecond a page, Ctrl-C is seen within a tenth of a second.
    static let batch = 256

    /// What the pages give the index.
    struct Made {
        /// A row a page, in the order of the documents.
        var rows: [ReportIndex.Row] = []
        /// Spans marked.
        var spans = 0
        /// Spans left out: their text is no longer their document's.
        var stale = 0
    }

    /// One page's part of `Made`.
    private struct Page {
        var row: ReportIndex.Row
        var spans: Int
        var stale: Int
    }

    /// Writes the pages of `documents` (session numbers) into `folder` as `N.html` (N the number
    /// from 1), marking the spans of `chosenLabels`; `categoriesOf` holds the chosen category
    /// labels of each document. `shownName` names the report when Ctrl-C stops it.
    static func write(
        _ documents: [Int], of session: Session, chosenLabels: Set<Int>, categoriesOf: [Int: [CategoryAnnotation]],
        into folder: ReportPageFile.Folder, shownName: String, monitor: ProgressMonitor?, files: FileOperations
    ) throws(TagbenchError) -> Made {
        var made = Made()
        made.rows.reserveCapacity(documents.count)
        func stopAsked() -> Bool { tb_deferred_signal() != 0 || monitor?.shouldStop == true }
        var start = 0
        while start < documents.count {
            if stopAsked() { throw TagbenchError.interrupted("report to \(shownName)") }
            let end = min(start + batch, documents.count)
            let pages = Parallel.map(end - start) { k in
                page(
                    documents[start + k], of: session, chosenLabels: chosenLabels,
                    categories: categoriesOf[documents[start + k]] ?? [], into: folder, files: files)
            }
            for page in pages {
                switch page {
                case .success(let page):
                    monitor?.progress("report", done: made.rows.count, of: documents.count)
                    made.rows.append(page.row)
                    made.spans += page.spans
                    made.stale += page.stale
                case .failure(let error):
                    throw error
                }
            }
            start = end
        }
        if stopAsked() { throw TagbenchError.interrupted("report to \(shownName)") }
        return made
    }

    /// Makes and writes the page of one document.
    private static func page(
        _ number: Int, of session: Session, chosenLabels: Set<Int>, categories: [CategoryAnnotation],
        into folder: ReportPageFile.Folder, files: FileOperations
    ) -> Result<Page, TagbenchError> {
        let document = session.documents[number]
        var stale = 0
        let spans = session.annotations(inDocument: number) { annotation in
            guard chosenLabels.contains(annotation.label) else { return false }
            if document.covers(annotation.range, with: annotation.text) { return true }
            stale += 1
            return false
        }.map(ReportPage.Mark.init).sorted {
            ($0.range.start, $1.range.end, $0.number) < ($1.range.start, $0.range.end, $1.number)
        }
        let categories = categories.sorted(by: CategoryAnnotation.inUnitOrder)
        let labels = session.tagSet.labels
        var w = JSONWriter(capacity: document.bytes.count * 3 / 2 + 16384)
        ReportPage(document: document, number: number + 1, spans: spans, categories: categories, labels: labels)
            .write(&w)
        do {
            try ReportPageFile.write("\(number + 1).html", in: folder, &w, files: files)
        } catch {
            return .failure(error)
        }
        var counts: [Int: Int] = [:]
        for span in spans { counts[span.label, default: 0] += 1 }
        let row = ReportIndex.Row(
            number: number + 1, id: document.id, characters: document.length, spans: counts,
            categories: categories.map {
                (
                    unit: $0.unit == .doc ? "document" : $0.unit == .para ? "¶\($0.index)" : "s\($0.index)",
                    label: $0.label
                )
            })
        return .success(Page(row: row, spans: spans.count, stale: stale))
    }
}
