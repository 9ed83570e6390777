using MarketSim.Compare;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary><c>run --posterior K</c>: a run's levels banded over K parameter sets drawn from a posterior ensemble (issue 28, item 2).</summary>
public sealed class PosteriorBandsTests
{
    private static readonly string[] SmallArgs =
        ["--agents", "3000", "--set", $"calendar.start={Compare.ShortStart}", "--set", "calendar.steps=60", "--set", "population.cohorts_per_tier=128"];

    [Fact]
    public void Bands_AreTheMeanAndQuantilesOfTheDrawsLevels_ComputedIndependently()
    {
        // Three switching costs: three runs whose levels differ. With three values, R-8's 5 % and 95 % quantiles are
        // the smallest and the largest ((n + 1/3)p + 1/3 = 0.5 and 3.5), its median the middle one.
        var scenarios = new[] { "1.2", "2.5", "4.5" }.Select((cost, k) =>
        {
            var o = Compare.Small(3_000, 40, cohortsPerTier: 128);
            o["behaviour.switching_cost"] = cost;
            o["seed"] = (11 + k).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var loaded = ScenarioLoader.Load(Compare.Scenario("baseline.yaml"), o);
            Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
            return loaded.Scenario!;
        }).ToList();
        var runs = PosteriorBands.Simulate(scenarios, 2, null, CancellationToken.None);
        var model = new MarketModel(scenarios[0]);
        var dates = Enumerable.Range(0, model.Steps).Select(model.StepDate).ToArray();
        var bands = PosteriorBands.Compute(runs, model.Dimensions, dates);
        Assert.Equal(3, bands.Draws);

        int T = model.Dimensions.Tiers, last = dates.Length - 1;
        int distinct = 0;
        for (int p = 0; p < model.Dimensions.Platforms; p++)
        {
            // Directly from the simulations, without the comparison code: annual-active agents summed over tiers × people per agent.
            var levels = scenarios.Select(s =>
            {
                var m = new MarketModel(s);
                var sim = new Simulation(m, 1);
                StepMetrics step = null!;
                while (!sim.Done) step = sim.Step();
                long agents = 0;
                for (int t = 0; t < T; t++) agents += step.AnnualActive[t * m.Dimensions.Platforms + p];
                return agents * m.PeoplePerAgent;
            }).ToArray();
            int row = bands.Row(last, 0, T, p);
            Assert.Equal(levels.Average(), bands.Mean[row], 1e-9 * Math.Max(1, levels.Max()));
            Assert.Equal(levels.Min(), bands.Low[row]);
            Assert.Equal(levels.Order().ElementAt(1), bands.Median[row]);
            Assert.Equal(levels.Max(), bands.High[row]);
            if (levels.Distinct().Count() > 1) distinct++;
        }
        Assert.True(distinct > 0, "the three switching costs gave every platform the same level: the bands test nothing");
    }

    [Fact]
    public async Task Cli_RunWithPosterior_WritesBandsBeforeSuccess_AndLeavesTheMainRunAsItIs()
    {
        string work = Compare.NewTempFolder();
        string ensemble = await PosteriorCompareTests.WriteEnsembleAsync(Path.Combine(work, "ens"));
        string scenario = Compare.Scenario("jd-kuaishou-alliance.yaml");
        string banded = Path.Combine(work, "banded"), plain = Path.Combine(work, "plain");
        var r = Compare.RunCli(work, ["run", scenario, "--posterior", "3", "--ensemble", ensemble, "--out", banded, .. SmallArgs]);
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        var p = Compare.RunCli(work, ["run", scenario, "--out", plain, "--no-charts", .. SmallArgs]);
        Assert.True(p.ExitCode == 0, p.StdErr);

        Assert.True(File.Exists(Path.Combine(banded, "_SUCCESS")));
        Assert.True(File.Exists(Path.Combine(banded, PosteriorBands.ChartFileName)));
        // The main run is the scenario's own values: the draws do not touch it.
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "metrics.parquet")), File.ReadAllBytes(Path.Combine(banded, "metrics.parquet")));
        var rows = await PosteriorBands.ReadAsync(Path.Combine(banded, PosteriorBands.FileName));
        Assert.Equal(60 * 2 * 7 * 6, rows.Count); // steps × metrics × (6 tiers + all) × 6 platforms
        Assert.All(rows, x =>
        {
            Assert.Equal(3, x.Draws);
            Assert.True(x.P05 <= x.P50 && x.P50 <= x.P95 && x.P05 <= x.Mean && x.Mean <= x.P95, $"{x}");
        });
        Assert.Contains(rows, x => x.Metric == "annual_active" && x.P95 > x.P05);

        foreach (var (args, expected) in new (string[] Args, string Expected)[]
                 {
                     (["--ensemble", ensemble], "--ensemble is only read with --posterior K"),
                     (["--posterior", "2", "--ensemble", await PosteriorCompareTests.WriteEnsembleAsync(Path.Combine(work, "other"), scenario: "other.yaml")],
                         "the ensemble was made for other.yaml"),
                     (["--posterior", "2", "--ensemble", ensemble, "--set", "behaviour.switching_cost=2"], "samples behaviour.switching_cost"),
                 })
        {
            string bad = Path.Combine(work, "bad");
            var e = Compare.RunCli(work, ["run", scenario, "--out", bad, .. args, .. SmallArgs]);
            Assert.Equal(2, e.ExitCode);
            Assert.Contains(expected, e.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", e.StdErr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(bad));
        }
    }
}
