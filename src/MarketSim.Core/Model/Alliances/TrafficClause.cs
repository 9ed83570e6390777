using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// Traffic sharing: in the chosen tiers, users of <c>from</c> are exposed to <c>to</c> in <c>from</c>'s feed. The engine
/// adds the share to <c>to</c>'s weight for them (reach + share, not capped at 1): exposure in the host's feed is a
/// channel of its own beside the partner's marketing reach, so a reach already at 1 does not switch the clause off.
/// </summary>
internal sealed class TrafficClause(TrafficSharingSpec spec, int from, int to, IReadOnlyList<string> tierIds) : AllianceClause(spec.RampDays)
{
    /// <summary><c>traffic: [{from, to, share, tiers, ramp_days}]</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.List("traffic", a => a.Traffic,
        (v, p, x, a) =>
        {
            v.Pair(p, "from", x.From, "to", x.To, a.Members);
            v.TierIds(p + ".tiers", x.Tiers);
        },
        (c, a, x) => new TrafficClause(x, c.Platform(x.From), c.Platform(x.To), c.TierIds));

    private readonly bool[] tiers = ScenarioIndex.TierMask(spec.Tiers, tierIds);

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        for (int t = 0; t < tiers.Length; t++)
            if (tiers[t]) c.Traffic.Add(new TrafficLink(t, from, to, spec.Share * ramp));
    }
}
