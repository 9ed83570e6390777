using System.Globalization;
using System.Text;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>The checked <c>validation:</c> section of a calibration file.</summary>
/// <param name="Origins">Forecast origins (quarter ends), ascending.</param>
/// <param name="Horizons">Quarters ahead forecast from each origin.</param>
/// <param name="Budget">The search budget of each origin's refit.</param>
/// <param name="EffectStarts">Per fitted parameter, the day its effect starts (an intervention's, streamer community's or alliance's start); null: from the run's start.</param>
/// <param name="HeldValues">Per fitted parameter, the value it is held at at an origin before its effect starts.</param>
/// <param name="HeldDeclared">Per fitted parameter, whether <see cref="HeldValues"/> is declared in the file (otherwise its lower bound).</param>
public sealed record ValidationPlan(IReadOnlyList<DateOnly> Origins, int Horizons, CalibrationBudgetSpec Budget,
    IReadOnlyList<DateOnly?> EffectStarts, IReadOnlyList<double> HeldValues, IReadOnlyList<bool> HeldDeclared)
{
    /// <summary>True when parameter <paramref name="parameter"/>'s effect starts after <paramref name="origin"/>: the data there cannot size it.</summary>
    public bool IsHeld(int parameter, DateOnly origin) => EffectStarts[parameter] is { } s && s > origin;
}

/// <summary>One origin's two problems: the refit (figures dated up to the origin only) and the forecast at its fit.</summary>
/// <param name="Origin">The origin.</param>
/// <param name="Fit">The refit: its targets are the figures dated up to the origin, its parameters those not held.</param>
/// <param name="Forecast">The same scenario and seeds with the forecast figures added (not fitted), evaluated once at the refit's best point.</param>
/// <param name="FittedParameters">For each of <see cref="Fit"/>'s parameters, its index among the calibration's.</param>
/// <param name="Held">Parameters held at this origin: index among the calibration's, and value.</param>
/// <param name="KnownTargets">Indices (among the calibration's targets) of the figures dated up to the origin.</param>
/// <param name="ForecastTargets">Indices of the figures forecast from it: 1 to the horizons quarters after, up to holdout_after.</param>
public sealed record OriginSetup(DateOnly Origin, CalibrationProblem Fit, CalibrationProblem Forecast, IReadOnlyList<int> FittedParameters,
    IReadOnlyList<(int Parameter, double Value)> Held, IReadOnlyList<int> KnownTargets, IReadOnlyList<int> ForecastTargets);

/// <summary>One forecast figure: validation.parquet's row.</summary>
/// <param name="Origin">The forecast origin.</param>
/// <param name="Target">The figure's index among the calibration's targets (0-based, as fit.parquet's <c>target</c>).</param>
/// <param name="PeriodStart">First day of a flow's period; the date of a level.</param>
/// <param name="PeriodEnd">The figure's date or last day.</param>
/// <param name="Platform">Platform id, or <c>all</c>.</param>
/// <param name="With">Second platform of an overlap; empty otherwise.</param>
/// <param name="Tiers">Tiers (<c>all</c> or ids separated by <c>;</c>).</param>
/// <param name="Metric">Target metric.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Horizon">Quarters between the origin and the figure's date.</param>
/// <param name="Role"><c>forecast</c>, or <c>input</c> for the online-shopper count (set by the scenario's arrivals, not forecast).</param>
/// <param name="Reported">The published figure.</param>
/// <param name="Model">The model's forecast: the refit at the origin, simulated on.</param>
/// <param name="Naive">The naive forecast (the last year-on-year growth carried forward); NaN when the series has too little history.</param>
/// <param name="NaiveSpanMonths">Months between the two figures the naive growth is taken from (12 for a year-on-year growth); 0 when none.</param>
public sealed record ValidationRow(DateOnly Origin, int Target, DateOnly PeriodStart, DateOnly PeriodEnd, string Platform, string With, string Tiers,
    string Metric, string Unit, int Horizon, string Role, double Reported, double Model, double Naive, int NaiveSpanMonths)
{
    /// <summary>(model − reported) / reported.</summary>
    public double ModelError => (Model - Reported) / Reported;

    /// <summary>(naive − reported) / reported; NaN without a naive forecast.</summary>
    public double NaiveError => (Naive - Reported) / Reported;
}

