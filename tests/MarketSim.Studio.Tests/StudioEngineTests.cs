using System.Text.Json;
using MarketSim.Compare;
using MarketSim.Model;
using MarketSim.ScenarioFiles;
using MarketSim.Studio;

namespace MarketSim.Tests;

/// <summary>The what-if engine's caches change no number, and the knobs' limits are the validator's.</summary>
public sealed class StudioEngineTests
{
    private static WhatIfAnswer Ask(WhatIfEngine engine, Dictionary<string, string> sets)
    {
        var problems = new List<KnobProblem>();
        var plan = engine.Plan(engine.Read(sets, problems) ?? throw new InvalidOperationException(string.Join("; ", problems)), problems);
        Assert.True(plan is not null, string.Join("; ", problems.Select(p => p.Message)));
        return engine.Run(plan!, null, default);
    }

    [Theory]
    [InlineData("alliances.jd-kuaishou.traffic[0].share", "0.9")]   // acts after the start: the start state is reused
    [InlineData("alliances.jd-kuaishou.start", "2017-06-26")]      // in force at step 0 (the calendar's start): a new burn-in
    [InlineData("behaviour.switching_cost", "3")]                   // changes the burn-in itself
    public void AWhatIfThroughTheCaches_EqualsThePlainComparison_BitForBit(string path, string value)
    {
        string folder = StudioScenarios.Create();
        var engine = StudioScenarios.Engine(folder);
        Ask(engine, []);                                  // fills the baseline's and the starting scenario's caches
        var cached = Ask(engine, new() { [path] = value });
        Assert.True(cached.BaselineCached);
        var plain = ComparisonTable.Compute(CompareRunner.Run(cached.Plan, 0));
        Assert.Equal(plain.MeanDifference, cached.Table.MeanDifference);
        Assert.Equal(plain.SdDifference, cached.Table.SdDifference);
        Assert.Equal(plain.ScenarioMean, cached.Table.ScenarioMean);
        Assert.Equal(plain.BaselineMean, cached.Table.BaselineMean);
        Assert.Equal(path.Contains("traffic", StringComparison.Ordinal) ? 2 : 0, cached.StartsReused);
    }

    [Fact]
    public void StartKey_IgnoresTermsActingLater_ButNotWhatActsAtTheStart()
    {
        string folder = StudioScenarios.Create();
        MarketModel Model(params string[] sets)
        {
            var errors = new List<string>();
            var load = ScenarioLoader.Load(Path.Combine(folder, "start.yaml"), ScenarioOverrides.FromOptions(3000, null, sets, errors));
            Assert.True(load.Ok, string.Join("; ", load.Problems));
            return new MarketModel(load.Scenario!);
        }
        string start = WhatIfEngine.StartKey(Model());
        Assert.Equal(start, WhatIfEngine.StartKey(Model("alliances.jd-kuaishou.traffic[0].share=0.9", "alliances.jd-kuaishou.start=2020-01-06")));
        Assert.NotEqual(start, WhatIfEngine.StartKey(Model("alliances.jd-kuaishou.start=2017-06-26")));
        Assert.NotEqual(start, WhatIfEngine.StartKey(Model("behaviour.inertia=4")));
        Assert.NotEqual(start, WhatIfEngine.StartKey(Model("seed=7")));
    }

