using System.Globalization;
using System.Text;
using MarketSim.Charts;
using MarketSim.Output;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>How well the data pin a parameter down: the spread of the best global points within its bounds.</summary>
/// <param name="Parameter">The parameter.</param>
/// <param name="Value">Its fitted value.</param>
/// <param name="Low">Lowest position within the bounds (0..1) among the best global points.</param>
/// <param name="High">Highest position among them.</param>
/// <param name="Verdict">"pinned down", "loosely identified" or "left free".</param>
public sealed record Identification(FitParameter Parameter, double Value, double Low, double High, string Verdict)
{
    /// <summary>High − Low.</summary>
    public double Spread => High - Low;
}

/// <summary>
/// Writes a calibration's results into its output folder, each file atomically (<see cref="AtomicFile"/>), then
/// <c>_SUCCESS</c>: calibrated.yaml, evaluations.parquet, fit.parquet, report.md with its PNG charts, and one
/// self-contained report.html. Every byte is a function of the calibration and its result (no clock, no host), so a
/// resumed calibration writes the same files as one that was never stopped.
/// </summary>
public static class CalibrationOutputs
{
    /// <summary>The files written, in order (charts come after report.md's name in the folder listing).</summary>
    public static readonly IReadOnlyList<string> Files = ["calibrated.yaml", "evaluations.parquet", "fit.parquet", "report.md", "report.html"];

