using System.Globalization;
using System.Text;
using MarketSim.Calibration.Posterior;
using MarketSim.Charts;
using MarketSim.Output;
using ScottPlot;

namespace MarketSim.Calibration;

/// <summary>How far the data moved a parameter from its prior: spreads in the prior's unit coordinates.</summary>
/// <param name="Parameter">The parameter and its prior's bounds.</param>
/// <param name="Source">Where its prior comes from.</param>
/// <param name="Median">Weighted posterior median.</param>
/// <param name="Low">Weighted 5 % quantile.</param>
/// <param name="High">Weighted 95 % quantile.</param>
/// <param name="SpreadRatio">Posterior standard deviation ÷ the prior's (1/√12 in unit coordinates).</param>
/// <param name="EffectiveSample">The population's effective sample size (1/Σw²), which decides whether a spread can be judged.</param>
public sealed record PosteriorSpread(FitParameter Parameter, string Source, double Median, double Low, double High, double SpreadRatio, double EffectiveSample)
{
    /// <summary>Smallest effective sample whose spreads are judged: below it a few heavy particles make every spread look narrow.</summary>
    public const double MinEffectiveSample = 20;

    /// <summary>
    /// "pinned down" (≤ 0.5 of the prior's spread), "narrowed" (≤ 0.8) or "prior spread kept" (the data say little about
    /// it); "too few particles to judge" when the effective sample is below <see cref="MinEffectiveSample"/>.
    /// </summary>
    public string Verdict => EffectiveSample < MinEffectiveSample ? "too few particles to judge"
        : SpreadRatio <= 0.5 ? "pinned down" : SpreadRatio <= 0.8 ? "narrowed" : "prior spread kept";
}

/// <summary>One target's posterior-predictive band: weighted quantiles of the accepted particles' simulated values.</summary>
/// <param name="Target">0-based target index.</param>
/// <param name="Low">5 % quantile.</param>
/// <param name="Median">50 % quantile.</param>
/// <param name="High">95 % quantile.</param>
public sealed record PredictiveBand(int Target, double Low, double Median, double High);

/// <summary>
/// Writes a posterior calibration's results, each file atomically, then <c>_SUCCESS</c>: posterior.parquet (one row per
/// accepted parameter set), posterior-waves.parquet, posterior-generations.parquet, report.md and report.html with
/// charts. Every byte is a function of the calibration and its result (no clock, no host, no thread count).
/// </summary>
public static class PosteriorOutputs
{
    /// <summary>The tables written.</summary>
    public static readonly IReadOnlyList<string> Files = ["posterior.parquet", "posterior-waves.parquet", "posterior-generations.parquet", "report.md", "report.html"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly double PriorSd = 1 / Math.Sqrt(12);

    /// <summary>Each parameter's posterior spread against its prior's.</summary>
    public static IReadOnlyList<PosteriorSpread> Spreads(PosteriorProblem posterior, Generation final)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(final);
        var w = final.Particles.Select(p => p.Weight).ToArray();
        return [.. posterior.Problem.Parameters.Select((p, d) =>
        {
            var u = final.Particles.Select(x => x.Point[d]).ToArray();
            double mean = 0, var = 0;
            for (int i = 0; i < u.Length; i++) mean += w[i] * u[i];
            for (int i = 0; i < u.Length; i++) var += w[i] * (u[i] - mean) * (u[i] - mean);
            return new PosteriorSpread(p, posterior.PriorSources[d], p.AtUnit(AbcSmc.WeightedQuantile(u, w, 0.5)),
                p.AtUnit(AbcSmc.WeightedQuantile(u, w, 0.05)), p.AtUnit(AbcSmc.WeightedQuantile(u, w, 0.95)), Math.Sqrt(var) / PriorSd,
                final.EffectiveSampleSize);
        })];
    }

