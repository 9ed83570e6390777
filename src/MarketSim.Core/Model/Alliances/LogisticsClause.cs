using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>Logistics sharing: a share of the host's orders in the chosen tiers are delivered by the partner, at its speed.</summary>
internal sealed class LogisticsClause(LogisticsSharingSpec spec, int host, int partner, IReadOnlyList<string> tierIds, int platforms)
    : AllianceClause(spec.RampDays)
{
    /// <summary><c>logistics: [{host, partner, share, tiers, ramp_days}]</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.List("logistics", a => a.Logistics,
        (v, p, x, a) =>
        {
            v.Pair(p, "host", x.Host, "partner", x.Partner, a.Members);
            v.Range(p + ".share", x.Share, 0, 1);
            v.TierIds(p + ".tiers", x.Tiers);
            v.Int(p + ".ramp_days", x.RampDays, 0, int.MaxValue);
        },
        (c, a, x) => new LogisticsClause(x, c.Platform(x.Host), c.Platform(x.Partner), c.TierIds, c.PlatformIds.Count));

    private readonly bool[] _tiers = ScenarioIndex.TierMask(spec.Tiers, tierIds);

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        for (int t = 0; t < _tiers.Length; t++)
        {
            if (!_tiers[t]) continue;
            double s = spec.Share * ramp;
            c.DeliveryDays[t * platforms + host] = (1 - s) * before.DeliveryDays[t * platforms + host] + s * before.DeliveryDays[t * platforms + partner];
        }
    }
}
