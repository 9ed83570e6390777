using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Cli.Runs;

/// <summary>What a run will allocate, known before allocating it.</summary>
/// <param name="Agents">Agent slots (initial agents plus every arrival over the horizon).</param>
/// <param name="EngineBytes">Agent state, chunk tallies, localities and step tables.</param>
/// <param name="ResultsBytes">Per-step metrics kept for charts.</param>
/// <param name="RuntimeBytes">The .NET runtime, Parquet and chart libraries (measured, rounded up).</param>
/// <param name="SnapshotBytes">Agent snapshots kept until the end (sample × agent slots × snapshot steps rows).</param>
public sealed record MemoryEstimate(long Agents, long EngineBytes, long ResultsBytes, long RuntimeBytes, long SnapshotBytes = 0)
{
    /// <summary>Bytes of one agent snapshot row in memory (packed), and room for the list's growth by doubling.</summary>
    public const int SnapshotRowBytes = 26, SnapshotGrowth = 2;

    /// <summary>Bytes the runtime and libraries take before any agent exists (measured at about 120 MiB; rounded up).</summary>
    public const long BaseRuntimeBytes = 256L << 20;

    /// <summary>Total bytes.</summary>
    public long TotalBytes => Saturating(EngineBytes, ResultsBytes, RuntimeBytes, SnapshotBytes);

    private static long Saturating(params long[] parts)
    {
        long sum = 0;
        foreach (long p in parts) sum = p > long.MaxValue - sum ? long.MaxValue : sum + p;
        return sum;
    }

    /// <summary>Estimates a model's memory from its dimensions alone (no agent is allocated).</summary>
    public static MemoryEstimate For(MarketModel model)
    {
        int p = model.P, t = model.T;
        long perStep = 8L * (2 * t + 9 * t * p + 2 * t * p * p) + 256;
        return new MemoryEstimate(model.TotalCapacity, Simulation.EstimateBytes(model), perStep * model.Steps, BaseRuntimeBytes, SnapshotBytesOf(model));
    }

    /// <summary>
    /// What a run's agent snapshots hold in memory until they are written at the end: at most the sample of every agent
    /// slot at each snapshot step (the sample is drawn per agent, so its size is known up to chance; slots bound the
    /// agents alive), in packed rows, with room for the list's doubling.
    /// </summary>
    public static long SnapshotBytesOf(MarketModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Scenario.Outputs.AgentSnapshots;
        int steps = spec.Dates.Select(model.StepContaining).Where(s => s >= 0).Distinct().Count();
        return steps == 0 ? 0 : MemoryGuard.Product(spec.Sample, model.TotalCapacity, steps, SnapshotRowBytes, SnapshotGrowth);
    }

    /// <summary>
    /// What <c>compare</c> holds at its peak: <paramref name="concurrent"/> simulations at once, every replication's
    /// per-step aggregates of both arms (kept until the statistics), and with <paramref name="clauses"/> the attribution's
    /// value of every clause combination per replication; plus the runtime.
    /// </summary>
    public static long ForComparison(MarketModel model, int replications, int concurrent, int clauses)
    {
        ArgumentNullException.ThrowIfNull(model);
        int p = model.P, t = model.T;
        // A step's metrics as the runs keep them (StepMetrics): per tier, tier × platform and tier × platform × platform
        // (flows, overlap) arrays, with array headers.
        double slice = 8.0 * (2 * t + 10 * t * p + 2 * t * p * p) + 16 * 32 + 96;
        long engine = MemoryGuard.Product(Math.Max(1, concurrent), Simulation.EstimateBytes(model) + model.Steps * slice);
        long results = MemoryGuard.Product(replications, 2, model.Steps, slice);
        long attribution = clauses == 0 ? 0 : MemoryGuard.Product(replications, 1L << clauses, 8.0 * MarketSim.Compare.CompareMetric.Attributed.Count * p + 48);
        long total = BaseRuntimeBytes;
        foreach (long part in new[] { engine, results, attribution }) total = part > long.MaxValue - total ? long.MaxValue : total + part;
        return total;
    }

    /// <summary>Human-readable bytes.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (double)(1L << 40):F2} TiB",
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        _ => $"{bytes / 1024.0:F1} KiB",
    };

    /// <summary>One line per component, for the console.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"agent slots          {Agents:N0} ({Simulation.BytesPerAgent} bytes of state each)";
        yield return $"engine               {Format(EngineBytes)} ({EngineBytes / (double)Math.Max(1, Agents):F2} bytes per agent slot)";
        yield return $"per-step results     {Format(ResultsBytes)}";
        if (SnapshotBytes > 0) yield return $"agent snapshots      {Format(SnapshotBytes)}";
        yield return $"runtime and libraries {Format(RuntimeBytes)}";
        yield return $"total                {Format(TotalBytes)}";
    }
}
