using MarketSim.Analysis;
using MarketSim.Output;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>
/// The analysis as `marketsim analyze` runs it, in this process: a summary.parquet written here (every value and every
/// metadata key known), read back by <see cref="SweepSummary.ReadAsync"/>, analysed and written by
/// <see cref="AnalysisWriter.RunAsync"/>. The CLI tests run the same code in a child process, which Stryker's per-test
/// coverage does not see (issue 32, item 6); here each field read, each refusal of damaged metadata and each sentence
/// of the report is checked against what the file says.
/// </summary>
public sealed class SummaryFileAnalysisTests : IDisposable
{
    private readonly string _work = MarketSimProcess.NewTempFolder("marketsim-analysis-summary");

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    /// <summary>The columns of sensitivity.parquet these tests read (the writer's reader reads only the columns it names).</summary>
    private static readonly OneShotTable<int> SensitivityColumns = new OneShotTable<int>()
        .StringColumn("parameter", _ => "").StringColumn("method", _ => "").NullableDoubleColumn("estimate", _ => null);

    private sealed record SRow(int Run, int Point, string Status, double[] Params, double?[] Outputs);

    // A Morris design of r = 3 trajectories over k = 2 parameters on [0, 3], 4 levels (unit steps of 1/3, Δ = 2/3), two
    // replications per point: y = 3·x1 − 2·x2 ± 1 (the ±1 cancels in each point's mean). Elementary effects per unit
    // step of the range: 3·3 = 9 for x1 and −2·3 = −6 for x2, the same in every trajectory (σ = 0).
    private const int R = 3, K = 2, Levels = 4, Reps = 2;
    private const ulong DesignSeed = 7;