/// <summary>What one origin gave: its setup, its refit and its forecast evaluation.</summary>
/// <param name="Setup">The origin's problems.</param>
/// <param name="Fit">The refit's search.</param>
/// <param name="Forecast">The forecast problem evaluated at the refit's best point.</param>
public sealed record OriginResult(OriginSetup Setup, CalibrationResult Fit, Evaluation Forecast);

/// <summary>A rolling-origin validation's results.</summary>
/// <param name="Origins">Per origin, in order.</param>
/// <param name="Rows">Every forecast figure, by origin then target order.</param>
public sealed record ValidationResult(IReadOnlyList<OriginResult> Origins, IReadOnlyList<ValidationRow> Rows);

/// <summary>
/// Rolling-origin validation (Tashman 2000): at each origin the calibration is refitted on the figures dated up to it
/// (a figure over a period counts only once its period has ended: it was published after), from the global design over
/// the bounds as any calibration, never from a point fitted on later figures; the refit is then simulated on and
/// compared with the figures 1 to <see cref="ValidationPlan.Horizons"/> quarters after the origin, up to the file's
/// <c>holdout_after</c> (figures after it are not read at all). A fitted parameter whose effect starts after the origin
/// is held at the file's declared value (or its lower bound). Each figure is also forecast naively.
/// </summary>
public static class RollingOrigin
{
    /// <summary>Shortest span, in months, the naive forecast takes a growth rate over (when no figure a year earlier exists).</summary>
    public const int MinNaiveSpanMonths = 6;

    /// <summary>Quarters from <paramref name="origin"/>'s quarter to <paramref name="date"/>'s (2018-03-31 to 2018-12-31: 3).</summary>
    public static int Horizon(DateOnly origin, DateOnly date) => Quarter(date) - Quarter(origin);

