using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MarketSim.Engine;

// Adoption as a Bass diffusion in agent form (docs/model.md §3): each step, a consumer who does not use platform p adds
// it with probability h = 1 − exp(−(external_p × reach_tp + imitation_p × a_lp) × weeks), a_lp the share of its
// locality's consumers who use p. This file computes, per chunk and step, each locality's intervals of the attention
// draw that stand for those probabilities; the chunk's loop (Simulation.WeeklyOrder.cs) reads them.
public sealed partial class Simulation
{
    private const int MaxPlatforms = 8;

    [ThreadStatic] private static int[]? adoptCumScratch;
    [ThreadStatic] private static int[]? adoptFromBlockScratch;
    [ThreadStatic] private static int[]? adoptFromAllScratch;
    [ThreadStatic] private static float[]? adoptHazardScratch;

    /// <summary>
    /// Per tier, cohort and platform (16-bit): the cohort's probability of using the platform at the start (the initial
    /// state's sorting by traits) relative to the tier's most inclined cohort. Adoption is thinned by it, so cohorts whose
    /// traits favour a platform adopt it first and the rest later: without it every consumer ends up on every platform
    /// and overlaps go to 1 (measured: JD–Pinduoduo 96 % against the published 49 %). A covariate the model already
    /// has, not a parameter of its own; a platform nobody uses at the start in a tier gets 1 for every cohort there.
    /// </summary>
    private int[][] AdoptionAffinity(int[][] inclusion)
    {
        int P = model.P, C = model.Cohorts.Count;
        var result = new int[model.T][];
        for (int t = 0; t < model.T; t++)
        {
            result[t] = new int[C * P];
            for (int p = 0; p < P; p++)
            {
                int max = 0;
                for (int c = 0; c < C; c++) max = Math.Max(max, inclusion[t][c * P + p]);
                for (int c = 0; c < C; c++)
                    result[t][c * P + p] = max == 0 ? DecisionTables.One : (int)(((long)inclusion[t][c * P + p] * DecisionTables.One + max / 2) / max);
            }
        }
        return result;
    }

    /// <summary>
    /// Whether a draw <paramref name="offset"/> into the adoption range of a locality (<paramref name="cum"/>: its
    /// cumulative thresholds) adopts a platform, and which: the platform whose interval holds it, if the consumer does
    /// not use it yet and the draw's place in the interval is below the cohort's affinity share of it (thinning).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Adopted(ref int cum, int offset, int set, ref int affinity)
    {
        int q = 0;
        // offset < the last cumulative bound (the draw is below One), so the walk stops at a platform.
        while (offset >= Unsafe.Add(ref cum, q)) q++;
        if ((set >> q & 1) != 0) return -1;
        int start = q == 0 ? 0 : Unsafe.Add(ref cum, q - 1);
        long place = (long)(offset - start) * DecisionTables.One;
        return place < (long)(Unsafe.Add(ref cum, q) - start) * Unsafe.Add(ref affinity, q) ? q : -1;
    }

    /// <summary>
    /// For each locality l of the chunk's first <paramref name="before"/> agents: <paramref name="cum"/>[l·P + p], the
    /// cumulative 16-bit adoption probabilities of platforms 0 … p, and <paramref name="fromAll"/>[l] = One − their sum, the
    /// lowest attention draw that adopts. With traffic links in the tier, <paramref name="hazard"/>[l·P + p] keeps the
    /// locality's hazards (for the agents a link exposes, <see cref="AdoptedExposed"/>) and fromAll[l] is the lowest draw
    /// that adopts with every link acting (hazards only grow with a link).
    /// <paramref name="fromBlock"/>[k] is the lowest fromAll over agents 8k … 8k + 7, which the eight-agent blocks use to
    /// hand a possible adopter to the scalar loop. The sum is capped at One (an intervention can raise the rates past what
    /// the validator allows at load; a consumer adopts at most one platform a step).
    /// </summary>
    private void AdoptionThresholds(AgentChunk ch, int before, int[] cum, int[] fromAll, float[] hazard, int[] fromBlock)
    {
        int P = model.P, tp = ch.Tier * P, size = ch.LocalitySize;
        int localities = (before + size - 1) / size;
        var external = tables.AdoptionExternalRate;
        var imitation = tables.AdoptionImitationRate;
        bool imitate = tables.Imitation;
        var links = tables.TrafficByTier[ch.Tier];
        Span<int> users = stackalloc int[MaxPlatforms];
        Span<float> extra = stackalloc float[MaxPlatforms];
        extra.Clear();
        foreach (var link in links) extra[link.To] += (float)(tables.AdoptionExternalPerReach[tp + link.To] * link.Share);
        for (int l = 0; l < localities; l++)
        {
            int start = l * size, end = Math.Min(start + size, before);
            users.Clear();
            if (imitate) CountUsers(ch.Set.AsSpan(start, end - start), users);
            float present = end - start;
            int acc = 0, accAll = 0;
            for (int p = 0; p < P; p++)
            {
                float hz = (float)external[tp + p] + (float)imitation[tp + p] * (users[p] / present);
                acc = Math.Min(DecisionTables.One, acc + Probability16(hz));
                cum[l * P + p] = acc;
                if (links.Length == 0) continue;
                hazard[l * P + p] = hz;
                accAll = Math.Min(DecisionTables.One, accAll + Probability16(hz + extra[p]));
            }
            fromAll[l] = DecisionTables.One - (links.Length == 0 ? acc : accAll);
        }
        int blocks = (before + 7) >> 3;
        for (int k = 0; k < blocks; k++)
        {
            int first = (8 * k) / size, last = Math.Min(8 * k + 7, before - 1) / size, low = DecisionTables.One;
            for (int l = first; l <= last; l++) low = Math.Min(low, fromAll[l]);
            fromBlock[k] = low;
        }
    }

