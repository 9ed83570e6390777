using System.Globalization;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

public static partial class CalibrationFile
{
    /// <summary>Most quarters ahead a validation forecasts from an origin.</summary>
    public const int MaxHorizons = 8;

    /// <summary>
    /// The <c>validation:</c> section's own values: origins (quarter ends, ascending, before <c>holdout_after</c>),
    /// horizons, the budget of each refit (keys left out take <c>budget:</c>'s values) and held values (fitted parameters,
    /// inside their bounds). Returns that budget; null when the file has no validation.
    /// </summary>
    private static CalibrationBudgetSpec? ValidationValues(BoundSettings<CalibrationFileSpec> bound, CalibrationFileSpec spec,
        List<FitParameter> parameters, List<ScenarioProblem> problems)
    {
        if (spec.Validation is not { } v) return null;
        if (v.Origins.Count == 0)
            problems.Add(bound.At("validation.origins", "expected at least one origin, e.g. [2018-03-31, 2018-09-30, 2019-03-31]"));
        for (int i = 0; i < v.Origins.Count; i++)
        {
            var o = v.Origins[i];
            string key = $"validation.origins[{i}]";
            if (o.AddDays(1).Month % 3 != 1 || o.AddDays(1).Day != 1)
                problems.Add(bound.At(key, $"expected the last day of a quarter (03-31, 06-30, 09-30 or 12-31): horizons are counted in quarters, got {D(o)}"));
            else if (i > 0 && o <= v.Origins[i - 1])
                problems.Add(bound.At(key, $"expected origins in ascending order: {D(o)} is not after {D(v.Origins[i - 1])}"));
            else if (spec.HoldoutAfter is { } h && o >= h)
                problems.Add(bound.At(key, $"expected an origin before holdout_after ({D(h)}): figures after it are never read, so nothing could be forecast from {D(o)}"));
        }
        if (v.Horizons is < 1 or > MaxHorizons)
            problems.Add(bound.At("validation.horizons", $"expected a whole number of quarters from 1 to {MaxHorizons}, got {v.Horizons}"));
        foreach (var (path, value) in v.Held)
        {
            string key = "validation.held." + path;
            if (parameters.FirstOrDefault(p => p.Path == path) is not { } p)
                problems.Add(bound.At(key, $"expected a fitted parameter (a key of parameters:): only a fitted value can be held at an origin"));
            else if (value < p.Min || value > p.Max)
                problems.Add(bound.At(key, $"expected a value within the parameter's bounds [{F(p.Min)}, {F(p.Max)}], got {F(value)}"));
        }
        var b = spec.Budget;
        if (v.Budget is not { } vb) return b;
        string at = "validation.budget.";
        var merged = new CalibrationBudgetSpec
        {
            GlobalPoints = bound.Has(at + "global_points") ? vb.GlobalPoints : b.GlobalPoints,
            Design = bound.Has(at + "design") ? vb.Design : b.Design,
            DesignSeed = bound.Has(at + "design_seed") ? vb.DesignSeed : b.DesignSeed,
            LocalEvaluations = bound.Has(at + "local_evaluations") ? vb.LocalEvaluations : b.LocalEvaluations,
            LocalStarts = bound.Has(at + "local_starts") ? vb.LocalStarts : b.LocalStarts,
            Tolerance = bound.Has(at + "tolerance") ? vb.Tolerance : b.Tolerance,
        };
        BudgetValues(bound, "validation.budget", merged, parameters.Count, problems);
        return merged;
    }

    /// <summary>
    /// The origins against the targets: each has a fitted figure dated up to it and a figure to forecast within the
    /// horizons (up to <c>holdout_after</c>); each held value belongs to a parameter whose effect starts after some origin.
    /// </summary>
    private static ValidationPlan? ValidationAgainstTargets(BoundSettings<CalibrationFileSpec> bound, CalibrationFileSpec spec, Scenario scenario,
        List<FitParameter> parameters, CalibrationBudgetSpec? budget, List<CalibrationTargetSpec> targets, List<ScenarioProblem> problems)
    {
        if (spec.Validation is not { } v || budget is null || targets.Count == 0) return null;
        var usable = targets.Where(t => spec.HoldoutAfter is not { } h || t.Date <= h).ToList();
        DateOnly first = targets.Min(t => t.Date), last = usable.Count > 0 ? usable.Max(t => t.Date) : first;
        for (int i = 0; i < v.Origins.Count; i++)
        {
            var o = v.Origins[i];
            string key = $"validation.origins[{i}]";
            if (!targets.Any(t => RollingOrigin.KnownAt(t, o) && t.InSample && t.Weight > 0))
                problems.Add(bound.At(key, $"expected an origin inside the targets' dates ({D(first)} to {D(last)}): no fitted figure is dated up to {D(o)}"));
            else if (!targets.Any(t => RollingOrigin.IsForecast(t, o, v.Horizons, spec.HoldoutAfter)))
                problems.Add(bound.At(key, $"expected an origin inside the targets' dates ({D(first)} to {D(last)}): no figure to forecast within " +
                                           $"{v.Horizons} quarters after {D(o)}{(spec.HoldoutAfter is { } h ? $" (up to holdout_after, {D(h)})" : "")}"));
        }
        var starts = parameters.Select(p => RollingOrigin.EffectStart(scenario, p.Path)).ToList();
        foreach (var (path, _) in v.Held)
        {
            int d = parameters.FindIndex(p => p.Path == path);
            if (d >= 0 && !v.Origins.Any(o => starts[d] is { } s && s > o))
                problems.Add(bound.At("validation.held." + path, starts[d] is { } s
                    ? $"its effect starts on {D(s)}, on or before every origin: it is fitted at each of them, so a held value would never be used"
                    : "its effect does not start after the run's start (only interventions, streamer communities and alliances with a later start are held): it is fitted at every origin"));
        }
        return new ValidationPlan(v.Origins, v.Horizons, budget, starts,
            [.. parameters.Select(p => v.Held.TryGetValue(p.Path, out double x) ? x : p.Min)], [.. parameters.Select(p => v.Held.ContainsKey(p.Path))]);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