    private static Dictionary<string, string> MorrisMetadata() => new()
    {
        ["marketsim.version"] = "test",
        ["marketsim.kind"] = "sweep_summary",
        ["marketsim.sweep_name"] = "lin",
        ["marketsim.sweep"] = "name: lin\n",
        ["marketsim.design"] = "morris",
        ["marketsim.design_points"] = (R * (K + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["marketsim.design_base"] = "3",
        ["marketsim.design_levels"] = "4",
        ["marketsim.design_second_order"] = "false",
        ["marketsim.design_seed"] = "7",
        ["marketsim.replications"] = "2",
        ["marketsim.parameters"] = "x1\tp.x1\t0\t3\nx2\tp.x2\t0\t3",
        ["marketsim.outputs"] = "y\tmetric: gmv, at: end",
        ["marketsim.effect_of"] = "",
        ["marketsim.analysis"] = "after_sweep=false;bootstrap=50;seed=3;bins=2",
    };

    private static SRow[] MorrisRows(double[][]? units = null)
    {
        units ??= Designs.Morris(R, K, Levels, DesignSeed);
        var rows = new List<SRow>();
        for (int p = 0; p < units.Length; p++)
            for (int rep = 0; rep < Reps; rep++)
            {
                double x1 = units[p][0] * 3, x2 = units[p][1] * 3;
                rows.Add(new SRow(rows.Count, p, "ok", [x1, x2], [3 * x1 - 2 * x2 + (rep == 0 ? 1 : -1)]));
            }
        return [.. rows];
    }

    private async Task<string> WriteSummaryAsync(string name, Dictionary<string, string> metadata, SRow[] rows,
        string[]? paramColumns = null, string[]? outputColumns = null, bool longPoint = false, bool intFirstParameter = false)
    {
        paramColumns ??= ["x1", "x2"];
        outputColumns ??= ["y"];
        string folder = Path.Combine(_work, name);
        Directory.CreateDirectory(folder);
        var table = new OneShotTable<SRow>().IntColumn("run", r => r.Run);
        if (longPoint) table.LongColumn("point", r => r.Point); else table.IntColumn("point", r => r.Point);
        for (int i = 0; i < paramColumns.Length; i++)
        {
            int c = i;
            if (c == 0 && intFirstParameter) table.IntColumn(paramColumns[c], r => (int)r.Params[c]);
            else table.DoubleColumn(paramColumns[c], r => r.Params[c]);
        }
        table.StringColumn("status", r => r.Status);
        for (int j = 0; j < outputColumns.Length; j++)
        {
            int c = j;
            table.NullableDoubleColumn(outputColumns[c], r => r.Outputs[c]);
        }
        await table.WriteAsync(Path.Combine(folder, SummaryTable.FileName), rows, metadata);
        return folder;
    }

    [Fact]
    public async Task ReadAsync_MorrisSummary_EveryFieldIsWhatTheFileSays()
    {
        var rows = MorrisRows();
        string folder = await WriteSummaryAsync("read", MorrisMetadata(), rows, longPoint: true);
        var s = await SweepSummary.ReadAsync(folder);
        Assert.Equal(("lin", "morris", 9, 3, 4, false, 7UL, 2, ""), (s.Name, s.Design, s.Points, s.Base, s.Levels, s.SecondOrder, s.DesignSeed, s.Replications, s.EffectOf));
        Assert.Equal(new AnalysisOptions(false, 50, 3, 2), s.Options);
        Assert.Equal("name: lin\n", s.ResolvedSweep);
        Assert.Equal(folder, s.Folder);
        Assert.Equal([("y", "metric: gmv, at: end")], s.Outputs);
        Assert.Equal(rows.Select(r => r.Point), s.Point);
        Assert.Equal(Enumerable.Repeat("ok", 18), s.Status);
        Assert.Equal(rows.Select(r => r.Outputs[0]), s.Values["y"]);
        Assert.Equal(2, s.Parameters.Count);
        for (int i = 0; i < 2; i++)
        {
            var p = s.Parameters[i];
            Assert.Equal(($"x{i + 1}", $"p.x{i + 1}", (double?)0, (double?)3, true), (p.Column, p.Path, p.Min, p.Max, p.Numeric));
            Assert.Equal(rows.Select(r => r.Params[i]), p.Values);
        }
        // Each point's mean over its two replications (+1 and −1 around 3·x1 − 2·x2), and each point's parameter value.
        var units = Designs.Morris(R, K, Levels, DesignSeed);
        var means = s.PointMeans("y");
        var x1 = s.PointValues(s.Parameters[0]);
        for (int p = 0; p < 9; p++)
        {
            Assert.Equal(units[p][0] * 3, x1[p]);
            Assert.Equal(3 * units[p][0] * 3 - 2 * units[p][1] * 3, means[p]!.Value, 12);
        }
    }

    [Fact]
    public async Task ReadAsync_TextAndIntegerParameters_TextIsNotNumericAndIntegersAreNumbers()
    {
        var meta = MorrisMetadata();
        meta["marketsim.design"] = "grid";
        meta["marketsim.parameters"] = "x1\tp.x1\t\t\nname\tp.name\t\t";
        var rows = MorrisRows().Select(r => r with { Params = [Math.Round(r.Params[0]), 0] }).ToArray();
        string folder = Path.Combine(_work, "text");
        Directory.CreateDirectory(folder);
        var table = new OneShotTable<SRow>().IntColumn("run", r => r.Run).IntColumn("point", r => r.Point)
            .IntColumn("x1", r => (int)r.Params[0]).StringColumn("name", r => "a").StringColumn("status", r => r.Status)
            .NullableDoubleColumn("y", r => r.Outputs[0]);
        await table.WriteAsync(Path.Combine(folder, SummaryTable.FileName), rows, meta);
        var s = await SweepSummary.ReadAsync(folder);
        Assert.Equal(((double?)null, (double?)null, true), (s.Parameters[0].Min, s.Parameters[0].Max, s.Parameters[0].Numeric));
        Assert.Equal(rows.Select(r => Math.Round(r.Params[0])), s.Parameters[0].Values);
        Assert.False(s.Parameters[1].Numeric);
        Assert.All(s.Parameters[1].Values, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public async Task RunAsync_MorrisSummary_WritesTheFolderWithTheEffectsAndTheReportSaysWhatWasAnalysed()
    {
        string folder = await WriteSummaryAsync("run", MorrisMetadata(), MorrisRows());
        var report = await AnalysisWriter.RunAsync(folder, null, "9.9-test");

        string analysis = Path.Combine(folder, AnalysisWriter.FolderName);
        Assert.Equal(["_SUCCESS", "main_effects_y.png", "morris_y.png", "report.html", "report.md", "sensitivity.parquet"],
            Directory.GetFiles(analysis).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Nothing else left in the sweep folder (the hidden folder it was written in is gone).
        Assert.Equal(["analysis"], Directory.GetDirectories(folder).Select(Path.GetFileName));
        Assert.Equal(["main_effects_y.png", "morris_y.png"], report.Charts.Select(c => c.FileName).Order(StringComparer.Ordinal));
        foreach (var c in report.Charts) Assert.Equal(c.Png, File.ReadAllBytes(Path.Combine(analysis, c.FileName)));
        // UTF-8 without a byte-order mark (File.ReadAllText would hide one).
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(report.Markdown), File.ReadAllBytes(Path.Combine(analysis, "report.md")));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(report.Html), File.ReadAllBytes(Path.Combine(analysis, "report.html")));
        Assert.Empty(File.ReadAllBytes(Path.Combine(analysis, "_SUCCESS")));

        var table = await SensitivityColumns.ReadAsync(Path.Combine(analysis, AnalysisWriter.ParquetFileName));
        Assert.Equal("9.9-test", table.Metadata["marketsim.version"]);
        Assert.Equal(("sensitivity", "lin", "morris", "50", "3", "2", "0.95"), (table.Metadata["marketsim.kind"], table.Metadata["marketsim.sweep_name"],
            table.Metadata["marketsim.design"], table.Metadata["marketsim.bootstrap"], table.Metadata["marketsim.bootstrap_seed"], table.Metadata["marketsim.bins"],
            table.Metadata["marketsim.confidence"]));
        var method = table.Get<string>("method");
        var parameter = table.Get<string>("parameter");
        var estimate = table.Get<double?>("estimate");
        double Est(string p, string m) => estimate[Enumerable.Range(0, table.Rows).Single(i => parameter[i] == p && method[i] == m)]!.Value;
        Assert.Equal(9, Est("x1", "morris_mu"), 9);
        Assert.Equal(-6, Est("x2", "morris_mu"), 9);
        Assert.Equal(9, Est("x1", "morris_mu_star"), 9);
        Assert.Equal(6, Est("x2", "morris_mu_star"), 9);
        Assert.Equal(0, Est("x1", "morris_sigma"), 9);
        Assert.Equal(1, Est("", "src_r2"), 9);

        // The headline: parameters by μ*, each with its σ (0 up to rounding).
        var h = Assert.Single(report.Headline);
        Assert.StartsWith("y: p.x1 μ* 9 (σ ", h);
        Assert.Contains("; p.x2 μ* 6 (σ ", h);
        string md = report.Markdown;
        Assert.Contains("Sensitivity of sweep lin", md);
        Assert.Contains("The outputs are levels of the scenario (no baseline arm).", md);
        Assert.Contains("Design **morris**: 9 points × 2 replications (r = 3 trajectories, p = 4 levels, Δ = 0.667)", md);
        Assert.Contains("Parameters: `p.x1` 0.000–3.000, `p.x2` 0.000–3.000", md);
        Assert.Contains("Outputs: `y` = metric: gmv, at: end", md);
        Assert.Contains("Bootstrap: 50 resamples, seed 3 (the same data give the same intervals); main effects in 2 bins. Program 9.9-test.", md);
        Assert.Contains("`y` = metric: gmv, at: end. Mean over design points", md);
        Assert.Contains("has R² = 1.00; SRC² is then roughly each parameter's share of variance.", md);
        Assert.Contains("μ* [95 %]", md);
        Assert.DoesNotContain("S1 [95 %]", md);
        Assert.Contains("Main effects on y: mean over the design in 2 bins of each parameter, 95 % intervals", md);
        Assert.Contains("Morris μ*–σ of y: right = influential, high = non-linear or interacting", md);
        Assert.Contains("<html", report.Html);
        Assert.Contains("Design <strong>morris</strong>", report.Html);
    }

    [Fact]
    public async Task RunAsync_Twice_ReplacesTheAnalysisAndOptionsOverrideTheFiles()
    {
        string folder = await WriteSummaryAsync("again", MorrisMetadata(), MorrisRows());
        await AnalysisWriter.RunAsync(folder, null, "v1");
        File.WriteAllText(Path.Combine(folder, AnalysisWriter.FolderName, "stale.txt"), "from the first analysis");
        var report = await AnalysisWriter.RunAsync(folder, new AnalysisOptions(false, 20, 11, 3), "v2");
        Assert.False(File.Exists(Path.Combine(folder, AnalysisWriter.FolderName, "stale.txt")));
        Assert.Equal(["analysis"], Directory.GetDirectories(folder).Select(Path.GetFileName));
        var table = await SensitivityColumns.ReadAsync(Path.Combine(folder, AnalysisWriter.FolderName, AnalysisWriter.ParquetFileName));
        Assert.Equal(("20", "11", "3", "v2"), (table.Metadata["marketsim.bootstrap"], table.Metadata["marketsim.bootstrap_seed"], table.Metadata["marketsim.bins"], table.Metadata["marketsim.version"]));
        Assert.Equal(3, table.Get<string>("method").Count(m => m == "main_effect") / 2);
        Assert.Contains("Bootstrap: 20 resamples, seed 11", report.Markdown);
    }

    [Fact]
    public async Task RunAsync_SaltelliWithBaselineArm_SobolRowsAndChart_AndTheEffectIsNamed()
    {
        // Saltelli, N = 16 base points over two parameters on [0, 1], y = x1 + 2·x2: additive, so S1 = ST (1/5 and 4/5).
        const int n = 16;
        var units = Designs.Saltelli(n, K, secondOrder: false);
        var meta = MorrisMetadata();
        meta["marketsim.design"] = "saltelli";
        meta["marketsim.design_points"] = (n * (K + 2)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        meta["marketsim.design_base"] = "16";
        meta["marketsim.design_levels"] = "0";
        meta["marketsim.replications"] = "1";
        meta["marketsim.parameters"] = "x1\tp.x1\t0\t1\nx2\tp.x2\t0\t1";
        meta["marketsim.effect_of"] = "alliances.jd";
        var rows = units.Select((u, p) => new SRow(p, p, "ok", [u[0], u[1]], [u[0] + 2 * u[1], u[0] + 2 * u[1] + 5, 5])).ToArray();
        string folder = await WriteSummaryAsync("saltelli", meta, rows, outputColumns: ["y", "y_scenario", "y_baseline"]);
        var s = await SweepSummary.ReadAsync(folder);
        Assert.Equal(["y", "y_baseline", "y_scenario"], s.Values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("alliances.jd", s.EffectOf);

        var report = await AnalysisWriter.RunAsync(folder, null, "t");
        Assert.Contains(report.Charts, c => c.FileName == "sobol_y.png");
        Assert.DoesNotContain(report.Charts, c => c.FileName.StartsWith("morris", StringComparison.Ordinal));
        Assert.Contains("switched off; the outputs are the differences (the effect)", report.Markdown);
        Assert.Contains("**alliances.jd**", report.Markdown);
        Assert.Contains(", scenario − scenario without alliances.jd.", report.Markdown);
        Assert.Contains("(N = 16 base points, k = 2: N·(k+2))", report.Markdown);
        Assert.Contains("S1 [95 %]", report.Markdown);
        Assert.StartsWith("y: p.x2 ST ", Assert.Single(report.Headline));

        var result = SweepAnalysis.Analyse(s, s.Options);
        var rowsOut = result.Rows();
        Assert.Equal(K, rowsOut.Count(r => r.Method == "sobol_first"));
        Assert.All(rowsOut.Where(r => r.Method.StartsWith("sobol", StringComparison.Ordinal)), r => Assert.Equal(n, r.N));
        Assert.DoesNotContain(rowsOut, r => r.Method.StartsWith("morris", StringComparison.Ordinal));
    }

    public static TheoryData<string, string?, string> DamagedMetadata => new()
    {
        { "marketsim.design", null, "key-value metadata marketsim.design missing" },
        { "marketsim.design", "box", "marketsim.design = 'box': expected grid, random, lhs, sobol, saltelli, morris or points" },
        { "marketsim.design_points", "0", "marketsim.design_points = '0': expected a whole number from 1 to 10000000" },
        { "marketsim.design_points", "10000001", "marketsim.design_points = '10000001': expected a whole number from 1 to 10000000" },
        { "marketsim.design_points", "nine", "marketsim.design_points = 'nine'" },
        { "marketsim.design_base", "-1", "marketsim.design_base = '-1': expected a whole number from 0 to 10000000" },
        { "marketsim.design_levels", "1001", "marketsim.design_levels = '1001': expected a whole number from 0 to 1000" },
        { "marketsim.replications", "0", "marketsim.replications = '0': expected a whole number from 1 to 100000000" },
        { "marketsim.design_second_order", "yes", "marketsim.design_second_order = 'yes': expected true or false" },
        { "marketsim.design_seed", "-7", "marketsim.design_seed = '-7': expected a whole number from 0 to 18446744073709551615" },
        { "marketsim.parameters", "x1\tp.x1\t0", "expected 'column, path, min, max' separated by tabs, found 'x1\tp.x1\t0'" },
        { "marketsim.parameters", "\tp.x1\t0\t3", "expected 'column, path, min, max'" },
        { "marketsim.parameters", "x1\tp.x1\tlow\t3\nx2\tp.x2\t0\t3", "parameter x1: 'low' is not a number" },
        { "marketsim.parameters", "x1\tp.x1\t0\tInfinity\nx2\tp.x2\t0\t3", "parameter x1: 'Infinity' is not a number" },
        { "marketsim.parameters", "x1\tp.x1\t0\t3\nx1\tp.x1\t0\t3", "names a column twice" },
        { "marketsim.parameters", "x1\tp.x1\t0\t3\nx3\tp.x3\t0\t3", "column 'x3': missing (a parameter the metadata names)" },
        { "marketsim.outputs", "y", "expected 'name, definition' separated by a tab, found 'y'" },
        { "marketsim.outputs", "\tdefinition", "expected 'name, definition'" },
        { "marketsim.outputs", "z\tmetric: gmv", "column 'z': missing (an output the metadata names)" },
        { "marketsim.analysis", "after_sweep=false;bootstrap=9;seed=3;bins=2", "marketsim.analysis: bootstrap expected a whole number from 10 to 100000" },
        { "marketsim.analysis", "after_sweep=false;bootstrap=100001;seed=3;bins=2", "bootstrap expected a whole number from 10 to 100000" },
        { "marketsim.analysis", "after_sweep=false;bootstrap=50;seed=3;bins=1", "marketsim.analysis: bins expected a whole number from 2 to 100" },
        { "marketsim.analysis", "after_sweep=false;bootstrap=50;seed=3;bins=101", "bins expected a whole number from 2 to 100" },
        { "marketsim.analysis", "after_sweep=false;bootstrap=50;bins=2", "marketsim.analysis: seed expected a whole number" },
        { "marketsim.analysis", "after_sweep=false;bootstrap=50;seed=x;bins=2", "marketsim.analysis: seed expected a whole number" },
        { "marketsim.design_points", "8", "column 'point': row 17: 8 is not a design point (the metadata's design has points 0 to 7)" },
        { "marketsim.design_levels", "3", "inconsistent design metadata: a morris design of 3 trajectories over 2 parameters (levels 3) has 9 points, the metadata says 9" },
        { "marketsim.design_levels", "1", "(levels 1) has 9 points" },
        { "marketsim.design_base", "4", "a morris design of 4 trajectories over 2 parameters (levels 4) has 12 points, the metadata says 9" },
        { "marketsim.design_base", "0", "a morris design of 0 trajectories over 2 parameters (levels 4) has 0 points" },
        { "marketsim.design", "saltelli", "inconsistent design metadata: a saltelli design of base 3 over 2 parameters has 12 points, the metadata says 9" },
    };

    [Theory]
    [MemberData(nameof(DamagedMetadata))]
    public async Task ReadAsync_DamagedMetadata_RefusedWithTheKeyAndWhatWasExpected(string key, string? value, string message)
    {
        var meta = MorrisMetadata();
        if (value is null) meta.Remove(key); else meta[key] = value;
        string folder = await WriteSummaryAsync("damaged", meta, MorrisRows());
        var e = await Assert.ThrowsAsync<AnalysisInputException>(() => SweepSummary.ReadAsync(folder));
        Assert.Contains(message, e.Message);
        Assert.Contains(SummaryTable.FileName, e.Message);
    }

    [Fact]
    public async Task ReadAsync_SecondOrderSaltelli_CountsTheSecondOrderRows()
    {
        // N·(2k + 2) = 3·6 = 18 points with second-order rows; the same metadata without them promises 3·4 = 12.
        var meta = MorrisMetadata();
        meta["marketsim.design"] = "saltelli";
        meta["marketsim.design_second_order"] = "true";
        meta["marketsim.design_points"] = "18";
        var rows = Enumerable.Range(0, 18).Select(p => new SRow(p, p, "ok", [p % 3, p % 5], [p])).ToArray();
        var s = await SweepSummary.ReadAsync(await WriteSummaryAsync("second", meta, rows));
        Assert.True(s.SecondOrder);
        meta["marketsim.design_second_order"] = "false";
        var e = await Assert.ThrowsAsync<AnalysisInputException>(async () => await SweepSummary.ReadAsync(await WriteSummaryAsync("first", meta, rows)));
        Assert.Contains("a saltelli design of base 3 over 2 parameters has 12 points, the metadata says 18", e.Message);
    }

    [Fact]
    public async Task ReadAsync_NoRows_OrNegativePoint_Refused()
    {
        var e = await Assert.ThrowsAsync<AnalysisInputException>(async () => await SweepSummary.ReadAsync(await WriteSummaryAsync("empty", MorrisMetadata(), [])));
        Assert.Contains("has no rows", e.Message);
        var rows = MorrisRows();
        rows[0] = rows[0] with { Point = -1 };
        e = await Assert.ThrowsAsync<AnalysisInputException>(async () => await SweepSummary.ReadAsync(await WriteSummaryAsync("negative", MorrisMetadata(), rows)));
        Assert.Contains("row 1: -1 is not a design point", e.Message);
    }

    [Fact]
    public async Task ReadAsync_NoFolder_NoSummary_OrRunsOnly_EachSaysWhich()
    {
        string missing = Path.Combine(_work, "nothing-here");
        var e = await Assert.ThrowsAsync<AnalysisInputException>(() => SweepSummary.ReadAsync(missing));
        Assert.Equal($"{missing}: no such folder", e.Message);
        string empty = Path.Combine(_work, "empty-folder");
        Directory.CreateDirectory(empty);
        e = await Assert.ThrowsAsync<AnalysisInputException>(() => SweepSummary.ReadAsync(empty));
        Assert.Equal($"{empty}: not a sweep folder (no runs.parquet, no summary.parquet)", e.Message);
        File.WriteAllBytes(Path.Combine(empty, "runs.parquet"), []);
        e = await Assert.ThrowsAsync<AnalysisInputException>(() => SweepSummary.ReadAsync(empty));
        Assert.StartsWith($"{empty}: the sweep has no summary.parquet: its file names no outputs", e.Message);
    }

    [Fact]
    public async Task Analyse_MorrisWithAFailedPoint_RefusedNamingThePoint_AndOtherDesignsSkipIt()
    {
        var rows = MorrisRows().Select(r => r.Point == 4 ? r with { Status = "failed", Outputs = [null] } : r).ToArray();
        var s = await SweepSummary.ReadAsync(await WriteSummaryAsync("failed", MorrisMetadata(), rows));
        Assert.Null(s.PointMeans("y")[4]);
        var e = Assert.Throws<AnalysisInputException>(() => SweepAnalysis.Analyse(s, s.Options));
        Assert.Contains("output y: design point 4 has no successful run; a morris design needs every point", e.Message);
        Assert.StartsWith(s.Folder + ": ", e.Message);

        var many = MorrisRows().Select(r => r.Point < 7 ? r with { Status = "failed", Outputs = [null] } : r).ToArray();
        var s7 = await SweepSummary.ReadAsync(await WriteSummaryAsync("failed7", MorrisMetadata(), many));
        e = Assert.Throws<AnalysisInputException>(() => SweepAnalysis.Analyse(s7, s7.Options));
        Assert.Contains("design points 0, 1, 2, 3, 4, … have no successful run", e.Message);

        // A grid has no design arithmetic to break: the failed point is left out of the mean and the regression.
        var meta = MorrisMetadata();
        meta["marketsim.design"] = "grid";
        var g = await SweepSummary.ReadAsync(await WriteSummaryAsync("grid-failed", meta, rows));
        var o = Assert.Single(SweepAnalysis.Analyse(g, g.Options).Outputs);
        var units = Designs.Morris(R, K, Levels, DesignSeed);
        var y = Enumerable.Range(0, 9).Where(p => p != 4).Select(p => 9 * units[p][0] - 6 * units[p][1]).ToArray();
        Assert.Equal(y.Average(), o.Mean, 10);
        Assert.Equal(MathNet.Numerics.Statistics.ArrayStatistics.StandardDeviation(y), o.Sd, 10);
        Assert.Null(o.Morris);
        Assert.Null(o.Sobol);
    }

    [Fact]
    public async Task Analyse_NoOutputs_OrNoNumericParameter_Refused()
    {
        var s = await SweepSummary.ReadAsync(await WriteSummaryAsync("ok", MorrisMetadata(), MorrisRows()));
        var noOutputs = new SweepSummary
        {
            Name = s.Name,
            Design = "grid",
            Points = s.Points,
            Base = s.Base,
            Levels = s.Levels,
            SecondOrder = false,
            DesignSeed = 0,
            Replications = 2,
            EffectOf = "",
            Options = s.Options,
            Parameters = s.Parameters,
            Outputs = [],
            Point = s.Point,
            Status = s.Status,
            Values = s.Values,
            ResolvedSweep = "",
        };
        Assert.Equal("sweep lin has no named outputs to analyse", Assert.Throws<AnalysisInputException>(() => SweepAnalysis.Analyse(noOutputs, s.Options)).Message);
        var noNumbers = new SweepSummary
        {
            Name = s.Name,
            Design = "grid",
            Points = s.Points,
            Base = s.Base,
            Levels = s.Levels,
            SecondOrder = false,
            DesignSeed = 0,
            Replications = 2,
            EffectOf = "",
            Options = s.Options,
            Outputs = s.Outputs,
            Point = s.Point,
            Status = s.Status,
            Values = s.Values,
            ResolvedSweep = "",
            Parameters = [new SummaryParameter("name", "p.name", null, null, Enumerable.Repeat(double.NaN, s.Point.Length).ToArray())],
        };
        Assert.Equal("sweep lin has no numeric parameter to analyse", Assert.Throws<AnalysisInputException>(() => SweepAnalysis.Analyse(noNumbers, s.Options)).Message);
    }
}