    /// <summary>A step's hazard as a 16-bit probability, 1 − e^(−hazard), rounded: one formula for every path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Probability16(float hazard) => (int)MathF.Round((1f - DeterministicMath.Exp(-hazard)) * DecisionTables.One);

    /// <summary>
    /// <see cref="Adopted"/> for a consumer that uses the source of one or more of the tier's traffic links: each such link
    /// adds its share to its target's reach, and so external rate × share to the hazard (docs/model.md §3, "traffic
    /// acts on p"). The thresholds are built for this consumer from its locality's hazards; the draw <paramref name="u"/>
    /// is the attention draw's low 16 bits, as for everyone. Returns the adopted platform or −1. Rare (only for draws
    /// above the locality's lowest threshold with every link acting), so not vectorised.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int AdoptedExposed(int tier, int loc, int u, int set, ref int affinity, float[] hazard)
    {
        int P = model.P, tp = tier * P;
        Span<float> extra = stackalloc float[MaxPlatforms];
        extra.Clear();
        bool exposed = false;
        foreach (var link in tables.TrafficByTier[tier])
            if ((set >> link.From & 1) != 0)
            {
                extra[link.To] += (float)(tables.AdoptionExternalPerReach[tp + link.To] * link.Share);
                exposed = true;
            }
        Span<int> cum = stackalloc int[MaxPlatforms];
        int acc = 0;
        for (int p = 0; p < P; p++)
        {
            // The same sum in the same order as AdoptionThresholds, so an unexposed consumer gets its locality's thresholds.
            float hz = hazard[loc * P + p];
            acc = Math.Min(DecisionTables.One, acc + Probability16(exposed ? hz + extra[p] : hz));
            cum[p] = acc;
        }
        int off = u - (DecisionTables.One - acc);
        return off < 0 ? -1 : Adopted(ref MemoryMarshal.GetReference(cum), off, set, ref affinity);
    }

    /// <summary>
    /// Adds to <paramref name="users"/>[p] the number of platform sets in <paramref name="sets"/> that hold platform p.
    /// Exact integer counts on every path, so the result does not depend on the CPU.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void CountUsers(ReadOnlySpan<byte> sets, Span<int> users)
    {
        int i = 0, P = users.Length;
        ref byte sets0 = ref MemoryMarshal.GetReference(sets);
        if (Avx2.IsSupported)
        {
            for (; i <= sets.Length - 32; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref sets0, (nuint)i).AsUInt16();
                // Shifting each 16-bit lane left by 7 − p moves bit p of both its bytes to their top bits.
                for (int p = 0; p < P; p++)
                    users[p] += BitOperations.PopCount(Vector256.ShiftLeft(v, 7 - p).AsByte().ExtractMostSignificantBits());
            }
        }
        CountUsersPortable(sets[i..], users);
    }

    /// <summary><see cref="CountUsers"/> one set at a time: the reference a test compares the vector path with.</summary>
    internal static void CountUsersPortable(ReadOnlySpan<byte> sets, Span<int> users)
    {
        foreach (byte s in sets)
            for (int p = 0; p < users.Length; p++) users[p] += (s >> p) & 1;
    }
}
