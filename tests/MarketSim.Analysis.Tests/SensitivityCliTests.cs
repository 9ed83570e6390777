using System.Diagnostics;
using MarketSim.Analysis;
using Parquet;

namespace MarketSim.Tests;

/// <summary>A small Saltelli sweep of the alliance's effect, analysed at its end: the reference the tests below read.</summary>
public sealed class SensitivitySweep : IDisposable
{
    public const string Yaml = """
        name: sens-cli
        scenario: SCENARIO
        parameters:
          alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}
          behaviour.attention: {min: 0.02, max: 0.08}
          behaviour.inertia: {min: 2, max: 4}
        design: {type: saltelli, base: 4}
        replications: 2
        master_seed: 11
        agents: 3000
        overrides: {population.cohorts_per_tier: 64, calendar.start: 2020-04-06, calendar.steps: 20}
        effect_of: alliances.jd-kuaishou
        outputs:
          metrics: true
          jd_gain: {metric: annual_active, platforms: [jd], tiers: [t3, t4, t5, t6], at: end}
          ks_share: {metric: primary_share, platforms: [kuaishou], from: 2020-06-01, to: 2020-07-31}
          jd_before: {metric: annual_active, platforms: [jd], at: 2020-05-18}
        analysis: {after_sweep: true, bootstrap: 100}
        """;

    public SensitivitySweep()
    {
        Work = MarketSimProcess.NewTempFolder("marketsim-analysis-tests");
        SweepFile = Path.Combine(Work, "sweep.yaml");
        File.WriteAllText(SweepFile, Yaml.Replace("SCENARIO", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")));
        Output = Path.Combine(Work, "out");
        Result = MarketSimProcess.Run(Work, "sweep", SweepFile, "--out", Output, "--parallel-runs", "2");
    }

    public string Work { get; }

    public string SweepFile { get; }

    public string Output { get; }

    internal MarketSimProcess.Result Result { get; }

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }
}

public class SensitivityCliTests(SensitivitySweep sweep) : IClassFixture<SensitivitySweep>
{
    private void AssertSweepOk() => Assert.True(sweep.Result.ExitCode == 0, sweep.Result.StdOut + sweep.Result.StdErr);

    [Fact]
    public async Task Sweep_EffectOfAlliance_ZeroBeforeItStartsAndNonZeroAfter()
    {
        AssertSweepOk();
        var summary = await SweepSummary.ReadAsync(sweep.Output);
        Assert.Equal(20, summary.Points);
        Assert.Equal(40, summary.Status.Length);
        Assert.All(summary.Status, s => Assert.Equal("ok", s));
        // Common random numbers: the two arms are bit-identical until the alliance acts (from 1 June 2020).
        Assert.All(summary.Values["jd_before"], v => Assert.Equal(0.0, v));
        Assert.All(summary.Values["jd_before_scenario"], v => Assert.True(v > 0));
        Assert.Contains(summary.Values["jd_gain"], v => v != 0);
        for (int i = 0; i < 40; i++)
            Assert.Equal(summary.Values["jd_gain_scenario"][i]!.Value - summary.Values["jd_gain_baseline"][i]!.Value, summary.Values["jd_gain"][i]!.Value);
    }

    [NodeFact]
    public void Sweep_Summary_MatchesTheRunsParquetRecomputedByDuckDb()
    {
        AssertSweepOk();
        var check = NodeTools.Run(NodeTools.DuckDb, "summary-check.mjs", sweep.Output);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("jd_gain_baseline: 40 runs recomputed from baseline_metrics match", check.Output);
        Assert.Contains("ks_share_scenario: 40 runs recomputed from metrics match", check.Output);
        Assert.Contains("all checks passed", check.Output);
    }

