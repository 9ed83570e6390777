using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// Co-promotion: during the co-promoted occurrences of the named festivals the members' utility rises and their buyers
/// order more, in proportion to the share of the step's days inside a co-promoted window (the largest share over the
/// named festivals). Which occurrences is the scenario's choice (<see cref="CoPromotionSpec.Selects"/>); they are
/// compiled once to the share of each step of the run, so applying the clause is one array read.
/// </summary>
internal sealed class CoPromotionClause : AllianceClause
{
    /// <summary><c>co_promotion: {festivals, years | dates | every_occurrence, utility_boost, spend_multiplier}</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.Single("co_promotion", a => a.CoPromotion, a => a.CoPromotion = null,
        (v, p, x, a) =>
        {
            v.CoPromotedFestivals(p, x, a);
        },
        (c, a, x) =>
        {
            var calendar = c.Scenario.Calendar;
            var runEnd = calendar.Start.AddDays(calendar.Steps * calendar.StepDays - 1);
            return new CoPromotionClause(x, a.Members.Select(c.Platform).ToArray(), c.TierIds.Count, c.PlatformIds.Count,
                ScenarioMilestones.CoPromoted(c.Scenario, a, calendar.Start.Year - 1, runEnd.Year + 1), calendar.Start, calendar.StepDays, calendar.Steps);
        });

    private readonly CoPromotionSpec spec;
    private readonly int[] members;
    private readonly int tiers, platforms;
    // Share of each step's days inside a co-promoted window, [step]; zero outside every one.
    private readonly double[] fractionByStep;

    /// <param name="spec">The clause as the scenario states it.</param>
    /// <param name="members">Member platform indices.</param>
    /// <param name="tiers">Number of tiers.</param>
    /// <param name="platforms">Number of platforms.</param>
    /// <param name="occurrences">The co-promoted occurrences (<see cref="ScenarioMilestones.CoPromoted"/>).</param>
    /// <param name="start">First day of step 0.</param>
    /// <param name="stepDays">Days per step.</param>
    /// <param name="steps">Steps in the run.</param>
    public CoPromotionClause(CoPromotionSpec spec, int[] members, int tiers, int platforms,
        IReadOnlyList<FestivalOccurrence> occurrences, DateOnly start, int stepDays, int steps) : base(0)
    {
        (this.spec, this.members, this.tiers, this.platforms) = (spec, members, tiers, platforms);
        fractionByStep = new double[steps];
        var festivals = occurrences.Select(o => o.FestivalId).Distinct().ToArray();
        var count = new double[festivals.Length];
        for (int step = 0; step < steps; step++)
        {
            Array.Clear(count);
            int first = start.DayNumber + step * stepDays;
            for (int d = first; d < first + stepDays; d++)
                for (int f = 0; f < festivals.Length; f++)
                    foreach (var o in occurrences)
                        if (o.FestivalId == festivals[f] && d >= o.From.DayNumber && d <= o.Day.DayNumber)
                        {
                            // Summed day by day as the festival's own fraction is (MarketModel.FestivalEffects): the same bits.
                            count[f] += 1.0 / stepDays;
                            break;
                        }
            foreach (double c in count) fractionByStep[step] = Math.Max(fractionByStep[step], c);
        }
    }

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        if ((uint)c.Step >= (uint)fractionByStep.Length) return;
        double fraction = fractionByStep[c.Step];
        if (fraction <= 0) return;
        foreach (int p in members)
        {
            c.PlatformSpend[p] *= 1 + (spec.SpendMultiplier - 1) * fraction;
            for (int t = 0; t < tiers; t++) c.Brand[t * platforms + p] += spec.UtilityBoost * fraction;
        }
    }
}
