using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>Logistics sharing: a share of the host's orders in the chosen tiers are delivered by the partner, at its speed.</summary>
internal sealed class LogisticsClause(LogisticsSharingSpec spec, int host, int partner, IReadOnlyList<string> tierIds, int platforms)
    : AllianceClause(spec.RampDays)
{
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