    [Fact]
    public async Task Sweep_AnalysisAfterSweep_WritesParquetChartsAndOneSelfContainedPage()
    {
        AssertSweepOk();
        string folder = Path.Combine(sweep.Output, AnalysisWriter.FolderName);
        Assert.True(File.Exists(Path.Combine(folder, "_SUCCESS")));
        Assert.Contains("jd_gain: ", sweep.Result.StdOut);
        Assert.Contains("Analysis written to", sweep.Result.StdOut);
        string html = await File.ReadAllTextAsync(Path.Combine(folder, "report.html"));
        var pngs = Directory.GetFiles(folder, "*.png").Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal(["main_effects_jd_before.png", "main_effects_jd_gain.png", "main_effects_ks_share.png",
            "sobol_jd_before.png", "sobol_jd_gain.png", "sobol_ks_share.png"], pngs);
        Assert.Equal(pngs.Length, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<link", html);
        string md = await File.ReadAllTextAsync(Path.Combine(folder, "report.md"));
        Assert.All(pngs, p => Assert.Contains($"]({p})", md));

        var rows = await ReadSensitivityAsync(Path.Combine(folder, AnalysisWriter.ParquetFileName));
        foreach (var output in new[] { "jd_gain", "ks_share" })
            foreach (var p in new[] { "alliances_jd_kuaishou_traffic_0_share", "behaviour_attention", "behaviour_inertia" })
            {
                Assert.Single(rows, r => r.Output == output && r.Parameter == p && r.Method == "sobol_first");
                var total = Assert.Single(rows, r => r.Output == output && r.Parameter == p && r.Method == "sobol_total");
                Assert.True(total.Low <= total.Value && total.Value <= total.High, $"{output}/{p}: {total}");
                Assert.Equal(5, rows.Count(r => r.Output == output && r.Parameter == p && r.Method == "main_effect"));
            }
        // An output the parameters cannot move (the effect before the alliance starts is exactly 0) gets index 0.
        Assert.All(rows.Where(r => r.Output == "jd_before" && r.Method.StartsWith("sobol", StringComparison.Ordinal)), r => Assert.Equal(0.0, r.Value));
    }

    [Fact]
    public async Task Analyze_Again_SameBytes_AndAnotherSeedMovesOnlyTheIntervals()
    {
        AssertSweepOk();
        string first = Path.Combine(sweep.Output, AnalysisWriter.FolderName, AnalysisWriter.ParquetFileName);
        byte[] before = await File.ReadAllBytesAsync(first);
        var again = await MarketSimProcess.RunAsync(sweep.Work, null, "analyze", sweep.Output);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Equal(before, await File.ReadAllBytesAsync(first));

        string copy = Path.Combine(sweep.Work, "copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(sweep.Output, "summary.parquet"), Path.Combine(copy, "summary.parquet"));
        var other = await MarketSimProcess.RunAsync(sweep.Work, null, "analyze", copy, "--seed", "99");
        Assert.True(other.ExitCode == 0, other.StdErr);
        var a = await ReadSensitivityAsync(first);
        var b = await ReadSensitivityAsync(Path.Combine(copy, AnalysisWriter.FolderName, AnalysisWriter.ParquetFileName));
        Assert.Equal(a.Select(r => r.Value), b.Select(r => r.Value));
        Assert.NotEqual(a.Select(r => r.Low), b.Select(r => r.Low));
    }

    [Fact]
    public async Task Sweep_KilledAfterFirstRunAndResumed_SameSummaryAndAnalysis()
    {
        AssertSweepOk();
        string output = Path.Combine(sweep.Work, "killed-" + Guid.NewGuid().ToString("N"));
        using (var process = Process.Start(MarketSimProcess.StartInfo(sweep.Work, null, ["sweep", sweep.SweepFile, "--out", output, "--parallel-runs", "1"]))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            string firstMarker = Path.Combine(output, "_runs", "run=000000.json");
            while (!File.Exists(firstMarker) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(5);
            process.Kill(); // SIGKILL: no handler runs
            await process.WaitForExitAsync();
        }
        Assert.False(File.Exists(Path.Combine(output, "_SUCCESS")), "the sweep finished before it was killed: nothing was tested");
        Assert.False(Directory.Exists(Path.Combine(output, AnalysisWriter.FolderName)));
        var resumed = await MarketSimProcess.RunAsync(sweep.Work, null, "sweep", sweep.SweepFile, "--out", output, "--parallel-runs", "2");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.DoesNotContain(" 0 already done", resumed.StdOut);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(sweep.Output, "summary.parquet")), await File.ReadAllBytesAsync(Path.Combine(output, "summary.parquet")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(sweep.Output, AnalysisWriter.FolderName, AnalysisWriter.ParquetFileName)),
            await File.ReadAllBytesAsync(Path.Combine(output, AnalysisWriter.FolderName, AnalysisWriter.ParquetFileName)));
    }

    [Fact]
    public async Task Analyze_FolderWithoutSummary_Exit2AndNothingWritten()
    {
        string empty = Path.Combine(sweep.Work, "empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        var result = await MarketSimProcess.RunAsync(sweep.Work, null, "analyze", empty);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr);
        Assert.Contains("not a sweep folder", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    [Fact]
    public async Task Sweep_BadSensitivityFile_Exit2WithFileLineKeyAndNothingWritten()
    {
        string bad = Path.Combine(sweep.Work, "bad.yaml");
        await File.WriteAllTextAsync(bad, SensitivitySweep.Yaml.Replace("SCENARIO", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"))
            .Replace("{type: saltelli, base: 4}", "{type: saltelli, base: 4, levels: 4}").Replace("metric: primary_share", "metric: share"));
        string output = Path.Combine(sweep.Work, "bad-out");
        var result = await MarketSimProcess.RunAsync(sweep.Work, null, "sweep", "bad.yaml", "--out", output);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: bad.yaml:7:", result.StdErr);
        Assert.Contains("design.levels: levels apply to morris designs only", result.StdErr);
        Assert.Contains("error: bad.yaml:16:", result.StdErr);
        Assert.Contains("outputs.ks_share.metric: expected one of", result.StdErr);
        Assert.False(Directory.Exists(output));
    }

    private static async Task<List<SensitivityRow>> ReadSensitivityAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var rg = reader.OpenRowGroupReader(0);
        int n = (int)rg.RowCount;
        var f = reader.Schema.DataFields.ToDictionary(d => d.Name);
        var output = new string?[n];
        var parameter = new string?[n];
        var method = new string?[n];
        var value = new double?[n];
        var low = new double?[n];
        var high = new double?[n];
        await rg.ReadAsync(f["output"], output.AsMemory());
        await rg.ReadAsync(f["parameter"], parameter.AsMemory());
        await rg.ReadAsync(f["method"], method.AsMemory());
        await rg.ReadAsync<double>(f["estimate"], value.AsMemory());
        await rg.ReadAsync<double>(f["ci_low"], low.AsMemory());
        await rg.ReadAsync<double>(f["ci_high"], high.AsMemory());
        return Enumerable.Range(0, n).Select(i => new SensitivityRow(output[i]!, parameter[i]!, method[i]!, null, null, value[i], low[i], high[i], 0)).ToList();
    }
}
