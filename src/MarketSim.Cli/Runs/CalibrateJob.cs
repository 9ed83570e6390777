using System.Diagnostics;
using System.Globalization;
using MarketSim.Calibration;
using MarketSim.Cli.Terminal;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Runs;

/// <summary>What <c>marketsim calibrate</c> was asked to do.</summary>
/// <param name="CalibrationPath">The calibration file as given.</param>
/// <param name="OutputFolder">Output folder, or null for output/calibration/&lt;file name&gt;.</param>
/// <param name="Threads">Threads; 0 = all cores.</param>
/// <param name="Json">Print the fit as JSON.</param>
/// <param name="Agents">Agents of every evaluation (<c>--agents</c>), replacing the file's.</param>
/// <param name="Sets"><c>--set path=value</c> values of the fitted scenario.</param>
/// <param name="Validate">After the fit, run the file's rolling-origin validation (<c>--validate</c>).</param>
public sealed record CalibrateRequest(string CalibrationPath, string? OutputFolder, int Threads, bool Json,
    long? Agents = null, IReadOnlyList<string>? Sets = null, bool Validate = false);

/// <summary>
/// A calibration from file to fitted scenario: check everything (nothing written on error), hold the output folder,
/// search with progress, write the outputs. Exit codes as the other commands: 2 bad input, 4 folder busy, 130 interrupted.
/// </summary>
public sealed class CalibrateJob(ILogger<CalibrateJob> logger)
{
    /// <summary>Runs a request; returns the process exit code.</summary>
    public async Task<int> ExecuteAsync(CalibrateRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Threads < 0) return Invalid("--threads must be ≥ 0 (0 = all cores)");
        var loaded = CalibrationFile.LoadWithMethod(request.CalibrationPath, null, ScenarioOverrides.FromOptions(request.Agents, null, request.Sets, []));
        if (!loaded.Ok || (loaded.Optimise ?? loaded.Posterior?.Problem) is not { } problem)
        {
            foreach (var p in loaded.Problems) Console.Error.WriteLine($"error: {p}");
            return ExitCodes.InvalidInput;
        }
        if (request.Validate && loaded.Posterior is not null)
            return Invalid($"{request.CalibrationPath}: --validate refits a best point at each origin; it is not run with method: posterior");
        if (request.Validate && problem.Validation is null)
            return Invalid($"{request.CalibrationPath}: --validate needs a validation: section (origins, horizons, budget; docs/calibration.md)");
        string folder = Path.GetFullPath(request.OutputFolder
            ?? Path.Combine("output", "calibration", Path.GetFileNameWithoutExtension(request.CalibrationPath)));
        if (Faults.OutputFolderProblem(folder) is { } bad) return Invalid(bad);
        // Outputs never go beside the calibration's own inputs: calibrated.yaml or a report could overwrite one of them.
        if (problem.InputFiles.FirstOrDefault(f => string.Equals(Path.GetDirectoryName(f), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) is { } input)
            return Invalid($"{(request.OutputFolder is null ? "the output folder" : "--out")} {request.OutputFolder ?? folder}: holds the calibration's input " +
                           $"{Path.GetFileName(input)}; the outputs would mix with (or overwrite) it: choose a folder of its own");
        int threads = request.Threads > 0 ? request.Threads : Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (Faults.IsEnvironmental(e))
        {
            return Invalid($"--out {folder}: {Faults.Describe(e)}");
        }
        using var held = FolderLock.TryAcquire(folder, out string holder);
        if (held is null)
        {
            Console.Error.WriteLine($"error: {folder} is being written by another process ({holder}); wait for it or choose another --out");
            return ExitCodes.Busy;
        }
        if (loaded.Posterior is { } posterior)
            return await PosteriorJob.ExecuteAsync(posterior, folder, threads, request.Json, logger, clock, ct);
        var evaluator = new CalibrationEvaluator(problem);
        EvaluationLog log;
        try
        {
            log = EvaluationLog.Open(folder, problem, evaluator);
        }
        catch (EvaluationLogMismatchException e)
        {
            return Invalid(e.Message);
        }
        using (log)
        {
            var calibrator = new Calibrator(evaluator, log, threads);
            string scenarioName = Path.GetFileName(problem.ScenarioPath);
            int fitted = problem.Fitted.Count(f => f);
            logger.CalibrationStarting(problem.Parameters.Count, scenarioName, fitted, problem.Targets.Count, problem.Budget.GlobalPoints, problem.Budget.LocalEvaluations, problem.Agents, problem.Seeds.Count,
                threads, log.Reused, folder);
            CalibrationResult? result = null;
            ValidationResult? validation = null;
            var plan = request.Validate ? problem.Validation : null;
            try
            {
                int budget = calibrator.Budget + (plan is null ? 0 : RollingOrigin.Budget(plan));
                await ProgressReporter.RunAsync("calibrate", budget, logger, advance =>
                {
                    var gate = new Lock();
                    double best = double.MaxValue;
                    calibrator.Evaluated = (r, _) =>
                    {
                        lock (gate)
                        {
                            best = Math.Min(best, r.Evaluation.Objective);
                            advance($"{(r.Stage == CalibrationStage.Global ? "global" : "local")}, best {best.ToString("G4", CultureInfo.InvariantCulture)}");
                        }
                    };
                    // Each origin's refit after the fit; its evaluations advance the same bar.
                    void Validated(DateOnly origin, EvaluationRecord r, bool fresh)
                    {
                        lock (gate) advance($"validation from {origin:yyyy-MM-dd}, {(r.Stage == CalibrationStage.Global ? "global" : "local")}");
                    }
                    return Task.Run(() =>
                    {
                        result = calibrator.Run(ct);
                        if (plan is not null) validation = RollingOrigin.Run(problem, folder, threads, Validated, ct);
                    }, ct);
                });
                await CalibrationOutputs.WriteAsync(folder, evaluator, result!, RunJob.ProgramVersion, threads, validation, ct);
            }
            catch (EvaluationLogMismatchException e)
            {
                return Invalid(e.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                logger.CalibrationInterrupted(folder);
                return ExitCodes.Interrupted;
            }
            catch (CalibrationInputException e)
            {
                return Invalid(e.Message);
            }
            catch (Exception e) when (Faults.IsEnvironmental(e))
            {
                Console.Error.WriteLine($"error: {Faults.Describe(e)}");
                return ExitCodes.Failed;
            }
            Summarise(problem, result!, validation, folder, clock.Elapsed.TotalSeconds, request.Json);
            return ExitCodes.Ok;
        }
    }

    private static void Summarise(CalibrationProblem problem, CalibrationResult result, ValidationResult? validation, string folder, double seconds, bool json)
    {
        var summary = validation is null ? [] : ValidationOutputs.Summarise(validation.Rows, id => id, problem.Validation!.Horizons);
        var best = result.Best.Evaluation;
        var fit = CalibrationOutputs.FitRows(problem, best);
        if (json)
        {
            JsonOut.Write(w =>
            {
                w.WriteString("folder", folder);
                w.WriteNumber("objective", best.Objective);
                w.WriteNumber("evaluations", result.Records.Count);
                w.WriteNumber("ran", result.Ran);
                w.WriteNumber("reused", result.Reused);
                w.WriteNumber("seconds", Math.Round(seconds, 1));
                w.WriteStartObject("parameters");
                for (int i = 0; i < problem.Parameters.Count; i++) w.WriteNumber(problem.Parameters[i].Path, best.Values[i]);
                w.WriteEndObject();
                w.WriteStartArray("fit");
                foreach (var r in fit)
                {
                    w.WriteStartObject();
                    w.WriteNumber("target", r.Target);
                    w.WriteString("period", r.Period);
                    w.WriteString("platform", r.Platform);
                    w.WriteString("metric", r.Metric);
                    w.WriteNumber("reported", r.Reported);
                    w.WriteNumber("simulated", r.Simulated);
                    w.WriteNumber("relative_error", r.RelativeError);
                    w.WriteBoolean("fitted", r.InSample);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (validation is not null)
                {
                    w.WriteStartArray("validation");
                    foreach (var v in summary)
                    {
                        w.WriteStartObject();
                        w.WriteString("figures", v.Group);
                        w.WriteNumber("horizon_quarters", v.Horizon);
                        w.WriteNumber("count", v.Count);
                        if (v.Count > 0)
                        {
                            w.WriteNumber("model_mape", v.ModelMape);
                            w.WriteNumber("naive_mape", v.NaiveMape);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
            });
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine($"Best objective {best.Objective.ToString("G4", inv)} after {result.Records.Count} evaluations ({result.Ran} run now, {result.Reused} from the log) in {seconds:F0} s:");
        for (int i = 0; i < problem.Parameters.Count; i++)
            Console.Out.WriteLine($"  {problem.Parameters[i].Path} = {best.Values[i].ToString("G6", inv)}");
        Console.Out.WriteLine($"Fitted targets within tolerance: {fit.Count(r => r.InSample && r.WithinTolerance)} of {fit.Count(r => r.InSample)}; " +
                              $"held out: {fit.Count(r => !r.InSample && r.WithinTolerance)} of {fit.Count(r => !r.InSample)}.");
        foreach (var v in summary.Where(v => v.Count > 0))
            Console.Out.WriteLine($"Validation, {v.Group}, {v.Horizon} q ahead: mean absolute error {(100 * v.ModelMape).ToString("0.0", inv)} % " +
                                  $"(naive {(100 * v.NaiveMape).ToString("0.0", inv)} %, {v.Count} figures)");
        Console.Out.WriteLine($"Results: {folder} (calibrated.yaml, fit.parquet, evaluations.parquet, {(validation is null ? "" : "validation.parquet, ")}report.html)");
    }

    private static int Invalid(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
