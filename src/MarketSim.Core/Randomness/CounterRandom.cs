using System.Runtime.CompilerServices;

namespace MarketSim.Randomness;

/// <summary>
/// Counter-based random numbers: every draw is a pure function of (seed, purpose, step, agent), so results do not
/// depend on thread scheduling, chunk order or how many draws other agents made. Built on SplitMix64's finaliser,
/// which is what SplitMix64 itself applies to a counter advanced by the golden gamma.
/// </summary>
public static class CounterRandom
{
    /// <summary>SplitMix64's increment (2^64 / golden ratio).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>SplitMix64's output function: a bijective 64-bit mixer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The n-th output (0-based) of a SplitMix64 generator whose state starts at <paramref name="state"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong At(ulong state, ulong n) => Mix(unchecked(state + (n + 1) * Gamma));

    /// <summary>Key of an independent stream for one purpose at one step.</summary>
    public static ulong StreamKey(ulong seed, StreamPurpose purpose, long step) =>
        Mix(unchecked(Mix(seed ^ Mix((ulong)purpose * Gamma)) + (ulong)(step + 1) * 0xD1B54A32D192ED03UL));

    /// <summary>The index that keys an agent's draws: stable when capacity, horizon or thread count change.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AgentIndex(int tier, long indexInTier) => ((ulong)tier << 40) | (ulong)indexInTier;

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, n) by multiply-high (bias below 2^-32 for n below 2^32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Below(ulong bits, int n) => (int)(((bits >> 32) * (ulong)n) >> 32);
}

/// <summary>Purposes of random streams; a new purpose never shifts the draws of existing ones.</summary>
public enum StreamPurpose : ulong
{
    /// <summary>Assignment of agents to trait cohorts.</summary>
    Cohort = 1,
    /// <summary>Initial platform sets, primaries and purchase recency.</summary>
    Initial = 2,
    /// <summary>Per-step attention, purchase and streamer draws.</summary>
    Step = 3,
    /// <summary>Per-step platform choice of re-evaluating consumers.</summary>
    Choice = 4,
    /// <summary>First platform of arriving consumers.</summary>
    Arrival = 5,
    /// <summary>Trait quantile permutations and streamer following of cohorts.</summary>
    Traits = 6,
}
