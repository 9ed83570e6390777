using System.Diagnostics;
using System.Globalization;
using MarketSim.Cli.Terminal;
using MarketSim.Compare;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MarketSim.Cli.Runs;

/// <summary>What the user asked of <c>marketsim compare</c>.</summary>
/// <param name="ScenarioPath">Scenario file.</param>
/// <param name="BaselinePath">Baseline file, or null for the file the scenario extends.</param>
/// <param name="Replications">Replications (at least 1).</param>
/// <param name="Agents">Agent count for both arms, if given.</param>
/// <param name="Seed">Root seed for both arms, if given.</param>
/// <param name="Threads">Worker threads in total, 0 = all cores.</param>
/// <param name="OutputFolder">Exact output folder, or null for the default.</param>
/// <param name="Sets"><c>--set path=value</c> overrides for both arms.</param>
/// <param name="Attribute">Also attribute the effect to the scenario's clauses (Shapley values over every combination).</param>
/// <param name="Posterior">Parameter sets to draw from a posterior ensemble (<c>--posterior K</c>), or null for the scenario's own values.</param>
/// <param name="Ensemble">The ensemble file (<c>--ensemble</c>), or null for the one beside the baseline's <c>fitted_by</c> calibration.</param>
public sealed record CompareJobRequest(string ScenarioPath, string? BaselinePath, int Replications, long? Agents, ulong? Seed,
    int Threads, string? OutputFolder, IReadOnlyList<string>? Sets = null, bool Attribute = false, int? Posterior = null, string? Ensemble = null)
{
    /// <summary>Overrides applied to both scenario and baseline.</summary>
    public IReadOnlyDictionary<string, string> Overrides() =>
        new RunRequest(ScenarioPath, Agents, Seed, Threads, OutputFolder, Sets: Sets).Overrides();
}

