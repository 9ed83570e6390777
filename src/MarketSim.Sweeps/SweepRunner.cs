using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Sweeps;

/// <summary>How a sweep process runs its share of the design.</summary>
/// <param name="Shard">Which runs are this process's.</param>
/// <param name="ParallelRuns">Runs executing at once in this process.</param>
/// <param name="ThreadsPerRun">Simulation threads of each run (results do not depend on it).</param>
public sealed record SweepRunOptions(Shard Shard, int ParallelRuns, int ThreadsPerRun);

/// <summary>How one run ended.</summary>
/// <param name="Run">The run.</param>
/// <param name="Ok">True when its outputs were published.</param>
/// <param name="Error">Why it failed; empty when it succeeded.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record SweepRunOutcome(SweepRun Run, bool Ok, string Error, double Seconds);

/// <summary>Receives progress from concurrently executing runs (calls may come from several threads).</summary>
public interface ISweepProgress
{
    /// <summary>Called once before the first run: runs of this shard, and how many of them were already done.</summary>
    void Starting(int shardRuns, int alreadyDone);

    /// <summary>Called when a run has succeeded or failed.</summary>
    void RunFinished(SweepRunOutcome outcome);
}

/// <summary>What a sweep process did.</summary>
/// <param name="ShardRuns">Runs of this shard.</param>
/// <param name="Skipped">Runs already done (resumed).</param>
/// <param name="Succeeded">Runs completed now.</param>
/// <param name="Failures">Runs that failed now.</param>
/// <param name="Interrupted">True when cancelled before every run finished.</param>
/// <param name="DoneInSweep">Runs of the whole design done (all shards), at the end.</param>
/// <param name="TotalInSweep">Runs of the whole design.</param>
/// <param name="Seconds">Wall-clock seconds of this process's runs.</param>
public sealed record SweepResult(int ShardRuns, int Skipped, int Succeeded, IReadOnlyList<SweepRunOutcome> Failures, bool Interrupted,
    int DoneInSweep, int TotalInSweep, double Seconds)
{
    /// <summary>True when every run of the design succeeded and <c>_SUCCESS</c> was written.</summary>
    public bool DatasetComplete => DoneInSweep == TotalInSweep;
}

/// <summary>
/// Executes a sweep's runs into one Hive-partitioned dataset. Layout of the output folder:
/// <c>metrics/run=000012/part-0.parquet</c> (and flows, overlap, calibration), <c>runs.parquet</c>,
/// <c>sweep.resolved.yaml</c>, <c>_runs/run=000012.json</c> (completion marker with status and timings) and
/// <c>_SUCCESS</c>. A run is written under <c>_staging/run=…/</c> with hidden temporary names, its files are renamed
/// into the dataset when complete, and its marker is renamed into place last: a run is done iff its marker says ok,
/// so a sweep killed at any moment resumes by running exactly the runs without one.
/// </summary>
public sealed class SweepRunner(SweepPlan plan, string folder, SweepRunOptions options, ISweepProgress? progress = null)
{
    /// <summary>Tables a run can publish, in this order.</summary>
    public static readonly IReadOnlyList<string> Tables = [.. OutputTables.All.Where(t => t.InSweeps).Select(t => t.Name), BaselineMetricsTable];

    /// <summary>The baseline arm's metrics (sweeps with <c>effect_of</c> that keep metrics).</summary>
    public const string BaselineMetricsTable = "baseline_metrics";

    private const string BaselineArmFolder = "baseline-arm";

    /// <summary>The resolved sweep's file name.</summary>
    public const string ResolvedFileName = "sweep.resolved.yaml";

    /// <summary>Folder of completion markers (ignored by dataset readers: it starts with '_').</summary>
    public const string MarkerFolder = "_runs";

    /// <summary>Folder where runs are written before being published.</summary>
    public const string StagingFolder = "_staging";

    /// <summary>
    /// Null when <paramref name="outputFolder"/> can hold this sweep (new, empty, or the same sweep to resume); otherwise
    /// why not. Writes nothing.
    /// </summary>
    public static string? Conflict(string outputFolder, SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string resolved = Path.Combine(outputFolder, ResolvedFileName);
        if (File.Exists(resolved))
        {
            return File.ReadAllText(resolved) == plan.ResolvedYaml() ? null
                : $"{outputFolder} holds a different sweep (its {ResolvedFileName} differs: the sweep file, base scenario or program version changed); " +
                  "use another --out, or delete the folder to start again";
        }
        // Shards of one sweep start together: another may be writing the resolved file right now (its temporary
        // file exists, the file itself not yet). That folder is not someone else's; this shard writes the same file.
        if (Directory.Exists(outputFolder) && Directory.EnumerateFileSystemEntries(outputFolder).Any(e => !AtomicFile.IsTempFor(e, resolved)))
            return $"{outputFolder} is not empty and holds no {ResolvedFileName}: use another --out";
        return null;
    }

