using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
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
        var command = new Command("compare",
            "Run a scenario and its baseline R times under common random numbers and report what the scenario changes.\n" +
            "Writes comparison.parquet (scenario − baseline per step × tier × platform, mean and 95 % interval), report.md, " +
            "report.html (self-contained), charts and compare.json; _SUCCESS marks a complete comparison.")
        {
            scenario, baseline, replications, agents, seed, set, threads, output, attribute,
        };
        command.Validators.Add(result =>
        {
            RunCommand.CommonOptions.Validate(result, set, agents, seed);
            CliOptions.CheckOutputFolder(result, output);
        });
        command.SetAction((parse, ct) =>
        {
            var request = new CompareJobRequest(parse.GetValue(scenario)!.ToString(), parse.GetValue(baseline)?.ToString(),
                parse.GetValue(replications), parse.GetValue(agents), parse.GetValue(seed), parse.GetValue(threads),
                parse.GetValue(output)?.FullName, parse.GetValue(set), parse.GetValue(attribute));
            return services.GetRequiredService<CompareJob>().ExecuteAsync(request, ct);
        });
        return command;
    }
}
