using System.Globalization;
using MarketSim.Compare;
using MarketSim.Output;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Tests;

/// <summary>
/// <c>compare --posterior K</c> (issue 28, item 2): the scenario and its baseline at K parameter sets drawn from a
/// posterior ensemble × R replications; every interval combines parameter and Monte-Carlo uncertainty.
/// </summary>
public sealed class PosteriorCompareTests
{
    // Two parameters that move the alliance's effect (switching cost decides how many consumers move; Kuaishou's
    // quality how many shop there), each far apart in the three sets so that the draws' effects differ.
    private static readonly string[] Paths = ["behaviour.switching_cost", "platforms.kuaishou.quality"];
    private static readonly double[][] Sets = [[1.2, 0.30], [2.5, 0.42], [4.5, 0.55]];
    private static readonly double[] Weights = [0.2, 0.5, 0.3];

    /// <summary>Short, small runs that reach the alliance (Compare.Small starts 75 steps before it).</summary>
    private static Dictionary<string, string> Small() => Compare.Small(4_000, 84, cohortsPerTier: 128);

    /// <summary>A posterior.parquet as <c>calibrate</c> with <c>method: posterior</c> writes it (the columns compare reads, and its metadata).</summary>
    internal static async Task<string> WriteEnsembleAsync(string folder, string scenario = "baseline.yaml", string[]? paths = null,
        double[][]? sets = null, double[]? weights = null)
    {
        paths ??= Paths;
        sets ??= Sets;
        weights ??= Weights;
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "posterior.parquet");
        var fields = new List<DataField> { new DataField<int>("particle") };
        fields.AddRange(paths.Select(p => new DataField<double>(ColumnNames.Of(p))));
        fields.Add(new DataField<double>("weight"));
        fields.Add(new DataField<double>("distance"));
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            ["marketsim.kind"] = "posterior",
            ["marketsim.parameter_paths"] = string.Join(",", paths),
            ["marketsim.scenario"] = scenario,
        };
        using var rg = writer.CreateRowGroup();
        await rg.WriteAsync<int>((DataField<int>)fields[0], Enumerable.Range(0, sets.Length).ToArray(), null, null);
        for (int d = 0; d < paths.Length; d++)
            await rg.WriteAsync<double>((DataField<double>)fields[1 + d], sets.Select(s => s[d]).ToArray(), null, null);
        await rg.WriteAsync<double>((DataField<double>)fields[^2], weights, null, null);
        await rg.WriteAsync<double>((DataField<double>)fields[^1], sets.Select(_ => 1.0).ToArray(), null, null);
        rg.CompleteValidate();
        return file;
    }

    private static ComparePlan Plan(PosteriorEnsemble? ensemble, int draws, int replications, Dictionary<string, string> overrides)
    {
        var problems = new List<string>();
        var plan = ComparePlan.Create(new CompareRequest(Compare.Scenario("jd-kuaishou-alliance.yaml"), null, replications, overrides,
            Ensemble: ensemble, Draws: draws), problems);
        Assert.True(plan is not null, string.Join("\n", problems));
        return plan!;
    }

    private static List<string> Problems(PosteriorEnsemble ensemble, int draws, int replications, Dictionary<string, string> overrides)
    {
        var problems = new List<string>();
        var plan = ComparePlan.Create(new CompareRequest(Compare.Scenario("jd-kuaishou-alliance.yaml"), null, replications, overrides,
            Ensemble: ensemble, Draws: draws), problems);
        Assert.Null(plan);
        return problems;
    }

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    [Fact]
    public async Task OneDraw_GivesTodaysComparisonAtThatParameterSet_InEveryExistingColumn()
    {
        var ensemble = await PosteriorEnsemble.ReadAsync(await WriteEnsembleAsync(Compare.NewTempFolder()));
        var posterior = Compare.Run(Plan(ensemble, 1, 2, Small()), charts: false);
        int row = Assert.Single(posterior.Plan.DrawRows);

        // The same comparison without a posterior, the drawn set given as overrides.
        var sets = Small();
        foreach (var (path, value) in ensemble.Overrides(row)) sets[path] = value;
        var plain = Compare.Run(Plan(null, 0, 2, sets), charts: false);

        Assert.Equal(plain.Plan.Seeds, posterior.Plan.Seeds);
        Assert.Equal(plain.Table.Rows, posterior.Table.Rows);
        for (int i = 0; i < plain.Table.Rows; i++)
        {
            Assert.Equal(Bits(plain.Table.ScenarioMean[i]), Bits(posterior.Table.ScenarioMean[i]));
            Assert.Equal(Bits(plain.Table.BaselineMean[i]), Bits(posterior.Table.BaselineMean[i]));
            Assert.Equal(Bits(plain.Table.MeanDifference[i]), Bits(posterior.Table.MeanDifference[i]));
            Assert.Equal(plain.Table.SdDifference[i], posterior.Table.SdDifference[i]);
            Assert.Equal(plain.Table.CiLow[i], posterior.Table.CiLow[i]);
            Assert.Equal(plain.Table.CiHigh[i], posterior.Table.CiHigh[i]);
            Assert.Equal(plain.Table.Significant[i], posterior.Table.Significant[i]);
            Assert.Null(plain.Table.ParameterShare[i]);
            // One parameter set carries no parameter spread: where the difference varies at all, it is all Monte-Carlo.
            Assert.True(posterior.Table.ParameterShare[i] is null or 0.0, $"row {i}: share {posterior.Table.ParameterShare[i]}");
        }
        Assert.Equal(plain.Totals.CiLow, posterior.Totals.CiLow);
        Assert.Equal(plain.Totals.MeanDifference, posterior.Totals.MeanDifference);
        Assert.Equal(1, posterior.Table.Draws);
        Assert.Equal(0, plain.Table.Draws);
    }

    [Fact]
    public async Task ManyDraws_IntervalsAndSharesAreTheLawOfTotalVarianceOverThePublishedReplications()
    {
        string work = Compare.NewTempFolder();
        var ensemble = await PosteriorEnsemble.ReadAsync(await WriteEnsembleAsync(work));
        const int K = 3, R = 2;
        var result = Compare.Run(Plan(ensemble, K, R, Small()), charts: false);
        Assert.Equal(K * R, result.Plan.Replications);
        Assert.Equal(K * R, result.Plan.Seeds.Distinct().Count()); // every draw's replications have seeds of their own
        // Systematic resampling of weights 0.2, 0.5, 0.3 with 3 draws: each set once (⌊3w⌋ or ⌈3w⌉ each, summing to 3).
        Assert.Equal([0, 1, 2], result.Plan.DrawRows.Order());

        string folder = await Compare.PublishAsync(result, Path.Combine(work, "cmp"));
        var reps = await ReplicationsFile.ReadAsync(Path.Combine(folder, ReplicationsFile.FileName));
        var (rows, meta) = await ComparisonFile.ReadAsync(Path.Combine(folder, ComparisonFile.FileName));
        Assert.Equal("3", meta["marketsim.posterior_draws"]);
        Assert.Equal("2", meta["marketsim.replications"]);
        Assert.All(rows, r => Assert.Equal((R, K), (r.Replications, r.Draws)));
        Assert.Equal(Enumerable.Range(0, K), reps.Select(r => r.Draw).Distinct().Order());

        // Recompute, independently of DifferenceStatistics, every all-tier annual-active row of the last step.
        int last = result.Table.Dates.Length - 1;
        int withParameterSpread = 0;
        foreach (var row in rows.Where(r => r.Step == last && r.Metric == "annual_active" && r.Tier == "all"))
        {
            var d = reps.Where(x => x.Step == last && x.Metric == "annual_active" && x.Tier == "all" && x.Platform == row.Platform)
                .OrderBy(x => x.Draw).ThenBy(x => x.Replication).Select(x => x.Difference).ToArray();
            Assert.Equal(K * R, d.Length);
            var means = Enumerable.Range(0, K).Select(k => d.Skip(k * R).Take(R).Average()).ToArray();
            double within = Enumerable.Range(0, K).Select(k => d.Skip(k * R).Take(R).Variance()).Average();
            double mc = within / R;
            double parameter = Math.Max(0, means.Variance() - mc);
            double total = parameter + mc;
            double mean = means.Average();
            Assert.Equal(mean, row.MeanDifference, 1e-9 * Math.Max(1, Math.Abs(mean)));
            if (total == 0)
            {
                Assert.Null(row.ParameterShare);
                continue;
            }
            double nu = total * total / (parameter * parameter / (K - 1) + mc * mc / (K * (R - 1.0)));
            double half = StudentT.InvCDF(0, 1, nu, 0.975) * Math.Sqrt(total);
            Assert.Equal(mean - half, row.CiLow!.Value, 1e-9 * Math.Max(1, half));
            Assert.Equal(mean + half, row.CiHigh!.Value, 1e-9 * Math.Max(1, half));
            Assert.Equal(parameter / total, row.ParameterShare!.Value, 1e-12);
            Assert.Equal(d.StandardDeviation(), row.SdDifference!.Value, 1e-9 * Math.Max(1, row.SdDifference.Value));
            if (row.ParameterShare > 0.5) withParameterSpread++;
        }
        // Switching costs of 1.2 to 4.5 and Kuaishou's quality of 0.30 to 0.55 move the alliance's effect far more
        // than 4 000 agents' noise: some platform's difference is mostly parameter uncertainty.
        Assert.True(withParameterSpread > 0, "no platform's final difference is mostly parameter uncertainty");
        Assert.Contains("of the variance from parameter uncertainty", result.Report.Markdown, StringComparison.Ordinal);
        Assert.Contains("3 draws from the posterior ensemble", result.Report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_NameTheProblem()
    {
        string work = Compare.NewTempFolder();
        var ensemble = await PosteriorEnsemble.ReadAsync(await WriteEnsembleAsync(work));
        Assert.Contains(Problems(ensemble, 0, 2, Small()), p => p.Contains("--posterior: expected a number of draws from 1 to", StringComparison.Ordinal));
        Assert.Contains(Problems(ensemble, 2, 1, Small()), p => p.Contains("--posterior needs --replications of at least 2", StringComparison.Ordinal));
        var set = Small();
        set["behaviour.switching_cost"] = "2";
        Assert.Contains(Problems(ensemble, 2, 2, set), p => p.Contains("samples behaviour.switching_cost", StringComparison.Ordinal));

        var foreign = await PosteriorEnsemble.ReadAsync(await WriteEnsembleAsync(Path.Combine(work, "other"), scenario: "other.yaml"));
        Assert.Contains(Problems(foreign, 2, 2, Small()), p => p.Contains("the ensemble was made for other.yaml, not for baseline.yaml", StringComparison.Ordinal));

        // A parameter the scenario does not have: the loader names the path and the ensemble row it came from.
        var unknown = await PosteriorEnsemble.ReadAsync(await WriteEnsembleAsync(Path.Combine(work, "unknown"), paths: ["behaviour.no_such_key", "platforms.kuaishou.quality"]));
        var problems = Problems(unknown, 1, 2, Small());
        Assert.Contains(problems, p => p.Contains("no_such_key", StringComparison.Ordinal) && p.Contains("parameter set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_PosteriorComparison_WritesDrawsAndShares_AndRefusesBadInputWithExitTwo()
    {
        string work = Compare.NewTempFolder();
        string ensemble = await WriteEnsembleAsync(Path.Combine(work, "ens"));
        string scenario = Compare.Scenario("jd-kuaishou-alliance.yaml");
        string[] small = ["--agents", "3000", "--set", $"calendar.start={Compare.ShortStart}", "--set", "calendar.steps=80", "--set", "population.cohorts_per_tier=128"];

        string output = Path.Combine(work, "cmp");
        var ok = Compare.RunCli(work, ["compare", scenario, "--posterior", "2", "--replications", "2", "--ensemble", ensemble, "--out", output, .. small]);
        Assert.True(ok.ExitCode == 0, ok.StdErr + ok.StdOut);
        Assert.Contains("of the variance from parameter uncertainty", ok.StdOut, StringComparison.Ordinal);
        var (rows, meta) = await ComparisonFile.ReadAsync(Path.Combine(output, ComparisonFile.FileName));
        Assert.Equal(ensemble, meta["marketsim.posterior"]);
        Assert.All(rows, r => Assert.Equal(2, r.Draws));
        var totals = await TotalsFile.ReadAsync(Path.Combine(output, TotalsFile.FileName));
        Assert.Contains(totals.Rows, r => r.ParameterShare is > 0 and <= 1);
        Assert.Contains("\"posterior\"", File.ReadAllText(Path.Combine(output, CompareOutput.JsonFileName)), StringComparison.Ordinal);

        // Without --ensemble: the committed default posterior beside the baseline's fitted_by calibration file.
        string byDefault = Path.Combine(work, "default");
        var d = Compare.RunCli(work, ["compare", scenario, "--posterior", "2", "--replications", "2", "--out", byDefault, .. small]);
        Assert.True(d.ExitCode == 0, d.StdErr + d.StdOut);
        var (_, defaultMeta) = await ComparisonFile.ReadAsync(Path.Combine(byDefault, ComparisonFile.FileName));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(scenario)!, "calibration", "posterior.parquet"), defaultMeta["marketsim.posterior"]);

        foreach (var (args, expected) in new (string[] Args, string Expected)[]
                 {
                     (["--posterior", "0"], "--posterior 0: out of range: expected a whole number from 1 to"),
                     (["--posterior", "2", "--ensemble", Path.Combine(work, "none.parquet")], "none.parquet: no such file"),
                     (["--ensemble", ensemble], "--ensemble is only read with --posterior K"),
                 })
        {
            string bad = Path.Combine(work, "bad-" + expected.Length.ToString(CultureInfo.InvariantCulture));
            var r = Compare.RunCli(work, ["compare", scenario, "--out", bad, .. args, .. small]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(expected, r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(bad));
        }
    }
}
