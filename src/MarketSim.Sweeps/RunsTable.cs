using MarketSim.Output;
using Parquet;
using Parquet.Schema;

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
        var runs = plan.Runs;
        var parameters = plan.Spec.Parameters;

        var run = new DataField<int>("run");
        var point = new DataField<int>("point");
        var replication = new DataField<int>("replication");
        // Signed: Spark, R and Java have no unsigned 64-bit integer. The column holds the unsigned seed's 64 bits
        // reinterpreted (seeds ≥ 2^63 read as negative; docs/sweeps.md shows the conversion back).
        var seed = new DataField<long>("seed");
        var paramFields = ParameterFields(parameters);
        var sha = new DataField<string>("scenario_sha256", nullable: false);
        var status = new DataField<string>("status", nullable: false);
        var error = new DataField<string>("error", nullable: true);   // NULL when the run did not fail
        var fields = new List<DataField> { run, point, replication, seed };
        fields.AddRange(paramFields);
        fields.AddRange([sha, status, error]);

        // The project's writer options (Zstd at a fixed level, whose bytes do not depend on the CPU), so runs.parquet is byte-identical
        // across the machines of a cluster as well as across shard counts.
        var options = MarketSim.Output.ParquetDefaults.Options(fields);

        await AtomicFile.WriteAsync(path, async (stream, _) =>
        {
            await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options, append: false, ct).ConfigureAwait(false))
            {
                writer.CustomMetadata = new Dictionary<string, string>
                {
                    ["marketsim.version"] = plan.ProgramVersion,
                    ["marketsim.sweep_name"] = plan.Spec.Name,
                    ["marketsim.sweep"] = plan.ResolvedYaml(),
                };
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<int>(run, runs.Select(r => r.Index).ToArray(), null, null, ct).ConfigureAwait(false);
                await group.WriteAsync<int>(point, runs.Select(r => r.Point).ToArray(), null, null, ct).ConfigureAwait(false);
                await group.WriteAsync<int>(replication, runs.Select(r => r.Replication).ToArray(), null, null, ct).ConfigureAwait(false);
                await group.WriteAsync<long>(seed, runs.Select(r => unchecked((long)r.Seed)).ToArray(), null, null, ct).ConfigureAwait(false);
                await WriteParametersAsync(group, paramFields, parameters, runs, ct).ConfigureAwait(false);
                await group.WriteAsync<ReadOnlyMemory<char>>(sha, states.Select(s => s.ScenarioSha256.AsMemory()).ToArray(), null, null, ct).ConfigureAwait(false);
                await group.WriteAsync<ReadOnlyMemory<char>>(status, states.Select(s => s.Status.AsMemory()).ToArray(), null, null, ct).ConfigureAwait(false);
                await group.WriteAsync(error, states.Select(s => s.Error.Length == 0 ? null : s.Error).ToArray()).ConfigureAwait(false);
                group.CompleteValidate();
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>One column per swept parameter, typed by its kind (runs.parquet and summary.parquet share them).</summary>
    internal static DataField[] ParameterFields(IReadOnlyList<SweepParameter> parameters) => parameters.Select(p => p.Kind switch
    {
        ParameterKind.Real => (DataField)new DataField<double>(p.Column),
        ParameterKind.Integer => new DataField<long>(p.Column),
        _ => new DataField<string>(p.Column, nullable: false),
    }).ToArray();

    /// <summary>Writes every run's parameter values into the <see cref="ParameterFields"/> columns.</summary>
    internal static async Task WriteParametersAsync(ParquetRowGroupWriter group, DataField[] fields, IReadOnlyList<SweepParameter> parameters,
        IReadOnlyList<SweepRun> runs, CancellationToken ct)
    {
        for (int d = 0; d < parameters.Count; d++)
        {
            int dim = d;
            switch (parameters[d].Kind)
            {
                case ParameterKind.Real:
                    await group.WriteAsync<double>(fields[d], runs.Select(r => (double)r.Values[dim]).ToArray(), null, null, ct).ConfigureAwait(false);
                    break;
                case ParameterKind.Integer:
                    await group.WriteAsync<long>(fields[d], runs.Select(r => (long)r.Values[dim]).ToArray(), null, null, ct).ConfigureAwait(false);
                    break;
                default:
                    await group.WriteAsync<ReadOnlyMemory<char>>(fields[d], runs.Select(r => ((string)r.Values[dim]).AsMemory()).ToArray(), null, null, ct).ConfigureAwait(false);
                    break;
            }
        }
    }
}
