using System.Diagnostics;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// <see cref="RunFolder.RunAsync"/> and <see cref="FolderLock"/> in this process: how a run folder ends (completed,
/// interrupted with and without a checkpoint, resumed, busy, unwritable), what is left in it each time, and what the
/// caller is told. `marketsim run` runs the same code in the CLI tests' child processes, which Stryker's per-test
/// coverage does not see (issue 32, item 6).
/// </summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MarketModel Model(bool charts = true)
    {
        string parent = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        var loaded = ScenarioLoader.LoadText(
            $"extends: {parent}\nname: folder\npopulation: {{agents: 4000}}\ncalendar: {{steps: 20}}\noutputs: {{charts: {(charts ? "true" : "false")}}}\n",
            "folder.yaml", Path.GetDirectoryName(parent));
        Assert.True(loaded.Ok, string.Join("; ", loaded.Problems));
        return new MarketModel(loaded.Scenario!);
    }

    private static RunManifest Manifest(MarketModel model) =>
        new("folder", "name: folder\n", new string('0', 64), model.Scenario.Seed, model.Scenario.Population.Agents, model.PeoplePerAgent, 0, "test");

    /// <summary>Records what the caller is shown, and can stop the run after a given number of steps.</summary>
    private sealed class Progress(CancellationTokenSource? stop = null, int stopAfter = int.MaxValue) : IRunFolderProgress
    {
        public List<bool> Initialised { get; } = [];
        public List<int> SteppingCalls { get; } = [];
        public List<int> Advanced { get; } = [];

        void IRunFolderProgress.Initialised(Simulation simulation, bool resumed) => Initialised.Add(resumed);

        Task IRunFolderProgress.SteppingAsync(int steps, Func<Action<StepMetrics>, Task> stepping)
        {
            SteppingCalls.Add(steps);
            return stepping(m =>
            {
                Advanced.Add(m.Step);
                if (Advanced.Count == stopAfter) stop?.Cancel();
            });
        }
    }

    private sealed class Charts
    {
        public List<(string Folder, int[] Steps)> Calls { get; } = [];

        public void Draw(string folder, IReadOnlyList<StepMetrics> steps)
        {
            Calls.Add((folder, steps.Select(s => s.Step).ToArray()));
            File.WriteAllBytes(Path.Combine(folder, "drawn.png"), [1]);
        }
    }

    private static Task<RunFolderResult> Run(MarketModel model, string folder, RunFolderOptions options, RunCheckpointData? checkpoint = null,
        Charts? charts = null, IRunFolderProgress? progress = null, CancellationToken ct = default) =>
        RunFolder.RunAsync(model, Manifest(model), folder, options, checkpoint, charts is null ? null : charts.Draw, progress, Stopwatch.StartNew(),
            DateTimeOffset.UnixEpoch, ct);

    private static string[] Names(string folder) => [.. Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task NewFolder_Completes_EveryStepObserved_ChartsDrawnOnce_SuccessWritten_NoCheckpointLeft()
    {
        var model = Model();
        string folder = _temp.Run("new");
        var charts = new Charts();
        var progress = new Progress();
        var result = await Run(model, folder, new RunFolderOptions(Threads: 1), charts: charts, progress: progress);

        Assert.Equal((RunFolderOutcome.Completed, "", (Exception?)null, model.Steps, false), (result.Outcome, result.Message, result.Fault, result.Step, result.CheckpointKept));
        Assert.True(result.AgentSteps >= 4000L * model.Steps, $"{result.AgentSteps} agent-steps for 4000 agents × {model.Steps} steps");
        Assert.Equal([false], progress.Initialised);
        Assert.Equal([model.Steps], progress.SteppingCalls);
        Assert.Equal(Enumerable.Range(0, model.Steps), progress.Advanced);
        var call = Assert.Single(charts.Calls);
        Assert.Equal(folder, call.Folder);
        Assert.Equal(Enumerable.Range(0, model.Steps), call.Steps);
        var names = Names(folder);
        Assert.Contains("_SUCCESS", names);
        Assert.Contains("metrics.parquet", names);
        Assert.Contains("drawn.png", names);
        Assert.DoesNotContain(RunCheckpoint.FileName, names);
        Assert.DoesNotContain(RunCheckpoint.FileName + ".no-charts", names);
        // The lock files stay (removing a lock file others may open would race).
        Assert.Contains(FolderLock.FileName, names);
        // Every step of a short run in one row group (StepTable.RowGroupRows: up to about a million rows per group).
        foreach (string table in new[] { "metrics.parquet", "flows.parquet" })
        {
            await using var reader = await Parquet.ParquetReader.CreateAsync(Path.Combine(folder, table));
            Assert.Equal(1, reader.RowGroupCount);
        }
    }

    [Fact]
    public async Task ChartsOff_ByOptionOrByTheScenario_DrawNothing_AndTheRunCompletes()
    {
        var charts = new Charts();
        var off = await Run(Model(), _temp.Run("option-off"), new RunFolderOptions(Threads: 1, Charts: false), charts: charts);
        var scenarioOff = await Run(Model(charts: false), _temp.Run("scenario-off"), new RunFolderOptions(Threads: 1), charts: charts);
        Assert.Equal((RunFolderOutcome.Completed, RunFolderOutcome.Completed), (off.Outcome, scenarioOff.Outcome));
        Assert.Empty(charts.Calls);
        Assert.True(File.Exists(Path.Combine(_temp.Run("option-off"), "_SUCCESS")));
    }

    [Fact]
    public async Task Interrupted_WithCheckpoints_KeepsOne_AndTheResumedRunWritesTheBytesOfAnUnbrokenOne_WithoutCharts()
    {
        var model = Model();
        string whole = _temp.Run("whole"), broken = _temp.Run("broken");
        Assert.Equal(RunFolderOutcome.Completed, (await Run(model, whole, new RunFolderOptions(Threads: 1, Charts: false))).Outcome);

        using var cts = new CancellationTokenSource();
        var stopped = await Run(model, broken, new RunFolderOptions(Threads: 1, CheckpointEvery: 5, Charts: false),
            progress: new Progress(cts, stopAfter: 7), ct: cts.Token);
        Assert.Equal((RunFolderOutcome.Interrupted, 7, true), (stopped.Outcome, stopped.Step, stopped.CheckpointKept));
        Assert.True(File.Exists(RunCheckpoint.PathIn(broken)));
        // Started without charts: remembered beside the checkpoint, so that the resumed run draws none either.
        Assert.True(File.Exists(RunFolder.NoChartsMarker(broken)));
        Assert.False(File.Exists(Path.Combine(broken, "_SUCCESS")));
        Assert.Empty(Directory.GetFiles(broken, "*.parquet"));

        var checkpoint = RunCheckpoint.Load(broken);
        Assert.Equal(7, checkpoint.Steps.Count);
        var charts = new Charts();
        var progress = new Progress();
        RunFolderResult resumed;
        await using (checkpoint.EngineState)
            resumed = await Run(model, broken, new RunFolderOptions(Threads: 2), checkpoint, charts, progress);
        Assert.Equal((RunFolderOutcome.Completed, model.Steps, false), (resumed.Outcome, resumed.Step, resumed.CheckpointKept));
        Assert.Equal([true], progress.Initialised);
        Assert.Equal([model.Steps - 7], progress.SteppingCalls);
        Assert.Empty(charts.Calls);
        Assert.False(File.Exists(RunCheckpoint.PathIn(broken)));
        Assert.False(File.Exists(RunFolder.NoChartsMarker(broken)));
        foreach (string table in new[] { "metrics.parquet", "flows.parquet" })
            Assert.True(File.ReadAllBytes(Path.Combine(whole, table)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(broken, table))), table + " differs");
    }

    [Fact]
    public async Task Interrupted_WithChartsOn_KeepsNoMarker_AndACheckpointSavedOnTheCadence()
    {
        var model = Model();
        string folder = _temp.Run("cadence");
        using var cts = new CancellationTokenSource();
        var stopped = await Run(model, folder, new RunFolderOptions(Threads: 1, CheckpointEvery: 4), progress: new Progress(cts, stopAfter: 9), ct: cts.Token);
        Assert.Equal((RunFolderOutcome.Interrupted, true), (stopped.Outcome, stopped.CheckpointKept));
        Assert.False(File.Exists(RunFolder.NoChartsMarker(folder)));
        var checkpoint = RunCheckpoint.Load(folder);
        await checkpoint.EngineState.DisposeAsync();
        Assert.Equal(Enumerable.Range(0, 9), checkpoint.Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task Interrupted_WithoutCheckpoints_NewFolderLeavesNoTrace_ReusedFolderLosesItsSuccess()
    {
        var model = Model();
        string fresh = _temp.Run("fresh");
        using (var cts = new CancellationTokenSource())
        {
            var r = await Run(model, fresh, new RunFolderOptions(Threads: 1), progress: new Progress(cts, stopAfter: 3), ct: cts.Token);
            Assert.Equal((RunFolderOutcome.Interrupted, 3, false), (r.Outcome, r.Step, r.CheckpointKept));
        }
        Assert.False(Directory.Exists(fresh), "an interrupted run's new folder was left behind");

        string reused = _temp.Run("reused");
        Directory.CreateDirectory(reused);
        File.WriteAllBytes(Path.Combine(reused, "_SUCCESS"), []);
        File.WriteAllText(Path.Combine(reused, "notes.txt"), "mine");
        using (var cts = new CancellationTokenSource())
        {
            var r = await Run(model, reused, new RunFolderOptions(Threads: 1), progress: new Progress(cts, stopAfter: 3), ct: cts.Token);
            Assert.Equal(RunFolderOutcome.Interrupted, r.Outcome);
        }
        Assert.Equal([FolderLock.FileName, FolderLock.FileName + ".owner", "notes.txt"], Names(reused));
    }

    [Fact]
    public async Task LockedFolder_IsBusy_NamesTheHolder_AndTouchesNothing()
    {
        var model = Model();
        string folder = _temp.Run("busy");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "_SUCCESS"), []);
        using var held = FolderLock.TryAcquire(folder, out string none);
        Assert.NotNull(held);
        Assert.Equal("", none);
        string owner = File.ReadAllText(Path.Combine(folder, FolderLock.FileName + ".owner")).Trim();
        Assert.StartsWith($"pid {Environment.ProcessId} on {Environment.MachineName} since ", owner);
        Assert.EndsWith(" UTC", owner);

        var result = await Run(model, folder, new RunFolderOptions(Threads: 1));
        Assert.Equal((RunFolderOutcome.Busy, 0, false), (result.Outcome, result.Step, result.CheckpointKept));
        Assert.Equal($"{folder} is being written by another marketsim process ({owner}); wait for it to finish or use another --out. Nothing was written.", result.Message);
        Assert.Equal([FolderLock.FileName, FolderLock.FileName + ".owner", "_SUCCESS"], Names(folder));
    }

    [Fact]
    public async Task FolderIsAFile_WriteFailed_WithTheFault_AndNoCheckpoint()
    {
        var model = Model();
        string path = _temp.Run("a-file");
        Directory.CreateDirectory(_temp.Root);
        File.WriteAllText(path, "not a folder");
        var result = await Run(model, path, new RunFolderOptions(Threads: 1));
        Assert.Equal((RunFolderOutcome.WriteFailed, false), (result.Outcome, result.CheckpointKept));
        Assert.IsAssignableFrom<IOException>(result.Fault);
        Assert.Equal("not a folder", File.ReadAllText(path));
    }

    [Fact]
    public void FolderLock_SecondTaker_Refused_UntilReleased_AndDeleteIfOnlyLock_KeepsAnythingElse()
    {
        string folder = _temp.Run("lock");
        Directory.CreateDirectory(folder);
        var first = FolderLock.TryAcquire(folder, out _);
        Assert.NotNull(first);
        Assert.Null(FolderLock.TryAcquire(folder, out string holder));
        Assert.Equal(File.ReadAllText(Path.Combine(folder, FolderLock.FileName + ".owner")).Trim(), holder);
        // An owner file that says nothing: the refusal still names someone.
        File.WriteAllText(Path.Combine(folder, FolderLock.FileName + ".owner"), "\n");
        Assert.Null(FolderLock.TryAcquire(folder, out holder));
        Assert.Equal("another process", holder);
        first!.Dispose();
        using (var again = FolderLock.TryAcquire(folder, out _)) Assert.NotNull(again);

        File.WriteAllText(Path.Combine(folder, "data.parquet"), "x");
        Assert.False(FolderLock.DeleteIfOnlyLock(folder));
        Assert.True(File.Exists(Path.Combine(folder, FolderLock.FileName)));
        File.Delete(Path.Combine(folder, "data.parquet"));
        Assert.True(FolderLock.DeleteIfOnlyLock(folder));
        Assert.False(Directory.Exists(folder));
        Assert.True(FolderLock.DeleteIfOnlyLock(folder));
        Assert.Throws<DirectoryNotFoundException>(() => FolderLock.TryAcquire(folder, out _));
    }

    [Fact]
    public void FolderLock_Me_IsPidHostAndUtcStart()
    {
        string me = FolderLock.Me;
        Assert.Matches($@"^pid {Environment.ProcessId} on {System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)} since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", me);
    }
}
