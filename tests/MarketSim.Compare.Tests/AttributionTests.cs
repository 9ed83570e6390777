using MarketSim.Compare;
using MarketSim.Randomness;

namespace MarketSim.Tests;

public class ShapleyTests
{
    [Fact]
    public void Shapley_RandomGame_AddsUpToTheGrandCoalitionExactly_AndANullPlayerGetsZero()
    {
        const int n = 6;
        var v = new double[1 << n];
        // Player 4 is null: v(S ∪ {4}) = v(S). The rest interact arbitrarily.
        for (int mask = 0; mask < v.Length; mask++)
        {
            int without4 = mask & ~(1 << 4);
            v[mask] = mask == without4 || (mask & (1 << 4)) != 0 ? (without4 == 0 ? 0 : CounterRandom.ToUnit(CounterRandom.At(7, (ulong)without4)) * 1e6 - 3e5) : 0;
        }
        var phi = Attribution.Shapley(v, n);
        Assert.Equal(v[^1] - v[0], phi.Sum(), 1e-6);
        Assert.Equal(0.0, phi[4]);
    }

    [Fact]
    public void Shapley_AdditiveGame_GivesEachPlayerItsOwnValue_AndInteractionsAreSplitEqually()
    {
        double[] a = [3, -1, 10];
        var v = new double[8];
        for (int mask = 0; mask < 8; mask++)
            for (int i = 0; i < 3; i++) if ((mask & (1 << i)) != 0) v[mask] += a[i];
        Assert.Equal(a, Attribution.Shapley(v, 3));
        // Two players that only matter together (v = 1 for both, 0 otherwise) get ½ each.
        Assert.Equal([0.5, 0.5], Attribution.Shapley([0, 0, 0, 1], 2));
    }
}

