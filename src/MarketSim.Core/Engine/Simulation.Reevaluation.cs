// Stryker disable all : hand-written SIMD twins of the scalar code; mutating them stalls coverage capture, and the CPU-parity tests guard them (docs/testing.md).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MarketSim.Randomness;

namespace MarketSim.Engine;

// Re-evaluation of a chunk's attentive agents, before its weekly orders. One agent's re-evaluation is a chain of
// dependent float operations (weights, exp, a sequential sum, a pick) that an out-of-order core cannot overlap with
// the next agent's; eight agents side by side, one per lane, can. Re-evaluations within a chunk and step are
// independent of each other (they read the previous step's locality counts, and their tallies are integer sums), so
// doing them all first, in any grouping, gives the same state and tallies as doing each just before its order: each
// lane repeats the scalar form's operations in the same order, and the scalar form remains for the rest.
public sealed partial class Simulation
{
    [ThreadStatic] private static int[]? attentiveScratch;
    [ThreadStatic] private static byte[]? reevaluatedScratch;

    /// <summary>Everything the re-evaluation pre-pass reads and writes for one chunk and step.</summary>
    private struct ReevaluationPass
    {
        public ushort[] Cohorts;
        public byte[] Sets, Primaries, Sats, Reached, Reevaluated;
        public ulong[] Recency, Draws;
        public int[] Attention;
        public ulong FirstAgent, LaneA, LaneI;
    }

