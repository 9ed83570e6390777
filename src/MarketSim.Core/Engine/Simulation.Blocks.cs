using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MarketSim.Engine;

// The weekly order of eight agents at once. Most agents in a step do nothing but the weekly order: no lane of their
// purchase recency reaches a limit, they do not re-evaluate, and no streamer sells to them. Those take the same
// decisions here as in the scalar loop (same draws, same thresholds, the same integer arithmetic lane by lane), eight
// per instruction; the rest of a block is left to the scalar loop. Only where the work is done changes, never a result.
public sealed partial class Simulation
{
    /// <summary>[mask × 8 + n]: index of the n-th (0-based) set bit of an 8-bit mask; 0 where there is none.</summary>
    private static readonly int[] NthBitTable = BuildNthBitTable();

    private static int[] BuildNthBitTable()
    {
        var table = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
            for (int n = 0; n < BitOperations.PopCount((uint)mask); n++)
                table[mask * 8 + n] = NthSetBit(mask, n);
        return table;
    }

    /// <summary>What a block of eight agents reads and writes; built once per chunk and step, lives on the stack.</summary>
    private unsafe ref struct Block
    {
        // Gathers take addresses: the caller pins these tables for the chunk's loop.
        public int* Attention, Stream, Buy, Fen, SupFen, Nth;
        public ushort[] Cohorts;
        public byte[] Sets, Primaries, Sats, Reached;
        public ulong[] Recency, Draws;
        public long[] Tally;
        public int[] LocalNext, Supplier;
        public int P, Annual, PrimaryThreshold, Learn, LocalityShift;
        public bool DivideByOne, HasSupply;
        public double Divisor;
        public Vector256<int> ExperienceRow;
        public Span<int> Q, Gmv, Supplied, Bought, Satisfaction;
    }

