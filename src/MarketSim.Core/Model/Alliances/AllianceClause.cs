using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// One clause of an alliance, compiled once from its scenario spec to platform and tier indices, so that applying it
/// each step is array arithmetic with no look-up by name. A new kind of clause is a new subclass in this folder plus its
/// spec in <see cref="AllianceSpec"/> and its rules in the validator.
/// </summary>
internal abstract class AllianceClause(int rampDays)
{
    /// <summary>Days over which the clause ramps in from the alliance start.</summary>
    public int RampDays { get; } = rampDays;

    /// <summary>Applies the clause at ramp <paramref name="ramp"/> (0..1] to a step's conditions.</summary>
    /// <param name="c">The step's conditions, changed in place.</param>
    /// <param name="before">The attributes as they were before this alliance applied any clause.</param>
    /// <param name="ramp">How far the clause has ramped in.</param>
    public abstract void Apply(StepConditions c, AllianceSnapshot before, double ramp);
}

/// <summary>
/// The attributes an alliance's clauses read, copied before the first clause applies: the order of sharing rules
/// within an alliance then does not matter. Allocated once per model and refilled, so a step allocates nothing.
/// </summary>
internal sealed class AllianceSnapshot(int cells)
{
    public double[] Quality { get; } = new double[cells];
    public double[] PriceLevel { get; } = new double[cells];
    public double[] Assortment { get; } = new double[cells];
    public double[] DeliveryDays { get; } = new double[cells];

    public void Take(StepConditions c)
    {
        c.Quality.CopyTo(Quality, 0);
        c.PriceLevel.CopyTo(PriceLevel, 0);
        c.Assortment.CopyTo(Assortment, 0);
        c.DeliveryDays.CopyTo(DeliveryDays, 0);
    }
}

/// <summary>An alliance compiled: its period and clauses in the scenario's order (supply, logistics, traffic, co-promotion).</summary>
internal sealed class CompiledAlliance
{
    public CompiledAlliance(Scenario scenario, AllianceSpec a, IReadOnlyList<string> platformIds, IReadOnlyList<string> tierIds)
    {
        var calendar = scenario.Calendar;
        var runEnd = calendar.Start.AddDays(calendar.Steps * calendar.StepDays - 1);
        Start = a.Start;
        End = a.End;
        int Index(string id) => ScenarioIndex.Of(platformIds, id);
        var clauses = new List<AllianceClause>();
        clauses.AddRange(a.Supply.Select(s => new SupplyClause(s, Index(s.Host), Index(s.Partner), tierIds.Count, platformIds.Count)));
        clauses.AddRange(a.Logistics.Select(l => new LogisticsClause(l, Index(l.Host), Index(l.Partner), tierIds, platformIds.Count)));
        clauses.AddRange(a.Traffic.Select(t => new TrafficClause(t, Index(t.From), Index(t.To), tierIds)));
        if (a.CoPromotion is { } promo)
            clauses.Add(new CoPromotionClause(promo, a.Members.Select(Index).ToArray(), tierIds.Count, platformIds.Count,
                ScenarioMilestones.CoPromoted(scenario, a, calendar.Start.Year - 1, runEnd.Year + 1), calendar.Start, calendar.StepDays, calendar.Steps));
        Clauses = clauses;
    }

    public DateOnly Start { get; }
    public DateOnly? End { get; }
    public IReadOnlyList<AllianceClause> Clauses { get; }
}
