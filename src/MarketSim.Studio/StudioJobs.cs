using System.Collections.Concurrent;
using System.Reflection;
using MarketSim.Compare;

namespace MarketSim.Studio;

/// <summary>A background job (attribution or a full compare): its progress, and its result or failure when it ends.</summary>
internal sealed class StudioJob(string id, string kind, long total)
{
    private long done;

    public string Id { get; } = id;

    public string Kind { get; } = kind;

    public long Total { get; set; } = total;

    public long Done => Interlocked.Read(ref done);

    public void Advance() => Interlocked.Increment(ref done);

    public void Reset(long total)
    {
        Total = total;
        Interlocked.Exchange(ref done, 0);
    }

    /// <summary>What the job tells the page when it ends (JSON-serialisable), or null while it runs.</summary>
    public object? Result { get; set; }

    /// <summary>Why the job failed or was cancelled, or null.</summary>
    public string? Error { get; set; }

    /// <summary>The report's file, for a finished full compare.</summary>
    public string? ReportFile { get; set; }

    /// <summary>Completed, failed or cancelled.</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The jobs of a studio, by id (random, so one session cannot guess another's).</summary>
internal sealed class StudioJobs
{
    private readonly ConcurrentDictionary<string, StudioJob> jobs = new(StringComparer.Ordinal);

    public StudioJob New(string kind, long total)
    {
        var job = new StudioJob(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)), kind, total);
        jobs[job.Id] = job;
        return job;
    }

    public StudioJob? Get(string id) => jobs.TryGetValue(id, out var j) ? j : null;
}

/// <summary>
/// The full compare of a saved scenario, as <c>marketsim compare SAVED --baseline BASELINE --agents N --replications R</c>
/// does it: the comparison's plan, runs, tables, report and files, published in the comparison's folder, <c>_SUCCESS</c> last.
/// </summary>
internal static class FullCompare
{
    public static async Task RunAsync(StudioJob job, string scenarioFile, WhatIfEngine engine, string outputRoot, CancellationToken ct)
    {
        try
        {
            var problems = new List<string>();
            var overrides = new MarketSim.ScenarioFiles.ScenarioOverrides();
            overrides.Set("population.agents", engine.Settings.Agents.ToString(System.Globalization.CultureInfo.InvariantCulture), "--agents");
            var plan = ComparePlan.Create(new CompareRequest(scenarioFile, engine.BaselinePath, engine.Settings.Replications, overrides,
                engine.Settings.Threads), problems);
            if (plan is null)
            {
                job.Error = string.Join("\n", problems.Select(p => "error: " + p));
                return;
            }
            job.Reset(2L * plan.Replications * plan.Scenario.Calendar.Steps);
            var started = DateTimeOffset.UtcNow;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var runs = await Task.Run(() => CompareRunner.Run(plan, engine.Settings.Threads, job.Advance, ct), ct);
            var stats = System.Diagnostics.Stopwatch.StartNew();
            var table = ComparisonTable.Compute(runs);
            var totals = TotalsTable.Compute(runs, table.FirstDifferentStep);
            double statsSeconds = stats.Elapsed.TotalSeconds;
            var reportClock = System.Diagnostics.Stopwatch.StartNew();
            var manifest = CompareManifest.Of(plan, runs, ProgramVersion);
            string shownBaseline = Path.GetRelativePath(Directory.GetCurrentDirectory(), plan.BaselinePath);
            var report = CompareReport.Build(table, totals, manifest, ScenarioChanges.Between(plan.Scenario, plan.Baseline),
                CompareCalibration.Mean(runs, Arm.Baseline), Path.GetRelativePath(Directory.GetCurrentDirectory(), scenarioFile), shownBaseline,
                fittedBy: plan.Baseline.FittedBy);
            double reportSeconds = reportClock.Elapsed.TotalSeconds;
            string folder = CompareOutput.DefaultFolder(outputRoot, manifest, DateTime.UtcNow);
            CompareOutput.Prepare(folder);
            var (concurrent, each) = CompareRunner.Concurrency(plan, engine.Settings.Threads);
            await CompareOutput.WriteAsync(folder, table, totals, manifest, report, _ => new CompareTimings(runs.Seconds, statsSeconds,
                reportSeconds, clock.Elapsed.TotalSeconds, concurrent, each, runs.AgentSteps, started, DateTimeOffset.UtcNow), runs, ct);
            job.ReportFile = Path.Combine(folder, CompareOutput.HtmlFileName);
            job.Result = new { report = $"/reports/{job.Id}", folder = Path.GetRelativePath(Directory.GetCurrentDirectory(), folder) };
        }
        catch (OperationCanceledException)
        {
            job.Error = "cancelled";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            job.Error = $"error: the comparison could not be written: {e.Message}";
        }
        finally
        {
            job.Finished.TrySetResult();
        }
    }

    /// <summary>The program's version, as the batch command writes it into compare.json.</summary>
    public static string ProgramVersion =>
        typeof(FullCompare).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
