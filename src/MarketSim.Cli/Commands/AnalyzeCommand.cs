using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim analyze SWEEP_DIR</c>: sensitivity indices, main effects and a report from a sweep's summary.parquet.</summary>
public static class AnalyzeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var folder = new Argument<DirectoryInfo>("SWEEP_DIR") { Description = "A sweep's output folder (it must hold summary.parquet: the sweep file names outputs)." };
        var bootstrap = CliOptions.OptionalWholeNumber("--bootstrap", 10, 100_000, "Bootstrap resamples for the intervals (default: the sweep file's analysis.bootstrap, else 1000).");
        var bins = CliOptions.OptionalWholeNumber("--bins", 2, 100, "Bins per parameter for main effects (default: analysis.bins, else 5).");
        var seed = CliOptions.OptionalWholeNumber("--seed", 0UL, ulong.MaxValue, "Seed of the bootstrap (default: analysis.seed, else 1). The same data and seed give the same intervals.");
        var outputs = new Option<FileInfo?>("--outputs")
        {
            Description = "A sweep file naming outputs (the sweep's own file with 'outputs:' added or changed): compute them from the stored metrics " +
                          "(metrics/, baseline_metrics/) into summary.parquet first, without rerunning any run. Only outputs and analysis may differ from the sweep that ran.",
        };
        // With --outputs: the --agents and --set the sweep ran with, so that its runs are found again (checked by their hashes).
        var agents = RunCommand.CommonOptions.Agents();
        var sets = RunCommand.CommonOptions.Set();
        var command = new Command("analyze",
            "Analyse a finished sweep: first-order and total Sobol' indices (saltelli design), Morris μ, μ*, σ (morris design), and for any " +
            "design main effects and standardised regression coefficients, with 95 % intervals. Writes SWEEP_DIR/analysis/: sensitivity.parquet, " +
            "charts, report.md and a self-contained report.html.")
        {
            folder, bootstrap, bins, seed, outputs, agents, sets,
        };
        command.Validators.Add(result => RunCommand.CommonOptions.Validate(result, sets, agents, null));
        command.SetAction((parse, ct) => services.GetRequiredService<AnalyzeJob>().ExecuteAsync(
            new AnalyzeRequest(parse.GetValue(folder)!.FullName, parse.GetValue(bootstrap), parse.GetValue(bins), parse.GetValue(seed),
                parse.GetValue(outputs)?.FullName, parse.GetValue(agents), parse.GetValue(sets)), ct));
        return command;
    }
}