    /// <summary>The marker path of a run.</summary>
    public static string MarkerPath(string outputFolder, SweepRun run) => Path.Combine(outputFolder, MarkerFolder, $"run={run.Id}.json");

    /// <summary>The published path of one table of a run.</summary>
    public static string TablePath(string outputFolder, string table, SweepRun run) =>
        Path.Combine(outputFolder, table, $"run={run.Id}", "part-0.parquet");

    /// <summary>Runs this process's share of the sweep; returns when all are done, or on cancellation (Interrupted).</summary>
    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        await AtomicFile.WriteTextAsync(Path.Combine(folder, ResolvedFileName), plan.ResolvedYaml(), CancellationToken.None).ConfigureAwait(false);
        Directory.CreateDirectory(Path.Combine(folder, MarkerFolder));

        var mine = plan.Runs.Where(r => options.Shard.Owns(r.Index)).ToList();
        // A killed process's leftovers in _staging are removed run by run once claimed (ExecuteAsync): another process
        // may be writing the others.
        var todo = mine.Where(r => ReadState(r).Status != "ok").ToList();
        progress?.Starting(mine.Count, mine.Count - todo.Count);

        var failures = new List<SweepRunOutcome>();
        int succeeded = 0;
        bool interrupted = false;
        using var claims = new RunClaims(folder);
        foreach (var finished in mine.Except(todo)) claims.ClearStale(finished);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.ParallelRuns), CancellationToken = ct };
            var pending = todo;
            while (pending.Count > 0)
            {
                // Runs another live process holds are left to it; this process comes back for them when it has done the
                // rest, and takes over any whose owner died before writing its marker.
                var deferred = new List<SweepRun>();
                await Parallel.ForEachAsync(pending, parallel, async (run, token) =>
                {
                    if (ReadState(run).Status == "ok") return;
                    if (!claims.TryClaim(run))
                    {
                        lock (deferred) deferred.Add(run);
                        return;
                    }
                    SweepRunOutcome outcome;
                    try
                    {
                        // Checked again under the claim: another process may have finished it since.
                        if (ReadState(run).Status == "ok") return;
                        outcome = await ExecuteAsync(run, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        claims.Release(run);
                    }
                    lock (failures)
                    {
                        if (outcome.Ok) succeeded++;
                        else failures.Add(outcome);
                    }
                    progress?.RunFinished(outcome);
                }).ConfigureAwait(false);
                // A run another process held is done when its claim is gone and a marker (ok or failed) was written.
                pending = deferred.Where(r => claims.IsClaimed(r) || ReadState(r) == RunState.Pending).OrderBy(r => r.Index).ToList();
                if (pending.Count > 0) await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            interrupted = true;
        }

        int done = 0;
        if (!interrupted) done = await FinishAsync().ConfigureAwait(false);
        else done = plan.Runs.Count(r => ReadState(r).Status == "ok");
        failures.Sort((a, b) => a.Run.Index.CompareTo(b.Run.Index));
        return new SweepResult(mine.Count, mine.Count - todo.Count, succeeded, failures, interrupted, done, plan.Runs.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One run: load, simulate into the staging folder, publish its tables, then its marker.</summary>
    private async Task<SweepRunOutcome> ExecuteAsync(SweepRun run, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        string staging = Path.Combine(folder, StagingFolder, $"run={run.Id}");
        DeleteFolder(staging);
        string sha = "";
        try
        {
            var loaded = ScenarioLoader.Load(plan.Spec.ScenarioPath, plan.Overrides(run));
            if (!loaded.Ok || loaded.Scenario is not { } scenario)
                throw new SweepRunException("invalid scenario: " + string.Join("; ", loaded.Problems.Select(p => p.Key.Length > 0 ? $"{p.Key}: {p.Message}" : p.Message)));
            sha = loaded.Sha256;
            var model = new MarketModel(scenario);
            var manifest = new RunManifest(scenario.Name, loaded.ResolvedYaml, loaded.Sha256, scenario.Seed, scenario.Population.Agents,
                model.PeoplePerAgent, run.Replication, plan.ProgramVersion);
            var named = plan.Spec.NamedOutputs.Count > 0 ? new NamedOutputAccumulator(plan.Spec.NamedOutputs, model) : null;
            Simulation sim;
            await using (var pipeline = RunPipeline.Start(model, manifest, options.ThreadsPerRun, ct: ct))
            {
                sim = pipeline.Simulation;
                if (named is not null) pipeline.Observe(named.Observe);
                await pipeline.OpenOutputsAsync(staging, plan.Spec.Outputs, ct: ct).ConfigureAwait(false);
                await pipeline.StepToEndAsync(ct).ConfigureAwait(false);
                await pipeline.CompleteAsync(pipeline.Timings(0, clock.Elapsed.TotalSeconds, started), ct: ct).ConfigureAwait(false);
            }

            double[]? baselineValues = plan.Spec.HasBaselineArm ? await RunBaselineArmAsync(run, manifest, staging, ct).ConfigureAwait(false) : null;
            var outputs = OutputValues(named?.Values, baselineValues);

            // Publish: each table by one rename (complete files only), then the marker that makes the run count as done.
            foreach (var table in Tables)
            {
                string source = table == BaselineMetricsTable ? Path.Combine(staging, BaselineArmFolder, "metrics.parquet") : Path.Combine(staging, table + ".parquet");
                if (!File.Exists(source)) continue;
                string target = TablePath(folder, table, run);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(source, target, overwrite: true);
            }
            DeleteFolder(staging);
            await WriteMarkerAsync(run, new RunState("ok", "", sha, outputs), clock.Elapsed.TotalSeconds, sim.Threads,
                sim.AgentSteps / Math.Max(sim.StepSeconds, 1e-9), started).ConfigureAwait(false);
            return new SweepRunOutcome(run, true, "", clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            DeleteFolder(staging);
            throw;
        }
        catch (Exception e)
        {
            // A failed run leaves no tables behind (so the dataset holds exactly the runs runs.parquet calls ok) and a
            // marker with its error; a resumed sweep tries it again.
            DeleteFolder(staging);
            foreach (var table in Tables) DeleteFolder(Path.GetDirectoryName(TablePath(folder, table, run))!);
            string message = e is SweepRunException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            await WriteMarkerAsync(run, new RunState("failed", message, sha), clock.Elapsed.TotalSeconds, options.ThreadsPerRun, 0, started)
                .ConfigureAwait(false);
            return new SweepRunOutcome(run, false, message, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>
    /// The baseline arm of a run: the same scenario, overrides and seed with the <c>effect_of</c> parts switched off, so
    /// that under common random numbers the difference of the outputs is those parts' effect. Its metrics go to
    /// <c>baseline_metrics/</c> when metrics are kept; returns its named outputs.
    /// </summary>
    private async Task<double[]> RunBaselineArmAsync(SweepRun run, RunManifest scenarioManifest, string staging, CancellationToken ct)
    {
        var loaded = ScenarioLoader.Load(plan.Spec.ScenarioPath, plan.Overrides(run));
        var scenario = loaded.Scenario ?? throw new SweepRunException("the baseline arm's scenario did not load");
        foreach (var part in plan.Spec.Baseline) ScenarioClauses.SwitchOff(scenario, part);
        var model = new MarketModel(scenario);
        var named = new NamedOutputAccumulator(plan.Spec.NamedOutputs, model);
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var manifest = scenarioManifest with { ScenarioName = scenarioManifest.ScenarioName + "-baseline-arm" };
        await using var pipeline = RunPipeline.Start(model, manifest, options.ThreadsPerRun, ct: ct).Observe(named.Observe);
        bool keepMetrics = plan.Spec.Outputs.Includes(OutputTables.Metrics);
        if (keepMetrics)
            await pipeline.OpenOutputsAsync(Path.Combine(staging, BaselineArmFolder), new OutputSelection([OutputTables.Metrics.Key!]), ct: ct)
                .ConfigureAwait(false);
        await pipeline.StepToEndAsync(ct).ConfigureAwait(false);
        // Only the arm's metrics are published; its calibration would repeat the scenario's question of another model.
        if (keepMetrics)
            await pipeline.CompleteAsync(pipeline.Timings(0, clock.Elapsed.TotalSeconds, started), withCalibration: false, ct).ConfigureAwait(false);
        return named.Values;
    }

    /// <summary>A run's outputs as its marker records them: each name, and with a baseline arm the effect plus both arms.</summary>
    private List<KeyValuePair<string, double>> OutputValues(double[]? scenario, double[]? baseline)
    {
        var list = new List<KeyValuePair<string, double>>();
        if (scenario is null) return list;
        var named = plan.Spec.NamedOutputs;
        for (int i = 0; i < named.Count; i++)
        {
            if (baseline is null) { list.Add(new(named[i].Name, scenario[i])); continue; }
            list.Add(new(named[i].Name, scenario[i] - baseline[i]));
            list.Add(new(named[i].Name + "_scenario", scenario[i]));
            list.Add(new(named[i].Name + "_baseline", baseline[i]));
        }
        return list;
    }

    /// <summary>
    /// Rebuilds runs.parquet from every run's marker (all shards) and writes <c>_SUCCESS</c> when every run is ok.
    /// Shards finishing at the same time may each rebuild; each rebuild re-reads the markers after publishing and repeats
    /// when they changed meanwhile, so the last file standing reflects every marker.
    /// </summary>
    private async Task<int> FinishAsync()
    {
        string runsPath = Path.Combine(folder, RunsTable.FileName);
        string success = Path.Combine(folder, "_SUCCESS");
        for (int attempt = 0; ; attempt++)
        {
            var states = plan.Runs.Select(ReadState).ToList();
            await RunsTable.WriteAsync(runsPath, plan, states).ConfigureAwait(false);
            if (plan.Spec.NamedOutputs.Count > 0)
                await SummaryTable.WriteAsync(Path.Combine(folder, SummaryTable.FileName), plan, states).ConfigureAwait(false);
            var again = plan.Runs.Select(ReadState).ToList();
            if (!again.Zip(states).All(x => x.First.Same(x.Second)) && attempt < 100) continue;
            int ok = states.Count(s => s.Status == "ok");
            if (ok == plan.Runs.Count)
            {
                await AtomicFile.WriteAsync(success, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
                DeleteFolder(Path.Combine(folder, StagingFolder));
            }
            else AtomicFile.TryDelete(success);
            return ok;
        }
    }

    /// <summary>The state in a run's marker; pending when it has none (or an unreadable one).</summary>
    public RunState ReadState(SweepRun run) => ReadState(folder, run);

    /// <summary>The state in a run's marker in <paramref name="outputFolder"/>.</summary>
    public static RunState ReadState(string outputFolder, SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string path = MarkerPath(outputFolder, run);
        try
        {
            // A marker is state this program wrote; one that is not a small regular file, or not the JSON it wrote, counts
            // as no marker: the run is pending and runs again (its output is rewritten whole).
            if (ScenarioFiles.InputFiles.CheckFile(path, ScenarioFiles.InputFiles.MaxBytes) is not null) return RunState.Pending;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var outputs = new List<KeyValuePair<string, double>>();
            if (root.TryGetProperty("outputs", out var o))
                foreach (var p in o.EnumerateObject()) outputs.Add(new(p.Name, p.Value.GetDouble()));
            return new RunState(root.GetProperty("status").GetString() ?? "pending", root.GetProperty("error").GetString() ?? "",
                root.GetProperty("scenario_sha256").GetString() ?? "", outputs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException
                                      or FormatException or ArgumentException)
        {
            return RunState.Pending;
        }
    }

    private async Task WriteMarkerAsync(SweepRun run, RunState state, double seconds, int threads, double agentStepsPerSecond, DateTimeOffset started)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("run", run.Index);
            json.WriteString("status", state.Status);
            json.WriteString("error", state.Error);
            json.WriteString("scenario_sha256", state.ScenarioSha256);
            if (state.Outputs is { Count: > 0 } values)
            {
                // Kept in the marker so that summary.parquet can be rebuilt from the markers alone, as runs.parquet is.
                json.WriteStartObject("outputs");
                foreach (var (k, v) in values) json.WriteNumber(k, v);
                json.WriteEndObject();
            }
            json.WriteNumber("point", run.Point);
            json.WriteNumber("replication", run.Replication);
            json.WriteString("seed", run.Seed.ToString(CultureInfo.InvariantCulture));
            json.WriteString("shard", options.Shard.ToString());
            json.WriteNumber("threads", threads);
            json.WriteNumber("seconds", Math.Round(seconds, 3));
            if (double.IsFinite(agentStepsPerSecond)) json.WriteNumber("agent_steps_per_second", Math.Round(agentStepsPerSecond));
            json.WriteString("started_utc", started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("finished_utc", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        await AtomicFile.WriteAsync(MarkerPath(folder, run), buffer.ToArray()).ConfigureAwait(false);
    }

    private static void DeleteFolder(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A run that failed for a reason worth one line (e.g. its parameter combination is not a valid scenario).</summary>
public sealed class SweepRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SweepRunException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SweepRunException() { }

    /// <summary>Creates the exception.</summary>
    public SweepRunException(string message, Exception inner) : base(message, inner) { }
}