    /// <summary>True when a figure is known at <paramref name="origin"/>: its date (a flow: its period's last day) is on or before it.</summary>
    public static bool KnownAt(CalibrationTargetSpec target, DateOnly origin)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Date <= origin;
    }

    /// <summary>True when a figure is forecast from <paramref name="origin"/>: 1 to <paramref name="horizons"/> quarters after it, not after the holdout date.</summary>
    public static bool IsForecast(CalibrationTargetSpec target, DateOnly origin, int horizons, DateOnly? holdoutAfter)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Date > origin && (holdoutAfter is not { } h || target.Date <= h) && Horizon(origin, target.Date) is var q && q >= 1 && q <= horizons;
    }

    /// <summary>
    /// The day a scenario path's effect starts: an intervention's, streamer community's or alliance's <c>start</c>; null
    /// for everything else (platforms, behaviour, tiers act from the run's start).
    /// </summary>
    public static DateOnly? EffectStart(Scenario scenario, string path)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(path);
        var keys = path.Split('.');
        if (keys.Length < 2) return null;
        return keys[0] switch
        {
            "interventions" when scenario.Interventions.TryGetValue(keys[1], out var i) => i.Start,
            "streamers" when scenario.Streamers.TryGetValue(keys[1], out var s) => s.Start,
            "alliances" when scenario.Alliances.TryGetValue(keys[1], out var a) => a.Start,
            _ => null,
        };
    }

    /// <summary>
    /// The naive forecast of target <paramref name="index"/> from <paramref name="origin"/>: the latest figure of the same
    /// series (platform, metric, tiers, second platform and period length) dated up to the origin, grown at its last
    /// year-on-year rate: the growth from the most recent figure at least 12 months before it, annualised over the months
    /// between them; when the series has none that old, from its earliest figure if that is at least
    /// <see cref="MinNaiveSpanMonths"/> months before. NaN (span 0) when neither exists.
    /// </summary>
    public static (double Value, int SpanMonths) Naive(IReadOnlyList<CalibrationTargetSpec> targets, int index, DateOnly origin)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var t = targets[index];
        var series = targets.Where(x => SameSeries(x, t) && KnownAt(x, origin)).OrderBy(x => x.Date).ToList();
        if (series.Count < 2) return (double.NaN, 0);
        var last = series[^1];
        var basis = series.LastOrDefault(x => Months(x.Date, last.Date) >= 12) ?? series[0];
        int span = Months(basis.Date, last.Date);
        if (span < MinNaiveSpanMonths || basis.Value <= 0 || last.Value <= 0) return (double.NaN, 0);
        double annual = Math.Pow(last.Value / basis.Value, 12.0 / span);
        return (last.Value * Math.Pow(annual, Months(last.Date, t.Date) / 12.0), span);
    }

    /// <summary>The two problems of one origin, built from the calibration <paramref name="main"/> and its validation plan.</summary>
    public static OriginSetup Setup(CalibrationProblem main, DateOnly origin)
    {
        ArgumentNullException.ThrowIfNull(main);
        var plan = main.Validation ?? throw new InvalidOperationException("the calibration declares no validation");
        var known = Enumerable.Range(0, main.Targets.Count).Where(i => KnownAt(main.Targets[i], origin)).ToList();
        var forecast = Enumerable.Range(0, main.Targets.Count)
            .Where(i => IsForecast(main.Targets[i], origin, plan.Horizons, main.HoldoutAfter)).ToList();
        var held = Enumerable.Range(0, main.Parameters.Count).Where(d => plan.IsHeld(d, origin)).Select(d => (d, plan.HeldValues[d])).ToList();
        var fitted = Enumerable.Range(0, main.Parameters.Count).Where(d => !plan.IsHeld(d, origin)).ToList();

        // The origin's scenario: the held values set, and no targets at all, so that no later figure is even in memory.
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["calibration"] = "[]" };
        foreach (var (d, value) in held) overrides[main.Parameters[d].Path] = R(value);
        var loaded = ScenarioLoader.LoadText(main.BaseYaml, Path.GetFileName(main.ScenarioPath), Path.GetDirectoryName(main.ScenarioPath), overrides);
        if (!loaded.Ok)
            throw new CalibrationInputException($"the scenario at origin {D(origin)} is invalid: " + string.Join("; ", loaded.Problems.Select(p => p.ToString())));
        var settings = main.Settings.Concat(held.Select(h => (main.Parameters[h.d].Path, R(h.Item2)))).ToList();
        var parameters = fitted.Select(d => main.Parameters[d]).ToList();
        var knownTargets = known.Select(i => main.Targets[i]).ToList();
        var fit = new CalibrationProblem(main.FilePath, main.DisplayPath, main.ScenarioPath, loaded.ResolvedYaml, knownTargets, origin, parameters,
            main.Agents, main.Seeds, main.Objective, plan.Budget, main.PlatformNames, settings, fingerprintExtra: Describe(origin, knownTargets))
        {
            HeldPaths = [.. held.Select(h => main.Parameters[h.d].Path)],
        };
        var all = knownTargets.Concat(forecast.Select(i => main.Targets[i])).ToList();
        var forecastProblem = new CalibrationProblem(main.FilePath, main.DisplayPath, main.ScenarioPath, loaded.ResolvedYaml, all, origin, parameters,
            main.Agents, main.Seeds, main.Objective, plan.Budget, main.PlatformNames, settings,
            fitted: [.. fit.Fitted, .. forecast.Select(_ => false)]);
        return new OriginSetup(origin, fit, forecastProblem, fitted, held, known, forecast);
    }

    /// <summary>The rows of one origin: each forecast figure against the model's forecast and the naive one.</summary>
    public static IReadOnlyList<ValidationRow> Rows(CalibrationProblem main, OriginSetup setup, Evaluation forecast)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(forecast);
        var rows = new List<ValidationRow>();
        for (int k = 0; k < setup.ForecastTargets.Count; k++)
        {
            int i = setup.ForecastTargets[k];
            var t = main.Targets[i];
            var (naive, span) = Naive(main.Targets, i, setup.Origin);
            rows.Add(new ValidationRow(setup.Origin, i, t.PeriodStart ?? t.Date, t.Date, t.Platform, t.With, CalibrationRow.TierText(t.Tiers), t.Metric, t.Unit,
                Horizon(setup.Origin, t.Date), t.Metric == CalibrationMetric.OnlineShoppers ? "input" : "forecast", t.Value,
                forecast.Simulated[setup.KnownTargets.Count + k], naive, span));
        }
        return rows;
    }

    /// <summary>
    /// Runs the validation into <paramref name="folder"/>/validation/origin-YYYY-MM-DD (each origin's evaluation log, so a
    /// stopped validation resumes), origin after origin, each refit with up to <paramref name="threads"/> threads; the
    /// result does not depend on <paramref name="threads"/>. <paramref name="evaluated"/> is called after each point (progress).
    /// </summary>
    /// <exception cref="EvaluationLogMismatchException">An origin's folder holds the log of a different refit.</exception>
    public static ValidationResult Run(CalibrationProblem main, string folder, int threads, Action<DateOnly, EvaluationRecord, bool>? evaluated = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(main);
        var plan = main.Validation ?? throw new InvalidOperationException("the calibration declares no validation");
        var origins = new List<OriginResult>();
        var rows = new List<ValidationRow>();
        foreach (var origin in plan.Origins)
        {
            var setup = Setup(main, origin);
            string sub = OriginFolder(folder, origin);
            Directory.CreateDirectory(sub);
            var evaluator = new CalibrationEvaluator(setup.Fit);
            CalibrationResult fit;
            using (var log = EvaluationLog.Open(sub, setup.Fit, evaluator))
            {
                var calibrator = new Calibrator(evaluator, log, threads)
                {
                    Evaluated = evaluated is null ? null : (r, fresh) => evaluated(origin, r, fresh),
                };
                fit = calibrator.Run(ct);
            }
            var forecast = new CalibrationEvaluator(setup.Forecast).Evaluate(fit.Best.Evaluation.Values, threads, ct);
            origins.Add(new OriginResult(setup, fit, forecast));
            rows.AddRange(Rows(main, setup, forecast));
        }
        return new ValidationResult(origins, rows);
    }

    /// <summary>Evaluations a validation may run: per origin its refit's budget and one forecast.</summary>
    public static int Budget(ValidationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Origins.Count * (plan.Budget.GlobalPoints + plan.Budget.LocalEvaluations + 1);
    }

    /// <summary>The folder of one origin's refit inside a calibration's output folder.</summary>
    public static string OriginFolder(string folder, DateOnly origin) => Path.Combine(folder, "validation", "origin-" + D(origin));

    private static bool SameSeries(CalibrationTargetSpec a, CalibrationTargetSpec b) =>
        a.Platform == b.Platform && a.With == b.With && a.Metric == b.Metric && a.Tiers.SequenceEqual(b.Tiers) && PeriodMonths(a) == PeriodMonths(b);

    private static int PeriodMonths(CalibrationTargetSpec t) => t.PeriodStart is { } s ? Months(s.AddDays(-1), t.Date) : 0;

    private static int Quarter(DateOnly d) => d.Year * 4 + (d.Month - 1) / 3;

    private static int Months(DateOnly from, DateOnly to) => to.Year * 12 + to.Month - (from.Year * 12 + from.Month);

    private static string Describe(DateOnly origin, IReadOnlyList<CalibrationTargetSpec> targets)
    {
        var sb = new StringBuilder("\norigin ").Append(D(origin)).Append('\n');
        foreach (var t in targets)
            sb.Append(t.PeriodStart is { } s ? D(s) : "").Append(' ').Append(D(t.Date)).Append(' ').Append(t.Platform).Append(' ').Append(t.With).Append(' ')
              .Append(string.Join(';', t.Tiers)).Append(' ').Append(t.Metric).Append(' ').Append(R(t.Value)).Append(' ').Append(R(t.Weight)).Append(' ')
              .Append(t.InSample ? "in" : "out").Append('\n');
        return sb.ToString();
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
