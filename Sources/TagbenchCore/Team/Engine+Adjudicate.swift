/// `adjudicate`: like `review`, a command made of other commands. Its decisions are `resolve`s
/// (and `undo`s) run through `execute` one by one; `adjudicate` itself changes nothing and is
/// not logged.
extension Engine {
    /// Runs `adjudicate [LABEL]` through the driver the CLI set, and emits its summary line.
    func adjudicate(_ labelName: String?, context: ExecutionContext, emit: (OutputItem) -> Void)
        throws(TagbenchError)
    {
        // Refused before the label is looked at, as with no terminal at all (and in a script).
        guard let adjudicationDriver, context.scriptStack.isEmpty else { throw .needsTerminal("adjudicate") }
        let label = try labelName.map { (name) throws(TagbenchError) -> String in
            session.tagSet.labels[try session.tagSet.resolve(name)].name
        }
        var round = AdjudicationRound(
            engine: self, driver: adjudicationDriver, label: label, baseDirectory: context.baseDirectory)
        emit(.message(round.run()))
    }
}
