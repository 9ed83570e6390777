using System.CommandLine;
using MarketSim.Cli.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim bench</c>: the reference workload, timed.</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var scenario = new Argument<FileInfo?>("SCENARIO")
        {
            Description = "Scenario to benchmark (default: scenarios/jd-kuaishou-alliance.yaml).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var agents = new Option<long>("--agents")
        {
            Description = "Agents in the measured run.", DefaultValueFactory = _ => 10_000_000,
        };
        var steps = new Option<int>("--steps") { Description = "Weekly steps measured.", DefaultValueFactory = _ => 52 };
        var threads = RunCommand.CommonOptions.Threads();
        var command = new Command("bench",
            "Measure speed and memory on the reference workload: the scenario for 52 weekly steps with Parquet written " +
            "(to a temporary folder, deleted afterwards) and no charts, after a warm-up. Prints agent-steps per second, " +
            "nanoseconds per agent-step, bytes per agent, peak working set, the time split, and the memory a 1-billion-agent run needs.")
        {
            scenario, agents, steps, threads,
        };
        command.SetAction((parse, ct) =>
        {
            string path = parse.GetValue(scenario)?.ToString() ?? Path.Combine("scenarios", "jd-kuaishou-alliance.yaml");
            var request = new BenchRequest(path, parse.GetValue(agents), parse.GetValue(steps), parse.GetValue(threads));
            return BenchJob.ExecuteAsync(request, ct);
        });
        return command;
    }
}
