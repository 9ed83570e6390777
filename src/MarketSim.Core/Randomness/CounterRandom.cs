using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// Fills <paramref name="destination"/>[k] with <see cref="At"/>(<paramref name="state"/>, <paramref name="first"/> + k):
    /// the same bits, four at a time where the CPU has AVX2. AVX2 has no 64-bit multiply, so each product is assembled
    /// from three 32-bit ones; that is exact modulo 2^64, as the scalar multiply is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong state, ulong first, Span<ulong> destination)
    {
        int k = 0;
        if (Avx2.IsSupported && destination.Length >= 4)
        {
            ulong c0 = unchecked(state + (first + 1) * Gamma);
            var counter = Vector256.Create(c0, unchecked(c0 + Gamma), unchecked(c0 + 2 * Gamma), unchecked(c0 + 3 * Gamma));
            var stride = Vector256.Create(unchecked(4 * Gamma));
            ref ulong d0 = ref MemoryMarshal.GetReference(destination);
            for (; k <= destination.Length - 4; k += 4)
            {
                var z = counter;
                z = Multiply(z ^ Vector256.ShiftRightLogical(z, 30), 0xBF58476D1CE4E5B9UL);
                z = Multiply(z ^ Vector256.ShiftRightLogical(z, 27), 0x94D049BB133111EBUL);
                (z ^ Vector256.ShiftRightLogical(z, 31)).StoreUnsafe(ref d0, (nuint)k);
                counter += stride;
            }
        }
        for (; k < destination.Length; k++) destination[k] = At(state, first + (ulong)k);
    }

    /// <summary>Lane-wise a × c modulo 2^64: lo(a)·lo(c) + ((hi(a)·lo(c) + lo(a)·hi(c)) &lt;&lt; 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Multiply(Vector256<ulong> a, ulong c)
    {
        var cLow = Vector256.Create(c & 0xFFFFFFFFUL).AsUInt32();
        var cHigh = Vector256.Create(c >> 32).AsUInt32();
        var low = Avx2.Multiply(a.AsUInt32(), cLow);
        var cross = Avx2.Multiply(Vector256.ShiftRightLogical(a, 32).AsUInt32(), cLow) + Avx2.Multiply(a.AsUInt32(), cHigh);
        return low + Vector256.ShiftLeft(cross, 32);
    }

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
    /// <summary>Which agents an agent snapshot samples (keyed on the tier; the counter is the agent's index in it).</summary>
    Snapshot = 7,
    /// <summary>The further platforms a new online shopper already has an account on.</summary>
    ArrivalSet = 8,
    /// <summary>Whether a step's orders through a streamer community are of its supplied slice (the partner's goods).</summary>
    Slice = 9,
}