    /// <summary>Share of the global points, best first, whose spread judges identification (at least three points).</summary>
    public const double BestShare = 0.25;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The fit's rows, one per target, with the best point's simulated values; in_sample means fitted.</summary>
    public static IReadOnlyList<CalibrationRow> FitRows(CalibrationProblem problem, Evaluation best)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(best);
        return [.. problem.Targets.Select((t, i) => new CalibrationRow(i, t.PeriodStart, t.Date, t.Platform, t.With, CalibrationRow.TierText(t.Tiers),
            t.Metric, t.Unit, t.Value, best.Simulated[i], t.Tolerance, t.Weight, problem.Fitted[i], t.Source))];
    }

    /// <summary>Identification of each parameter from the global stage (the local stage crowds around the optimum and would flatter every parameter).</summary>
    public static IReadOnlyList<Identification> Identify(CalibrationProblem problem, CalibrationResult result)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(result);
        var global = result.Records.Where(r => r.Stage == CalibrationStage.Global).OrderBy(r => r.Evaluation.Objective).ThenBy(r => r.Index).ToList();
        int take = Math.Min(global.Count, Math.Max(3, (int)Math.Ceiling(BestShare * global.Count)));
        var top = global.Take(take).ToList();
        return [.. problem.Parameters.Select((p, d) =>
        {
            double lo = top.Min(r => p.ToUnit(r.Evaluation.Values[d])), hi = top.Max(r => p.ToUnit(r.Evaluation.Values[d]));
            string verdict = hi - lo <= 0.25 ? "pinned down" : hi - lo <= 0.5 ? "loosely identified" : "left free";
            return new Identification(p, result.Best.Evaluation.Values[d], lo, hi, verdict);
        })];
    }

    /// <summary>The calibrated scenario: extends the fitted scenario and sets only the fitted values, with a header saying the fit.</summary>
    public static string CalibratedYaml(CalibrationProblem problem, CalibrationResult result, string folder, string programVersion)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(result);
        var best = result.Best.Evaluation;
        int fitted = problem.Fitted.Count(f => f);
        int global = result.Records.Count(r => r.Stage == CalibrationStage.Global);
        var sb = new StringBuilder();
        sb.Append("# Calibrated by `marketsim calibrate ").Append(problem.DisplayPath.Replace('\\', '/')).Append("` (MarketSim ").Append(programVersion).Append(").\n");
        sb.Append("# Fit: ").Append(fitted.ToString(Inv)).Append(" of ").Append(problem.Targets.Count.ToString(Inv)).Append(" targets fitted, dated to ")
          .Append(problem.LastFittedDate?.ToString("yyyy-MM-dd", Inv) ?? "-")
          .Append(problem.HoldoutAfter is { } h ? $" (targets after {h:yyyy-MM-dd} held out)" : "").Append(";\n");
        sb.Append("# objective ").Append(best.Objective.ToString("G6", Inv)).Append(" (weighted squared ")
          .Append(problem.Objective == ObjectiveKind.LogRatio ? "log ratios" : "relative errors").Append(", fitted targets); ")
          .Append(result.Records.Count.ToString(Inv)).Append(" evaluations (").Append(global.ToString(Inv)).Append(' ')
          .Append(problem.Budget.Design == "sobol" ? "Sobol" : "LHS").Append(" points, ").Append((result.Records.Count - global).ToString(Inv)).Append(" Nelder–Mead);\n");
        sb.Append("# ").Append(problem.Agents.ToString(Inv)).Append(" agents × ").Append(problem.Seeds.Count.ToString(Inv)).Append(" replications, seeds ")
          .Append(string.Join(", ", problem.Seeds.Select(s => s.ToString(Inv))))
          .Append(problem.Settings.Count == 0 ? ". Only the fitted values are set here.\n"
              : problem.HeldPaths.Count == 0 ? ". Set here: the fitted values and, as given to --set, " + string.Join(", ", problem.Settings.Select(x => x.Path)) + ".\n"
              : ". Set here: the fitted values and, held by the validation (their effect starts after the origin), " + string.Join(", ", problem.HeldPaths) +
                (problem.Settings.Count > problem.HeldPaths.Count
                    ? "; as given to --set, " + string.Join(", ", problem.Settings.Select(x => x.Path).Where(x => !problem.HeldPaths.Contains(x))) : "") + ".\n");
        string rel = Path.GetRelativePath(Path.GetFullPath(folder), problem.ScenarioPath).Replace('\\', '/');
        sb.Append("extends: ").Append(Quote(rel)).Append('\n');
        Nest(sb, [.. problem.Settings.Select(x => (x.Path.Split('.'), x.Value)),
            .. problem.Parameters.Select((p, i) => (p.Path.Split('.'), best.Values[i].ToString("R", Inv)))], 0, "");
        return sb.ToString();
    }

    /// <summary>Writes every output into <paramref name="folder"/> (which must exist), then <c>_SUCCESS</c>.</summary>
    public static Task WriteAsync(string folder, CalibrationEvaluator evaluator, CalibrationResult result, string programVersion,
        int threads, CancellationToken ct = default) => WriteAsync(folder, evaluator, result, programVersion, threads, null, ct);

    /// <summary>
    /// Writes every output into <paramref name="folder"/> (which must exist), then <c>_SUCCESS</c>; with a
    /// <paramref name="validation"/>, also validation.parquet, each origin's calibrated.yaml and the report's validation section.
    /// </summary>
    public static async Task WriteAsync(string folder, CalibrationEvaluator evaluator, CalibrationResult result, string programVersion,
        int threads, ValidationResult? validation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(result);
        var problem = evaluator.Problem;
        File.Delete(Path.Combine(folder, "_SUCCESS"));
        var utf8 = new UTF8Encoding(false);
        AtomicFile.Write(Path.Combine(folder, "calibrated.yaml"), utf8.GetBytes(CalibratedYaml(problem, result, folder, programVersion)));
        AtomicFile.Write(Path.Combine(folder, "evaluations.parquet"), await EvaluationsParquetAsync(problem, result, programVersion, ct).ConfigureAwait(false));
        var fit = FitRows(problem, result.Best.Evaluation);
        AtomicFile.Write(Path.Combine(folder, "fit.parquet"), await FitParquetAsync(problem, fit, programVersion, ct).ConfigureAwait(false));
        if (validation is not null)
        {
            AtomicFile.Write(Path.Combine(folder, ValidationOutputs.FileName),
                await ValidationOutputs.ParquetAsync(problem, validation, programVersion, ct).ConfigureAwait(false));
            foreach (var o in validation.Origins)
            {
                string sub = RollingOrigin.OriginFolder(folder, o.Setup.Origin);
                AtomicFile.Write(Path.Combine(sub, "calibrated.yaml"), utf8.GetBytes(CalibratedYaml(o.Setup.Fit, o.Fit, sub, programVersion)));
            }
        }
        var (doc, charts) = Report(evaluator, result, fit, threads, validation, ct);
        foreach (var c in charts) AtomicFile.Write(Path.Combine(folder, c.FileName), c.Png);
        AtomicFile.Write(Path.Combine(folder, "report.md"), utf8.GetBytes(doc.ToMarkdown()));
        AtomicFile.Write(Path.Combine(folder, "report.html"), utf8.GetBytes(doc.ToHtml()));
        AtomicFile.Write(Path.Combine(folder, "_SUCCESS"), []);
    }

    /// <summary>evaluations.parquet: one row per distinct point, in search order.</summary>
    internal static async Task<byte[]> EvaluationsParquetAsync(CalibrationProblem problem, CalibrationResult result, string programVersion, CancellationToken ct)
    {
        var table = new OneShotTable<EvaluationRecord>()
            .IntColumn("evaluation", r => r.Index)
            .StringColumn("stage", r => r.Stage == CalibrationStage.Global ? "global" : "local")
            .IntColumn("start", r => r.Start);
        for (int d = 0; d < problem.Parameters.Count; d++)
        {
            int dim = d;
            table.DoubleColumn(problem.Parameters[d].Column, r => r.Evaluation.Values[dim]);
        }
        table.DoubleColumn("objective", r => r.Evaluation.Objective).BoolColumn("best", r => r.Index == result.Best.Index);
        for (int t = 0; t < problem.Targets.Count; t++)
        {
            int target = t;
            table.DoubleColumn(TargetColumn(problem.Targets[t], t), r => r.Evaluation.Simulated[target]);
        }
        return await ParquetAsync(table, result.Records, Metadata(problem, programVersion, "calibration_evaluations"), ct).ConfigureAwait(false);
    }

    /// <summary>The column of a target's simulated value in evaluations.parquet, e.g. <c>t03_annual_active_jd_2019_09_30</c>.</summary>
    public static string TargetColumn(CalibrationTargetSpec target, int index)
    {
        ArgumentNullException.ThrowIfNull(target);
        string with = target.With.Length > 0 ? "_" + target.With : "";
        return MarketSim.Sweeps.ScenarioPaths.ColumnName($"t{(index + 1).ToString("00", Inv)}_{target.Metric}_{target.Platform}{with}_{target.Date:yyyy_MM_dd}");
    }

    /// <summary>fit.parquet's columns: one row per target, the best point's simulated value against the published one.</summary>
    private static readonly OneShotTable<CalibrationRow> FitTable = new OneShotTable<CalibrationRow>()
        .IntColumn("target", r => r.Target)
        .DateColumn("period_start", r => r.PeriodStart ?? r.Date)
        .DateColumn("period_end", r => r.Date)
        .StringColumn("platform", r => r.Platform)
        .StringColumn("with_platform", r => r.With)
        .StringColumn("tiers", r => r.Tiers)
        .StringColumn("metric", r => r.Metric)
        .StringColumn("unit", r => r.Unit)
        .DoubleColumn("reported", r => r.Reported)
        .DoubleColumn("simulated", r => r.Simulated)
        .DoubleColumn("relative_error", r => r.RelativeError)
        .DoubleColumn("tolerance", r => r.Tolerance)
        .BoolColumn("within_tolerance", r => r.WithinTolerance)
        .DoubleColumn("weight", r => r.Weight)
        .BoolColumn("in_sample", r => r.InSample)
        .StringColumn("source", r => r.Source);

    private static async Task<byte[]> FitParquetAsync(CalibrationProblem problem, IReadOnlyList<CalibrationRow> fit, string programVersion, CancellationToken ct)
    {
        return await ParquetAsync(FitTable, fit, Metadata(problem, programVersion, "calibration_fit"), ct).ConfigureAwait(false);
    }

    private static Dictionary<string, string> Metadata(CalibrationProblem problem, string programVersion, string kind) => new()
    {
        ["marketsim.version"] = programVersion,
        ["marketsim.kind"] = kind,
        ["marketsim.calibration_fingerprint"] = problem.Fingerprint,
        ["marketsim.agents"] = problem.Agents.ToString(Inv),
        ["marketsim.replication_seeds"] = string.Join(",", problem.Seeds.Select(s => s.ToString(Inv))),
        ["marketsim.holdout_after"] = problem.HoldoutAfter?.ToString("yyyy-MM-dd", Inv) ?? "",
    };

    private static async Task<byte[]> ParquetAsync<TRow>(OneShotTable<TRow> table, IReadOnlyList<TRow> rows, Dictionary<string, string> metadata,
        CancellationToken ct)
    {
        using var stream = new MemoryStream();
        await table.WriteAsync(stream, rows, metadata, ct).ConfigureAwait(false);
        return stream.ToArray();
    }

    private static (ReportDocument Doc, List<ChartImage> Charts) Report(CalibrationEvaluator evaluator, CalibrationResult result,
        IReadOnlyList<CalibrationRow> fit, int threads, ValidationResult? validation, CancellationToken ct)
    {
        var problem = evaluator.Problem;
        var best = result.Best.Evaluation;
        var model = evaluator.Model(best.Values, 0);
        var ids = model.Dimensions.PlatformIds;
        string Name(string id) { int i = ids.ToList().IndexOf(id); return i >= 0 ? model.Dimensions.PlatformNames[i] : id; }
        var identification = Identify(problem, result);
        string scenario = Path.GetFileName(problem.ScenarioPath);
        var doc = new ReportDocument($"Calibration of {scenario}");
        var charts = new List<ChartImage>();
        ChartImage Add(string file, string title, byte[] png) { var c = new ChartImage(file, title, png); charts.Add(c); return c; }

        int fittedCount = problem.Fitted.Count(f => f);
        int global = result.Records.Count(r => r.Stage == CalibrationStage.Global);
        doc.P($"`{problem.DisplayPath}` fits {problem.Parameters.Count.ToString(Inv)} parameters of `{scenario}` to {fittedCount.ToString(Inv)} of " +
              $"{problem.Targets.Count.ToString(Inv)} published figures" +
              (problem.HoldoutAfter is { } h ? $" (figures after {h:yyyy-MM-dd} are held out: reported, not fitted)" : "") +
              $". Objective at the fit: {best.Objective.ToString("G4", Inv)}, the weighted sum of squared " +
              (problem.Objective == ObjectiveKind.LogRatio ? "log ratios" : "relative errors") +
              $" of the fitted figures, after {result.Records.Count.ToString(Inv)} evaluations ({global.ToString(Inv)} in the global design, " +
              $"{(result.Records.Count - global).ToString(Inv)} by Nelder–Mead), each {problem.Seeds.Count.ToString(Inv)} replications of " +
              $"{problem.Agents.ToString("N0", Inv)} agents with fixed seeds (common random numbers).");

        doc.H(2, "Fitted parameters");
        doc.Table(["Parameter", "Fitted", "Min", "Max", "Scale", "Best quarter of the design spans", "The targets"],
            identification.Select(x => (IReadOnlyList<string>)[$"`{x.Parameter.Path}`", N(x.Value), N(x.Parameter.Min), N(x.Parameter.Max),
                x.Parameter.Log ? "log" : "linear", $"{(100 * x.Low).ToString("0", Inv)}–{(100 * x.High).ToString("0", Inv)} % of the range", x.Verdict]), 1, 2, 3);
        doc.P($"Identification: the best {(100 * BestShare).ToString("0", Inv)} % (at least three) of the global design's points, read as positions within each " +
              "parameter's bounds. A parameter whose good points crowd together (spread ≤ 25 % of its range) is pinned down by the targets; one whose " +
              "good points spread over more than half of its range is left free: its fitted value is one of many that fit about as well.");

        doc.H(2, "Fit, target by target");
        int within = fit.Count(r => r.InSample && r.WithinTolerance), fittedRows = fit.Count(r => r.InSample);
        int hWithin = fit.Count(r => !r.InSample && r.WithinTolerance), held = fit.Count(r => !r.InSample);
        doc.P($"Fitted figures within their tolerance: {within.ToString(Inv)} of {fittedRows.ToString(Inv)}; held-out figures within their tolerance: " +
              $"{hWithin.ToString(Inv)} of {held.ToString(Inv)}.");
        doc.Table(["Period", "Figure", "Reported", "Simulated", "Error", "Tolerance", "Weight", "Sample"],
            fit.Select(r => (IReadOnlyList<string>)[r.Period, r.Label(Name), r.Show(r.Reported), r.Show(r.Simulated),
                (100 * r.RelativeError).ToString("+0.0;-0.0;0.0", Inv) + " %", "±" + (100 * r.Tolerance).ToString("0", Inv) + " %",
                r.Weight.ToString("0.##", Inv), r.InSample ? "fitted" : "held out"]), 2, 3, 4, 5, 6);
        doc.Chart(Add("fit_errors.png", "Every target at the fit: simulated against reported, with each target's tolerance",
            CalibrationCharts.Errors("Every target at the fit", fit, problem.Fitted, Name)));
        var steps = evaluator.Trajectory(best.Values, 0, threads, ct);
        if (problem.Targets.Any(t => t.Metric == CalibrationMetric.AnnualActive))
            doc.Chart(Add("fit_annual_active.png", "Annual-active accounts at the fit (replication 1) against the reported figures",
                CalibrationCharts.AnnualActive("Annual-active accounts: fit against reported", model, steps, problem.Targets, problem.Fitted)));

        if (validation is not null) ValidationOutputs.Report(doc, problem, validation, Name);

        doc.H(2, "The search");
        doc.Chart(Add("objective.png", "Objective at every evaluation, by stage, and the best so far",
            CalibrationCharts.Objective("Objective over the evaluations", result.Records)));
        doc.Chart(Add("parameter_traces.png", "Each parameter's position within its bounds at every evaluation",
            CalibrationCharts.Traces("Parameter traces", problem.Parameters, result.Records)));
        doc.Chart(Add("parameter_profiles.png", "Objective against each parameter: a narrow valley pins the parameter down, a flat floor leaves it free",
            CalibrationCharts.Profiles("Which parameters the targets pin down", problem.Parameters, result.Records)));
        doc.P("Files: `calibrated.yaml` (extends the scenario, sets the fitted values), `fit.parquet` (every target at the fit), " +
              "`evaluations.parquet` (every evaluated point), `evaluations.jsonl` (the resume log). Method: docs/calibration.md.");
        return (doc, charts);
    }

    /// <summary>Writes the fitted values as nested YAML maps, sorted by path as given (paths sharing a prefix share a map).</summary>
    private static void Nest(StringBuilder sb, List<(string[] Keys, string Value)> items, int depth, string indent)
    {
        var groups = new List<(string Key, List<(string[] Keys, string Value)> Items)>();
        foreach (var item in items)
        {
            int g = groups.FindIndex(x => x.Key == item.Keys[depth]);
            if (g < 0) groups.Add((item.Keys[depth], [item]));
            else groups[g].Items.Add(item);
        }
        foreach (var (key, members) in groups)
        {
            var leaf = members.FirstOrDefault(m => m.Keys.Length == depth + 1);
            if (leaf.Keys is not null)
                sb.Append(indent).Append(QuoteKey(key)).Append(": ").Append(leaf.Value).Append('\n');
            else
            {
                sb.Append(indent).Append(QuoteKey(key)).Append(":\n");
                Nest(sb, members, depth + 1, indent + "  ");
            }
        }
    }

    private static string QuoteKey(string key) =>
        key.Length > 0 && key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-') && !key.All(char.IsAsciiDigit) ? key : Quote(key);

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string N(double v) => v.ToString("G6", Inv);
}
