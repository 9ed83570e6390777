using System.Security.Cryptography;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// Agent snapshots through the engine's agent seam: what they hold must agree with the aggregate tables computed by
/// the engine itself, and the sample must be a property of the agent, not of the run's scheduling.
/// </summary>
public sealed class AgentSnapshotTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MarketModel Model(string snapshots, int agents = 20_000, string extra = "")
    {
        string parent = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        string yaml = $"extends: {parent}\nname: snap\npopulation: {{agents: {agents}}}\ncalendar: {{steps: 60}}\n{extra}" +
                      $"outputs:\n  agent_snapshots: {snapshots}\n";
        var loaded = ScenarioLoader.LoadText(yaml, "snap.yaml", Path.GetDirectoryName(parent));
        Assert.True(loaded.Ok, string.Join("; ", loaded.Problems));
        return new MarketModel(loaded.Scenario!);
    }

    private async Task<string> RunAsync(MarketModel model, int threads, string name)
    {
        string folder = _temp.Run(name);
        var manifest = new RunManifest("snap", "", new string('0', 64), model.Scenario.Seed, model.Scenario.Population.Agents,
            model.PeoplePerAgent, 0, "test");
        await using var run = RunPipeline.Start(model, manifest, threads);
        await run.OpenOutputsAsync(folder, OutputSelection.All, AgentSnapshotRecorder.For(model));
        await run.StepToEndAsync(CancellationToken.None);
        await run.CompleteAsync(TestRuns.Timings(), withCalibration: false);
        return folder;
    }

    [Fact]
    public async Task FullSample_AgreesWithTheEnginesOwnTallies()
    {
        // With every agent sampled, counting the snapshot reproduces metrics.parquet: primary users, annual-active users
        // (ordered within AnnualSteps) and consumers, per step, tier and platform. A seam that showed the wrong slice,
        // a stale state or a mislabelled platform would break at least one of these sums.
        var model = Model("{dates: [2017-09-10, 2018-05-11], sample: 1}");
        string folder = await RunAsync(model, 2, "full");
        var agents = await RunOutputReader.ReadAgentsAsync(folder, model.Dimensions.PlatformIds);
        var metrics = await RunOutputReader.ReadMetricsAsync(folder);
        int[] steps = [model.StepContaining(new DateOnly(2017, 9, 10)), model.StepContaining(new DateOnly(2018, 5, 11))];
        Assert.Equal(steps, agents.Select(a => a.Step).Distinct().Order().ToArray());

        double ppa = model.PeoplePerAgent;
        int checkedCells = 0;
        foreach (var m in metrics.Where(m => steps.Contains(m.Step)))
        {
            int p = model.Dimensions.PlatformIds.ToList().IndexOf(m.Platform);
            var tier = agents.Where(a => a.Step == m.Step && a.Tier == m.Tier).ToList();
            Assert.Equal(m.Consumers, tier.Count * ppa, 6);
            Assert.Equal(m.PrimaryUsers, tier.Count(a => a.PrimaryPlatform == m.Platform) * ppa, 6);
            Assert.Equal(m.AnnualActive, tier.Count(a => a.StepsSinceOrder[p] is { } s && s < model.AnnualSteps) * ppa, 6);
            checkedCells++;
        }
        Assert.Equal(2 * model.T * model.P, checkedCells);
        // The primary platform is always in the set, and a platform outside the set has no order recency.
        Assert.All(agents, a => Assert.True(a.Uses[model.Dimensions.PlatformIds.ToList().IndexOf(a.PrimaryPlatform)]));
        Assert.All(agents, a => Assert.All(Enumerable.Range(0, model.P), p => Assert.Equal(a.Uses[p], a.StepsSinceOrder[p] is not null)));
    }

    [Fact]
    public async Task Sample_IsTheSameAgentsAtEveryDateAndThreadCount()
    {
        var model = Model("{dates: [2017-08-01, 2018-06-20], sample: 0.05}");
        string one = await RunAsync(model, 1, "one"), two = await RunAsync(model, 2, "two");
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(one, "agents.parquet"))),
                     SHA256.HashData(File.ReadAllBytes(Path.Combine(two, "agents.parquet"))));

        var rows = await RunOutputReader.ReadAgentsAsync(one, model.Dimensions.PlatformIds);
        int first = rows.Min(r => r.Step), last = rows.Max(r => r.Step);
        var early = rows.Where(r => r.Step == first).Select(r => (r.Tier, r.Agent)).ToHashSet();
        var late = rows.Where(r => r.Step == last).Select(r => (r.Tier, r.Agent)).ToHashSet();
        // Agents do not leave, so every agent sampled early is sampled late; the newcomers are arrivals since.
        Assert.Subset(late, early);
        Assert.True(late.Count > early.Count, "arrivals between the dates add sampled agents");
        // The sample is 5 % of the agents present: within 4.5 standard deviations of a binomial draw.
        double n = model.InitialAgents.Sum(), sd = Math.Sqrt(n * 0.05 * 0.95);
        Assert.InRange(early.Count, 0.05 * n - 4.5 * sd, 0.05 * n + 4.5 * sd);
        // An agent's cohort is its own for life: the same at both dates.
        var cohortEarly = rows.Where(r => r.Step == first).ToDictionary(r => (r.Tier, r.Agent), r => r.Cohort);
        Assert.All(rows.Where(r => r.Step == last && cohortEarly.ContainsKey((r.Tier, r.Agent))),
            r => Assert.Equal(cohortEarly[(r.Tier, r.Agent)], r.Cohort));
    }

    [Fact]
    public async Task Traits_AreTheCohortsTraits_AndStreamerIsNullWithoutOne()
    {
        var model = Model("{dates: [2017-12-01], sample: 0.02}", extra: "streamers: ~\nalliances: ~\n");   // the alliance supplies through a community: it goes too
        string folder = await RunAsync(model, 2, "traits");
        var rows = await RunOutputReader.ReadAgentsAsync(folder, model.Dimensions.PlatformIds);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Null(r.Streamer));
        Assert.All(rows, r => Assert.InRange(r.Satisfaction, 0, 1));
    }

    [Fact]
    public async Task NoSnapshotDates_WritesNoAgentsFile()
    {
        var model = Model("{dates: []}");
        Assert.Null(AgentSnapshotRecorder.For(model));
        string folder = await RunAsync(model, 2, "none");
        Assert.False(File.Exists(Path.Combine(folder, "agents.parquet")));
    }

    [Fact]
    public void Recorder_SavedAndLoaded_GivesTheSameFile()
    {
        // A checkpoint carries the snapshots taken so far after the engine state; reading them back must restore every row.
        var model = Model("{dates: [2017-07-20], sample: 0.1}", agents: 5_000);
        var sim = new Simulation(model, 1);
        var recorder = AgentSnapshotRecorder.For(model)!;
        while (!sim.Done && recorder.Rows == 0) { sim.Step(); recorder.Observe(sim); }
        Assert.True(recorder.Rows > 0);
        using var stream = new MemoryStream();
        recorder.Save(stream);
        stream.Position = 0;
        var copy = AgentSnapshotRecorder.For(model)!;
        copy.Load(stream);
        Assert.Equal(recorder.Rows, copy.Rows);
        stream.SetLength(stream.Length - 3);
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => AgentSnapshotRecorder.For(model)!.Load(stream));
    }
}