    /// <summary>Each target's 90 % posterior-predictive band and median.</summary>
    public static IReadOnlyList<PredictiveBand> Bands(CalibrationProblem problem, Generation final)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(final);
        var w = final.Particles.Select(p => p.Weight).ToArray();
        return [.. problem.Targets.Select((_, t) =>
        {
            var v = final.Particles.Select(x => x.Simulated.Mean[t]).ToArray();
            return new PredictiveBand(t, AbcSmc.WeightedQuantile(v, w, 0.05), AbcSmc.WeightedQuantile(v, w, 0.5), AbcSmc.WeightedQuantile(v, w, 0.95));
        })];
    }

    /// <summary>Writes every output into <paramref name="folder"/> (which must exist), then <c>_SUCCESS</c>.</summary>
    public static async Task WriteAsync(string folder, PosteriorProblem posterior, PosteriorResult result, string programVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(result);
        var problem = posterior.Problem;
        File.Delete(Path.Combine(folder, "_SUCCESS"));
        var final = result.Final;
        var table = new OneShotTable<(int Index, Particle P)>().IntColumn("particle", r => r.Index);
        for (int d = 0; d < problem.Parameters.Count; d++)
        {
            int dim = d;
            table.DoubleColumn(problem.Parameters[d].Column, r => problem.Parameters[dim].AtUnit(r.P.Point[dim]));
        }
        table.DoubleColumn("weight", r => r.P.Weight).DoubleColumn("distance", r => r.P.Distance);
        for (int t = 0; t < problem.Targets.Count; t++)
        {
            int target = t;
            table.DoubleColumn(CalibrationOutputs.TargetColumn(problem.Targets[t], t), r => r.P.Simulated.Mean[target]);
        }
        var meta = Metadata(posterior, programVersion, "posterior");
        AtomicFile.Write(Path.Combine(folder, "posterior.parquet"), await Parquet(table, [.. final.Particles.Select((p, i) => (i, p))], meta, ct).ConfigureAwait(false));

        var waves = new OneShotTable<Wave>()
            .IntColumn("wave", w => w.Index + 1).IntColumn("points", w => w.Points.Count).IntColumn("kept", w => w.KeptCount)
            .DoubleColumn("region_share_of_prior", w => w.Region.Volume).DoubleColumn("share_of_prior", w => w.ShareOfPrior)
            .DoubleColumn("least_implausibility", w => w.Implausibility.Min());
        for (int d = 0; d < problem.Parameters.Count; d++)
        {
            int dim = d;
            waves.DoubleColumn(problem.Parameters[d].Column + "_low", w => problem.Parameters[dim].AtUnit(w.Region.Low[dim]));
            waves.DoubleColumn(problem.Parameters[d].Column + "_high", w => problem.Parameters[dim].AtUnit(w.Region.High[dim]));
        }
        AtomicFile.Write(Path.Combine(folder, "posterior-waves.parquet"),
            await Parquet(waves, result.Waves, Metadata(posterior, programVersion, "posterior_waves"), ct).ConfigureAwait(false));

        var generations = new OneShotTable<Generation>()
            .IntColumn("generation", g => g.Index).DoubleColumn("epsilon", g => g.Epsilon).IntColumn("proposals", g => g.Proposals)
            .IntColumn("accepted", g => g.Particles.Count).DoubleColumn("acceptance_rate", g => g.AcceptanceRate)
            .DoubleColumn("effective_sample_size", g => g.Complete ? g.EffectiveSampleSize : 0).BoolColumn("complete", g => g.Complete);
        AtomicFile.Write(Path.Combine(folder, "posterior-generations.parquet"),
            await Parquet(generations, result.Generations, Metadata(posterior, programVersion, "posterior_generations"), ct).ConfigureAwait(false));

        var (doc, charts) = Report(posterior, result);
        foreach (var c in charts) AtomicFile.Write(Path.Combine(folder, c.FileName), c.Png);
        var utf8 = new UTF8Encoding(false);
        AtomicFile.Write(Path.Combine(folder, "report.md"), utf8.GetBytes(doc.ToMarkdown()));
        AtomicFile.Write(Path.Combine(folder, "report.html"), utf8.GetBytes(doc.ToHtml()));
        AtomicFile.Write(Path.Combine(folder, "_SUCCESS"), []);
    }

    private static (ReportDocument Doc, List<ChartImage> Charts) Report(PosteriorProblem posterior, PosteriorResult result)
    {
        var problem = posterior.Problem;
        var final = result.Final;
        string scenario = Path.GetFileName(problem.ScenarioPath);
        var doc = new ReportDocument($"Posterior of {scenario}");
        var charts = new List<ChartImage>();
        ChartImage Add(string file, string title, byte[] png) { var c = new ChartImage(file, title, png); charts.Add(c); return c; }
        int fitted = problem.Fitted.Count(f => f);
        int evaluated = result.Waves.Sum(w => w.Points.Count) + result.Generations.Sum(g => g.Proposals);
        doc.P($"`{problem.DisplayPath}` samples {problem.Parameters.Count.ToString(Inv)} parameters of `{scenario}` ({posterior.FittedCount.ToString(Inv)} fitted, " +
              $"{(problem.Parameters.Count - posterior.FittedCount).ToString(Inv)} assumed) against {fitted.ToString(Inv)} of {problem.Targets.Count.ToString(Inv)} " +
              $"published figures: {result.Waves.Count.ToString(Inv)} history-matching waves, then ABC-SMC generations: {(result.Generations.Count - 1).ToString(Inv)} " +
              $"after the prior sample; {evaluated.ToString(Inv)} parameter sets evaluated, each {problem.Seeds.Count.ToString(Inv)} replications of " +
              $"{problem.Agents.ToString("N0", Inv)} agents with fixed seeds (common random numbers). The posterior holds {final.Particles.Count.ToString(Inv)} " +
              $"weighted parameter sets (effective sample size {final.EffectiveSampleSize.ToString("0", Inv)}) accepted at distance ≤ " +
              $"{final.Epsilon.ToString("G3", Inv)}: the weighted root-mean-square of each fitted figure's error in units of its standard uncertainty " +
              $"(tolerance and a model discrepancy of {(100 * posterior.Discrepancy).ToString("0.#", Inv)} % of the figure). Method: docs/calibration.md.");
        if (posterior.StartHalfWidth is { } hw)
        {
            // A parameter whose accepted sets reach the box's edge may have posterior mass beyond it that ABC could not visit.
            var atEdge = Enumerable.Range(0, problem.Parameters.Count).Where(d => final.Particles.Any(q =>
                (posterior.Start.Low[d] > 0 && q.Point[d] <= posterior.Start.Low[d] + 0.02 * hw) || (posterior.Start.High[d] < 1 && q.Point[d] >= posterior.Start.High[d] - 0.02 * hw)))
                .Select(d => $"`{problem.Parameters[d].Path}`").ToList();
            doc.P($"**Started around the scenario's values:** the search filled, and ABC never left, the box of ± {(100 * hw).ToString("0.#", Inv)} % of each " +
                  $"prior's range around the values the scenario states (its fitted best point), {(100 * posterior.Start.Volume).ToString("G3", Inv)} % of the prior's volume " +
                  "(`posterior.region`): this posterior is the prior restricted to that box. " +
                  (atEdge.Count == 0 ? "No accepted set lies at an inner edge of the box."
                      : $"Accepted sets lie at an inner edge of the box for {string.Join(", ", atEdge)}: the posterior may reach beyond it there; widen `half_width` to see."));
        }

        doc.H(2, "What the data pinned down");
        var spreads = Spreads(posterior, final);
        doc.Table(["Parameter", "Prior", "Prior range", "Posterior median", "90 % interval", "Spread vs prior", "Verdict"],
            spreads.Select(s => (IReadOnlyList<string>)[$"`{s.Parameter.Path}`", s.Source, $"{N(s.Parameter.Min)}–{N(s.Parameter.Max)}", N(s.Median),
                $"{N(s.Low)}–{N(s.High)}", s.SpreadRatio.ToString("0.00", Inv), s.Verdict]), 3, 5);
        if (final.EffectiveSampleSize < PosteriorSpread.MinEffectiveSample)
            doc.P($"**Too few particles to judge:** the population's effective sample size is {final.EffectiveSampleSize.ToString("0.#", Inv)} " +
                  $"(below {PosteriorSpread.MinEffectiveSample.ToString(Inv)}): a few heavily weighted sets make every spread look narrow. " +
                  "Run with a larger population or more generations before reading the intervals.");
        if (final.Epsilon > posterior.Abc.MinEpsilon)
            doc.P($"**Not converged:** ABC stopped at distance {final.Epsilon.ToString("G3", Inv)}, above min_epsilon " +
                  $"{posterior.Abc.MinEpsilon.ToString("G3", Inv)} (generations or acceptance ran out): the ensemble is wider, and fits worse, than the posterior.");
        doc.P("Spread vs prior: the posterior's standard deviation over the prior's, both measured within the prior's range (on a log scale for a " +
              "log-uniform prior). At most 0.5: the figures pin the parameter down; above 0.8 they say little about it and its prior spread is kept: " +
              "a result that depends on it carries that spread.");
        for (int d = 0; d < problem.Parameters.Count; d++)
            doc.Chart(Add($"posterior_{problem.Parameters[d].Column}.png", $"Posterior of {problem.Parameters[d].Path} (bars) over its prior's range",
                PosteriorCharts.Marginal(problem.Parameters[d], [.. final.Particles.Select(p => p.Point[d])], [.. final.Particles.Select(p => p.Weight)])));

        // Pairs of the parameters the figures narrowed most (at most five: ten panels).
        var narrowed = spreads.Select((x, d) => (x.SpreadRatio, d)).OrderBy(x => x.SpreadRatio).ThenBy(x => x.d).Take(5).Select(x => x.d).OrderBy(d => d).ToList();
        if (narrowed.Count >= 2)
            doc.Chart(Add("posterior_pairs.png", "Pairs of the most narrowed parameters: each accepted set at its position within the two priors' ranges (0–1), area by weight",
                PosteriorCharts.Pairs(problem.Parameters, narrowed, final.Particles)));

        doc.H(2, "Posterior-predictive bands against the figures");
        var bands = Bands(problem, final);
        int inside = bands.Count(b => problem.Targets[b.Target].Value >= b.Low && problem.Targets[b.Target].Value <= b.High);
        doc.P($"Each figure's 90 % posterior-predictive band (the accepted sets' simulated values, weighted; replication means): " +
              $"{inside.ToString(Inv)} of {bands.Count.ToString(Inv)} figures lie inside their band. Held-out figures were not used to fit.");
        doc.Table(["Figure", "Date", "Reported", "Median", "90 % band", "Half-width", "Inside", "Sample"],
            bands.Select(b =>
            {
                var t = problem.Targets[b.Target];
                bool inBand = t.Value >= b.Low && t.Value <= b.High;
                return (IReadOnlyList<string>)[$"{t.Metric} {t.Platform}{(t.With.Length > 0 ? "–" + t.With : "")}", t.Date.ToString("yyyy-MM-dd", Inv), N(t.Value),
                    N(b.Median), $"{N(b.Low)}–{N(b.High)}", (100 * (b.High - b.Low) / 2 / Math.Abs(t.Value)).ToString("0.0", Inv) + " %",
                    inBand ? "yes" : "no", problem.Fitted[b.Target] ? "fitted" : "held out"];
            }), 2, 3, 5);
        doc.Chart(Add("posterior_predictive.png", "Every figure: the 90 % posterior-predictive band and median, relative to the reported value",
            PosteriorCharts.Bands(problem, bands)));

        doc.H(2, "History matching and ABC-SMC");
        if (result.Waves.Count > 0)
            doc.Table(["Wave", "Points", "Kept", "Region sampled (share of prior)", "Not ruled out (share of prior)", "Least implausibility"],
                result.Waves.Select(w => (IReadOnlyList<string>)[(w.Index + 1).ToString(Inv), w.Points.Count.ToString(Inv), w.KeptCount.ToString(Inv),
                    P(w.Region.Volume), P(w.ShareOfPrior), w.Implausibility.Min().ToString("0.00", Inv)]), 1, 2, 3, 4, 5);
        doc.Table(["Generation", "ε", "Proposals", "Accepted", "Acceptance", "Effective sample"],
            result.Generations.Select(g => (IReadOnlyList<string>)[g.Index.ToString(Inv) + (g.Complete ? "" : " (abandoned)"),
                double.IsPositiveInfinity(g.Epsilon) ? "∞" : g.Epsilon.ToString("G4", Inv), g.Proposals.ToString(Inv), g.Particles.Count.ToString(Inv),
                P(g.AcceptanceRate), g.Complete ? g.EffectiveSampleSize.ToString("0", Inv) : "–"]), 1, 2, 3, 4, 5);
        doc.P("Files: `posterior.parquet` (one row per accepted parameter set: values, weight, distance, each figure's simulated value), " +
              "`posterior-waves.parquet`, `posterior-generations.parquet`, `posterior-evaluations.jsonl` (the resume log).");
        return (doc, charts);
    }

    private static Dictionary<string, string> Metadata(PosteriorProblem posterior, string programVersion, string kind) => new()
    {
        ["marketsim.version"] = programVersion,
        ["marketsim.kind"] = kind,
        ["marketsim.calibration_fingerprint"] = posterior.Problem.Fingerprint,
        ["marketsim.agents"] = posterior.Problem.Agents.ToString(Inv),
        ["marketsim.replication_seeds"] = string.Join(",", posterior.Problem.Seeds.Select(s => s.ToString(Inv))),
        ["marketsim.posterior_seed"] = posterior.Abc.Seed.ToString(Inv),
        ["marketsim.fitted_parameters"] = posterior.FittedCount.ToString(Inv),
        // Column names are paths with dots replaced; the paths themselves let a reader (compare --posterior) set each value.
        ["marketsim.parameter_paths"] = string.Join(",", posterior.Problem.Parameters.Select(p => p.Path)),
        ["marketsim.prior_bounds"] = string.Join(",", posterior.Problem.Parameters.Select(p =>
            $"{p.Min.ToString("R", Inv)}:{p.Max.ToString("R", Inv)}:{(p.Log ? "log" : "linear")}")),
        ["marketsim.scenario"] = Path.GetFileName(posterior.Problem.ScenarioPath),
    };

    private static async Task<byte[]> Parquet<TRow>(OneShotTable<TRow> table, IReadOnlyList<TRow> rows, Dictionary<string, string> metadata, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        await table.WriteAsync(stream, rows, metadata, ct).ConfigureAwait(false);
        return stream.ToArray();
    }

    private static string N(double v) => v.ToString("G4", Inv);

    private static string P(double v) => (100 * v).ToString(v < 0.01 ? "0.###" : "0.#", Inv) + " %";
}

