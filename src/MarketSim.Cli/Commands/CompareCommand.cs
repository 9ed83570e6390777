using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
using MarketSim.Output;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim compare SCENARIO</c>: scenario − baseline differences with intervals, as Parquet and a report.</summary>
public static class CompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var scenario = RunCommand.CommonOptions.Scenario();
        var baseline = new Option<FileInfo?>("--baseline")
        {
            Description = "Baseline scenario file (default: the file SCENARIO extends, e.g. scenarios/baseline.yaml).",
        };
        var replications = CliOptions.WholeNumber("--replications", 1, int.MaxValue, 5,
            "Replications; each runs scenario and baseline with the same seed (common random numbers). At least 2 for 95 % intervals.");
        var agents = RunCommand.CommonOptions.Agents();
        var seed = RunCommand.CommonOptions.Seed();
        var threads = RunCommand.CommonOptions.Threads();
        var set = RunCommand.CommonOptions.Set();
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Write results to exactly this folder (default: output/compare/<scenario>-vs-<baseline>/<run-id>).",
        };
        var attribute = new Option<bool>("--attribute")
        {
            Description = "Also split the effect among the clauses the scenario adds (each alliance's supply, logistics, traffic, " +
                          "co-promotion; each added intervention): every combination switched off (2^n runs per replication, n ≤ 8), " +
                          "exact Shapley values with 95 % intervals; writes attribution.parquet and leads the report with the split.",
        };
        var posterior = CliOptions.OptionalWholeNumber("--posterior", 1, PosteriorEnsemble.MaxDraws,
            "Draw K parameter sets from the posterior ensemble and run both arms R times at each (K × R runs, seeds of their own): " +
            "every interval then combines parameter and Monte-Carlo uncertainty, and the report says how much of each difference's " +
            "variance is which. Needs --replications of at least 2.");
        var ensemble = new Option<FileInfo?>("--ensemble")
        {
            Description = "The posterior ensemble for --posterior (a posterior.parquet of 'marketsim calibrate' with method: posterior; " +
                          "default: posterior.parquet beside the calibration file that fitted the baseline, scenarios/calibration/posterior.parquet).",
        };
        var command = new Command("compare",
            "Run a scenario and its baseline R times under common random numbers and report what the scenario changes.\n" +
            "Writes comparison.parquet (scenario − baseline per step × tier × platform, mean and 95 % interval), report.md, " +
            "report.html (self-contained), charts and compare.json; _SUCCESS marks a complete comparison.")
        {
            scenario, baseline, replications, agents, seed, set, threads, output, attribute, posterior, ensemble,
        };
        command.Validators.Add(result =>
        {
            RunCommand.CommonOptions.Validate(result, set, agents, seed);
            CliOptions.CheckOutputFolder(result, output);
            if (result.GetResult(ensemble) is not null && result.GetValue(posterior) is null)
                result.AddError("--ensemble is only read with --posterior K");
        });
        command.SetAction((parse, ct) =>
        {
            var request = new CompareJobRequest(parse.GetValue(scenario)!.ToString(), parse.GetValue(baseline)?.ToString(),
                parse.GetValue(replications), parse.GetValue(agents), parse.GetValue(seed), parse.GetValue(threads),
                parse.GetValue(output)?.FullName, parse.GetValue(set), parse.GetValue(attribute), parse.GetValue(posterior),
                parse.GetValue(ensemble)?.ToString());
            return services.GetRequiredService<CompareJob>().ExecuteAsync(request, ct);
        });
        return command;
    }
}
