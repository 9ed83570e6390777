using System.Globalization;
using MarketSim.Compare;

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
                headline.Add($"{o.Output}: " + string.Join("; ", order.Select(i => $"{paths[i]} ST {Ci(sob[i].Total, 2)}, S1 {Ci(sob[i].First, 2)}")));
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
                double sumS1 = sobol.Sum(x => x.First.Value);
                doc.P($"The first-order indices add up to {F(sumS1, 2)}: {(sumS1 > 0.9 ? "the parameters act almost additively" : $"about {F(Math.Max(0, 1 - sumS1) * 100, 0)} % of the variance comes from interactions (ST − S1 shows whose)")}. " +
                      "Indices are shares of the output's variance over the design; an interval that reaches below 0 or that is wide says N is too small to tell.");
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
