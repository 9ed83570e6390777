using System.Globalization;
using MarketSim.Model.Alliances;
using MarketSim.Scenarios;

namespace MarketSim.Model;

/// <summary>
/// A scheduled change (intervention or alliance clause) that cannot act, or acts only in part, somewhere in the run,
/// with the reason: "this clause cannot act here because …". The run log, the compare report and the studio show them.
/// </summary>
/// <param name="Path">The change's scenario path (<c>interventions.jd_jingxi</c>, <c>alliances.jd-kuaishou.logistics[0]</c>).</param>
/// <param name="Message">Where, from when, and why.</param>
public sealed record CannotActNote(string Path, string Message)
{
    /// <summary>The note as <c>path: message</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}

public sealed partial class MarketModel
{
    /// <summary>
    /// Every intervention and alliance clause that is capped to no effect (or only part of its effect) in some tier and
    /// step, or that cannot act at all in this run, with the reason. An intervention is compared with the step's
    /// conditions without it, before and after the attributes' limits: a change the limits swallow is reported. Pure
    /// and cheap (a few conditions per step and change); nothing about the agents is simulated.
    /// </summary>
    public IReadOnlyList<CannotActNote> CannotAct()
    {
        var notes = new List<CannotActNote>();
        int G = streamerSpecs.Length;
        StepConditions New() => new(T, P, G);
        StepConditions with = New(), raw = New(), without = New(), rawWithout = New();
        var tierIds = Dimensions.TierIds;
        var platformIds = Dimensions.PlatformIds;

        // Interventions: per tier, the first step it is capped in part, the first it is capped to nothing.
        foreach (var iv in interventions)
        {
            var partly = new (int Step, double Intended, double Realized)?[T];
            var fully = new int?[T];
            for (int step = 0; step < Steps; step++)
            {
                if (!InForce(step, iv.Start, iv.End, iv.RampDays, out _)) continue;
                Conditions(step, with, null, true);
                Conditions(step, raw, null, false);
                Conditions(step, without, iv, true);
                Conditions(step, rawWithout, iv, false);
                var a = iv.Attribute;
                for (int t = 0; t < T; t++)
                {
                    if (!iv.Tiers[t]) continue;
                    int i = t * P + iv.Platform;
                    double intended = raw.Values(a)[i] - rawWithout.Values(a)[i];
                    double realized = with.Values(a)[i] - without.Values(a)[i];
                    if (intended == 0) continue;
                    if (realized == 0) fully[t] ??= step;
                    // The first step it is capped, with the largest intended change capped (its full ramp, as a rule).
                    else if (Math.Abs(realized) < Math.Abs(intended) * (1 - 1e-9)
                             && (partly[t] is not { } seen || Math.Abs(intended) > Math.Abs(seen.Intended)))
                        partly[t] = (partly[t]?.Step ?? step, intended, realized);
                }
            }
            string platform = platformIds[iv.Platform], attr = iv.Attribute.Key;
            // One note per reason and first step, naming every tier it holds for.
            var reasons = new List<(int Tier, int Step, string Text)>();
            for (int t = 0; t < T; t++)
            {
                if (fully[t] is { } blocked)
                {
                    Conditions(blocked, with, null, true);
                    reasons.Add((t, blocked, $"because {platform}'s {attr} there is already at its limit {Limit(with.Values(iv.Attribute)[t * P + iv.Platform])}"));
                }
                else if (partly[t] is { } capped)
                    reasons.Add((t, capped.Step, $"because {platform}'s {attr} reaches its limit there: {Num(capped.Realized)} of its {Num(capped.Intended)} acts, the rest is capped"));
            }
            foreach (var group in reasons.GroupBy(r => (r.Step, r.Text)))
                notes.Add(new($"interventions.{iv.Id}",
                    $"{(group.Key.Text.Contains("already at its limit", StringComparison.Ordinal) ? "cannot act" : "acts only in part")} in " +
                    $"{Tiers(group.Select(r => r.Tier), tierIds)} from {StepDate(group.Key.Step):yyyy-MM-dd} {group.Key.Text}"));
        }

        // Alliance clauses: one that changes no step's conditions cannot act; supply and logistics have reasons of their own.
        foreach (var alliance in alliances)
            for (int k = 0; k < alliance.Clauses.Count; k++)
            {
                var clause = alliance.Clauses[k];
                string path = alliance.Paths[k];
                int inForce = 0, same = 0, first = -1;
                for (int step = 0; step < Steps; step++)
                {
                    if (!InForce(step, alliance.Start, alliance.End, 0, out _)) continue;
                    if (first < 0) first = step;
                    inForce++;
                    Conditions(step, with, null, true);
                    Conditions(step, without, clause, true);
                    if (with.SameAs(without)) same++;
                }
                if (inForce == 0)
                    notes.Add(new(path, $"cannot act in this run because the alliance is not in force in any of its steps ({StepDate(0):yyyy-MM-dd} to {StepDate(Steps - 1):yyyy-MM-dd})"));
                else if (same == inForce)
                    notes.Add(new(path, $"cannot act in this run because it changes no step's conditions from {StepDate(first):yyyy-MM-dd} on" +
                        (clause is SupplyClause ? " (another supply clause gives its communities a larger share)" :
                         clause is CoPromotionClause ? " (none of its co-promoted occurrences falls inside the run)" : "")));
                if (clause is SupplyClause supply) SupplyNotes(notes, path, supply, alliance, first, tierIds);
                if (clause is LogisticsClause logistics && first >= 0) logistics.Notes(notes, path, this, first, tierIds, platformIds);
            }
        return notes;
    }

    private void SupplyNotes(List<CannotActNote> notes, string path, SupplyClause supply, CompiledAlliance alliance, int first, IReadOnlyList<string> tierIds)
    {
        var ids = Scenario.Streamers.Keys.ToArray();
        foreach (int g in supply.Communities)
        {
            var spec = streamerSpecs[g];
            var none = Enumerable.Range(0, T).Where(t => spec.FollowerShare[tierIds[t]] <= 0).ToList();
            if (none.Count > 0)
                notes.Add(new(path, $"cannot act in {Tiers(none, tierIds)} because streamer community '{ids[g]}' has no followers there"));
            if (first >= 0 && spec.Start is { } opens && opens > StepDate(first))
                notes.Add(new(path, $"cannot act from {StepDate(first):yyyy-MM-dd} until {opens:yyyy-MM-dd} because streamer community " +
                    $"'{ids[g]}' does not sell before then"));
        }
    }

    private static string Tiers(IEnumerable<int> tiers, IReadOnlyList<string> tierIds) => string.Join(", ", tiers.Select(t => tierIds[t]));

    private static string Num(double v) => v.ToString("+0.###;-0.###", CultureInfo.InvariantCulture);

    private static string Limit(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
