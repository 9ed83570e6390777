using MarketSim.Output;
using MarketSim.Sweeps;

namespace MarketSim.Analysis;

/// <summary>One row of sensitivity.parquet.</summary>
/// <param name="Output">Named output analysed.</param>
/// <param name="Parameter">Parameter column (empty for a whole-output figure such as the regression's R²).</param>
/// <param name="Method">sobol_first, sobol_total, morris_mu, morris_mu_star, morris_sigma, src, src_r2 or main_effect.</param>
/// <param name="Bin">Main effects: bin index; null otherwise.</param>
/// <param name="X">Main effects: bin centre in the parameter's unit; null otherwise.</param>
/// <param name="Value">Estimate (null for an empty bin).</param>
/// <param name="Low">Lower end of the 95 % interval, when there is one.</param>
/// <param name="High">Upper end.</param>
/// <param name="N">Base points (Sobol'), elementary effects (Morris) or design points (SRC, bins) behind the estimate.</param>
public sealed record SensitivityRow(string Output, string Parameter, string Method, int? Bin, double? X, double? Value, double? Low, double? High, int N);

/// <summary>Everything computed for one named output.</summary>
/// <param name="Output">Output name.</param>
/// <param name="Definition">Its definition as the sweep file gave it.</param>
/// <param name="Mean">Mean over design points.</param>
/// <param name="Sd">Standard deviation over design points.</param>
/// <param name="Sobol">Sobol' indices per parameter (Saltelli designs), else null.</param>
/// <param name="Morris">Morris statistics per parameter (Morris designs), else null.</param>
/// <param name="Src">Standardised regression coefficients per parameter.</param>
/// <param name="R2">R² of the linear fit.</param>
/// <param name="MainEffects">Binned means per parameter.</param>
public sealed record OutputAnalysis(string Output, string Definition, double Mean, double Sd, SobolIndex[]? Sobol, MorrisIndex[]? Morris,
    double[] Src, double R2, (double Centre, Estimate Mean, int Count)[][] MainEffects);

/// <summary>The analysis of a sweep: per output, per parameter.</summary>
/// <param name="Summary">The summary it was computed from.</param>
/// <param name="Options">Options used (bootstrap resamples and seed, bins).</param>
/// <param name="Outputs">Per output.</param>
public sealed record SweepAnalysisResult(SweepSummary Summary, AnalysisOptions Options, IReadOnlyList<OutputAnalysis> Outputs)
{
    /// <summary>Parameters analysed (numeric ones), in file order.</summary>
    public IReadOnlyList<SummaryParameter> Parameters => Summary.Parameters.Where(p => p.Numeric).ToList();

    /// <summary>The result as rows of sensitivity.parquet.</summary>
    public IReadOnlyList<SensitivityRow> Rows()
    {
        var rows = new List<SensitivityRow>();
        var ps = Parameters;
        foreach (var o in Outputs)
        {
            for (int i = 0; i < ps.Count; i++)
            {
                string p = ps[i].Column;
                if (o.Sobol is { } s)
                {
                    rows.Add(new(o.Output, p, "sobol_first", null, null, s[i].First.Value, s[i].First.Low, s[i].First.High, Summary.Base));
                    rows.Add(new(o.Output, p, "sobol_total", null, null, s[i].Total.Value, s[i].Total.Low, s[i].Total.High, Summary.Base));
                }
                if (o.Morris is { } m)
                {
                    rows.Add(new(o.Output, p, "morris_mu", null, null, m[i].Mu, null, null, m[i].Effects));
                    rows.Add(new(o.Output, p, "morris_mu_star", null, null, m[i].MuStar.Value, m[i].MuStar.Low, m[i].MuStar.High, m[i].Effects));
                    rows.Add(new(o.Output, p, "morris_sigma", null, null, m[i].Sigma, null, null, m[i].Effects));
                }
                rows.Add(new(o.Output, p, "src", null, null, o.Src[i], null, null, Summary.Points));
            }
            rows.Add(new(o.Output, "", "src_r2", null, null, o.R2, null, null, Summary.Points));
            for (int i = 0; i < ps.Count; i++)
                for (int b = 0; b < o.MainEffects[i].Length; b++)
                {
                    var (c, e, n) = o.MainEffects[i][b];
                    rows.Add(new(o.Output, ps[i].Column, "main_effect", b, c, double.IsNaN(e.Value) ? null : e.Value, e.Low, e.High, n));
                }
        }
        return rows;
    }
}

