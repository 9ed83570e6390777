using System.Globalization;
using MarketSim.Charts;
using MarketSim.Output;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>Mean absolute percentage errors of one group of forecast figures at one horizon, model and naive on the same figures.</summary>
/// <param name="Group">The figures: a platform's annual-active accounts, or a metric over all platforms.</param>
/// <param name="Horizon">Quarters ahead.</param>
/// <param name="Count">Figures with both forecasts (the means are over these).</param>
/// <param name="WithoutNaive">Figures of the group and horizon without a naive forecast (too little history), left out of both means.</param>
/// <param name="ModelMape">Mean |model − reported| / reported.</param>
/// <param name="NaiveMape">Mean |naive − reported| / reported.</param>
/// <param name="ModelMapeAll">Mean |model − reported| / reported over every figure of the group and horizon, with or without a naive forecast.</param>
public sealed record ValidationSummaryRow(string Group, int Horizon, int Count, int WithoutNaive, double ModelMape, double NaiveMape, double ModelMapeAll);

/// <summary>validation.parquet and the validation's part of the calibration report.</summary>
public static class ValidationOutputs
{
    /// <summary>File name in the output folder.</summary>
    public const string FileName = "validation.parquet";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>validation.parquet's columns: one row per origin and forecast figure.</summary>
    public static readonly OneShotTable<ValidationRow> Table = new OneShotTable<ValidationRow>()
        .DateColumn("origin", r => r.Origin)
        .IntColumn("target", r => r.Target)
        .DateColumn("period_start", r => r.PeriodStart)
        .DateColumn("period_end", r => r.PeriodEnd)
        .StringColumn("platform", r => r.Platform)
        .StringColumn("with_platform", r => r.With)
        .StringColumn("tiers", r => r.Tiers)
        .StringColumn("metric", r => r.Metric)
        .StringColumn("unit", r => r.Unit)
        .IntColumn("horizon_quarters", r => r.Horizon)
        .StringColumn("role", r => r.Role)
        .DoubleColumn("reported", r => r.Reported)
        .DoubleColumn("model_forecast", r => r.Model)
        .NullableDoubleColumn("naive_forecast", r => double.IsNaN(r.Naive) ? null : r.Naive)
        .IntColumn("naive_span_months", r => r.NaiveSpanMonths)
        .DoubleColumn("model_error", r => r.ModelError)
        .NullableDoubleColumn("naive_error", r => double.IsNaN(r.Naive) ? null : r.NaiveError);

    /// <summary>validation.parquet's bytes, with the calibration's metadata and the origins.</summary>
    public static async Task<byte[]> ParquetAsync(CalibrationProblem problem, ValidationResult result, string programVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(result);
        var metadata = new Dictionary<string, string>
        {
            ["marketsim.version"] = programVersion,
            ["marketsim.kind"] = "calibration_validation",
            ["marketsim.calibration_fingerprint"] = problem.Fingerprint,
            ["marketsim.agents"] = problem.Agents.ToString(Inv),
            ["marketsim.replication_seeds"] = string.Join(",", problem.Seeds.Select(s => s.ToString(Inv))),
            ["marketsim.holdout_after"] = problem.HoldoutAfter?.ToString("yyyy-MM-dd", Inv) ?? "",
            ["marketsim.origins"] = string.Join(",", result.Origins.Select(o => o.Setup.Origin.ToString("yyyy-MM-dd", Inv))),
        };
        using var stream = new MemoryStream();
        await Table.WriteAsync(stream, result.Rows, metadata, ct).ConfigureAwait(false);
        return stream.ToArray();
    }

