using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;

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
        var agents = CliOptions.WholeNumber("--agents", 1L, Scenarios.ScenarioLimits.MaxAgents, 10_000_000L, "Agents in the measured run.");
        var steps = CliOptions.WholeNumber("--steps", 1, int.MaxValue, 52, "Weekly steps measured.");
        var threads = RunCommand.CommonOptions.Threads();
        var calibration = new Option<FileInfo?>("--calibration")
        {
            Description = "Instead of the run workload, time a calibration's evaluations (its agents and replications, nothing written): " +
                          "the first points of its global design evaluated one after another in this process, each with --threads threads.",
        };
        var evaluations = CliOptions.WholeNumber("--evaluations", 1, 1000, 6, "With --calibration: evaluations timed (the first includes the JIT).");
        var command = new Command("bench",
            "Measure speed and memory on the reference workload: the scenario for 52 weekly steps with Parquet written " +
            "(to a temporary folder, deleted afterwards) and no charts, after a warm-up. Prints agent-steps per second, " +
            "nanoseconds per agent-step, bytes per agent, peak working set, the time split, and the memory a 1-billion-agent run needs.")
        {
            scenario, agents, steps, threads, calibration, evaluations,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(calibration) is { } file)
                return BenchJob.CalibrationAsync(file.ToString(), parse.GetValue(evaluations), parse.GetValue(threads), ct);
            string path = parse.GetValue(scenario)?.ToString() ?? Path.Combine("scenarios", "jd-kuaishou-alliance.yaml");
            var request = new BenchRequest(path, parse.GetValue(agents), parse.GetValue(steps), parse.GetValue(threads));
            return BenchJob.ExecuteAsync(request, ct);
        });
        return command;
    }
}