/// <summary>The posterior report's charts.</summary>
internal static class PosteriorCharts
{
    private static readonly Color Posterior = new(0x1F, 0x77, 0xB4);
    private static readonly Color Held = new(0xFF, 0x7F, 0x0E);

    /// <summary>A weighted histogram (20 bins over the prior's range) with the prior's flat density as a dotted line.</summary>
    public static byte[] Marginal(FitParameter parameter, double[] unit, double[] weights)
    {
        const int bins = 20;
        var mass = new double[bins];
        for (int i = 0; i < unit.Length; i++) mass[Math.Clamp((int)(unit[i] * bins), 0, bins - 1)] += weights[i];
        var plot = ChartStyle.NewPlot();
        var bars = new List<Bar>();
        for (int b = 0; b < bins; b++)
            bars.Add(new Bar
            {
                Position = parameter.AtUnit((b + 0.5) / bins),
                Value = mass[b] * bins,
                FillColor = Posterior,
                LineWidth = 0,
                Size = parameter.Log ? parameter.AtUnit((b + 1.0) / bins) - parameter.AtUnit((double)b / bins) : (parameter.Max - parameter.Min) / bins
            });
        plot.Add.Bars(bars);
        var prior = plot.Add.HorizontalLine(1);
        prior.Color = Colors.Black.WithAlpha(0.6);
        prior.LinePattern = LinePattern.Dotted;
        prior.LegendText = "prior";
        if (parameter.Log)
        {
            // Bars at their values on a log axis would crowd; a log-uniform prior is flat per unit of log value, so show positions in log10.
            plot.Axes.Bottom.Label.Text = parameter.Path + " (log-uniform prior: bar widths even in log scale)";
        }
        else plot.XLabel(parameter.Path);
        plot.YLabel("density relative to the prior");
        plot.Title(parameter.Path);
        return plot.GetImageBytes(ChartStyle.Width / 2, ChartStyle.Height / 2, ImageFormat.Png);
    }

