using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim calibrate CALIBRATION.yaml</c>: fit scenario parameters to published figures.</summary>
public static class CalibrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var file = new Argument<FileInfo>("CALIBRATION") { Description = "Calibration file (YAML), e.g. scenarios/calibration/default.yaml" };
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Output folder (default: output/calibration/<file name>). Running again into the same folder resumes from its evaluation log.",
        };
        var threads = CliOptions.Threads("Threads (default: all cores). Results are identical for any value.");
        var json = new Option<bool>("--json") { Description = "Print the fit as one JSON object on stdout." };
        var validate = new Option<bool>("--validate")
        {
            Description = "After the fit, run the file's rolling-origin validation (validation: origins, horizons, budget): refit at each origin on " +
                          "the figures dated up to it, forecast the quarters after, against a naive forecast. Writes validation.parquet and a " +
                          "report section; resumes like the fit.",
        };
        var agents = RunCommand.CommonOptions.Agents();
        agents.Description = "Agents of every evaluation (overrides the calibration file's agents:).";
        var set = RunCommand.CommonOptions.Set();
        set.Description += " Applies to the fitted scenario (held fixed by the fit, and written into calibrated.yaml); a fitted path, " +
                           "a path with a list index and the seed cannot be set.";
        var command = new Command("calibrate",
            "Fit scenario parameters to published figures: a space-filling global design (LHS or Sobol), then Nelder–Mead from the best " +
            "points, every point simulated in memory with fixed replication seeds (common random numbers). Targets after holdout_after " +
            "are reported, not fitted. Writes calibrated.yaml (extends the scenario, sets the fitted values), evaluations.parquet, " +
            "fit.parquet, report.md and report.html; a killed calibration resumes from evaluations.jsonl. With method: posterior in the file: " +
            "history-matching waves, then ABC-SMC, writing posterior.parquet (weighted parameter sets) and a report instead. Method: docs/calibration.md.")
        {
            file, agents, set, output, threads, json, validate,
        };
        command.Validators.Add(result =>
        {
            RunCommand.CommonOptions.Validate(result, set, agents, null);
            CliOptions.CheckOutputFolder(result, output);
        });
        command.SetAction((parse, ct) => services.GetRequiredService<CalibrateJob>().ExecuteAsync(
            new CalibrateRequest(parse.GetValue(file)!.ToString(), parse.GetValue(output)?.FullName, parse.GetValue(threads), parse.GetValue(json),
                parse.GetValue(agents), parse.GetValue(set), parse.GetValue(validate)), ct));
        return command;
    }
}
