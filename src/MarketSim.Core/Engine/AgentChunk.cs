namespace MarketSim.Engine;

/// <summary>
/// A fixed block of agents of one tier, stored as structure of arrays. Chunks are the unit of parallel work and of
/// aggregation: each owns its tallies, so threads never write to shared memory during a step.
/// </summary>
internal sealed class AgentChunk
{
    /// <summary>Agents per chunk: fixed, never derived from the thread count, so results do not depend on it.</summary>
    public const int Size = 16384;

    public AgentChunk(int tier, long firstIndexInTier, int capacity, int platforms, int localitySize)
    {
        Tier = tier;
        FirstIndexInTier = firstIndexInTier;
        Capacity = capacity;
        Cohort = new ushort[capacity];
        Set = new byte[capacity];
        Primary = new byte[capacity];
        Satisfaction = new byte[capacity];
        Recency = new ulong[capacity];
        LocalitySize = localitySize;
        int localities = (capacity + localitySize - 1) / localitySize;
        LocalPrevious = new int[localities * platforms];
        LocalNext = new int[localities * platforms];
        Tally = new long[Tallies.Length(platforms)];
    }

    public int Tier { get; }
    public long FirstIndexInTier { get; }
    public int Capacity { get; }
    public int LocalitySize { get; }

    /// <summary>Agents of this chunk that have arrived (the first <see cref="Arrived"/> slots).</summary>
    public int Arrived { get; set; }

    /// <summary>Trait cohort of each agent.</summary>
    public ushort[] Cohort { get; }
    /// <summary>Bit set of platforms the agent uses.</summary>
    public byte[] Set { get; }
    /// <summary>Primary platform index.</summary>
    public byte[] Primary { get; }
    /// <summary>Satisfaction with the primary, 0..255.</summary>
    public byte[] Satisfaction { get; }
    /// <summary>Steps since the last order on each platform, one byte lane per platform; 255 = not in use or long ago.</summary>
    public ulong[] Recency { get; }

    /// <summary>Primary users per locality and platform at the end of the previous step (word of mouth reads these).</summary>
    public int[] LocalPrevious { get; private set; }
    /// <summary>Primary users per locality and platform being counted this step.</summary>
    public int[] LocalNext { get; private set; }

    /// <summary>This chunk's contribution to the step's metrics; layout in <see cref="Tallies"/>.</summary>
    public long[] Tally { get; }

    /// <summary>Whether this chunk is the one a model with these dimensions would allocate at this place.</summary>
    public bool Fits(int tier, long firstIndexInTier, int capacity, int platforms, int localitySize) =>
        Tier == tier && FirstIndexInTier == firstIndexInTier && Capacity == capacity && LocalitySize == localitySize
        && Tally.Length == Tallies.Length(platforms) && LocalPrevious.Length == (capacity + localitySize - 1) / localitySize * platforms;

    /// <summary>
    /// Clears the chunk for a new simulation: the state a new chunk has. Cohort and recency are cleared too, although
    /// initialising (or restoring) writes every slot of them, so that nothing of the previous run can remain.
    /// </summary>
    public void Reset()
    {
        Arrived = 0;
        Array.Clear(Cohort);
        Array.Clear(Set);
        Array.Clear(Primary);
        Array.Clear(Satisfaction);
        Array.Clear(Recency);
        Array.Clear(LocalPrevious);
        Array.Clear(LocalNext);
        Array.Clear(Tally);
    }

    public void SwapLocalities() => (LocalPrevious, LocalNext) = (LocalNext, LocalPrevious);

    /// <summary>Bytes of agent state per agent (excluding per-chunk tallies).</summary>
    public const int BytesPerAgent = sizeof(ushort) + 3 * sizeof(byte) + sizeof(ulong);
}

/// <summary>Offsets into a chunk's tally array.</summary>
internal static class Tallies
{
    public const int HistogramSize = 256;
    public static int New(int p) => 0;
    public static int Churned(int p) => p;
    public static int Primary(int p) => 2 * p;
    public static int Gmv(int p) => 3 * p;
    public static int Supplied(int p) => 4 * p;
    /// <summary>Orders placed on each platform this step (several per agent possible).</summary>
    public static int Orders(int p) => 5 * p;
    public static int Flows(int p) => 6 * p;
    public static int Histogram(int p) => 6 * p + p * p;
    public static int Arrivals(int p) => Histogram(p) + HistogramSize;
    /// <summary>Histogram of the set of platforms an agent ordered on this step (period-active), by bit mask.</summary>
    public static int Bought(int p) => Arrivals(p) + 1;
    /// <summary>Orders of the supplied slice, by the supplying partner.</summary>
    public static int SuppliedOrders(int p) => Bought(p) + HistogramSize;
    public static int Length(int p) => SuppliedOrders(p) + p;
}
