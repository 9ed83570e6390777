using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim run SCENARIO</c>: one simulation from a scenario file to Parquet and charts.</summary>
public static class RunCommand
{
    /// <summary>Options shared by commands that run simulations.</summary>
    public static class CommonOptions
    {
        /// <summary>Agent count override.</summary>
        public static Option<long?> Agents() => CliOptions.OptionalWholeNumber("--agents", 1L, Scenarios.ScenarioLimits.MaxAgents,
            "Number of agents standing for the starting online shoppers (overrides population.agents). " +
            "Each agent stands for (online shoppers ÷ agents) people.");

        /// <summary>Seed override.</summary>
        public static Option<ulong?> Seed() => CliOptions.OptionalWholeNumber("--seed", 0UL, ulong.MaxValue,
            "Master random seed (overrides the scenario's seed). Same scenario + seed = identical results.");

        /// <summary>Thread count.</summary>
        public static Option<int> Threads() => CliOptions.Threads("Worker threads (default: all cores). Results are identical for any value.");

        /// <summary><c>--set path=value</c>, repeatable: any scenario key, as in a sweep's parameters.</summary>
        public static Option<string[]> Set() => new("--set")
        {
            Description = "Override one scenario value without editing a file: --set PATH=VALUE, repeatable; PATH as in a " +
                          "sweep's parameters (e.g. calendar.steps=52, alliances.jd-kuaishou.traffic[0].share=0.5); VALUE is YAML. " +
                          "Checked exactly like the file.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };

        /// <summary>Adds the overrides' syntax errors (malformed --set, a path given twice) to the command's parse errors.</summary>
        public static void Validate(System.CommandLine.Parsing.CommandResult result, Option<string[]> set, Option<long?>? agents, Option<ulong?>? seed)
        {
            var errors = new List<string>();
            ScenarioOverrides.FromOptions(agents is null ? null : result.ValueOrDefault(agents), seed is null ? null : result.ValueOrDefault(seed),
                result.ValueOrDefault(set), errors);
            foreach (var e in errors) result.AddError(e);
        }

        /// <summary>Scenario file argument.</summary>
        public static Argument<FileInfo?> Scenario() => new("SCENARIO")
        {
            Description = "Scenario file (YAML), e.g. scenarios/jd-kuaishou-alliance.yaml",
        };
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var scenario = CommonOptions.Scenario();
        var agents = CommonOptions.Agents();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var set = CommonOptions.Set();
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Write results to exactly this folder (default: output/<scenario>/<run-id>).",
        };
        var noCharts = new Option<bool>("--no-charts") { Description = "Skip the PNG charts." };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Check the scenario and print the memory the run needs, without running or writing anything.",
        };
        var json = new Option<bool>("--json") { Description = "With --dry-run: print the plan as one JSON object on stdout." };
        var checkpointEvery = CliOptions.WholeNumber("--checkpoint-every", 0, int.MaxValue, 0,
            "Save the run's state every K steps (and when interrupted) in DIR/.checkpoint, so that " +
            "'run --resume DIR' can continue it with identical results.");
        var resume = new Option<DirectoryInfo?>("--resume")
        {
            Description = "Continue the interrupted run in this folder from its checkpoint (no SCENARIO needed).",
        };
        var maxMemory = new Option<string?>("--max-memory")
        {
            Description = "Refuse to start if the run is estimated to need more than this, e.g. 8GiB (default: the memory available).",
        };
        var posterior = CliOptions.OptionalWholeNumber("--posterior", 1, PosteriorEnsemble.MaxDraws,
            "Also run the scenario at K parameter sets drawn from the posterior ensemble (one run each, seeds of their own) and write " +
            "posterior_bands.parquet: each level's mean and 90 % band over the draws, and the chart posterior_bands.png.");
        var ensemble = new Option<FileInfo?>("--ensemble")
        {
            Description = "The posterior ensemble for --posterior (default: posterior.parquet beside the calibration file that fitted the scenario).",
        };
        var command = new Command("run",
            "Simulate a scenario and write Parquet results and PNG charts.\n" +
            "Writes metrics.parquet (per step × tier × platform), flows.parquet (primary switches), " +
            "overlap.parquet (multi-homing), calibration.parquet, run.json and charts; _SUCCESS marks a complete run.")
        {
            scenario, agents, seed, set, threads, output, noCharts, dryRun, json, checkpointEvery, resume, maxMemory, posterior, ensemble,
        };
        scenario.Arity = ArgumentArity.ZeroOrOne;
        command.Validators.Add(result =>
        {
            // Presence, not values: a value that did not convert is reported by the parser, and must not hide these.
            bool hasScenario = result.GetResult(scenario) is { Tokens.Count: > 0 }, resuming = result.GetResult(resume) is not null;
            if (hasScenario == resuming)
                result.AddError(resuming ? "give either SCENARIO or --resume DIR, not both" : "SCENARIO is required (or --resume DIR)");
            if (resuming && (result.GetResult(agents) is not null || result.GetResult(seed) is not null || result.GetResult(output) is not null
                             || result.GetResult(set) is not null))
                result.AddError("--resume continues a run as it was started: --agents, --seed, --set and --out cannot change it");
            if (result.ValueOrDefault(json) && !result.ValueOrDefault(dryRun)) result.AddError("--json goes with --dry-run (a run's summary is run.json in its folder)");
            CommonOptions.Validate(result, set, agents, seed);
            CliOptions.CheckOutputFolder(result, output);
            if (resuming && result.GetResult(posterior) is not null)
                result.AddError("--posterior cannot be added to a resumed run: start it again with --posterior K");
            if (result.GetResult(ensemble) is not null && result.GetResult(posterior) is null)
                result.AddError("--ensemble is only read with --posterior K");
            if (result.ValueOrDefault(maxMemory) is { } text && !MemoryGuard.TryParseSize(text, out _))
                result.AddError($"--max-memory: expected a size such as 8GiB or 512MiB, got '{text}'");
        });
        command.SetAction((parse, ct) =>
        {
            long? limit = parse.GetValue(maxMemory) is { } text && MemoryGuard.TryParseSize(text, out long bytes) ? bytes : null;
            var request = new RunRequest(parse.GetValue(scenario)?.ToString(), parse.GetValue(agents), parse.GetValue(seed),
                parse.GetValue(threads), parse.GetValue(output)?.FullName, !parse.GetValue(noCharts), parse.GetValue(dryRun),
                parse.GetValue(checkpointEvery), parse.GetValue(resume)?.FullName, limit, parse.GetValue(set), parse.GetValue(json),
                parse.GetValue(posterior), parse.GetValue(ensemble)?.ToString());
            return services.GetRequiredService<RunJob>().ExecuteAsync(request, ct);
        });
        return command;
    }
}
