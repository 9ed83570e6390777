using MarketSim.Output;

namespace MarketSim.Sweeps;

/// <summary>The state of one run as its completion marker records it.</summary>
/// <param name="Status"><c>ok</c>, <c>failed</c>, or <c>pending</c> (no marker yet).</param>
/// <param name="Error">Why a run failed; empty otherwise.</param>
/// <param name="ScenarioSha256">Hash of the run's resolved scenario; empty when it did not load.</param>
/// <param name="Outputs">Named outputs of an ok run (name → value; with a baseline arm also name_scenario, name_baseline).</param>
public sealed record RunState(string Status, string Error, string ScenarioSha256, IReadOnlyList<KeyValuePair<string, double>>? Outputs = null)
{
    /// <summary>A run without a marker.</summary>
    public static RunState Pending { get; } = new("pending", "", "");

    /// <summary>Equal status, error, hash and outputs (records compare lists by reference).</summary>
    public bool Same(RunState other) =>
        other is not null && Status == other.Status && Error == other.Error && ScenarioSha256 == other.ScenarioSha256
        && (Outputs ?? []).SequenceEqual(other.Outputs ?? []);
}

/// <summary>
/// Writes runs.parquet: one row per run of the design (all of them, whatever the shard), with its id, design point,
/// replication, seed, one column per parameter, the resolved scenario's hash, status and error. Its content depends only
/// on the sweep and the runs' markers, never on timings, threads or shards.
/// </summary>
public static class RunsTable
{
    /// <summary>File name in the sweep folder.</summary>
    public const string FileName = "runs.parquet";

    /// <summary>Publishes <paramref name="path"/> atomically (<see cref="AtomicFile"/>).</summary>
    public static async Task WriteAsync(string path, SweepPlan plan, IReadOnlyList<RunState> states, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(states);
        var table = new OneShotTable<(SweepRun Run, RunState State)>()
            .IntColumn("run", x => x.Run.Index)
            .IntColumn("point", x => x.Run.Point)
            .IntColumn("replication", x => x.Run.Replication)
            // Signed: Spark, R and Java have no unsigned 64-bit integer. The column holds the unsigned seed's 64 bits
            // reinterpreted (seeds ≥ 2^63 read as negative; docs/sweeps.md shows the conversion back).
            .LongColumn("seed", x => unchecked((long)x.Run.Seed))
            .ParameterColumns(plan.Spec.Parameters)
            .StringColumn("scenario_sha256", x => x.State.ScenarioSha256)
            .StringColumn("status", x => x.State.Status)
            .NullableStringColumn("error", x => x.State.Error.Length == 0 ? null : x.State.Error);   // NULL when the run did not fail
        var metadata = new Dictionary<string, string>
        {
            ["marketsim.version"] = plan.ProgramVersion,
            ["marketsim.sweep_name"] = plan.Spec.Name,
            ["marketsim.sweep"] = plan.ResolvedYaml(),
        };
        // The project's writer options (Zstd at a fixed level, whose bytes do not depend on the CPU), so runs.parquet is
        // byte-identical across the machines of a cluster as well as across shard counts.
        await table.WriteAsync(path, plan.Runs.Zip(states).ToList(), metadata, ct).ConfigureAwait(false);
    }

    /// <summary>One column per swept parameter, named by its column name: DOUBLE, INT64 or a string, as its kind.</summary>
    internal static OneShotTable<(SweepRun Run, RunState State)> ParameterColumns(this OneShotTable<(SweepRun Run, RunState State)> table,
        IReadOnlyList<SweepParameter> parameters)
    {
        for (int d = 0; d < parameters.Count; d++)
        {
            int dim = d;
            _ = parameters[d].Kind switch
            {
                ParameterKind.Real => table.DoubleColumn(parameters[d].Column, x => (double)x.Run.Values[dim]),
                ParameterKind.Integer => table.LongColumn(parameters[d].Column, x => (long)x.Run.Values[dim]),
                _ => table.StringColumn(parameters[d].Column, x => (string)x.Run.Values[dim]),
            };
        }
        return table;
    }
}