    /// <summary>
    /// Pairwise scatter of the accepted sets (positions within each prior's range, marker area by weight) for every pair of
    /// the given parameters: a ridge shows two parameters the figures trade off against each other.
    /// </summary>
    public static byte[] Pairs(IReadOnlyList<FitParameter> parameters, IReadOnlyList<int> dims, IReadOnlyList<Particle> particles)
    {
        var pairs = new List<(int A, int B)>();
        for (int i = 0; i < dims.Count; i++)
            for (int j = i + 1; j < dims.Count; j++) pairs.Add((dims[i], dims[j]));
        int cols = pairs.Count <= 1 ? 1 : pairs.Count <= 4 ? 2 : pairs.Count <= 9 ? 3 : 4;
        int rows = (pairs.Count + cols - 1) / cols;
        const int panel = 420;
        double top = particles.Max(p => p.Weight);
        var plots = new List<Plot>();
        foreach (var (a, b) in pairs)
        {
            var plot = ChartStyle.NewPlot();
            foreach (var p in particles)
            {
                var m = plot.Add.Marker(p.Point[a], p.Point[b]);
                m.Color = Posterior.WithAlpha(0.6);
                m.Size = (float)(3 + 9 * Math.Sqrt(p.Weight / top));
            }
            plot.Axes.SetLimits(0, 1, 0, 1);
            plot.XLabel(parameters[a].Path);
            plot.YLabel(parameters[b].Path);
            plot.Axes.Bottom.Label.FontSize = 13;
            plot.Axes.Left.Label.FontSize = 13;
            plot.Layout.Fixed(new PixelPadding(left: 70, right: 20, bottom: 60, top: 20));
            plots.Add(plot);
        }
        var multiplot = new Multiplot(plots[0]);
        for (int i = 1; i < plots.Count; i++) multiplot.AddPlot(plots[i]);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, cols);
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(cols * panel, rows * panel, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create the pairwise chart's surface");
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        multiplot.Render(surface.Canvas, new PixelRect(left: 0, right: cols * panel, bottom: rows * panel, top: 0));
        using var image = surface.Snapshot();
        using var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Every target's band and median as a percentage of its reported value.</summary>
    public static byte[] Bands(CalibrationProblem problem, IReadOnlyList<PredictiveBand> bands)
    {
        var plot = ChartStyle.NewPlot();
        foreach (var b in bands)
        {
            double z = problem.Targets[b.Target].Value;
            var color = problem.Fitted[b.Target] ? Posterior : Held;
            var line = plot.Add.Line(b.Target, 100 * (b.Low / z - 1), b.Target, 100 * (b.High / z - 1));
            line.Color = color;
            line.LineWidth = 6;
            var m = plot.Add.Marker(b.Target, 100 * (b.Median / z - 1));
            m.Color = Colors.Black;
            m.Size = 6;
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.6);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "fitted: 90 % band", LineColor = Posterior, LineWidth = 6 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "held out: 90 % band", LineColor = Held, LineWidth = 6 });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontName = ChartFonts.Family;
        plot.Axes.Bottom.SetTicks([.. bands.Select(b => (double)b.Target)],
            [.. bands.Select(b => { var t = problem.Targets[b.Target]; return $"{t.Metric} {t.Platform} {t.Date:yyyy-MM}"; })]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
        plot.Axes.SetLimitsX(-1, bands.Count);
        plot.YLabel("simulated vs reported (%)");
        plot.Title("Posterior-predictive bands");
        plot.Layout.Fixed(new PixelPadding(left: 100, right: 60, bottom: 260, top: 60));
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }
}
