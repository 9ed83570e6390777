using System.Globalization;
using MarketSim.Charts;

namespace MarketSim.Analysis;

/// <summary>The sensitivity report: Markdown, one self-contained HTML page, and its charts.</summary>
/// <param name="Markdown">report.md (charts as PNG files beside it).</param>
/// <param name="Html">report.html (charts inline).</param>
/// <param name="Charts">The charts.</param>
/// <param name="Headline">One line per output: the parameters that drive it most, with their indices.</param>
public sealed record AnalysisReportOutput(string Markdown, string Html, IReadOnlyList<ChartImage> Charts, IReadOnlyList<string> Headline);

/// <summary>Writes the report of a <see cref="SweepAnalysisResult"/>; every number in it is computed from the result.</summary>
public static class AnalysisReport
{
    private static string F(double v, int digits = 3) => double.IsFinite(v) ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "–";

    private static string Ci(Estimate e, int digits = 3) => e.Low is { } l && e.High is { } h ? $"{F(e.Value, digits)} [{F(l, digits)}, {F(h, digits)}]" : F(e.Value, digits);

    /// <summary>A value in people or yuan at a readable scale.</summary>
    internal static string Amount(double v)
    {
        double a = Math.Abs(v);
        return a >= 1e9 ? (v / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " B"
            : a >= 1e6 ? (v / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M"
            : a >= 1e3 ? (v / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " k"
            : v.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary>An index whose 95 % interval is wider than this is not resolved: the design cannot rank it yet.</summary>
    internal const double ResolvedWidth = 0.2;

    /// <summary>The interval width <see cref="RecommendedBase"/> aims at (about ±0.05).</summary>
    internal const double TargetWidth = 0.1;

    /// <summary>Width of an estimate's interval (infinite without one).</summary>
    internal static double Width(Estimate e) => e.Low is { } l && e.High is { } h ? h - l : double.PositiveInfinity;

    /// <summary>True when the estimate's 95 % interval is at most <see cref="ResolvedWidth"/> wide.</summary>
    internal static bool Resolved(Estimate e) => Width(e) <= ResolvedWidth;

    /// <summary>
    /// The Saltelli base N that would bring the widest interval to about <see cref="TargetWidth"/>: widths shrink as 1/√N,
    /// so N × (width / target)², rounded up to a power of two (Sobol' points are balanced in powers of two).
    /// </summary>
    internal static int RecommendedBase(int currentBase, double widestInterval)
    {
        if (!double.IsFinite(widestInterval) || currentBase < 1) return currentBase;
        double n = currentBase * Math.Pow(widestInterval / TargetWidth, 2);
        int p = 1;
        while (p < n * (1 - 1e-9) && p < 1 << 20) p <<= 1;   // a width of 0.1000000001 needs no more points
        return Math.Max(currentBase, p);
    }

    /// <summary>
    /// What a Sobol' result can say, following its intervals: whether the indices are resolved at this N, the N that
    /// would resolve them, and what the sum of the first-order indices means (above 1 it is estimator noise).
    /// </summary>
    internal static string SobolVerdict(IReadOnlyList<SobolIndex> sobol, IReadOnlyList<string> paths, int baseN, int k, int replications, out int recommended)
    {
        double sumS1 = sobol.Sum(x => x.First.Value);
        var widths = sobol.SelectMany((x, i) => new[] { (W: Width(x.First), Name: $"S1 of `{paths[i]}`", E: x.First), (W: Width(x.Total), Name: $"ST of `{paths[i]}`", E: x.Total) }).ToList();
        var widest = widths.OrderByDescending(w => w.W).First();
        recommended = RecommendedBase(baseN, widest.W);
        string sum = $"The first-order indices add up to {F(sumS1, 2)}";
        if (widest.W > ResolvedWidth)
        {
            int runs = recommended * (k + 2) * replications;
            return $"**Not resolved at N = {baseN}**: the widest 95 % interval, {widest.Name} {Ci(widest.E, 2)}, is {F(widest.W, 2)} wide, so these indices " +
                   "cannot rank the parameters yet (pale bars in the chart are the unresolved ones). " +
                   (sumS1 > 1 ? $"{sum}: a sum above 1 is estimator noise at this N, not a property of the model. " : $"{sum}, which means little while the intervals are this wide. ") +
                   $"**Raise N to about {recommended}** (`design: {{type: saltelli, base: {recommended}}}`: {recommended * (k + 2)} points × {replications} replication{(replications == 1 ? "" : "s")} = {runs} runs) " +
                   $"for intervals about ±{F(TargetWidth / 2, 2)} wide.";
        }
        if (sumS1 > 1.05)
            return $"{sum}: above 1, which is estimator noise (first-order indices of a variance decomposition add up to at most 1); the intervals are narrow enough to rank the parameters.";
        return sumS1 > 0.9
            ? $"{sum}: the parameters act almost additively (their interactions explain little of the variance)."
            : $"{sum}: about {F(Math.Max(0, 1 - sumS1) * 100, 0)} % of the variance comes from interactions (ST − S1 shows whose).";
    }

    /// <summary>
    /// Parameters whose main effect is flat within noise: every bin's 95 % interval contains the output's overall mean,
    /// so the binned means' spread is what replications and other parameters leave, not an effect.
    /// </summary>
    internal static List<int> FlatMainEffects(OutputAnalysis o) =>
        Enumerable.Range(0, o.MainEffects.Length).Where(i => o.MainEffects[i].Length > 0 && o.MainEffects[i]
            .All(b => b.Mean.Low is { } l && b.Mean.High is { } h && l <= o.Mean && o.Mean <= h)).ToList();

    /// <summary>Builds the report.</summary>
    public static AnalysisReportOutput Build(SweepAnalysisResult result, string programVersion)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Summary;
        var ps = result.Parameters;
        var paths = ps.Select(p => p.Path).ToList();
        var doc = new ReportDocument($"Sensitivity of sweep {s.Name}");
        var headline = new List<string>();

        foreach (var o in result.Outputs)
        {
            if (o.Sobol is { } sob)
            {
                var order = Enumerable.Range(0, ps.Count).OrderByDescending(i => sob[i].Total.Value).ToArray();
                bool unresolved = sob.Any(x => !Resolved(x.First) || !Resolved(x.Total));
                SobolVerdict(sob, paths, s.Base, ps.Count, s.Replications, out int n);
                headline.Add($"{o.Output}: " + string.Join("; ", order.Select(i => $"{paths[i]} ST {Ci(sob[i].Total, 2)}, S1 {Ci(sob[i].First, 2)}")) +
                             (unresolved ? $" (not resolved at N = {s.Base}; raise N to about {n})" : ""));
            }
            else if (o.Morris is { } mor)
            {
                var order = Enumerable.Range(0, ps.Count).OrderByDescending(i => mor[i].MuStar.Value).ToArray();
                headline.Add($"{o.Output}: " + string.Join("; ", order.Select(i => $"{paths[i]} μ* {Amount(mor[i].MuStar.Value)} (σ {Amount(mor[i].Sigma)})")));
            }
            else
            {
                var order = Enumerable.Range(0, ps.Count).OrderByDescending(i => Math.Abs(o.Src[i])).ToArray();
                headline.Add($"{o.Output}: " + string.Join("; ", order.Select(i => $"{paths[i]} SRC {F(o.Src[i], 2)}")) + $" (R² {F(o.R2, 2)})");
            }
        }

        doc.H(2, "The answer");
        doc.P(s.EffectOf.Length > 0
            ? $"Each run of the sweep was run twice with the same seed, once as is and once with **{s.EffectOf}** switched off; the outputs are the differences (the effect), so the indices say which assumptions decide the size of the effect, not of the level."
            : "The outputs are levels of the scenario (no baseline arm).");
        doc.List(result.Outputs.Select((o, i) => $"**{o.Output}** (mean {Amount(o.Mean)}, standard deviation {Amount(o.Sd)} across the design): {headline[i][(o.Output.Length + 2)..]}"));

        doc.H(2, "What was analysed");
        doc.List(
        [
            $"Design **{s.Design}**: {s.Points} points × {s.Replications} replication{(s.Replications == 1 ? "" : "s")}" +
            (s.Design == "saltelli" ? $" (N = {s.Base} base points, k = {ps.Count}: N·(k+2){(s.SecondOrder ? " with second-order rows N·(2k+2)" : "")})"
                : s.Design == "morris" ? $" (r = {s.Base} trajectories, p = {s.Levels} levels, Δ = {F(MarketSim.Sweeps.Designs.MorrisDelta(s.Levels), 3)})" : ""),
            $"Parameters: {string.Join(", ", ps.Select(p => $"`{p.Path}` {F(p.Min ?? double.NaN, 3)}–{F(p.Max ?? double.NaN, 3)}"))}",
            $"Outputs: {string.Join("; ", s.Outputs.Select(o => $"`{o.Name}` = {o.Definition}"))}",
            $"Each point's output is the mean over its replications; replication r has the same seed at every point (common random numbers).",
            $"Bootstrap: {result.Options.Bootstrap} resamples, seed {result.Options.Seed} (the same data give the same intervals); main effects in {result.Options.Bins} bins. Program {programVersion}.",
        ]);

        var charts = new List<ChartImage>();
        foreach (var o in result.Outputs)
        {
            doc.H(2, $"Output {o.Output}");
            doc.P($"`{o.Output}` = {o.Definition}{(s.EffectOf.Length > 0 ? $", scenario − scenario without {s.EffectOf}" : "")}. Mean over design points {Amount(o.Mean)}, standard deviation {Amount(o.Sd)}.");
            var header = new List<string> { "parameter" };
            if (o.Sobol is not null) header.AddRange(["S1 [95 %]", "ST [95 %]"]);
            if (o.Morris is not null) header.AddRange(["μ", "μ* [95 %]", "σ"]);
            header.Add("SRC");
            var rows = new List<IReadOnlyList<string>>();
            for (int i = 0; i < ps.Count; i++)
            {
                var row = new List<string> { $"`{paths[i]}`" };
                if (o.Sobol is { } sob) row.AddRange([Ci(sob[i].First), Ci(sob[i].Total)]);
                if (o.Morris is { } mor) row.AddRange([Amount(mor[i].Mu), $"{Amount(mor[i].MuStar.Value)} [{Amount(mor[i].MuStar.Low ?? double.NaN)}, {Amount(mor[i].MuStar.High ?? double.NaN)}]", Amount(mor[i].Sigma)]);
                row.Add(F(o.Src[i]));
                rows.Add(row);
            }
            doc.Table(header, rows, Enumerable.Range(1, header.Count - 1).ToArray());
            if (o.Sobol is { } sobol)
            {
                doc.P(SobolVerdict(sobol, paths, s.Base, ps.Count, s.Replications, out _) +
                      " Indices are shares of the output's variance over the design; an interval that reaches below 0 or that is wide says N is too small to tell.");
                var c = new ChartImage($"sobol_{o.Output}.png", $"Sobol' indices of {o.Output}: first order and total, with bootstrap 95 % intervals",
                    AnalysisCharts.Sobol($"Sobol' indices of {o.Output}", paths, sobol));
                doc.Chart(c);
                charts.Add(c);
            }
            if (o.Morris is { } morris)
            {
                var c = new ChartImage($"morris_{o.Output}.png", $"Morris μ*–σ of {o.Output}: right = influential, high = non-linear or interacting",
                    AnalysisCharts.Morris($"Morris screening of {o.Output}", paths, morris, "output"));
                doc.Chart(c);
                charts.Add(c);
            }
            doc.P($"Standardised regression coefficients: a linear fit of the output on the parameters (z-scores) has R² = {F(o.R2, 2)}" +
                  (o.R2 < 0.7 ? ", so the response is far from linear and the coefficients rank only its linear part." : "; SRC² is then roughly each parameter's share of variance."));
            var me = new ChartImage($"main_effects_{o.Output}.png", $"Main effects on {o.Output}: mean over the design in {result.Options.Bins} bins of each parameter, 95 % intervals",
                AnalysisCharts.MainEffects($"Main effects on {o.Output}", o.Output, paths, o.MainEffects));
            doc.Chart(me);
            charts.Add(me);
            var flat = FlatMainEffects(o);
            if (flat.Count > 0)
                doc.P($"Flat within noise: {string.Join(", ", flat.Select(i => $"`{paths[i]}`"))} — every bin's 95 % interval contains the overall mean " +
                      $"({Amount(o.Mean)}), so the ups and downs of {(flat.Count == 1 ? "its" : "their")} main effect{(flat.Count == 1 ? "" : "s")} are noise, not an effect.");
        }

        doc.H(2, "How the numbers are made");
        doc.List(
        [
            "Sobol' indices (Saltelli designs): S1_i = mean(f(B)·(f(A_B^i) − f(A))) / V (Saltelli 2010), ST_i = mean((f(A) − f(A_B^i))²) / (2V) (Jansen 1999), V the variance of f(A) and f(B) together: the estimators of SALib's analyze/sobol.py.",
            "Intervals: 2.5th and 97.5th percentiles of the estimates over bootstrap resamples of the base points (or of the elementary effects for μ*).",
            "Morris (Morris designs): elementary effect = change of the output / change of the parameter in unit range (±Δ); μ, μ* = mean |effect|, σ (divisor r − 1), as SALib's analyze/morris.py.",
            "Main effects: the output's mean in equal-width bins of each parameter's range, Student-t 95 % interval per bin; SRC: least squares (MathNet QR) on z-scores.",
            "Files: sensitivity.parquet (one row per output × parameter × method, and per bin for main effects), the PNG charts, report.md and this page.",
        ]);

        return new AnalysisReportOutput(doc.ToMarkdown(), doc.ToHtml(), charts, headline);
    }
}
