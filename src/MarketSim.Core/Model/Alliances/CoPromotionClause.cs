using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// Co-promotion: during the named festivals the members' utility rises and their buyers order more, in proportion to the
/// share of the step's days inside the festival window (the largest share over the named festivals).
/// </summary>
internal sealed class CoPromotionClause(CoPromotionSpec spec, int[] members, int tiers, int platforms) : AllianceClause(0)
{
    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        double fraction = 0;
        foreach (var f in spec.Festivals) fraction = Math.Max(fraction, c.FestivalFraction(f));
        if (fraction <= 0) return;
        foreach (int p in members)
        {
            c.PlatformSpend[p] *= 1 + (spec.SpendMultiplier - 1) * fraction;
            for (int t = 0; t < tiers; t++) c.Brand[t * platforms + p] += spec.UtilityBoost * fraction;
        }
    }
}
