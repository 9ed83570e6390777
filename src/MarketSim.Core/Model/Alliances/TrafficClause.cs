using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>Traffic sharing: in the chosen tiers, users of <c>from</c> are exposed to <c>to</c> (the engine raises its reach for them).</summary>
internal sealed class TrafficClause(TrafficSharingSpec spec, int from, int to, IReadOnlyList<string> tierIds) : AllianceClause(spec.RampDays)
{
    private readonly bool[] _tiers = ScenarioIndex.TierMask(spec.Tiers, tierIds);

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        for (int t = 0; t < _tiers.Length; t++)
            if (_tiers[t]) c.Traffic.Add(new TrafficLink(t, from, to, spec.Share * ramp));
    }
}