    [Fact]
    public void ACancelledWhatIf_Stops_AndCachesNothing()
    {
        var engine = StudioScenarios.Engine(StudioScenarios.Create());
        var problems = new List<KnobProblem>();
        var plan = engine.Plan(engine.Read(new Dictionary<string, string>(), problems)!, problems)!;
        using var cts = new CancellationTokenSource();
        int steps = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => engine.Run(plan, () =>
        {
            if (Interlocked.Increment(ref steps) == 10) cts.Cancel();
        }, cts.Token));
        Assert.True(steps < 2 * 2 * engine.Start.Calendar.Steps, $"{steps} steps ran after the cancellation");
        Assert.Equal(0, engine.BaselinesCached);
    }

    /// <summary>
    /// Each knob's declared limits are the validator's: the limit itself loads, a step beyond it is refused by the
    /// loader (so a slider or a typed value at the declared limit never meets a surprise).
    /// </summary>
    [Fact]
    public void EveryKnobsLimits_AreTheValidators()
    {
        string folder = StudioScenarios.Create();
        var engine = StudioScenarios.Engine(folder);
        var checkedKnobs = 0;
        foreach (var knob in engine.Knobs.Where(k => k.Kind is KnobKind.Number or KnobKind.Integer))
        {
            if (knob.Advanced && !knob.Path.EndsWith(".t1", StringComparison.Ordinal) && !knob.Path.Contains(".jd.", StringComparison.Ordinal)) continue;
            foreach (var (limit, outward) in new[] { (knob.Min, -1.0), (knob.Max, 1.0) })
            {
                if (limit is not { } l) continue;
                string At(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                double beyond = l + outward * Math.Max(1e-6, Math.Abs(l) * 1e-6);
                if (knob.Kind == KnobKind.Integer) beyond = l + outward;
                bool open = knob.Path.EndsWith("price_level", StringComparison.Ordinal) || knob.Path.EndsWith("basket", StringComparison.Ordinal)
                            || knob.Path.Contains("delivery_days", StringComparison.Ordinal);
                var errors = new List<string>();
                var at = ScenarioLoader.Load(engine.ScenarioPath, ScenarioOverrides.FromOptions(3000, null, [$"{knob.Path}={At(l)}"], errors));
                var past = ScenarioLoader.Load(engine.ScenarioPath, ScenarioOverrides.FromOptions(3000, null, [$"{knob.Path}={At(beyond)}"], errors));
                if (!(open && outward < 0)) Assert.True(at.Ok || at.Problems.All(p => p.Key != knob.Path), $"{knob.Path}={At(l)} refused: {string.Join("; ", at.Problems)}");
                Assert.True(past.Problems.Any(p => p.Key == knob.Path), $"{knob.Path}={At(beyond)} accepted");
                checkedKnobs++;
            }
        }
        Assert.True(checkedKnobs > 30, $"only {checkedKnobs} limits checked");
    }

    [Fact]
    public void APlausibleRange_WhenAScenarioStatesOne_SpansTheSlider()
    {
        var knob = KnobModel.Numeric("alliances.x.traffic[0].share", "g", "share", 0.3, 0, 1, new Ranges());
        Assert.Equal((0.1, 0.5), (knob.SliderMin, knob.SliderMax));
        Assert.Equal((0.0, 1.0), (knob.Min, knob.Max));
        Assert.Contains("plausible range from assumptions", knob.RangeNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Sliders_OfTheDefaultAlliance_SpanTheScenariosPlausibleRanges()
    {
        // The studio reads the scenario's assumptions: supply's share spans [0.01, 0.2] (not the validator's [0, 1]), and
        // a per-tier knob takes the range of the entry above it (JD's reach in t3 from platforms.jd.reach).
        var loaded = ScenarioLoader.Load(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "jd-kuaishou-alliance.yaml"));
        Assert.True(loaded.Ok, string.Join("; ", loaded.Problems));
        var knobs = KnobModel.Of(loaded.Scenario!, new ScenarioPlausibleRanges(loaded.Scenario!));
        var share = knobs.Single(k => k.Path == "alliances.jd-kuaishou.supply[0].share");
        Assert.Equal((0.01, 0.2), (share.SliderMin, share.SliderMax));
        Assert.Equal((0.0, 1.0), (share.Min, share.Max));
        Assert.StartsWith("slider: plausible range from assumptions.alliances.jd-kuaishou.supply[0].share (no figure was announced", share.RangeNote, StringComparison.Ordinal);
        var ranges = new ScenarioPlausibleRanges(loaded.Scenario!);
        Assert.Equal((0.5, 1.0), ranges.For("platforms.jd.reach.t3") is { } r ? (r.Low, r.High) : default);
        Assert.Null(ranges.For("platforms.pdd.reach.t3"));
    }

    private sealed class Ranges : IPlausibleRanges
    {
        public (double Low, double High, string Source)? For(string path) => (0.1, 0.5, "assumptions");
    }

    [Fact]
    public void TheBatchCli_RunsOnThePlainRuntime_AndOnlyTheStudioNeedsAspNetCore()
    {
        // The test runs from tests/MarketSim.Studio.Tests/bin/<Configuration>/net10.0; the CLI is built beside it (a
        // build-only project reference) in the same configuration.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = here.Parent!.Name, framework = here.Name;
        string cli = Path.Combine(MarketSimProcess.RepositoryRoot, "src", "MarketSim.Cli", "bin", configuration, framework, "marketsim.runtimeconfig.json");
        string studio = Path.Combine(MarketSimProcess.RepositoryRoot, "src", "MarketSim.Studio", "bin", configuration, framework, "marketsim-studio.runtimeconfig.json");
        Assert.Equal(["Microsoft.NETCore.App"], Frameworks(cli));
        Assert.Contains("Microsoft.AspNetCore.App", Frameworks(studio));
    }

    private static List<string> Frameworks(string runtimeConfig)
    {
        var options = JsonDocument.Parse(File.ReadAllText(runtimeConfig)).RootElement.GetProperty("runtimeOptions");
        var names = new List<string>();
        if (options.TryGetProperty("framework", out var one)) names.Add(one.GetProperty("name").GetString()!);
        if (options.TryGetProperty("frameworks", out var many)) names.AddRange(many.EnumerateArray().Select(f => f.GetProperty("name").GetString()!));
        return names;
    }
}
