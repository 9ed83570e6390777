using System.Globalization;
using MarketSim.Calibration;
using MarketSim.Calibration.Posterior;
using MarketSim.Cli.Terminal;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Runs;

/// <summary>
/// <c>calibrate</c> with <c>method: posterior</c>: history matching, then ABC-SMC, into an output folder held by a lock,
/// every point through the resume log, outputs written atomically at the end. Exit codes as calibrate's.
/// </summary>
internal static class PosteriorJob
{
    /// <summary>Runs the posterior into <paramref name="folder"/> (created and locked by the caller); returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(PosteriorProblem posterior, string folder, int threads, bool json, ILogger logger,
        System.Diagnostics.Stopwatch clock, CancellationToken ct)
    {
        var problem = posterior.Problem;
        var evaluator = new CalibrationEvaluator(problem);
        PosteriorLog log;
        try
        {
            log = PosteriorLog.Open(folder, problem);
        }
        catch (EvaluationLogMismatchException e)
        {
            return Invalid(e.Message);
        }
        using (log)
        {
            var model = new CalibrationPosteriorModel(evaluator, log, threads);
            var hm = posterior.HistoryMatching;
            var abc = posterior.Abc;
            // An estimate: the waves, the prior sample and about two proposals per particle in each generation.
            int estimate = hm.Waves * hm.Points + abc.Population * (1 + 2 * abc.MaxGenerations);
            Console.Error.WriteLine($"Posterior of {Path.GetFileName(problem.ScenarioPath)}: {problem.Parameters.Count} parameters ({posterior.FittedCount} fitted), " +
                                    $"{hm.Waves} waves × {hm.Points} points, ABC population {abc.Population}, {problem.Agents} agents × {problem.Seeds.Count} replications, " +
                                    $"{threads} threads, {log.Reused} points from the log; into {folder}");
            PosteriorResult? result = null;
            try
            {
                await ProgressReporter.RunAsync("posterior", estimate, logger, advance =>
                {
                    var gate = new Lock();
                    string stage = "";
                    model.Evaluated = _ => { lock (gate) advance(stage); };
                    return Task.Run(() => result = PosteriorCalibrator.Run(posterior, model, log.Reused, threads, s => stage = s, ct), ct);
                });
                await PosteriorOutputs.WriteAsync(folder, posterior, result!, RunJob.ProgramVersion, ct);
            }
            catch (EvaluationLogMismatchException e)
            {
                return Invalid(e.Message);
            }
            catch (NothingPlausibleException e)
            {
                return Invalid($"{problem.DisplayPath}: {e.Message}");
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
            Summarise(posterior, result!, folder, clock.Elapsed.TotalSeconds, json);
            return ExitCodes.Ok;
        }
    }

    private static void Summarise(PosteriorProblem posterior, PosteriorResult result, string folder, double seconds, bool json)
    {
        var final = result.Final;
        var spreads = PosteriorOutputs.Spreads(posterior, final);
        var inv = CultureInfo.InvariantCulture;
        if (json)
        {
            JsonOut.Write(w =>
            {
                w.WriteString("folder", folder);
                w.WriteNumber("particles", final.Particles.Count);
                w.WriteNumber("epsilon", final.Epsilon);
                w.WriteNumber("effective_sample_size", final.EffectiveSampleSize);
                w.WriteNumber("ran", result.Ran);
                w.WriteNumber("reused", result.Reused);
                w.WriteNumber("seconds", Math.Round(seconds, 1));
                w.WriteStartArray("parameters");
                foreach (var s in spreads)
                {
                    w.WriteStartObject();
                    w.WriteString("path", s.Parameter.Path);
                    w.WriteNumber("median", s.Median);
                    w.WriteNumber("low90", s.Low);
                    w.WriteNumber("high90", s.High);
                    w.WriteNumber("spread_vs_prior", s.SpreadRatio);
                    w.WriteString("verdict", s.Verdict);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return;
        }
        Console.Out.WriteLine($"Posterior: {final.Particles.Count} parameter sets at distance ≤ {final.Epsilon.ToString("G3", inv)} " +
                              $"(effective sample {final.EffectiveSampleSize.ToString("0", inv)}); {result.Ran} points run now, {result.Reused} from the log, in {seconds:F0} s:");
        foreach (var s in spreads)
            Console.Out.WriteLine($"  {s.Parameter.Path}: {s.Median.ToString("G4", inv)} [{s.Low.ToString("G4", inv)}, {s.High.ToString("G4", inv)}] ({s.Verdict})");
        Console.Out.WriteLine($"Results: {folder} (posterior.parquet, posterior-waves.parquet, posterior-generations.parquet, report.html)");
    }

    private static int Invalid(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
