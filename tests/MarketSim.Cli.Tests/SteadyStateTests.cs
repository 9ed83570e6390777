using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// The data-start baseline (scenarios/baseline.yaml) starts from the published figures of 30 June 2017 and no burn-in (docs/model.md §5): with every
/// event removed (interventions, alliances, festivals, arrivals, streamers) and every adoption rate at 0, nothing
/// should move, so that what a run shows are its events and adoption waves, not the drift of an initial state the model
/// would not keep. Primaries are drawn from re-evaluation's stationary distribution, and re-evaluation chooses among the
/// platforms in use only (the baseline's switching cost), so the model holds still although consumers keep
/// re-evaluating. With one adoption wave under way, that platform follows it and the others stay.
/// </summary>
public class SteadyStateTests
{
    private static List<StepMetrics> Run(string? wave = null)
    {
        var overrides = new Dictionary<string, string> { ["population.agents"] = "100000", ["calendar.steps"] = "156" };
        var loaded = ScenarioLoader.Load(MarketSimProcess.Scenario("baseline.yaml"), overrides);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var s = loaded.Scenario!;
        s.Interventions.Clear();
        s.Alliances.Clear();
        s.Calendar.Festivals.Clear();
        s.Streamers.Clear();
        foreach (var tier in s.Tiers.Values) tier.NewShoppersMillionsPerYear = 0;
        foreach (var (id, p) in s.Platforms)
            if (id != wave) (p.AdoptionExternal, p.AdoptionImitation) = (0, 0);
        var sim = new Simulation(new MarketModel(s), 2);
        var steps = new List<StepMetrics>();
        while (!sim.Done) steps.Add(sim.Step());
        return steps;
    }

    private static double NationalShare(StepMetrics m, int p)
    {
        long primary = 0;
        for (int t = 0; t < m.Tiers; t++) primary += m.Primary[m.At(t, p)];
        return (double)primary / m.Consumers.Sum();
    }

    private static long NationalAnnualActive(StepMetrics m, int p)
    {
        long n = 0;
        for (int t = 0; t < m.Tiers; t++) n += m.AnnualActive[m.At(t, p)];
        return n;
    }

    private static readonly Lazy<List<StepMetrics>> Still = new(() => Run());

    [Fact]
    public void Baseline_WithoutEventsOrAdoption_HoldsEveryShareWithinAPointAndAnnualActiveWithinThreePercent()
    {
        var steps = Still.Value;
        var first = steps[0];
        for (int p = 0; p < first.Platforms; p++)
        {
            double share0 = NationalShare(first, p);
            long active0 = NationalAnnualActive(first, p);
            foreach (var m in steps)
            {
                double share = NationalShare(m, p);
                Assert.True(Math.Abs(share - share0) <= 0.01,
                    $"platform {p}: primary share {share0:P2} at step 0, {share:P2} at step {m.Step}");
                // Kuaishou and Douyin start with a few hundred agents here: their counts are held to ±3 % plus noise.
                double change = (double)NationalAnnualActive(m, p) / active0 - 1;
                Assert.True(Math.Abs(change) <= 0.03 + 3 / Math.Sqrt(Math.Max(active0, 1)), $"platform {p}: annual-active {change:+0.0%;-0.0%} at step {m.Step}");
            }
        }
        // Not still because nothing can move: consumers keep re-evaluating and switching primaries among their platforms.
        Assert.True(steps.Sum(m => m.Flows.Sum()) > 1000, "no primary switched in three years");
    }

    [Fact]
    public void Baseline_WithPinduoduosWaveOnly_PinduoduoGrowsAndTheOthersHold()
    {
        var steps = Run(wave: "pdd");
        var first = steps[0];
        int pdd = 2;
        double growth = (double)NationalAnnualActive(steps[^1], pdd) / NationalAnnualActive(first, pdd) - 1;
        Assert.True(growth > 0.5, $"Pinduoduo's annual-active grew {growth:P1} with its adoption wave on");
        var still = Still.Value;
        for (int p = 0; p < first.Platforms; p++)
        {
            if (p == pdd) continue;
            // The others' users are those of the run without any wave, give or take the noise of a different stream of
            // adoptions: a wave adds Pinduoduo to sets and takes nobody off another platform.
            double ratio = (double)NationalAnnualActive(steps[^1], p) / Math.Max(1, NationalAnnualActive(still[^1], p));
            Assert.InRange(ratio, 0.97, 1.03);
        }
    }
}