/// <summary>compare --attribute on a short alliance scenario with an intervention that does nothing.</summary>
public sealed class AttributionCliTests : IDisposable
{
    private readonly string _work = MarketSimProcess.NewTempFolder("marketsim-attribution-tests");

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    private (string Scenario, string Baseline) Write(string extraInterventions)
    {
        string calendar = "calendar: {start: 2020-04-06, steps: 20}\npopulation: {agents: 3000, cohorts_per_tier: 64}\n";
        string baseline = Path.Combine(_work, "base.yaml");
        File.WriteAllText(baseline, $"extends: {MarketSimProcess.Scenario("baseline.yaml")}\nname: base\n{calendar}");
        string scenario = Path.Combine(_work, "alliance.yaml");
        File.WriteAllText(scenario, $"extends: {MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")}\nname: alliance\n{calendar}" +
                                    (extraInterventions.Length > 0 ? "interventions:\n" + extraInterventions : ""));
        return (scenario, baseline);
    }

    [Fact]
    public async Task CompareAttribute_ShapleySharesAddUpToTheClausesEffect_NoOpClauseGetsZero_ReportLeadsWithIt()
    {
        var (scenario, baseline) = Write("  noop: {platform: jd, attribute: price_level, multiply: 1.0, start: 2020-04-06}\n");
        string output = Path.Combine(_work, "out");
        var result = await MarketSimProcess.RunAsync(_work, null, "compare", scenario, "--baseline", baseline, "--replications", "2", "--attribute", "--out", output);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("annual-active users from the clauses:", result.StdOut);
        var rows = await AttributionFile.ReadAsync(Path.Combine(output, AttributionFile.FileName));
        string[] clauses = ["alliances.jd-kuaishou.supply", "alliances.jd-kuaishou.logistics", "alliances.jd-kuaishou.traffic",
            "alliances.jd-kuaishou.co_promotion", "alliances.jd-kuaishou.launch", "interventions.noop"];
        Assert.Equal(clauses, rows.Where(r => r.Metric == "annual_active" && r.Platform == "jd").Select(r => r.Clause).Take(6));
        foreach (var group in rows.GroupBy(r => (r.Metric, r.Platform)))
        {
            double total = group.Single(r => r.Clause == "total").Mean;
            double sum = group.Where(r => clauses.Contains(r.Clause)).Sum(r => r.Mean);
            Assert.True(Math.Abs(total - sum) <= 1e-9 * Math.Max(1, Math.Abs(total)), $"{group.Key}: shares {sum} vs total {total}");
            var noop = group.Single(r => r.Clause == "interventions.noop");
            Assert.Equal(0.0, noop.Mean);
            Assert.Equal(0.0, noop.Sd);
            double all = group.Single(r => r.Clause == "scenario_minus_baseline").Mean;
            double rest = group.Single(r => r.Clause == "not_attributed").Mean;
            Assert.True(Math.Abs(all - (total + rest)) <= 1e-9 * Math.Max(1, Math.Abs(all)), $"{group.Key}");
        }
        Assert.Contains(rows, r => r.Metric == "annual_active" && r.Platform == "kuaishou" && r.Clause == "total" && r.Mean != 0);
        // Every calendar difference between the arms is owned (the 616 by the launch clause): with every clause off the
        // scenario is the baseline, so nothing is left unattributed, for people or money (issue 27 item 5).
        Assert.All(rows.Where(r => r.Clause == "not_attributed"), r => Assert.Equal(0.0, r.Mean));
        // And the launch's line is where the 616's money went (3 000 agents: its sign per platform is noise, its presence is not).
        Assert.Contains(rows, r => r.Metric == "gmv" && r.Clause == "alliances.jd-kuaishou.launch" && r.Mean != 0);
        // The split agrees with the comparison itself: scenario − baseline of JD's annual-active users at the last step.
        var (cmp, _) = await ComparisonFile.ReadAsync(Path.Combine(output, "comparison.parquet"));
        int last = cmp.Max(r => r.Step);
        var jd = cmp.Single(r => r.Step == last && r.Metric == "annual_active" && r.Tier == "all" && r.Platform == "jd");
        Assert.Equal(jd.MeanDifference, rows.Single(r => r.Metric == "annual_active" && r.Platform == "jd" && r.Clause == "scenario_minus_baseline").Mean,
            Math.Max(1e-6, Math.Abs(jd.MeanDifference) * 1e-12));
        // Money is attributed beside people: own GMV and the supplied slice's GMV and orders. Without any clause nothing
        // is supplied, so none of the supplied GMV is left unattributed: the clauses own all of it.
        Assert.Equal(["annual_active", "primary_share", "gmv", "supplied_gmv", "supplied_orders"], rows.Select(r => r.Metric).Distinct());
        Assert.All(rows.Where(r => r.Metric is "supplied_gmv" or "supplied_orders" && r.Clause == "not_attributed"), r => Assert.Equal(0.0, r.Mean));
        Assert.All(rows.Where(r => r.Metric is "supplied_gmv" && r.Platform != "jd"), r => Assert.Equal(0.0, r.Mean));
        string html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
        Assert.Contains("own GMV: platform", html, StringComparison.Ordinal);
        Assert.Contains("own GMV from the clauses:", result.StdOut);
        int split = html.IndexOf("Which clause does what", StringComparison.Ordinal);
        Assert.True(split > 0 && split < html.IndexOf("What was compared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompareAttribute_MoreThanEightClauses_Exit2AndNothingWritten()
    {
        string noops = string.Concat(Enumerable.Range(0, 5).Select(i => $"  noop{i}: {{platform: jd, attribute: price_level, multiply: 1.0, start: 2020-04-06}}\n"));
        var (scenario, baseline) = Write(noops);
        string output = Path.Combine(_work, "refused");
        var result = await MarketSimProcess.RunAsync(_work, null, "compare", scenario, "--baseline", baseline, "--attribute", "--out", output);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --attribute: the scenario adds 10 clauses", result.StdErr);
        Assert.Contains("limited to 8", result.StdErr);
        Assert.False(Directory.Exists(output));
    }
}
