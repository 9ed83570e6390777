namespace MarketSim.Engine;

/// <summary>
/// Read-only view of one chunk's agent state between steps: the seam through which code outside the engine (agent
/// snapshots, micro-level analyses) sees agents without copying them and without being able to change them.
/// Spans cover the arrived agents only; agent <c>i</c> of the view is agent <see cref="FirstIndexInTier"/> + i of its tier,
/// an index that stays the agent's for the whole run (arrivals fill slots in order, and slots are never reused).
/// </summary>
public readonly ref struct AgentChunkView
{
    internal AgentChunkView(AgentChunk chunk)
    {
        Tier = chunk.Tier;
        FirstIndexInTier = chunk.FirstIndexInTier;
        int n = chunk.Arrived;
        Cohort = chunk.Cohort.AsSpan(0, n);
        PlatformSet = chunk.Set.AsSpan(0, n);
        Primary = chunk.Primary.AsSpan(0, n);
        Satisfaction = chunk.Satisfaction.AsSpan(0, n);
        Recency = chunk.Recency.AsSpan(0, n);
    }

    /// <summary>Tier index of every agent of the chunk.</summary>
    public int Tier { get; }

    /// <summary>Index within its tier of the chunk's first agent.</summary>
    public long FirstIndexInTier { get; }

    /// <summary>Agents of the chunk that have arrived.</summary>
    public int Count => Cohort.Length;

    /// <summary>Trait cohort of each agent (an index into <see cref="Model.Cohorts"/> of its tier).</summary>
    public ReadOnlySpan<ushort> Cohort { get; }

    /// <summary>Platforms each agent uses, as a bit set: bit p is platform p.</summary>
    public ReadOnlySpan<byte> PlatformSet { get; }

    /// <summary>Primary platform index of each agent.</summary>
    public ReadOnlySpan<byte> Primary { get; }

    /// <summary>Satisfaction with the primary platform, 0..255 (255 = fully satisfied).</summary>
    public ReadOnlySpan<byte> Satisfaction { get; }

    /// <summary>Steps since the last order per platform, one byte per platform (see <see cref="StepsSinceOrder"/>).</summary>
    public ReadOnlySpan<ulong> Recency { get; }

    /// <summary>
    /// Steps since the agent's last order on a platform: 0 = ordered in the step just run. 255 means 255 or more, or a
    /// platform not in the agent's set (tell the two apart with <see cref="PlatformSet"/>).
    /// </summary>
    public static int StepsSinceOrder(ulong recency, int platform) => (int)(recency >> (8 * platform)) & 0xFF;
}

public sealed partial class Simulation
{
    /// <summary>Chunks of agents, for <see cref="ViewAgents(int)"/>; fixed for the whole run.</summary>
    public int AgentChunkCount => chunks.Length;

    /// <summary>
    /// Read-only view of chunk <paramref name="index"/>'s agents after the last step run (or the initial state before
    /// the first). Chunks are ordered by tier, then by index within the tier. Valid until the next <see cref="Step"/>.
    /// </summary>
    public AgentChunkView ViewAgents(int index)
    {
        ThrowIfSurrendered();
        return new(chunks[index]);
    }
}
