using System.Globalization;
using MarketSim.Cli.Terminal;
using MarketSim.Compare;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Runs;

/// <summary>
/// <c>run --posterior K</c>: K parameter sets drawn from a posterior ensemble, each a scenario checked before the run
/// starts (nothing written on error), run after the main run and banded into <see cref="PosteriorBands.FileName"/>
/// before <c>_SUCCESS</c>.
/// </summary>
internal sealed class PosteriorRuns
{
    private PosteriorRuns(PosteriorEnsemble ensemble, int[] rows, IReadOnlyList<Scenario> draws, IReadOnlyList<ulong> seeds)
    {
        Ensemble = ensemble;
        Rows = rows;
        Draws = draws;
        Seeds = seeds;
    }

    public PosteriorEnsemble Ensemble { get; }

    /// <summary>The ensemble row of each draw.</summary>
    public int[] Rows { get; }

    /// <summary>Each draw's scenario: the run's file and options, the set's values and the draw's seed.</summary>
    public IReadOnlyList<Scenario> Draws { get; }

    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>
    /// Reads the ensemble, draws K sets (seeded by the scenario's seed) and loads the scenario at each; null after
    /// printing every problem (one line each, exit 2).
    /// </summary>
    public static async Task<PosteriorRuns?> PrepareAsync(RunRequest request, ScenarioLoadResult loaded, int k, CancellationToken ct)
    {
        var problems = new List<string>();
        var scenario = loaded.Scenario!;
        var (ensemble, problem) = await PosteriorInput.ReadAsync(request.Ensemble, request.ScenarioPath!, scenario.FittedBy, ct);
        if (problem is not null) problems.Add(problem);
        if (ensemble is not null)
        {
            if (ensemble.NotMadeFor([request.ScenarioPath!, .. loaded.ExtendsPath is { } parent ? new[] { parent } : []]) is { } foreign) problems.Add(foreign);
            var overrides = request.Overrides();
            problems.AddRange(PosteriorDraws.SetBySampled(overrides, ensemble, "a run"));
            if (k is < 1 or > PosteriorEnsemble.MaxDraws)
                problems.Add($"--posterior: expected a number of draws from 1 to {PosteriorEnsemble.MaxDraws.ToString(CultureInfo.InvariantCulture)}, got {k.ToString(CultureInfo.InvariantCulture)}");
            if (problems.Count == 0)
            {
                int[] rows = ensemble.Draw(k, scenario.Seed);
                var draws = new List<Scenario>();
                var seeds = new List<ulong>();
                for (int d = 0; d < rows.Length; d++)
                {
                    // Draw d runs with the d-th replication seed of compare: draw 0 with the run's own seed.
                    ulong seed = ComparePlan.ReplicationSeed(scenario.Seed, d);
                    var o = PosteriorDraws.With(overrides, ensemble, rows[d]);
                    o.Set("seed", seed.ToString(CultureInfo.InvariantCulture), "the draw's seed");
                    var one = ScenarioLoader.Load(request.ScenarioPath!, o);
                    if (!one.Ok)
                    {
                        problems.AddRange(one.Problems.Select(p => p.ToString()));
                        break;
                    }
                    draws.Add(one.Scenario!);
                    seeds.Add(seed);
                }
                if (problems.Count == 0) return new PosteriorRuns(ensemble, rows, draws, seeds);
            }
        }
        foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
        return null;
    }

    /// <summary>Runs the draws, writes the bands (and their chart) into the run folder.</summary>
    public async Task WriteAsync(string folder, int threads, bool charts, IReadOnlyList<ChartEvent> events, ILogger logger, CancellationToken ct)
    {
        IReadOnlyList<ArmRun>? runs = null;
        await ProgressReporter.RunAsync($"{Draws.Count} posterior draws", Draws.Count, logger, async advance =>
        {
            var gate = new object();
            runs = await Task.Run(() => PosteriorBands.Simulate(Draws, threads, () =>
            {
                lock (gate) advance(null);
            }, ct), ct);
        });
        var model = new Model.MarketModel(Draws[0]);
        var dates = Enumerable.Range(0, model.Steps).Select(model.StepDate).ToArray();
        var bands = PosteriorBands.Compute(runs!, model.Dimensions, dates);
        await bands.WriteAsync(folder, Ensemble.Path, Rows, Seeds, ct);
        if (charts)
            await AtomicFile.WriteAsync(Path.Combine(folder, PosteriorBands.ChartFileName),
                bands.Chart($"{Draws[0].DisplayName()}: annual-active users, median and 90 % band over {Draws.Count} posterior draws", events), ct);
    }
}
