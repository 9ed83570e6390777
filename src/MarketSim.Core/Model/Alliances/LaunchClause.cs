namespace MarketSim.Model.Alliances;

/// <summary>
/// A launch: festivals of the calendar that exist because of the alliance (the 2020 Kuaishou 616, launched with the
/// JD.com deal). Their effect is the calendar's (MarketModel's festival effects: a platform-scoped festival raises its
/// platform's spend, the others by its spill-over); this clause owns them: switching it off removes them from the
/// calendar, so attribution gives the event a line of its own instead of leaving it "not attributed".
/// </summary>
internal sealed class LaunchClause(IReadOnlyList<string> festivals) : AllianceClause(0)
{
    /// <summary>
    /// The launched festival ids. MarketModel's festival effects leave them out when this clause is the one switched
    /// off in place (<c>without</c>: the "cannot act" check), as switching it off in the scenario removes them.
    /// </summary>
    public IReadOnlyList<string> Festivals { get; } = festivals;

    /// <summary><c>launch: {festivals: [ids], source: "…"}</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.Single("launch", a => a.Launch, a => a.Launch = null,
        (v, p, x, a) => v.LaunchedFestivals(p, x, a),
        (c, a, x) => new LaunchClause([.. x.Festivals]),
        (scenario, x) =>
        {
            foreach (var id in x.Festivals) scenario.Calendar.Festivals.Remove(id);
        });

    /// <summary>Nothing to apply each step: the festivals act through the calendar while the clause keeps them there.</summary>
    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
    }
}
