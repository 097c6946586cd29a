/// `review`: the one command made of other commands. Its decisions run through `execute` one by
/// one, each a change of its own; `review` itself changes nothing and is not logged.
extension Engine {
    /// Runs `review [LABEL]` through the driver the CLI set, and emits its summary line.
    func review(_ labelName: String?, context: ExecutionContext, emit: (OutputItem) -> Void) throws(TagbenchError) {
        // Refused before the label is looked at, as with no terminal at all. A script's lines run
        // as `tagbench run` runs them wherever the script is run from: a review there is refused too.
        guard let reviewDriver, context.scriptStack.isEmpty else { throw .needsTerminal("review") }
        let label = try labelName.map { (name) throws(TagbenchError) -> Int in try session.tagSet.resolve(name) }
        var round = ReviewRound(engine: self, driver: reviewDriver, label: label, baseDirectory: context.baseDirectory)
        emit(.message(round.run()))
    }

    /// Runs a decision of a full-screen walk (`review`, `adjudicate`) as any command runs; returns
    /// what to say when it failed. Its output is not shown: the next screen says what it did.
    func runDecision(_ command: Command, context: ExecutionContext) -> String? {
        do {
            try execute(command, context: context, emit: { _ in })
            return nil
        } catch {
            return Wording.reviewDecisionFailed(error.error)
        }
    }
}
