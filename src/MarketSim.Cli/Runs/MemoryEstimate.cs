using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Cli.Runs;

/// <summary>What a run will allocate, known before allocating it.</summary>
/// <param name="Agents">Agent slots (initial agents plus every arrival over the horizon).</param>
/// <param name="EngineBytes">Agent state, chunk tallies, localities and step tables.</param>
/// <param name="ResultsBytes">Per-step metrics kept for charts.</param>
/// <param name="RuntimeBytes">The .NET runtime, Parquet and chart libraries (measured, rounded up).</param>
public sealed record MemoryEstimate(long Agents, long EngineBytes, long ResultsBytes, long RuntimeBytes)
{
    /// <summary>Bytes the runtime and libraries take before any agent exists (measured at about 120 MiB; rounded up).</summary>
    public const long BaseRuntimeBytes = 256L << 20;

    /// <summary>Total bytes.</summary>
    public long TotalBytes => EngineBytes + ResultsBytes + RuntimeBytes;

    /// <summary>Estimates a model's memory from its dimensions alone (no agent is allocated).</summary>
    public static MemoryEstimate For(MarketModel model)
    {
        int p = model.P, t = model.T;
        long perStep = 8L * (2 * t + 9 * t * p + 2 * t * p * p) + 256;
        return new MemoryEstimate(model.TotalCapacity, Simulation.EstimateBytes(model), perStep * model.Steps, BaseRuntimeBytes);
    }

    /// <summary>Human-readable bytes.</summary>
    public static string Format(long bytes) => bytes switch
    {
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
        yield return $"runtime and libraries {Format(RuntimeBytes)}";
        yield return $"total                {Format(TotalBytes)}";
    }
}
