using System.CommandLine;
using MarketSim.Cli.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim run SCENARIO</c>: one simulation from a scenario file to Parquet and charts.</summary>
public static class RunCommand
{
    /// <summary>Options shared by commands that run simulations.</summary>
    public static class Shared
    {
        /// <summary>Agent count override.</summary>
        public static Option<long?> Agents() => new("--agents")
        {
            Description = "Number of agents standing for the starting online shoppers (overrides population.agents). " +
                          "Each agent stands for (online shoppers ÷ agents) people.",
        };

        /// <summary>Seed override.</summary>
        public static Option<ulong?> Seed() => new("--seed")
        {
            Description = "Master random seed (overrides the scenario's seed). Same scenario + seed = identical results.",
        };

        /// <summary>Thread count.</summary>
        public static Option<int> Threads() => new("--threads")
        {
            Description = "Worker threads (default: all cores). Results are identical for any value.",
            DefaultValueFactory = _ => 0,
        };

        /// <summary>Scenario file argument.</summary>
        public static Argument<FileInfo> Scenario() => new("SCENARIO")
        {
            Description = "Scenario file (YAML), e.g. scenarios/jd-kuaishou-alliance.yaml",
        };
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var scenario = Shared.Scenario();
        var agents = Shared.Agents();
        var seed = Shared.Seed();
        var threads = Shared.Threads();
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Write results to exactly this folder (default: output/<scenario>/<run-id>).",
        };
        var noCharts = new Option<bool>("--no-charts") { Description = "Skip the PNG charts." };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Check the scenario and print the memory the run needs, without running or writing anything.",
        };
        var command = new Command("run",
            "Simulate a scenario and write Parquet results and PNG charts.\n" +
            "Writes metrics.parquet (per step × tier × platform), flows.parquet (primary switches), " +
            "overlap.parquet (multi-homing), calibration.parquet, run.json and charts; _SUCCESS marks a complete run.")
        {
            scenario, agents, seed, threads, output, noCharts, dryRun,
        };
        command.SetAction((parse, ct) =>
        {
            var request = new RunRequest(parse.GetValue(scenario)!.ToString(), parse.GetValue(agents), parse.GetValue(seed),
                parse.GetValue(threads), parse.GetValue(output)?.FullName, !parse.GetValue(noCharts), parse.GetValue(dryRun));
            return services.GetRequiredService<RunJob>().ExecuteAsync(request, ct);
        });
        return command;
    }
}
