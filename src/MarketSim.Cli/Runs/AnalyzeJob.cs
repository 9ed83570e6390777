using System.Diagnostics;
using MarketSim.Analysis;
using MarketSim.Cli.Terminal;
using MarketSim.Sweeps;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MarketSim.Cli.Runs;

/// <summary>What <c>marketsim analyze</c> was asked to do.</summary>
/// <param name="SweepFolder">The sweep's output folder.</param>
/// <param name="Bootstrap">Bootstrap resamples, or null for the sweep file's.</param>
/// <param name="Bins">Main-effect bins, or null for the sweep file's.</param>
/// <param name="Seed">Bootstrap seed, or null for the sweep file's.</param>
/// <param name="OutputsFile">A sweep file naming outputs to compute from the stored metrics first (<c>--outputs</c>), or null.</param>
/// <param name="Agents"><c>--agents</c> the sweep ran with (with <paramref name="OutputsFile"/>).</param>
/// <param name="Sets"><c>--set</c> overrides the sweep ran with (with <paramref name="OutputsFile"/>).</param>
public sealed record AnalyzeRequest(string SweepFolder, int? Bootstrap, int? Bins, ulong? Seed, string? OutputsFile = null, long? Agents = null,
    IReadOnlyList<string>? Sets = null);

/// <summary>Reads a sweep's summary.parquet, analyses it and writes the analysis folder (nothing on invalid input).</summary>
public sealed class AnalyzeJob(ILogger<AnalyzeJob> logger)
{
    /// <summary>Runs a request; returns the process exit code.</summary>
    public async Task<int> ExecuteAsync(AnalyzeRequest request, CancellationToken ct)
    {
        if (request.Bootstrap is { } b and (< 10 or > 100_000)) return Invalid($"--bootstrap expects 10 to 100000 resamples, found {b}");
        if (request.Bins is { } k and (< 2 or > 100)) return Invalid($"--bins expects 2 to 100, found {k}");
        var clock = Stopwatch.StartNew();
        try
        {
            if (request.OutputsFile is { } file)
            {
                var errors = new List<string>();
                var overrides = ScenarioFiles.ScenarioOverrides.FromOptions(request.Agents, null, request.Sets, errors);
                if (errors.Count > 0) return Invalid(string.Join("\nerror: ", errors));
                var loaded = SweepFile.Load(file, file, overrides);
                if (!loaded.Ok || loaded.Spec is not { } spec)
                {
                    foreach (var problem in loaded.Problems) Console.Error.WriteLine($"error: {problem}");
                    return ExitCodes.InvalidInput;
                }
                if (!Directory.Exists(Path.Combine(request.SweepFolder, SweepRunner.MarkerFolder)))
                    return Invalid($"{request.SweepFolder}: not a sweep folder (no {SweepRunner.MarkerFolder}/ of run markers)");
                int runs = await StoredOutputs.WriteSummaryAsync(request.SweepFolder, new SweepPlan(spec, RunJob.ProgramVersion), ct: ct);
                Console.Out.WriteLine($"{spec.NamedOutputs.Count} named outputs computed for {runs} runs from the stored metrics (nothing rerun): " +
                                      Path.Combine(request.SweepFolder, SummaryTable.FileName));
            }
            var summary = await SweepSummary.ReadAsync(request.SweepFolder, ct);
            var options = summary.Options with
            {
                Bootstrap = request.Bootstrap ?? summary.Options.Bootstrap,
                Bins = request.Bins ?? summary.Options.Bins,
                Seed = request.Seed ?? summary.Options.Seed,
            };
            return await AnalyseAsync(request.SweepFolder, options, logger, clock, ct);
        }
        catch (AnalysisInputException e)
        {
            return Invalid(e.Message);
        }
        catch (StoredOutputsException e)
        {
            return Invalid(e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.AnalysisInterrupted();
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Analyses a sweep folder and prints the headline; shared with <c>sweep</c> when its file asks for it.</summary>
    internal static async Task<int> AnalyseAsync(string folder, AnalysisOptions? options, ILogger logger, Stopwatch clock, CancellationToken ct)
    {
        logger.Analysing(folder);
        AnalysisReportOutput report;
        try
        {
            report = await AnalysisWriter.RunAsync(folder, options, RunJob.ProgramVersion, ct);
        }
        catch (AnalysisInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        foreach (var line in report.Headline) Console.Out.WriteLine(line); // unwrapped: one line per output
        string target = Path.Combine(folder, AnalysisWriter.FolderName);
        AnsiConsole.MarkupLine(Markup.Escape($"Analysis written to {target} (sensitivity.parquet, report.html, report.md, {report.Charts.Count} charts) in {clock.Elapsed.TotalSeconds:F1} s."));
        return ExitCodes.Ok;
    }

    private static int Invalid(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