    /// <summary>
    /// The group a forecast row is summarised in: a platform's figures of one metric (annual-active accounts, GMV, …),
    /// a market-wide metric by itself; null for inputs. Platforms are never pooled: their errors differ by an order of magnitude.
    /// </summary>
    public static string? Group(ValidationRow row, Func<string, string> platformName)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(platformName);
        if (row.Role != "forecast") return null;
        string metric = row.Metric.Replace('_', ' ');
        return row.Platform == "all" ? metric : platformName(row.Platform) + " " + metric;
    }

    /// <summary>Mean absolute % errors by group and horizon, model against naive over the figures that have both.</summary>
    public static IReadOnlyList<ValidationSummaryRow> Summarise(IReadOnlyList<ValidationRow> rows, Func<string, string> platformName, int horizons)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var groups = rows.Select(r => Group(r, platformName)).OfType<string>().Distinct().ToList();
        var summary = new List<ValidationSummaryRow>();
        foreach (var g in groups)
            for (int h = 1; h <= horizons; h++)
            {
                var all = rows.Where(r => r.Horizon == h && Group(r, platformName) == g).ToList();
                var paired = all.Where(r => !double.IsNaN(r.Naive)).ToList();
                if (all.Count == 0) continue;
                summary.Add(new ValidationSummaryRow(g, h, paired.Count, all.Count - paired.Count,
                    paired.Count == 0 ? double.NaN : Mean(paired.Select(r => Math.Abs(r.ModelError))),
                    paired.Count == 0 ? double.NaN : Mean(paired.Select(r => Math.Abs(r.NaiveError))),
                    Mean(all.Select(r => Math.Abs(r.ModelError)))));
            }
        return summary;
    }

    /// <summary>The report's validation section: method, the error-by-horizon table, the errors per origin and what was held.</summary>
    internal static void Report(ReportDocument doc, CalibrationProblem problem, ValidationResult result, Func<string, string> platformName)
    {
        var plan = problem.Validation!;
        doc.H(2, "How far to trust a forecast: rolling-origin validation");
        doc.P($"At each origin ({string.Join(", ", plan.Origins.Select(D))}) the parameters were fitted again on the figures dated up to it " +
              "(a figure over a period only once the period has ended), from the global design over the bounds, never from a point fitted on later " +
              $"figures; the refit was then simulated on and compared with the figures 1 to {plan.Horizons.ToString(Inv)} quarters after the origin" +
              (problem.HoldoutAfter is { } h ? $", none after {D(h)} (later figures are not read)" : "") +
              $". Each refit: {plan.Budget.GlobalPoints.ToString(Inv)} {(plan.Budget.Design == "sobol" ? "Sobol" : "LHS")} points and up to " +
              $"{plan.Budget.LocalEvaluations.ToString(Inv)} Nelder–Mead evaluations, {problem.Seeds.Count.ToString(Inv)} replications of " +
              $"{problem.Agents.ToString("N0", Inv)} agents. The naive forecast carries the series' last year-on-year growth forward from its latest " +
              "figure up to the origin. The online-shopper count is an input (the scenario's arrivals, set from CNNIC's figures), not a forecast: it is " +
              "in validation.parquet (role `input`) but not in these tables.");
        var summary = Summarise(result.Rows, platformName, plan.Horizons);
        doc.Table(["Figures", .. Enumerable.Range(1, plan.Horizons).Select(q => $"{q} q ahead: model / naive (n)")],
            summary.Select(s => s.Group).Distinct().Select(g => (IReadOnlyList<string>)[g, .. Enumerable.Range(1, plan.Horizons).Select(q =>
                summary.FirstOrDefault(s => s.Group == g && s.Horizon == q) is not { } s ? "–"
                    : s.Count > 0 ? $"{Pct(s.ModelMape)} / {Pct(s.NaiveMape)} ({s.Count.ToString(Inv)})"
                    : $"{Pct(s.ModelMapeAll)} / – ({s.WithoutNaive.ToString(Inv)}, no naive)")]),
            [.. Enumerable.Range(1, plan.Horizons)]);
        doc.P("Mean absolute percentage error of the forecasts, model / naive, over the origins' figures that have both forecasts (n); " +
              "a figure without enough history for a naive growth (a figure published once a year, or too recently) is left out of both, unless " +
              "none of its group and horizon has one (\"no naive\": the model's error alone).");

        var annual = result.Rows.Where(r => r.Metric == CalibrationMetric.AnnualActive && r.Role == "forecast").ToList();
        if (annual.Count > 0)
        {
            doc.Table(["Origin", "Platform", .. Enumerable.Range(1, plan.Horizons).Select(q => $"{q} q: model (naive)")],
                annual.GroupBy(r => (r.Origin, r.Platform)).Select(g => (IReadOnlyList<string>)[D(g.Key.Origin), platformName(g.Key.Platform),
                    .. Enumerable.Range(1, plan.Horizons).Select(q => g.FirstOrDefault(r => r.Horizon == q) is { } r
                        ? $"{Signed(r.ModelError)} ({(double.IsNaN(r.Naive) ? "–" : Signed(r.NaiveError))})" : "–")]),
                [.. Enumerable.Range(2, plan.Horizons)]);
            doc.P("Annual-active accounts forecast from each origin: the model's relative error and, in brackets, the naive forecast's.");
        }

        doc.Table(["Origin", "Figures fitted", "Figures forecast", "Evaluations", "Objective", "Held (effect starts after the origin)"],
            result.Origins.Select(o => (IReadOnlyList<string>)[D(o.Setup.Origin), o.Setup.Fit.Fitted.Count(f => f).ToString(Inv),
                o.Setup.ForecastTargets.Count.ToString(Inv), o.Fit.Records.Count.ToString(Inv), o.Fit.Best.Evaluation.Objective.ToString("G4", Inv),
                o.Setup.Held.Count == 0 ? "–" : string.Join(", ", o.Setup.Held.Select(x => $"`{problem.Parameters[x.Parameter].Path}` = " +
                    $"{x.Value.ToString("G6", Inv)} ({(plan.HeldDeclared[x.Parameter] ? "declared" : "lower bound")})"))]), 1, 2, 3, 4);
        doc.P("Each origin's refitted scenario is `validation/origin-YYYY-MM-DD/calibrated.yaml`; every forecast figure is in `validation.parquet`.");
    }

    private static double Mean(IEnumerable<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (var v in values) { sum += v; n++; } // in row order: the same sum at any thread count
        return sum / n;
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : (100 * v).ToString("0.0", Inv) + " %";

    private static string Signed(double v) => (100 * v).ToString("+0.0;-0.0;0.0", Inv) + " %";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
}