    /// <summary>
    /// Steps those of agents <paramref name="b"/>..<paramref name="b"/>+7 that need only the weekly order and returns
    /// the bit mask (bit k = agent b + k) of the others, which the caller steps one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int OrderBlock(ref Block s, int b)
    {
        var ffff = Vector256.Create(0xFFFF);
        var sat = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Sats[b])).AsByte());
        var cohort = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref s.Cohorts[b]));
        var reached = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Reached[b])).AsByte());

        // The eight 64-bit draws as their low and high 32-bit halves, in agent order.
        var order = Vector256.Create(0u, 2, 4, 6, 1, 3, 5, 7);
        var d0 = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref s.Draws[b]).AsUInt32(), order);
        var d1 = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref s.Draws[b + 4]).AsUInt32(), order);
        var low = Avx2.Permute2x128(d0, d1, 0x20).AsInt32();
        var high = Avx2.Permute2x128(d0, d1, 0x31).AsInt32();
        var u0 = low & ffff;                                   // r & 0xFFFF: attention
        var u1 = Vector256.ShiftRightLogical(low, 16);         // (r >> 16) & 0xFFFF: whether to buy
        var u2 = high & ffff;                                  // (r >> 32) & 0xFFFF: which platform
        var u3 = Vector256.ShiftRightLogical(high, 16);        // r >> 48: streamer order

        var attentive = Avx2.CompareGreaterThan(Avx2.GatherVector256(s.Attention, sat, 4), u0);
        var streamed = Avx2.CompareGreaterThan(Avx2.GatherVector256(s.Stream, cohort, 4), u3);
        var slow = attentive | streamed | ~Vector256.Equals(reached, Vector256<int>.Zero);
        int slowBits = Avx.MoveMask(slow.AsSingle());
        if (slowBits == 0xFF) return slowBits;
        var fast = ~slow;

        var prim = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Primaries[b])).AsByte());
        var set = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Sets[b])).AsByte());
        var one = Vector256.Create(1);
        var cb = Avx2.MultiplyLow(cohort, Vector256.Create(s.P));
        var doBuy = Avx2.CompareGreaterThan(Avx2.GatherVector256(s.Buy, cb + prim, 4), u1) & fast;
        var others = Avx2.AndNot(Avx2.ShiftLeftLogicalVariable(one, prim.AsUInt32()), set);
        var over = u2 - Vector256.Create(s.PrimaryThreshold);
        var useOther = Avx2.CompareGreaterThan(over, Vector256.Create(-1)) & ~Vector256.Equals(others, Vector256<int>.Zero);
        var pop = others - (Vector256.ShiftRightLogical(others, 1) & Vector256.Create(0x55));
        pop = (pop & Vector256.Create(0x33)) + (Vector256.ShiftRightLogical(pop, 2) & Vector256.Create(0x33));
        pop = (pop + Vector256.ShiftRightLogical(pop, 4)) & Vector256.Create(0x0F);
        var x = Avx2.MultiplyLow(over & useOther, pop);
        Vector256<int> n;
        if (s.DivideByOne) n = x;
        else
        {
            // x < 2^19 and the divisor ≤ 2^16, so the rounded double quotient never crosses an integer: truncating it
            // is floor(x / d), exactly what the scalar loop's multiply-high computes.
            var divisor = Vector256.Create(s.Divisor);
            var nLow = Avx.ConvertToVector128Int32WithTruncation(Avx.Divide(Avx.ConvertToVector256Double(x.GetLower()), divisor));
            var nHigh = Avx.ConvertToVector128Int32WithTruncation(Avx.Divide(Avx.ConvertToVector256Double(x.GetUpper()), divisor));
            n = Vector256.Create(nLow, nHigh);
        }
        var q = Vector256.ConditionalSelect(useOther, Avx2.GatherVector256(s.Nth, Vector256.ShiftLeft(others, 3) + n, 4), prim);

        // Recency in 64-bit lanes, four agents per vector: first order of the year, then the lane reset.
        var qLow = Vector256.ShiftLeft(Avx2.ConvertToVector256Int64(q.GetLower()), 3).AsUInt64();
        var qHigh = Vector256.ShiftLeft(Avx2.ConvertToVector256Int64(q.GetUpper()), 3).AsUInt64();
        var recLow = Vector256.LoadUnsafe(ref s.Recency[b]);
        var recHigh = Vector256.LoadUnsafe(ref s.Recency[b + 4]);
        var lastA = Vector256.Create((long)s.Annual - 1);
        var byteMask = Vector256.Create(0xFFUL);
        int newBits = Avx.MoveMask(Avx2.CompareGreaterThan((Avx2.ShiftRightLogicalVariable(recLow, qLow) & byteMask).AsInt64(), lastA).AsDouble())
                      | Avx.MoveMask(Avx2.CompareGreaterThan((Avx2.ShiftRightLogicalVariable(recHigh, qHigh) & byteMask).AsInt64(), lastA).AsDouble()) << 4;
        recLow = Avx2.AndNot(Avx2.ShiftLeftLogicalVariable(byteMask, qLow) & Avx2.ConvertToVector256Int64(doBuy.GetLower()).AsUInt64(), recLow);
        recHigh = Avx2.AndNot(Avx2.ShiftLeftLogicalVariable(byteMask, qHigh) & Avx2.ConvertToVector256Int64(doBuy.GetUpper()).AsUInt64(), recHigh);
        recLow.StoreUnsafe(ref s.Recency[b]);
        recHigh.StoreUnsafe(ref s.Recency[b + 4]);
        // Platforms ordered on within the year, per agent: byte k of these masks is agent k's (lane ≤ annual − 1).
        var lastAByte = Vector256.Create((byte)(s.Annual - 1));
        uint annualLow = (uint)Avx2.MoveMask(Vector256.Equals(Avx2.Min(recLow.AsByte(), lastAByte), recLow.AsByte()));
        uint annualHigh = (uint)Avx2.MoveMask(Vector256.Equals(Avx2.Min(recHigh.AsByte(), lastAByte), recHigh.AsByte()));

        var primaryOrder = doBuy & ~useOther;
        var experience = Avx2.PermuteVar8x32(s.ExperienceRow, q);
        sat += Vector256.ShiftRightArithmetic(Avx2.MultiplyLow(experience - sat, Vector256.Create(s.Learn)), 8) & primaryOrder;
        var cq = cb + q;
        (Avx2.GatherVector256(s.Fen, cq, 4) & doBuy).StoreUnsafe(ref MemoryMarshal.GetReference(s.Gmv));
        if (s.HasSupply) (Avx2.GatherVector256(s.SupFen, cq, 4) & doBuy).StoreUnsafe(ref MemoryMarshal.GetReference(s.Supplied));
        (Avx2.ShiftLeftLogicalVariable(one, q.AsUInt32()) & doBuy).StoreUnsafe(ref MemoryMarshal.GetReference(s.Bought));
        q.StoreUnsafe(ref MemoryMarshal.GetReference(s.Q));
        sat.StoreUnsafe(ref MemoryMarshal.GetReference(s.Satisfaction));

        // The scattered part, per agent: tallies indexed by platform or mask. Indices are valid by construction
        // (q < P, masks < 256, b + k < before), so it reads through refs without bounds checks.
        int P = s.P, shift = s.LocalityShift;
        ref long tally0 = ref MemoryMarshal.GetArrayDataReference(s.Tally);
        ref long gmv0 = ref Unsafe.Add(ref tally0, Tallies.Gmv(P));
        ref long supplied0 = ref Unsafe.Add(ref tally0, Tallies.Supplied(P));
        ref long bought0 = ref Unsafe.Add(ref tally0, Tallies.Bought(P));
        ref long annual0 = ref Unsafe.Add(ref tally0, Tallies.Histogram(P));
        ref int q0 = ref MemoryMarshal.GetReference(s.Q);
        ref int gmvK = ref MemoryMarshal.GetReference(s.Gmv);
        ref int suppliedK = ref MemoryMarshal.GetReference(s.Supplied);
        ref int boughtK = ref MemoryMarshal.GetReference(s.Bought);
        ref int satK = ref MemoryMarshal.GetReference(s.Satisfaction);
        ref int local0 = ref MemoryMarshal.GetArrayDataReference(s.LocalNext);
        ref int supplier0 = ref MemoryMarshal.GetArrayDataReference(s.Supplier);
        ref byte primB = ref MemoryMarshal.GetArrayDataReference(s.Primaries);
        ref byte satB = ref MemoryMarshal.GetArrayDataReference(s.Sats);
        ulong annual = annualLow | (ulong)annualHigh << 32;
        for (int m = ~slowBits & 0xFF; m != 0; m &= m - 1)
        {
            int k = BitOperations.TrailingZeroCount(m), i = b + k;
            int qk = Unsafe.Add(ref q0, k);
            Unsafe.Add(ref gmv0, qk) += Unsafe.Add(ref gmvK, k);
            if (s.HasSupply) Unsafe.Add(ref supplied0, Unsafe.Add(ref supplier0, qk) & 7) += Unsafe.Add(ref suppliedK, k);
            Unsafe.Add(ref bought0, Unsafe.Add(ref boughtK, k))++;
            Unsafe.Add(ref annual0, (int)((annual >> (8 * k)) & 0xFF))++;
            Unsafe.Add(ref local0, (i >> shift) * P + Unsafe.Add(ref primB, i))++;
            Unsafe.Add(ref satB, i) = (byte)Unsafe.Add(ref satK, k);
        }
        for (int m = newBits & Avx.MoveMask(doBuy.AsSingle()); m != 0; m &= m - 1)
            Unsafe.Add(ref tally0, Tallies.New(P) + Unsafe.Add(ref q0, BitOperations.TrailingZeroCount(m)))++;
        return slowBits;
    }
}
