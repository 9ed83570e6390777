using System.Globalization;
using MarketSim.Compare;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>Paths, small comparisons run in-process, and the CLI as a process.</summary>
internal static class Compare
{
    public static string Scenario(string name) => MarketSimProcess.Scenario(name);

    public static string NewTempFolder() => MarketSimProcess.NewTempFolder("marketsim-compare-tests");

    /// <summary>
    /// Overrides for a small run. Fewer trait cohorts per tier (default 1024) make the per-step tables, which cost the
    /// same whatever the agent count, cheap enough for many short runs. The run starts on 2018-12-31 (the default starts
    /// in June 2017): a short run reaches the alliance (27 May 2020) in 75 steps, and the comparison's mechanics under
    /// test do not depend on which date the data-given state is read as.
    /// </summary>
    public static Dictionary<string, string> Small(int agents, int steps, int cohortsPerTier = 1024) => new()
    {
        ["calendar.start"] = ShortStart,
        ["population.agents"] = agents.ToString(CultureInfo.InvariantCulture),
        ["calendar.steps"] = steps.ToString(CultureInfo.InvariantCulture),
        ["population.cohorts_per_tier"] = cohortsPerTier.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The start of short comparison runs: 75 weekly steps before the alliance's 27 May 2020.</summary>
    public const string ShortStart = "2018-12-31";

    public static ComparePlan Plan(string scenario, int replications, Dictionary<string, string> overrides, string? baseline = null)
    {
        var problems = new List<string>();
        var plan = ComparePlan.Create(new CompareRequest(scenario, baseline, replications, overrides), problems);
        Assert.True(plan is not null, string.Join("\n", problems));
        return plan!;
    }

    public sealed record Result(ComparePlan Plan, CompareRuns Runs, ComparisonTable Table, TotalsTable Totals, CompareManifest Manifest,
        CompareReportOutput Report);

    public static Result Run(ComparePlan plan, int threads = 2, bool charts = true)
    {
        var runs = CompareRunner.Run(plan, threads);
        var table = ComparisonTable.Compute(runs);
        var totals = TotalsTable.Compute(runs, table.FirstDifferentStep);
        var manifest = CompareManifest.Of(plan, runs, "test");
        var report = CompareReport.Build(table, totals, manifest, ScenarioChanges.Between(plan.Scenario, plan.Baseline),
            CompareCalibration.Mean(runs, Arm.Baseline), plan.ScenarioPath, plan.BaselinePath, charts, fittedBy: plan.Baseline.FittedBy);
        return new Result(plan, runs, table, totals, manifest, report);
    }

    public static async Task<string> PublishAsync(Result r, string folder)
    {
        CompareOutput.Prepare(folder);
        await CompareOutput.WriteAsync(folder, r.Table, r.Totals, r.Manifest, r.Report,
            _ => new CompareTimings(0, 0, 0, 0, 1, 1, r.Runs.AgentSteps, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), runs: r.Runs);
        return folder;
    }

    /// <summary>Simulates one arm directly, without the comparison code, and returns every step's metrics.</summary>
    public static List<StepMetrics> Simulate(string file, IReadOnlyDictionary<string, string> overrides)
    {
        var loaded = ScenarioLoader.Load(file, overrides);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var sim = new Simulation(new MarketModel(loaded.Scenario!), 2);
        var steps = new List<StepMetrics>();
        while (!sim.Done) steps.Add(sim.Step());
        return steps;
    }

    public static MarketSimProcess.Result RunCli(string workingDirectory, params string[] args) => MarketSimProcess.Run(workingDirectory, args);
}

/// <summary>
/// The default alliance scenario against its baseline at 10 000 agents (256 trait cohorts per tier) over 80 weekly
/// steps (to mid-July 2020, seven weeks of alliance), three replications: run once and shared by the tests that read it.
/// </summary>
public sealed class DefaultComparisonFixture : IAsyncLifetime
{
    public const int Replications = 3;
    public static readonly Dictionary<string, string> Overrides = Compare.Small(10_000, 80, cohortsPerTier: 256);

    internal Compare.Result Result { get; private set; } = null!;

    public string Folder { get; } = Compare.NewTempFolder();

    public async Task InitializeAsync()
    {
        var plan = Compare.Plan(Compare.Scenario("jd-kuaishou-alliance.yaml"), Replications, Overrides);
        Result = Compare.Run(plan);
        await Compare.PublishAsync(Result, Folder);
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