/// <summary>
/// A comparison from files to folder: load and check both scenarios (nothing written on error, exit 2), run the 2R
/// simulations in parallel, compute the differences, publish Parquet, charts and reports, <c>_SUCCESS</c> last.
/// </summary>
public sealed class CompareJob(ILogger<CompareJob> logger)
{
    /// <summary>Runs a request; returns the process exit code.</summary>
    public async Task<int> ExecuteAsync(CompareJobRequest request, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var problems = new List<string>();
        var compareRequest = new CompareRequest(request.ScenarioPath, request.BaselinePath, request.Replications, request.Overrides(), request.Threads);
        var plan = ComparePlan.Create(compareRequest, problems);
        if (plan is not null && request.Posterior is { } draws)
        {
            // The default ensemble is found through the plain plan's baseline, then the plan is made again with its draws.
            var (ensemble, problem) = await PosteriorInput.ReadAsync(request.Ensemble, plan.BaselinePath, plan.Baseline.FittedBy, ct);
            plan = ensemble is null ? null : ComparePlan.Create(compareRequest with { Ensemble = ensemble, Draws = draws }, problems);
            if (problem is not null) problems.Add(problem);
        }
        if (plan is null)
        {
            foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
            return ExitCodes.InvalidInput;
        }

        foreach (var warning in plan.ScenarioLoad.Warnings.Union(plan.BaselineLoad.Warnings)) Console.Error.WriteLine($"warning: {warning}");
        IReadOnlyList<string>? clauses = null;
        if (request.Attribute)
        {
            clauses = Attribution.ClausesOf(plan, out string? refusal);
            if (clauses is null)
            {
                Console.Error.WriteLine($"error: {refusal}");
                return ExitCodes.InvalidInput;
            }
        }

        var (concurrent, each) = CompareRunner.Concurrency(plan, request.Threads);
        int steps = plan.Scenario.Calendar.Steps;
        long needed = MemoryEstimate.ForComparison(new Model.MarketModel(plan.Scenario), plan.Replications, concurrent, clauses?.Count ?? 0);
        if (!MemoryGuard.Allows(needed, $"this comparison ({plan.Replications:N0} replications × 2 runs of {plan.Agents:N0} agents" +
                                        (clauses is null ? ")" : $", and {(1L << clauses.Count) - 1} clause combinations each)"),
                "use fewer agents (--agents) or replications (--replications)", null, out string tooLarge))
        {
            Console.Error.WriteLine($"error: {tooLarge}");
            return ExitCodes.InsufficientMemory;
        }
        logger.Comparing(plan.Scenario.Name, plan.Baseline.Name, plan.Replications, plan.Agents, steps, concurrent, each);

        string folder = request.OutputFolder is { } exact ? Path.GetFullPath(exact) : "";
        bool created = false;
        try
        {
            CompareRuns? runs = null;
            var gate = new object();
            await ProgressReporter.RunAsync($"{plan.Scenario.Name} vs {plan.Baseline.Name}", (int)Math.Min(int.MaxValue, 2L * plan.Replications * steps), logger,
                async advance =>
                {
                    runs = await Task.Run(() => CompareRunner.Run(plan, request.Threads, () =>
                    {
                        lock (gate) advance(null);
                    }, ct), ct);
                });
            Attribution? attribution = null;
            if (clauses is not null)
            {
                int extra = (int)Math.Min(int.MaxValue, ((1L << clauses.Count) - 1) * plan.Replications);
                logger.Attribution(clauses.Count, clauses, extra);
                await ProgressReporter.RunAsync("clause combinations", extra, logger, async advance =>
                {
                    attribution = await Task.Run(() => Attribution.Run(plan, runs!, clauses, request.Threads, () =>
                    {
                        lock (gate) advance(null);
                    }, ct), ct);
                });
            }
            var statsClock = Stopwatch.StartNew();
            var table = ComparisonTable.Compute(runs!);
            var totals = TotalsTable.Compute(runs!, table.FirstDifferentStep);
            double statsSeconds = statsClock.Elapsed.TotalSeconds;

            var reportClock = Stopwatch.StartNew();
            var manifest = CompareManifest.Of(plan, runs!, RunJob.ProgramVersion);
            string baselineShown = request.BaselinePath ?? Path.GetRelativePath(Directory.GetCurrentDirectory(), plan.BaselinePath);
            var report = CompareReport.Build(table, totals, manifest, ScenarioChanges.Between(plan.Scenario, plan.Baseline),
                CompareCalibration.Mean(runs!, Arm.Baseline), request.ScenarioPath, baselineShown, attribution: attribution,
                // fitted_by is relative to the baseline file; the report names it from where the user runs (issue 29).
                fittedBy: plan.Baseline.FittedBy.Length == 0 ? "" : Path.GetRelativePath(Directory.GetCurrentDirectory(),
                    Path.Combine(Path.GetDirectoryName(plan.BaselinePath)!, plan.Baseline.FittedBy)).Replace('\\', '/'));
            double reportSeconds = reportClock.Elapsed.TotalSeconds;

            if (folder.Length == 0) folder = CompareOutput.DefaultFolder(Directory.GetCurrentDirectory(), manifest, started.UtcDateTime);
            created = !Directory.Exists(folder);
            CompareOutput.Prepare(folder);
            if (attribution is not null)
                await AttributionFile.WriteAsync(folder, attribution, manifest.Metadata(table.FirstDifferentStep, table.Dates), ct);
            await CompareOutput.WriteAsync(folder, table, totals, manifest, report, _ => new CompareTimings(runs!.Seconds, statsSeconds,
                reportSeconds, total.Elapsed.TotalSeconds, concurrent, each, runs.AgentSteps, started, DateTimeOffset.UtcNow), runs, ct);

            if (report.Headline is { } h)
                AnsiConsole.MarkupLine(Markup.Escape(
                    $"Largest {(h.Low is null ? "" : "significant ")}difference on {h.Date:yyyy-MM-dd}: {h.PlatformName} annual-active users {h.Text}" +
                    (h.Low is { } lo && h.High is { } hi
                        ? $" (95 % interval {CompareReport.FormatPeople(lo)} to {CompareReport.FormatPeople(hi)}" +
                          (h.ParameterShare is { } share ? $"; {(100 * share).ToString("0", CultureInfo.InvariantCulture)} % of the variance from parameter uncertainty)" : ")")
                        : "")));
            if (report.Headline?.Caution is { } caution) AnsiConsole.MarkupLine(Markup.Escape($"Caution: this difference {caution} (report.html says more)."));
            if (attribution is not null)
                foreach (var line in AttributionReport.Lines(attribution)
                             .Concat(AttributionReport.Lines(attribution, "gmv", "own GMV", yuan: true))
                             .Concat(AttributionReport.Lines(attribution, "supplied_gmv", "supplied GMV", yuan: true, platforms: 1)))
                    Console.Out.WriteLine(line); // unwrapped: one line per platform
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{runs!.AgentSteps:N0} agent-steps in {total.Elapsed.TotalSeconds:F1} s.")));
            AnsiConsole.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(folder, CompareOutput.HtmlFileName))}[/]");
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.ComparisonInterrupted();
            RemoveIfEmpty(folder, created);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.ComparisonFailed(e.Message);
            RemoveIfEmpty(folder, created);
            return ExitCodes.Failed;
        }
    }

    private static void RemoveIfEmpty(string folder, bool created)
    {
        if (created && folder.Length > 0 && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
    }
}