    /// <summary>
    /// Lapses and re-evaluates every attentive agent of the chunk (an agent is attentive when the low 16 bits of its
    /// step draw fall below the attention threshold of its satisfaction). Afterwards <c>Reevaluated[i]</c> is 1 + the
    /// bought mask of agent i's re-evaluation (0 for agents not re-evaluated), and <c>Reached[i]</c> is 0 for
    /// re-evaluated agents, whose lapse is done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReevaluateAttentive(ref ChunkStep cx, ref ReevaluationPass s)
    {
        int before = cx.Before;
        // Eight spare slots: the branch-free compression below stores eight indices where it keeps fewer.
        var list = attentiveScratch ??= new int[AgentChunk.Size + 8];
        int n = 0, i = 0;
        ref ulong draws0 = ref MemoryMarshal.GetArrayDataReference(s.Draws);
        ref byte sats0 = ref MemoryMarshal.GetArrayDataReference(s.Sats);
        ref int attention0 = ref MemoryMarshal.GetArrayDataReference(s.Attention);
        ref int list0 = ref MemoryMarshal.GetArrayDataReference(list);
        ref int nth0 = ref MemoryMarshal.GetArrayDataReference(NthBitTable);
        if (Avx2.IsSupported)
        {
            var ffff = Vector256.Create(0xFFFF);
            unsafe
            {
                fixed (int* attention = s.Attention)
                {
                    for (; i <= before - 8; i += 8)
                    {
                        var sat = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref sats0, i))).AsByte());
                        var low = DrawHalves(ref Unsafe.Add(ref draws0, i)).Low & ffff;
                        int m = Avx.MoveMask(Avx2.CompareGreaterThan(Avx2.GatherVector256(attention, sat, 4), low).AsSingle());
                        // Without a branch (whether a block holds an attentive agent is a coin flip): the row of m in
                        // the n-th-bit table lists its set bits in order; all eight are stored, popcount(m) of them kept.
                        (Vector256.LoadUnsafe(ref nth0, (nuint)(m * 8)) + Vector256.Create(i)).StoreUnsafe(ref list0, (nuint)n);
                        n += BitOperations.PopCount((uint)m);
                    }
                }
            }
        }
        for (; i < before; i++)
        {
            Unsafe.Add(ref list0, n) = i;
            n += (int)(Unsafe.Add(ref draws0, i) & 0xFFFF) < Unsafe.Add(ref attention0, Unsafe.Add(ref sats0, i)) ? 1 : 0;
        }

        // Lapses first: a re-evaluation sees the set its lapse left, as in the order loop.
        for (int k = 0; k < n; k++)
        {
            int a = list[k];
            if (s.Reached[a] == 0) continue;
            ulong rec = s.Recency[a];
            int set = s.Sets[a];
            Lapse(ref cx, ref rec, ref set, s.Primaries[a], s.LaneA, s.LaneI);
            s.Recency[a] = rec;
            s.Sets[a] = (byte)set;
            s.Reached[a] = 0;
        }

        int done = 0;
        if (Avx2.IsSupported)
            for (; done <= n - 8; done += 8)
                ReevaluateEight(ref cx, ref s, list.AsSpan(done, 8));
        for (; done < n; done++)
        {
            int a = list[done];
            ulong rec = s.Recency[a];
            int set = s.Sets[a], prim = s.Primaries[a], sat = s.Sats[a], bought = 0;
            Reevaluate(ref cx, a, s.FirstAgent + (ulong)a, s.Cohorts[a], ref rec, ref set, ref prim, ref sat, ref bought);
            Store(ref s, a, rec, set, prim, sat, bought);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref ReevaluationPass s, int a, ulong rec, int set, int prim, int sat, int bought)
    {
        s.Recency[a] = rec;
        s.Sets[a] = (byte)set;
        s.Primaries[a] = (byte)prim;
        s.Sats[a] = (byte)sat;
        s.Reevaluated[a] = (byte)(bought + 1);
    }

    /// <summary>
    /// <see cref="Reevaluate"/> for the eight agents <paramref name="agents"/>, one per lane: weights, their sum and
    /// the pick as vectors over agents, then each agent's outcome (switch, adoption) one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReevaluateEight(ref ChunkStep cx, ref ReevaluationPass s, ReadOnlySpan<int> agents)
    {
        var tb = tables;
        int P = cx.P;
        Span<int> c8 = stackalloc int[8], set8 = stackalloc int[8], prim8 = stackalloc int[8], sat8 = stackalloc int[8];
        Span<float> u8 = stackalloc float[8];
        Span<ulong> bits8 = stackalloc ulong[8];
        for (int k = 0; k < 8; k++)
        {
            int a = agents[k];
            c8[k] = s.Cohorts[a];
            set8[k] = s.Sets[a];
            prim8[k] = s.Primaries[a];
            sat8[k] = s.Sats[a];
            ulong bits = CounterRandom.At(cx.ChoiceKey, s.FirstAgent + (ulong)a);
            bits8[k] = bits;
            u8[k] = PickFraction(bits);
        }
        var agent = Vector256.Create<int>(agents);
        var cohort = Vector256.Create<int>(c8);
        var set = Vector256.Create<int>(set8);
        var prim = Vector256.Create<int>(prim8);
        var sat = Vector256.Create<int>(sat8);

        Span<int> q8 = stackalloc int[8];
        Span<float> total8 = stackalloc float[8];
        unsafe
        {
            fixed (float* wom = cx.WordOfMouth, inertiaTable = tb.InertiaFactor, eu = cx.ExpUtility)
            fixed (int* previous = cx.LocalPrevious)
            {
                var womC = Avx2.GatherVector256(wom, cohort, 4);
                var inertia = Avx2.GatherVector256(inertiaTable, sat, 4);
                var switching = Vector256.Create(tb.SwitchingFactor);
                // The locality's primary shares of the previous step, as the scalar form computes them.
                var loc = Vector256.ShiftRightArithmetic(agent, cx.LocalityShift);
                var present = Vector256.Min(Vector256.Max(Vector256.Create(cx.Before) - Vector256.ShiftLeft(loc, cx.LocalityShift),
                    Vector256<int>.Zero), Vector256.Create(cx.LocalitySize));
                var inv = Vector256.ConditionalSelect(Vector256.GreaterThan(present, Vector256<int>.Zero).AsSingle(),
                    Vector256<float>.One / Avx.ConvertToVector256Single(present), Vector256<float>.Zero);
                var locBase = Avx2.MultiplyLow(loc, Vector256.Create(P));
                var cb = Avx2.MultiplyLow(cohort, Vector256.Create(P));

                // Reach with traffic sharing: per lane, each link in order where the agent uses the link's source adds
                // its share to the target's exposure, uncapped (docs/model.md: traffic never saturates against reach).
                Span<Vector256<float>> reach = stackalloc Vector256<float>[8];
                for (int p = 0; p < P; p++) reach[p] = Vector256.Create(tb.Reach[cx.TierBase + p]);
                foreach (var link in tb.TrafficByTier[cx.Tier])
                {
                    var withoutSource = Vector256.Equals(set & Vector256.Create(1 << link.From), Vector256<int>.Zero);
                    var shared = reach[link.To] + Vector256.Create((float)link.Share);
                    reach[link.To] = Vector256.ConditionalSelect(withoutSource.AsSingle(), reach[link.To], shared);
                }

                Span<Vector256<float>> w = stackalloc Vector256<float>[8];
                var total = Vector256<float>.Zero;
                var last = Vector256.Create(-1);
                for (int p = 0; p < P; p++)
                {
                    var x = Avx2.GatherVector256(eu, cb + Vector256.Create(p), 4) * reach[p];
                    var notInSet = Vector256.Equals(set & Vector256.Create(1 << p), Vector256<int>.Zero);
                    var isPrimary = Vector256.Equals(prim, Vector256.Create(p));
                    x *= Vector256.ConditionalSelect(notInSet.AsSingle(), switching,
                        Vector256.ConditionalSelect(isPrimary.AsSingle(), inertia, Vector256<float>.One));
                    // ×e^0 = ×1 exactly, so lanes without word of mouth need no branch of their own.
                    var share = Avx.ConvertToVector256Single(Avx2.GatherVector256(previous, locBase + Vector256.Create(p), 4)) * inv;
                    x *= DeterministicMath.Exp(womC * share);
                    w[p] = x;
                    total += x;
                    // Pick skips a weight when w <= 0 holds, so "has weight" is its negation (true for NaN too).
                    last = Vector256.ConditionalSelect(Avx.CompareNotLessThanOrEqual(x, Vector256<float>.Zero).AsInt32(), Vector256.Create(p), last);
                }
                // The pick, as Pick does it: the first platform whose running sum exceeds the target, which is the
                // number of running sums that do not (sums never decrease; a NaN target counts them all, and Pick then
                // returns the last platform with weight, as it does when rounding puts the target at the total).
                var target = Vector256.Create<float>(u8) * total;
                var acc = Vector256<float>.Zero;
                var below = Vector256<int>.Zero;
                for (int p = 0; p < P; p++)
                {
                    acc += w[p];
                    below -= ~Avx.CompareLessThan(target, acc).AsInt32();
                }
                var q = Vector256.ConditionalSelect(Vector256.LessThan(below, Vector256.Create(P)), below, last);
                q.CopyTo(q8);
                total.CopyTo(total8);
            }
        }

        for (int k = 0; k < 8; k++)
        {
            int a = agents[k];
            ulong rec = s.Recency[a];
            int st = set8[k], pr = prim8[k], sa = sat8[k], bought = 0;
            // As Reevaluate: nothing happens when total <= 0 (a NaN total goes on to the pick there too).
            if (!(total8[k] <= 0)) Switch(ref cx, c8[k] * P, q8[k], bits8[k], ref rec, ref st, ref pr, ref sa, ref bought);
            Store(ref s, a, rec, st, pr, sa, bought);
        }
    }

    /// <summary>
    /// A logit choice over all platforms; may switch the primary or adopt a platform (with an order on it). The scalar
    /// form: for machines without AVX2 and for the fewer than eight attentive agents a chunk has left after
    /// <see cref="ReevaluateEight"/>, whose lanes repeat these operations.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Reevaluate(ref ChunkStep cx, int i, ulong agent, int c, ref ulong rec, ref int set, ref int prim, ref int sat, ref int bought)
    {
        var tb = tables;
        int P = cx.P, cb = c * P;
        float womC = cx.WordOfMouth[c];
        int loc = i >> cx.LocalityShift;
        if (womC != 0 && loc != cx.ShareLocality)
        {
            int present = Math.Clamp(cx.Before - (loc << cx.LocalityShift), 0, cx.LocalitySize);
            float inv = present > 0 ? 1f / present : 0f;
            for (int p = 0; p < P; p++) cx.Share[p] = cx.LocalPrevious[loc * P + p] * inv;
            cx.ShareLocality = loc;
        }
        var reach = cx.Reach;
        for (int p = 0; p < P; p++) reach[p] = tb.Reach[cx.TierBase + p];
        foreach (var link in tb.TrafficByTier[cx.Tier])
            if ((set >> link.From & 1) != 0)
                reach[link.To] += (float)link.Share;
        var w = cx.Weights;
        float total = 0, inertia = tb.InertiaFactor[sat], switching = tb.SwitchingFactor;
        for (int p = 0; p < P; p++)
        {
            float x = cx.ExpUtility[cb + p] * reach[p];
            if ((set >> p & 1) == 0) x *= switching;
            else if (p == prim) x *= inertia;
            if (womC != 0) x *= DeterministicMath.Exp(womC * cx.Share[p]);
            w[p] = x;
            total += x;
        }
        if (total <= 0) return;
        ulong r2 = CounterRandom.At(cx.ChoiceKey, agent);
        Switch(ref cx, cb, Pick(w, P, total, r2), r2, ref rec, ref set, ref prim, ref sat, ref bought);
    }
}
