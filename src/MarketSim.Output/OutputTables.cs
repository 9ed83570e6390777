using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Output;

/// <summary>
/// One table a run can write: its name, file, the key that switches it under <c>outputs:</c> (scenario and sweep
/// files), what it holds, and for the per-step tables how to make its writer. The schema is the writer's.
/// </summary>
/// <param name="Name">Table name; the file is <c>NAME.parquet</c>, a sweep's folder <c>NAME/run=…/</c>.</param>
/// <param name="Key">Key under <c>outputs:</c> that switches it; null for the tables every run writes.</param>
/// <param name="Doc">Its line in docs/output.md's folder layout (a test holds the two together).</param>
/// <param name="InSweepByDefault">Kept by a sweep whose file does not mention the key (single runs keep every table by default).</param>
/// <param name="InScenario">Whether a scenario's <c>outputs:</c> asks for it; null for the tables every run writes.</param>
/// <param name="InSweeps">Whether a sweep's dataset has a folder of it (agent snapshots are for single runs).</param>
public sealed record OutputTable(string Name, string? Key, string Doc, bool InSweepByDefault,
    Func<OutputSpec, bool>? InScenario = null, bool InSweeps = true)
{
    /// <summary>For a per-step table, its writer over the run's dimensions with a row-group size; null for the others.</summary>
    internal Func<ModelDimensions, int, StepTable>? StepWriter { get; init; }

    /// <summary>The table's file in a run folder.</summary>
    public string FileName => Name + ".parquet";

    /// <summary>True when a key under <c>outputs:</c> switches it.</summary>
    public bool Selectable => Key is not null;
}

/// <summary>
/// The catalogue of output tables, in the order a run publishes them. Scenario and sweep outputs, the run writer,
/// the sweep's dataset folders and docs/output.md's table list all come from here: adding a table is one entry (and,
/// for a per-step table, its <see cref="StepTable"/> class; for a switchable one, a property on <see cref="OutputSpec"/>
/// the scenario binder reads under the same key).
/// </summary>
public static class OutputTables
{
    /// <summary>metrics.parquet.</summary>
    public static readonly OutputTable Metrics = new("metrics", "metrics",
        "per step × tier × platform",
        InSweepByDefault: true, o => o.Metrics)
    { StepWriter = (d, n) => new MetricsTable(d, n) };

    /// <summary>flows.parquet.</summary>
    public static readonly OutputTable Flows = new("flows", "flows",
        "per step × tier × (from, to) platform pair",
        InSweepByDefault: false, o => o.Flows)
    { StepWriter = (d, n) => new FlowsTable(d, n) };

    /// <summary>overlap.parquet.</summary>
    public static readonly OutputTable Overlap = new("overlap", "overlap",
        "per step × tier × platform pair a < b",
        InSweepByDefault: false, o => o.Overlap)
    { StepWriter = (d, n) => new OverlapTable(d, n) };

    /// <summary>calibration.parquet: always written, it is how a run is judged.</summary>
    public static readonly OutputTable Calibration = new("calibration", null,
        "published figures against simulated values", InSweepByDefault: true);

    /// <summary>dimensions.parquet: always written, the ids, names, order and colours of tiers and platforms.</summary>
    public static readonly OutputTable Dimensions = new(DimensionsWriter.Name, null,
        "tiers and platforms: id, name, order, colour", InSweepByDefault: true);

    /// <summary>agents.parquet: written when <c>outputs.agent_snapshots</c> names dates (a sweep keeps none).</summary>
    public static readonly OutputTable Agents = new(AgentSnapshotRecorder.TableName, null,
        "sampled agents at chosen steps",
        InSweepByDefault: false, InSweeps: false);

    /// <summary>Every table, in publication order.</summary>
    public static IReadOnlyList<OutputTable> All { get; } = [Metrics, Flows, Overlap, Calibration, Dimensions, Agents];

    /// <summary>The tables a key under <c>outputs:</c> switches, in order.</summary>
    public static IReadOnlyList<OutputTable> Selectable { get; } = [.. All.Where(t => t.Selectable)];

    /// <summary>The keys under <c>outputs:</c> that switch tables, in order.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Selectable.Select(t => t.Key!)];

    /// <summary>The table switched by <paramref name="key"/>, or null.</summary>
    public static OutputTable? ByKey(string key) => Selectable.FirstOrDefault(t => t.Key == key);
}

/// <summary>
/// Which switchable tables a run writes (<see cref="OutputTables.Selectable"/>): flows and overlap grow with the
/// square of the platform count and are not needed by every study. The tables without a key are always written.
/// </summary>
public sealed class OutputSelection
{
    private readonly HashSet<string> keys;

    /// <summary>A selection of the tables with these keys.</summary>
    /// <exception cref="ArgumentException">A key that is not in the catalogue.</exception>
    public OutputSelection(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        this.keys = new HashSet<string>(keys, StringComparer.Ordinal);
        foreach (var key in this.keys)
            if (OutputTables.ByKey(key) is null)
                throw new ArgumentException($"no output table has the key '{key}'{KeySuggestions.For(key, OutputTables.Keys)}", nameof(keys));
    }

    /// <summary>Every table; the usual choice for a single run.</summary>
    public static OutputSelection All { get; } = new(OutputTables.Keys);

    /// <summary>What a sweep keeps when its file does not say.</summary>
    public static OutputSelection SweepDefault { get; } = new(OutputTables.Selectable.Where(t => t.InSweepByDefault).Select(t => t.Key!));

    /// <summary>The tables a scenario's <c>outputs:</c> asks for.</summary>
    public static OutputSelection Of(OutputSpec outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return new(OutputTables.Selectable.Where(t => t.InScenario!(outputs)).Select(t => t.Key!));
    }

    /// <summary>True when <paramref name="table"/> is written: selected, or one every run writes.</summary>
    public bool Includes(OutputTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Key is null || keys.Contains(table.Key);
    }

    /// <summary>This selection with <paramref name="table"/> switched on or off.</summary>
    public OutputSelection With(OutputTable table, bool on)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Key is null) throw new ArgumentException($"{table.Name} is always written", nameof(table));
        var keys = new HashSet<string>(this.keys, StringComparer.Ordinal);
        if (on) keys.Add(table.Key);
        else keys.Remove(table.Key);
        return new(keys);
    }
}
