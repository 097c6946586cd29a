/// What of the session's log is on disk, and what a replay of the journal would know: from it the
/// engine decides what a command must log before itself (the `open` and `find` that a replay
/// needs to reach the same state) and whether the journal can take the change or a checkpoint
/// must be written.
///
/// Every save and checkpoint starts an epoch: a new, empty journal, replayed on a freshly opened
/// session. What a replay knows (the document it has open, the find it has made, an undo that
/// reached past the journal's start) holds within one epoch, so it is kept with the epoch it was
/// learnt in and is simply unknown in a later one: nothing has to be cleared when an epoch starts.
struct JournalBookkeeping {
    /// Counts saves and checkpoints.
    private(set) var epoch = 0
    /// How many entries of the session's log are on disk (in the saved session, the checkpoint
    /// or the journal).
    private(set) var writtenCount = 0
    /// Numbers the finds (`FindResult.number`), so that a new find is never taken for one logged.
    private var findsMade = 0
    /// What a replay knows, as learnt in its epoch.
    private var learnt = ReplayKnowledge(epoch: 0)

    /// What a replay of one epoch's journal knows beyond the saved state it starts from.
    private struct ReplayKnowledge {
        /// The epoch it holds for.
        var epoch: Int
        /// The document the last logged `open` made current (nil: not known, a replay has the
        /// document it opened with, or a load, undo or redo came after).
        var document: Int?
        /// The number of the find last logged.
        var find: Int?
        /// An undo or redo moved a step done in an earlier epoch: the journal cannot express it.
        var needsCheckpoint = false
    }

    /// What a replay knows in the current epoch.
    private var known: ReplayKnowledge { learnt.epoch == epoch ? learnt : ReplayKnowledge(epoch: epoch) }

    /// The document current in a replay of the log so far, when known.
    var replayDocument: Int? { known.document }
    /// The journal cannot express what was done: a checkpoint must be written.
    var needsCheckpoint: Bool { known.needsCheckpoint }

    /// Whether a log of `logCount` entries has something not yet on disk.
    func hasUnwritten(logCount: Int) -> Bool { logCount > writtenCount || needsCheckpoint }

    /// Whether the find numbered `number` is logged in this epoch (a replay has its hits).
    func hasLogged(find number: Int) -> Bool { known.find == number }

    /// A number for a new find.
    mutating func numberFind() -> Int {
        findsMade += 1
        return findsMade
    }

    /// The first `logCount` entries of the log are on disk.
    mutating func wrote(upTo logCount: Int) { writtenCount = logCount }

    /// A save or checkpoint wrote the whole log of `logCount` entries: a new journal starts.
    mutating func startEpoch(logCount: Int) {
        epoch += 1
        writtenCount = logCount
    }

    /// Notes an `open` of `document` appended to the log.
    mutating func loggedOpen(of document: Int) {
        learn { $0.document = document }
    }

    /// Notes `command` appended to the log.
    mutating func logged(_ command: Command) {
        switch command {
        // After these a replay's current document is not known.
        case .load, .undo, .redo:
            learn { $0.document = nil }
        default:
            break
        }
    }

    /// Notes the find numbered `number` appended to the log.
    mutating func loggedFind(_ number: Int) {
        learn { $0.find = number }
    }

    /// An undo or redo moved a step done in an earlier epoch.
    mutating func reachedEarlierEpoch() {
        learn { $0.needsCheckpoint = true }
    }

    /// Changes what a replay knows in the current epoch.
    private mutating func learn(_ change: (inout ReplayKnowledge) -> Void) {
        var knowledge = known
        change(&knowledge)
        learnt = knowledge
    }

    /// A command whose journal record could not be written is taken back: a replay knows what it
    /// knew before it (`before`), and needs a checkpoint if the journal is now `damaged`. What
    /// was written stays written, and the epoch with it.
    mutating func rollBack(to before: JournalBookkeeping, damaged: Bool) {
        learnt = before.known
        learnt.epoch = epoch
        learnt.needsCheckpoint = learnt.needsCheckpoint || damaged
    }
}
