using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>Throw-away: a host's brand rises by a boost in the chosen tiers.</summary>
internal sealed class LoyaltyClause(LoyaltySpec spec, int host, IReadOnlyList<string> tierIds, int platforms) : AllianceClause(spec.RampDays)
{
    /// <summary><c>loyalty: [{host, boost, tiers, ramp_days}]</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.List("loyalty", a => a.Loyalty,
        (v, p, x, a) =>
        {
            v.Range(p + ".boost", x.Boost, 0, 5);
            v.TierIds(p + ".tiers", x.Tiers);
            v.Int(p + ".ramp_days", x.RampDays, 0, int.MaxValue);
        },
        (c, a, x) => new LoyaltyClause(x, c.Platform(x.Host), c.TierIds, c.PlatformIds.Count));

    private readonly bool[] _tiers = ScenarioIndex.TierMask(spec.Tiers, tierIds);

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        for (int t = 0; t < _tiers.Length; t++)
            if (_tiers[t]) c.Brand[t * platforms + host] += spec.Boost * ramp;
    }
}