/// <summary>
/// Computes a sweep's sensitivity analysis from its summary.parquet: Sobol' indices for a Saltelli design, Morris
/// statistics for a Morris design, and for every design main effects and standardised regression coefficients. Each
/// design point's output is the mean over its replications (which share their seeds across points).
/// </summary>
public static class SweepAnalysis
{
    /// <summary>Analyses a summary with <paramref name="options"/>.</summary>
    /// <exception cref="AnalysisInputException">The design cannot give the estimates it promises (e.g. a failed run in a Saltelli design).</exception>
    public static SweepAnalysisResult Analyse(SweepSummary summary, AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(options);
        if (summary.Outputs.Count == 0) throw new AnalysisInputException($"sweep {summary.Name} has no named outputs to analyse");
        var ps = summary.Parameters.Where(p => p.Numeric).ToList();
        if (ps.Count == 0) throw new AnalysisInputException($"sweep {summary.Name} has no numeric parameter to analyse");
        int k = ps.Count;
        var results = new List<OutputAnalysis>();
        var x = ps.Select(summary.PointValues).ToArray();
        foreach (var (name, definition) in summary.Outputs)
        {
            var means = summary.PointMeans(name);
            var missing = Enumerable.Range(0, means.Length).Where(p => means[p] is null).ToArray();
            SobolIndex[]? sobol = null;
            MorrisIndex[]? morris = null;
            if (summary.Design is "saltelli" or "morris" && missing.Length > 0)
                throw new AnalysisInputException($"{(summary.Folder.Length > 0 ? summary.Folder + ": " : "")}output {name}: design point{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing.Take(5))}{(missing.Length > 5 ? ", …" : "")} " +
                                                 $"ha{(missing.Length > 1 ? "ve" : "s")} no successful run; a {summary.Design} design needs every point: rerun the sweep (it resumes) once the failures are fixed");
            var ok = Enumerable.Range(0, means.Length).Where(p => means[p] is not null).ToArray();
            var y = ok.Select(p => means[p]!.Value).ToArray();
            var xs = x.Select(col => ok.Select(p => col[p]).ToArray()).ToArray();
            if (summary.Design == "saltelli")
            {
                int block = Designs.SaltelliBlock(k, summary.SecondOrder);
                int n = summary.Base;
                var all = means.Select(v => v!.Value).ToArray();
                var yA = Enumerable.Range(0, n).Select(i => all[i * block]).ToArray();
                var yB = Enumerable.Range(0, n).Select(i => all[i * block + block - 1]).ToArray();
                var yAB = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, n).Select(i => all[i * block + 1 + j]).ToArray()).ToArray();
                sobol = Estimators.Sobol(yA, yB, yAB, options.Bootstrap, options.Seed);
            }
            else if (summary.Design == "morris")
            {
                var units = Designs.Morris(summary.Base, k, summary.Levels, summary.DesignSeed);
                var ee = Estimators.ElementaryEffects(units, means.Select(v => v!.Value).ToArray(), k);
                // As SALib: effects per unit-cube step (the output's change over the whole range × Δ), so inputs of
                // different units rank on one scale.
                morris = Estimators.Morris(ee, options.Bootstrap, options.Seed);
            }
            var (src, r2) = Estimators.StandardisedRegression(xs, y);
            var main = Enumerable.Range(0, k).Select(i =>
                Estimators.MainEffect(xs[i], y, ps[i].Min ?? xs[i].Min(), ps[i].Max ?? xs[i].Max(), options.Bins)).ToArray();
            double mean = y.Length > 0 ? y.Average() : double.NaN;
            double sd = y.Length > 1 ? MathNet.Numerics.Statistics.ArrayStatistics.StandardDeviation(y) : 0;
            results.Add(new OutputAnalysis(name, definition, mean, sd, sobol, morris, src, r2, main));
        }
        return new SweepAnalysisResult(summary, options, results);
    }

    /// <summary>sensitivity.parquet's columns: one row per output × parameter × method (× bin for main effects).</summary>
    private static readonly OneShotTable<SensitivityRow> SensitivityTable = new OneShotTable<SensitivityRow>()
        .StringColumn("output", r => r.Output)
        .StringColumn("parameter", r => r.Parameter)
        .StringColumn("method", r => r.Method)
        .NullableIntColumn("bin", r => r.Bin)
        .NullableDoubleColumn("x", r => r.X)
        .NullableDoubleColumn("estimate", r => r.Value)
        .NullableDoubleColumn("ci_low", r => r.Low)
        .NullableDoubleColumn("ci_high", r => r.High)
        .IntColumn("n", r => r.N);

    /// <summary>Writes sensitivity.parquet (directly; callers write to a hidden folder and rename).</summary>
    public static async Task WriteParquetAsync(string path, SweepAnalysisResult result, string programVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var metadata = new Dictionary<string, string>
        {
            ["marketsim.version"] = programVersion,
            ["marketsim.kind"] = "sensitivity",
            ["marketsim.sweep_name"] = result.Summary.Name,
            ["marketsim.design"] = result.Summary.Design,
            ["marketsim.bootstrap"] = o.Bootstrap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["marketsim.bootstrap_seed"] = o.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["marketsim.bins"] = o.Bins.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["marketsim.confidence"] = "0.95",
        };
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        await SensitivityTable.WriteAsync(stream, result.Rows(), metadata, ct).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }
}
