using MarketSim.Analysis;
using MarketSim.Output;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 5: <c>analyze SWEEP_DIR --outputs FILE</c> computes named outputs from the metrics a sweep stored,
/// without rerunning: the same outputs give a summary.parquet byte for byte that of the sweep that declared them, a new
/// output equals the sum a reader takes from metrics/ and baseline_metrics/, and a file describing other runs is refused.
/// </summary>
public class AnalyzeOutputsTests(SensitivitySweep sweep) : IClassFixture<SensitivitySweep>
{
    /// <summary>A copy of the fixture's sweep folder (the tests rewrite its summary and analysis).</summary>
    private string CopyOfSweep()
    {
        Assert.True(sweep.Result.ExitCode == 0, sweep.Result.StdErr);
        string copy = Path.Combine(sweep.Work, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.GetFiles(sweep.Output, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(sweep.Output, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    private string SweepFileWith(string outputs, string agents = "3000")
    {
        string path = Path.Combine(sweep.Work, $"outputs-{Guid.NewGuid().ToString("N")[..8]}.yaml");
        string yaml = File.ReadAllText(sweep.SweepFile);
        int start = yaml.IndexOf("outputs:", StringComparison.Ordinal), end = yaml.IndexOf("analysis:", StringComparison.Ordinal);
        File.WriteAllText(path, (yaml[..start] + outputs + yaml[end..]).Replace("agents: 3000", $"agents: {agents}"));
        return path;
    }

    [Fact]
    public void SameOutputs_FromStoredMetrics_GiveTheSweepsOwnSummaryByteForByte()
    {
        string copy = CopyOfSweep();
        byte[] original = File.ReadAllBytes(Path.Combine(copy, "summary.parquet"));
        File.Delete(Path.Combine(copy, "summary.parquet"));
        var result = MarketSimProcess.Run(sweep.Work, "analyze", copy, "--outputs", sweep.SweepFile, "--bootstrap", "100");
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("3 named outputs computed for 40 runs from the stored metrics (nothing rerun)", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(copy, "summary.parquet")));
        Assert.True(File.Exists(Path.Combine(copy, "analysis", "report.html")));
    }

    [Fact]
    public async Task NewOutput_AddedAfterTheSweep_EqualsTheSumOverTheStoredMetrics()
    {
        string copy = CopyOfSweep();
        string file = SweepFileWith("""
            outputs:
              metrics: true
              jd_gain: {metric: annual_active, platforms: [jd], tiers: [t3, t4, t5, t6], at: end}
              ks_gmv: {metric: gmv_yuan, platforms: [kuaishou], from: 2020-06-01, to: 2020-07-31}

            """);
        var result = MarketSimProcess.Run(sweep.Work, "analyze", copy, "--outputs", file, "--bootstrap", "100");
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var summary = await SweepSummary.ReadAsync(copy);
        Assert.Equal(["jd_gain", "ks_gmv"], summary.Outputs.Select(o => o.Name));

        // Run 7's effect on Kuaishou's GMV, June–July 2020, summed by hand from both arms' stored metrics.
        async Task<double> Gmv(string table)
        {
            var rows = await RunOutputReader.ReadMetricsFileAsync(Path.Combine(copy, table, "run=000007", "part-0.parquet"));
            return rows.Where(r => r.Platform == "kuaishou" && r.Date >= new DateOnly(2020, 6, 1) && r.Date <= new DateOnly(2020, 7, 31))
                .Sum(r => r.GmvYuan);
        }
        double scenario = await Gmv("metrics"), baseline = await Gmv("baseline_metrics");
        Assert.True(scenario != baseline, "the alliance changes nothing in run 7: the test would not see a wrong arm");
        Assert.Equal(scenario, summary.Values["ks_gmv_scenario"][7]!.Value, Math.Max(1e-6, 1e-12 * scenario));
        Assert.Equal(scenario - baseline, summary.Values["ks_gmv"][7]!.Value, Math.Max(1e-6, 1e-9 * Math.Abs(scenario)));
    }

    [Fact]
    public void FileOfOtherRuns_OrSweepWithoutMetrics_IsRefusedWithExitCode2()
    {
        string copy = CopyOfSweep();
        var other = MarketSimProcess.Run(sweep.Work, "analyze", copy, "--outputs", SweepFileWith("""
            outputs:
              metrics: true
              jd_gain: {metric: annual_active, platforms: [jd], at: end}

            """, agents: "4000"));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("is not the run stored in", other.StdErr, StringComparison.Ordinal);

        Directory.Delete(Path.Combine(copy, "metrics"), recursive: true);
        var noMetrics = MarketSimProcess.Run(sweep.Work, "analyze", copy, "--outputs", sweep.SweepFile);
        Assert.Equal(2, noMetrics.ExitCode);
        Assert.Contains("the sweep kept no metrics", noMetrics.StdErr, StringComparison.Ordinal);
    }
}
