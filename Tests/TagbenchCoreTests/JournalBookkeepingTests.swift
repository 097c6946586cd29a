import Testing
@testable import TagbenchCore

/// The journal's bookkeeping: what is on disk, and what a replay of the journal would know, which
/// holds only within the epoch (save or checkpoint) it was learnt in.
struct JournalBookkeepingTests {
    @Test func whatIsUnwrittenFollowsTheLogAndTheCheckpointNeed() {
        var bookkeeping = JournalBookkeeping()
        bookkeeping.wrote(upTo: 3)
        #expect(!bookkeeping.hasUnwritten(logCount: 3))
        #expect(bookkeeping.hasUnwritten(logCount: 4))
        bookkeeping.reachedEarlierEpoch()
        #expect(bookkeeping.needsCheckpoint)
        #expect(bookkeeping.hasUnwritten(logCount: 3))
        bookkeeping.startEpoch(logCount: 5)
        #expect(bookkeeping.epoch == 1)
        #expect(bookkeeping.writtenCount == 5)
        #expect(!bookkeeping.needsCheckpoint)
        #expect(!bookkeeping.hasUnwritten(logCount: 5))
    }

    @Test func aReplaysDocumentAndFindHoldOnlyInTheirEpoch() {
        var bookkeeping = JournalBookkeeping()
        let find = bookkeeping.numberFind()
        bookkeeping.loggedOpen(of: 2)
        bookkeeping.loggedFind(find)
        #expect(bookkeeping.replayDocument == 2)
        #expect(bookkeeping.hasLogged(find: find))
        bookkeeping.startEpoch(logCount: 4)
        #expect(bookkeeping.replayDocument == nil)
        #expect(!bookkeeping.hasLogged(find: find))
        // Learnt again in the new epoch, it holds again.
        bookkeeping.loggedOpen(of: 1)
        #expect(bookkeeping.replayDocument == 1)
    }

    @Test func aNewFindIsNeverTakenForOneLogged() {
        var bookkeeping = JournalBookkeeping()
        let first = bookkeeping.numberFind()
        bookkeeping.loggedFind(first)
        let second = bookkeeping.numberFind()
        #expect(second != first)
        #expect(!bookkeeping.hasLogged(find: second))
    }

    @Test func loadUndoAndRedoLeaveTheReplaysDocumentUnknown() {
        for command in [Command.undo(1), .redo(2), .load(["a.txt"], encoding: .auto)] {
            var bookkeeping = JournalBookkeeping()
            bookkeeping.loggedOpen(of: 0)
            bookkeeping.logged(.tag(label: "x", target: .sentence(1)))
            #expect(bookkeeping.replayDocument == 0)
            bookkeeping.logged(command)
            #expect(bookkeeping.replayDocument == nil, "after \(CommandRenderer.render(command))")
        }
    }

    @Test func aRollbackRestoresWhatAReplayKnewButNotWhatWasWritten() {
        var bookkeeping = JournalBookkeeping()
        bookkeeping.loggedOpen(of: 1)
        let before = bookkeeping
        bookkeeping.loggedOpen(of: 3)
        bookkeeping.reachedEarlierEpoch()
        bookkeeping.wrote(upTo: 7)
        bookkeeping.rollBack(to: before, damaged: false)
        #expect(bookkeeping.replayDocument == 1)
        #expect(!bookkeeping.needsCheckpoint)
        #expect(bookkeeping.writtenCount == 7)
        // A journal left damaged by the failure can only be replaced by a checkpoint.
        bookkeeping.rollBack(to: before, damaged: true)
        #expect(bookkeeping.needsCheckpoint)
    }

    @Test func aRollbackAcrossACheckpointKeepsTheNewEpoch() {
        var bookkeeping = JournalBookkeeping()
        bookkeeping.loggedOpen(of: 1)
        let before = bookkeeping
        bookkeeping.startEpoch(logCount: 2)
        bookkeeping.rollBack(to: before, damaged: true)
        #expect(bookkeeping.epoch == 1)
        #expect(bookkeeping.replayDocument == 1)
        #expect(bookkeeping.needsCheckpoint)
    }
}
