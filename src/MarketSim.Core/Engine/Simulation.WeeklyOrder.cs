using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MarketSim.Randomness;

namespace MarketSim.Engine;

// A step of one chunk: the scalar loop (StepChunk, with the per-agent order count) and, below it, its vector twin for
// the weekly order of eight agents at once (OrderBlock). Most agents in a step do nothing but the weekly order: no
// lane of their purchase recency reaches a limit, they do not re-evaluate, and no streamer sells to them. Those take
// the same decisions in OrderBlock as in the scalar loop (same draws, same thresholds, the same integer arithmetic
// lane by lane), eight per instruction; the rest of a block is left to the scalar loop. Only where the work is done
// changes, never a result: the CPU-parity tests compare the two bit for bit.
public sealed partial class Simulation
{
    /// <summary>
    /// How many orders a draw <paramref name="u"/> (16 bits) below the step's first-order threshold places: 1 plus the
    /// count levels (P(N ≥ 2), P(N ≥ 3) …, falling) it is also below. Above the first-order threshold it is below none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int OrderCount(ref ushort levels, int u)
    {
        if (Avx2.IsSupported)
        {
            // The sixteen levels are one 256-bit row: u ≥ level where the unsigned maximum of the two is u, so the count
            // is 1 + the lanes where it is not. No branch: the loop below mispredicts on nearly every buyer.
            var row = Vector256.LoadUnsafe(ref levels);
            var draw = Vector256.Create((ushort)u);
            uint atOrAbove = Vector256.Equals(Avx2.Max(draw, row), draw).AsByte().ExtractMostSignificantBits();
            return 1 + DecisionTables.Levels - BitOperations.PopCount(atOrAbove) / 2;
        }
        return OrderCountPortable(ref levels, u);
    }

    /// <summary>
    /// <see cref="OrderCount(ref ushort, int)"/> without AVX2: counts the levels above the draw one by one. Apart, so that
    /// a test on a CPU with AVX2 can compare the two (the JIT removes the call where AVX2 is there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int OrderCountPortable(ref ushort levels, int u)
    {
        int n = 1;
        while (n <= DecisionTables.Levels && u < Unsafe.Add(ref levels, n - 1)) n++;
        return n;
    }

    /// <summary>
    /// <see cref="OrderCount(ref ushort, int)"/> for a row whose first six levels are packed in <paramref name="firstPair"/>
    /// and the two ints after it (<see cref="DecisionTables.FirstLevels"/>): the whole row is read only for a seventh order.
    /// The packed levels are what the vector blocks gather for every agent, so they are in cache; the rows of sixteen
    /// levels (six times larger) are not, and loading one stalled the scalar loop (measured with perf: half its samples).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int OrderCount(ref int firstPair, ref ushort levels, int u)
    {
        int l01 = firstPair, l23 = Unsafe.Add(ref firstPair, 1), l45 = Unsafe.Add(ref firstPair, 2);
        if (u < (int)((uint)l45 >> 16)) return OrderCount(ref levels, u);
        return 1 + (int)((uint)(u - (l01 & 0xFFFF)) >> 31) + (int)((uint)(u - (int)((uint)l01 >> 16)) >> 31)
                 + (int)((uint)(u - (l23 & 0xFFFF)) >> 31) + (int)((uint)(u - (int)((uint)l23 >> 16)) >> 31)
                 + (int)((uint)(u - (l45 & 0xFFFF)) >> 31);
    }

    /// <summary>
    /// Whether the weekly order of agents that need nothing else runs in eight-agent blocks (with AVX2) or in the scalar
    /// loop. The two give the same bits; switching the blocks off lets a test compare them in one process (the child
    /// processes of the CPU-parity tests compare whole runs without AVX2), and mutation testing see the scalar loop.
    /// </summary>
    internal bool OrderBlocks { get; set; } = true;

    /// <summary>Per-chunk, per-step view of the tables the hot loop reads; lives on the stack.</summary>
    private ref struct ChunkStep
    {
        public int P, Tier, TierBase, Annual, Before, LocalityShift, LocalitySize, ShareLocality;
        public long[] Tally;
        public int[] LocalPrevious, BuyThreshold, OrderFen, Experience;
        public float[] ExpUtility, WordOfMouth;
        public ulong ChoiceKey;
        public Span<float> Weights, Share, Reach;
    }

    // Fully optimised from the first call: tiered compilation would run the first seconds of a run (all of a small
    // one) in less optimised code, and this loop is where the time goes (measured: 30 → 46 M agent-steps/s at 1 M agents).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void StepChunk(AgentChunk ch)
    {
        var tb = tables;
        int P = model.P, t = ch.Tier, A = model.AnnualSteps, I = model.InactivitySteps;
        long[] tally = ch.Tally;
        Array.Clear(tally);
        Array.Clear(ch.LocalNext);
        int before = ch.Arrived;
        int after = (int)Math.Clamp(tierArrived[t] - ch.FirstIndexInTier, 0, ch.Capacity);
        if (after == 0) { ch.SwapLocalities(); return; }

        var cx = new ChunkStep
        {
            P = P,
            Tier = t,
            TierBase = t * P,
            Annual = A,
            Before = before,
            LocalityShift = BitOperations.Log2((uint)ch.LocalitySize),
            LocalitySize = ch.LocalitySize,
            ShareLocality = -1,
            Tally = tally,
            LocalPrevious = ch.LocalPrevious,
            BuyThreshold = tb.BuyThreshold[t],
            OrderFen = tb.OrderFen[t],
            Experience = tb.Experience,
            ExpUtility = tb.ExpUtility[t],
            WordOfMouth = tb.WordOfMouth[t],
            ChoiceKey = choiceKey,
            Weights = stackalloc float[8],
            Share = stackalloc float[8],
            Reach = stackalloc float[8],
        };

        ushort[] cohorts = ch.Cohort; byte[] sets = ch.Set; byte[] primaries = ch.Primary; byte[] sats = ch.Satisfaction;
        ulong[] recency = ch.Recency;
        int[] localNext = ch.LocalNext;
        int[] buy = cx.BuyThreshold, fen = cx.OrderFen;
        int[] sliceFen = tb.SliceFen[t], sliceThreshold = tb.SliceThreshold, slicePartner = tb.Conditions.SlicePartner, sliceExperience = tb.SliceExperience;
        int G = sliceThreshold.Length;
        int[] streamThr = tb.StreamThreshold[t], follows = model.Cohorts.Follows[t], streamPlatform = model.StreamerPlatform;
        int[] attention = tb.AttentionThreshold, experience = tb.Experience;
        int primaryThr = tb.PrimaryOrderThreshold, learn = tb.SatisfactionLearning256;
        int tp = t * P, histBase = Tallies.Histogram(P);
        ulong laneA = (ulong)A * Lanes1, laneI = (ulong)I * Lanes1, belowA = (ulong)(128 - A) * Lanes1;
        ulong sKey = stepKey;
        ulong firstAgent = CounterRandom.AgentIndex(t, ch.FirstIndexInTier);
        int shift = cx.LocalityShift;

        // Indices below are valid by construction (i < before ≤ capacity, cohort*P+p < C*P, mask < 256), so the loop
        // reads through refs instead of paying a bounds check per access.
        ref ulong recency0 = ref MemoryMarshal.GetArrayDataReference(recency);
        ref byte sets0 = ref MemoryMarshal.GetArrayDataReference(sets);
        ref byte primaries0 = ref MemoryMarshal.GetArrayDataReference(primaries);
        ref byte sats0 = ref MemoryMarshal.GetArrayDataReference(sats);
        ref ushort cohorts0 = ref MemoryMarshal.GetArrayDataReference(cohorts);
        ref int buy0 = ref MemoryMarshal.GetArrayDataReference(buy);
        ref int follows0 = ref MemoryMarshal.GetArrayDataReference(follows);
        ref long hist0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tally), histBase);
        ref int local0 = ref MemoryMarshal.GetArrayDataReference(localNext);
        ref long bought0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tally), Tallies.Bought(P));
        ref long tally0 = ref MemoryMarshal.GetArrayDataReference(tally);
        ref int fen0 = ref MemoryMarshal.GetArrayDataReference(fen);
        ref int experience0 = ref MemoryMarshal.GetArrayDataReference(experience);
        ref int streamThr0 = ref MemoryMarshal.GetArrayDataReference(streamThr);
        ushort[] orderCount = tb.OrderCount[t], streamCount = tb.StreamCount[t];
        ref ushort count0 = ref MemoryMarshal.GetArrayDataReference(orderCount);
        ref int first0 = ref MemoryMarshal.GetArrayDataReference(tb.FirstLevels[t]);
        ref ushort streamCount0 = ref MemoryMarshal.GetArrayDataReference(streamCount);
        // floor(x / d) for the order's "which other platform" draw as a multiply-high (Lemire et al. 2019, exact
        // for every 32-bit x); d = 1 has no 64-bit magic number and is handled apart.
        int otherDivisor = Math.Max(1, DecisionTables.One - primaryThr);
        bool divideByOne = otherDivisor == 1;
        ulong otherMagic = divideByOne ? 0 : ulong.MaxValue / (ulong)otherDivisor + 1;

        // Ageing and the step's random words in passes of their own: both vectorise (four agents at a time), and the
        // loop below, left with fewer live values, keeps more of them in registers.
        var draws = drawScratch ??= new ulong[AgentChunk.Size];
        var reached = reachedScratch ??= new byte[AgentChunk.Size];
        AgeRecency(recency.AsSpan(0, before), A, I, reached);
        CounterRandom.Fill(sKey, firstAgent, draws.AsSpan(0, before));
        ref ulong draws0 = ref MemoryMarshal.GetArrayDataReference(draws);
        ref byte reached0 = ref MemoryMarshal.GetArrayDataReference(reached);
        var reevaluated = reevaluatedScratch ??= new byte[AgentChunk.Size];
        ref byte reevaluated0 = ref MemoryMarshal.GetArrayDataReference(reevaluated);
        var pass = new ReevaluationPass
        {
            Cohorts = cohorts,
            Sets = sets,
            Primaries = primaries,
            Sats = sats,
            Reached = reached,
            Reevaluated = reevaluated,
            Recency = recency,
            Draws = draws,
            Attention = attention,
            FirstAgent = firstAgent,
            LaneA = laneA,
            LaneI = laneI,
        };
        // Adoption reads the sets as the previous step left them (before this step's lapses and re-evaluations), as
        // word of mouth reads the previous step's locality counts: the order of agents within a step changes nothing.
        var adoptCum = adoptCumScratch ??= new int[AgentChunk.Size * MaxPlatforms];
        var adoptFromBlock = adoptFromBlockScratch ??= new int[AgentChunk.Size / 8];
        var adoptFromAll = adoptFromAllScratch ??= new int[AgentChunk.Size];
        var adoptHazard = adoptHazardScratch ??= new float[AgentChunk.Size * MaxPlatforms];
        bool adoption = tb.Adoption, traffic = tb.TrafficByTier[t].Length > 0;
        if (adoption) AdoptionThresholds(ch, before, adoptCum, adoptFromAll, adoptHazard, adoptFromBlock);
        else Array.Fill(adoptFromBlock, DecisionTables.One, 0, (before + 7) >> 3);
        ref int adoptCum0 = ref MemoryMarshal.GetArrayDataReference(adoptCum);
        ref int affinity0 = ref MemoryMarshal.GetArrayDataReference(adoptionAffinity[t]);
        ReevaluateAttentive(ref cx, ref pass);

        int blocks = Avx2.IsSupported && OrderBlocks ? before & ~7 : 0;
        Span<int> experienceRow = stackalloc int[8];
        for (int p = 0; p < P; p++) experienceRow[p] = experience[tp + p];
        fixed (int* streamP = streamThr, buyP = buy, fenP = fen)
        fixed (ushort* countP = orderCount)
        fixed (int* firstLevelsP = tb.FirstLevels[t])
        {
            var block = new Block
            {
                Reevaluated = reevaluated,
                Stream = streamP,
                Buy = buyP,
                Fen = fenP,
                Count = countP,
                FirstLevels = firstLevelsP,
                Cohorts = cohorts,
                Sets = sets,
                Primaries = primaries,
                Sats = sats,
                Reached = reached,
                Recency = recency,
                Draws = draws,
                Tally = tally,
                LocalNext = localNext,
                P = P,
                Annual = A,
                PrimaryThreshold = primaryThr,
                Learn = learn,
                LocalityShift = shift,
                DivideByOne = divideByOne,
                AdoptFromBlock = adoptFromBlock,
                Divisor = otherDivisor,
                ExperienceRow = Vector256.Create<int>(experienceRow),
                Lanes = stackalloc int[Lane.Count],
            };
            for (int b = 0; b < before; b += 8)
            {
                // Agents of a block that need more than the weekly order, or all of them without AVX2 or at the end.
                int rest = b < blocks ? OrderBlock(ref block, b) : (1 << Math.Min(8, before - b)) - 1;
                for (; rest != 0; rest &= rest - 1)
                {
                    int i = b + BitOperations.TrailingZeroCount(rest);
                    ulong rec = Unsafe.Add(ref recency0, i);
                    int set = Unsafe.Add(ref sets0, i), prim = Unsafe.Add(ref primaries0, i), sat = Unsafe.Add(ref sats0, i);
                    int c = Unsafe.Add(ref cohorts0, i), bought = 0;

                    if (Unsafe.Add(ref reached0, i) != 0)
                    {
                        // Copies keep rec and set in registers: passing them by ref would pin them to the stack for the whole loop.
                        ulong rec2 = rec; int set2 = set;
                        Lapse(ref cx, ref rec2, ref set2, prim, laneA, laneI);
                        rec = rec2; set = set2;
                    }

                    // Re-evaluated before the loop: its state is loaded above, and this byte holds 1 + its order's bought mask.
                    ulong r = Unsafe.Add(ref draws0, i);
                    int reevaluation = Unsafe.Add(ref reevaluated0, i);
                    if (reevaluation != 0)
                    {
                        bought = reevaluation - 1;
                        Unsafe.Add(ref reevaluated0, i) = 0;
                    }

                    // Adoption (a Bass hazard per platform not yet used): the top of the attention draw, cut into one
                    // interval per platform of its step's probability; a draw in the interval of a platform already
                    // used adopts nothing. A re-evaluation takes the bottom of the same draw, so the two never meet
                    // while their probabilities add up to at most 1.
                    if (adoption)
                    {
                        int loc = i >> shift;
                        int off = (int)(r & 0xFFFF) - adoptFromAll[loc];
                        if (off >= 0)
                        {
                            // A traffic link's source's users have hazards of their own (AdoptedExposed); without links in
                            // the tier fromAll = from, and everyone reads the locality's thresholds.
                            int q = traffic
                                ? AdoptedExposed(t, loc, (int)(r & 0xFFFF), set, ref Unsafe.Add(ref affinity0, c * P), adoptHazard)
                                : Adopted(ref Unsafe.Add(ref adoptCum0, loc * P), off, set, ref Unsafe.Add(ref affinity0, c * P));
                            if (q >= 0)
                            {
                                set |= 1 << q;
                                Order(tally, P, A, q, ref rec, ref bought, fen[c * P + q]);
                            }
                        }
                    }

                    // The weekly order, without branches: whether the agent buys, and on which of its platforms, are coin
                    // flips a branch predictor cannot learn, and mispredictions cost more than doing the arithmetic always.
                    int u1 = (int)((r >> 16) & 0xFFFF), u2 = (int)((r >> 32) & 0xFFFF);
                    int cb = c * P;
                    {
                        int doBuy = (int)((uint)(u1 - Unsafe.Add(ref buy0, cb + prim)) >> 31);
                        // Several orders in a step go to the platform the first one picked; without an order u1 is
                        // above every count level, so the count is 0.
                        int count = OrderCount(ref Unsafe.Add(ref first0, DecisionTables.PackedPairs * (cb + prim)), ref Unsafe.Add(ref count0, (cb + prim) * DecisionTables.Levels), u1) & -doBuy;
                        int others = set & ~(1 << prim);
                        int over = u2 - primaryThr;
                        int useOther = (int)((uint)~over >> 31) & (int)((uint)-others >> 31);
                        uint x = (uint)(over & -useOther) * (uint)BitOperations.PopCount((uint)others);
                        int n = divideByOne ? (int)x : (int)Math.BigMul(otherMagic, x, out _);
                        int q = prim ^ ((NthSetBit(others, n) ^ prim) & -useOther);
                        int laneShift = q << 3;
                        int isNew = (int)((uint)(A - 1 - (int)((rec >> laneShift) & 0xFF)) >> 31);
                        Unsafe.Add(ref tally0, Tallies.New(P) + q) += isNew & doBuy;
                        rec &= ~((ulong)(0xFF & -doBuy) << laneShift);
                        bought |= doBuy << q;
                        Unsafe.Add(ref tally0, Tallies.Orders(P) + q) += count;
                        Unsafe.Add(ref tally0, Tallies.Gmv(P) + q) += Unsafe.Add(ref fen0, cb + q) * count;
                        sat += (((Unsafe.Add(ref experience0, tp + q) - sat) * learn) >> 8) & -(doBuy & ~useOther & 1);
                    }

                    // Non-followers have a threshold of 0, which no draw is below.
                    int u3 = (int)(r >> 48);
                    if (u3 < Unsafe.Add(ref streamThr0, c))
                    {
                        int g = Unsafe.Add(ref follows0, c);
                        int q = streamPlatform[g];
                        set |= 1 << q;
                        int count = OrderCount(ref Unsafe.Add(ref streamCount0, c * DecisionTables.Levels), u3);
                        // The supplied slice: a share of the community's orders are the partner's goods. Which a step's
                        // orders are is a draw of its own, taken only here, so a run without a slice draws nothing more.
                        int sliceThr = sliceThreshold[g];
                        if (sliceThr > 0 && (int)(CounterRandom.At(sliceKey, firstAgent + (ulong)i) & 0xFFFF) < sliceThr)
                        {
                            int partner = slicePartner[g];
                            Order(tally, P, A, q, ref rec, ref bought, sliceFen[c], count);
                            tally[Tallies.Supplied(P) + partner] += (long)sliceFen[c] * count;
                            tally[Tallies.SuppliedOrders(P) + partner] += count;
                            if (q == prim) sat += ((sliceExperience[t * G + g] - sat) * learn) >> 8;
                        }
                        else
                        {
                            Order(tally, P, A, q, ref rec, ref bought, fen[cb + q], count);
                            if (q == prim) sat += ((experience[tp + q] - sat) * learn) >> 8;
                        }
                    }

                    Unsafe.Add(ref bought0, bought)++;
                    Unsafe.Add(ref hist0, LaneMask(LanesBelow(rec, belowA)))++;
                    Unsafe.Add(ref local0, (i >> shift) * P + prim)++;
                    Unsafe.Add(ref recency0, i) = rec;
                    Unsafe.Add(ref sets0, i) = (byte)set;
                    Unsafe.Add(ref primaries0, i) = (byte)prim;
                    Unsafe.Add(ref sats0, i) = (byte)sat;
                }
            }
        }

        if (after > before) Arrive(ref cx, ch, before, after, belowA);

        // Primary users per chunk are the sum of the per-locality counts, which the loop keeps anyway.
        int primaryBase = Tallies.Primary(P);
        for (int k = 0; k < localNext.Length; k++) tally[primaryBase + k % P] += localNext[k];
        tally[Tallies.Arrivals(P)] = after - before;
        ch.Arrived = after;
        ch.SwapLocalities();
    }

    // Stryker disable all : the hand-written SIMD twin of the scalar code above; mutating it stalls coverage capture, and the CPU-parity tests guard it (docs/testing.md).
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

    /// <summary>Eight consecutive 64-bit draws, from <paramref name="first"/> on, as their low and high 32-bit halves in agent order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> Low, Vector256<int> High) DrawHalves(ref ulong first)
    {
        var order = Vector256.Create(0u, 2, 4, 6, 1, 3, 5, 7);
        var d0 = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref first).AsUInt32(), order);
        var d1 = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref first, 4).AsUInt32(), order);
        return (Avx2.Permute2x128(d0, d1, 0x20).AsInt32(), Avx2.Permute2x128(d0, d1, 0x31).AsInt32());
    }

    /// <summary>What a block of eight agents reads and writes; built once per chunk and step, lives on the stack.</summary>
    private unsafe ref struct Block
    {
        // Gathers take addresses: the caller pins these tables for the chunk's loop.
        public int* Stream, Buy, Fen;
        /// <summary>The step's order-count levels (16-bit), a row of <see cref="DecisionTables.Levels"/> per cohort and primary.</summary>
        public ushort* Count;
        /// <summary>The step's first six levels, packed in pairs (<see cref="DecisionTables.FirstLevels"/>).</summary>
        public int* FirstLevels;
        public ushort[] Cohorts;
        public byte[] Sets, Primaries, Sats, Reached, Reevaluated;
        public ulong[] Recency, Draws;
        public long[] Tally;
        public int[] LocalNext;
        public int P, Annual, PrimaryThreshold, Learn, LocalityShift;
        public bool DivideByOne;
        /// <summary>Per eight agents: the lowest attention draw at which one of them adopts a platform (<see cref="DecisionTables.One"/>: none can).</summary>
        public int[] AdoptFromBlock;
        public float Divisor;
        public Vector256<int> ExperienceRow;
        /// <summary><see cref="Lane.Count"/> ints of scratch: eight lanes per quantity, at the offsets of <see cref="Lane"/>.</summary>
        public Span<int> Lanes;
    }

    /// <summary>Offsets into <see cref="Block.Lanes"/>: one run of eight lanes (agents of the block) per quantity.</summary>
    private static class Lane
    {
        public const int Q = 0, GmvIndex = 8, Fen = 16, BoughtIndex = 24, AnnualIndex = 32, LocalIndex = 40,
            OrdersIndex = 48, Orders = 56, Row = 64, Draw = 72, Count = 80;
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
        // Agents with a lapse to do. Agents re-evaluated this step (their lapse done) take the weekly order here too,
        // their bought mask joined to their re-evaluation's (Reevaluated holds 1 + that mask).
        var reached = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Reached[b])).AsByte());
        ulong reevaluatedBytes = Unsafe.ReadUnaligned<ulong>(ref s.Reevaluated[b]);

        // r & 0xFFFF, attention, was used by the re-evaluation pre-pass.
        var (low, high) = DrawHalves(ref s.Draws[b]);
        var u1 = Vector256.ShiftRightLogical(low, 16);         // (r >> 16) & 0xFFFF: whether to buy
        var u2 = high & ffff;                                  // (r >> 32) & 0xFFFF: which platform
        var u3 = Vector256.ShiftRightLogical(high, 16);        // r >> 48: streamer order

        var streamed = Avx2.CompareGreaterThan(Avx2.GatherVector256(s.Stream, cohort, 4), u3);
        // Agents whose attention draw falls in the adoption range of their locality adopt in the scalar loop.
        var adopting = Avx2.CompareGreaterThan(low & ffff, Vector256.Create(s.AdoptFromBlock[b >> 3] - 1));
        var slow = streamed | adopting | ~Vector256.Equals(reached, Vector256<int>.Zero);
        int slowBits = Avx.MoveMask(slow.AsSingle());
        if (slowBits == 0xFF) return slowBits;
        var fast = ~slow;

        var prim = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Primaries[b])).AsByte());
        var set = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref s.Sets[b])).AsByte());
        var one = Vector256.Create(1);
        var cb = Avx2.MultiplyLow(cohort, Vector256.Create(s.P));
        var row = cb + prim;
        var doBuy = Avx2.CompareGreaterThan(Avx2.GatherVector256(s.Buy, row, 4), u1) & fast;
        // The count of the step's orders, as the scalar loop's OrderCount: 1 for a buyer, plus one per level its draw is
        // also below. The first six levels come in three gathers and are counted without a branch; a lane below the
        // sixth (a seventh order) gets its whole row read in the loop below. Levels never exceed the buy threshold, so a
        // non-buyer is below none of them.
        var pair = Avx2.MultiplyLow(row, Vector256.Create(DecisionTables.PackedPairs));
        var l01 = Avx2.GatherVector256(s.FirstLevels, pair, 4);
        var l23 = Avx2.GatherVector256(s.FirstLevels + 1, pair, 4);
        var l45 = Avx2.GatherVector256(s.FirstLevels + 2, pair, 4);
        // (Comparisons are −1 where true.)
        var count = (one - Avx2.CompareGreaterThan(l01 & ffff, u1) - Avx2.CompareGreaterThan(Vector256.ShiftRightLogical(l01, 16), u1)
                     - Avx2.CompareGreaterThan(l23 & ffff, u1) - Avx2.CompareGreaterThan(Vector256.ShiftRightLogical(l23, 16), u1)
                     - Avx2.CompareGreaterThan(l45 & ffff, u1)) & doBuy;
        var seventh = Avx2.CompareGreaterThan(Vector256.ShiftRightLogical(l45, 16), u1) & doBuy;
        int seventhBits = Avx.MoveMask(seventh.AsSingle());
        ref int lanes = ref MemoryMarshal.GetReference(s.Lanes);
        if (seventhBits != 0)
        {
            // A seventh order's lane reads its whole row of levels at the end of the block, from a table too large to stay
            // in cache (perf: a tenth of this method's samples sat on that load). Asking for the row now lets the rest of
            // the block run while it comes. Both lines: a 32-byte row can straddle two.
            row.StoreUnsafe(ref lanes, Lane.Row);
            u1.StoreUnsafe(ref lanes, Lane.Draw);
            for (int m = seventhBits; m != 0; m &= m - 1)
            {
                ushort* levels = s.Count + Unsafe.Add(ref lanes, Lane.Row + BitOperations.TrailingZeroCount(m)) * DecisionTables.Levels;
                Sse.Prefetch0(levels);
                Sse.Prefetch0(levels + DecisionTables.Levels - 1);
            }
        }
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
            // The quotient x / d is below pop ≤ 7, x < 2^19 and d ≤ 2^16 are exact in single precision, and a quotient
            // just below an integer k is at least 1/d ≥ 2^-16 below it, far more than half a float's spacing near 8
            // (2^-21): the rounded float quotient never crosses an integer, so truncating it is floor(x / d), exactly
            // what the scalar loop's multiply-high computes.
            n = Avx.ConvertToVector256Int32WithTruncation(Avx.Divide(Avx.ConvertToVector256Single(x), Vector256.Create(s.Divisor)));
        }
        // The n-th set bit of others without a table: drop the lowest set bit n times (n < pop ≤ P − 1), then the
        // lowest bit left is a power of two whose index is its float exponent. Arithmetic only, where a gather from
        // NthBitTable waited on the division above (perf: 7 % of this method's samples on that gather).
        var left = others;
        for (int k = 1; k < s.P; k++)
            left = Vector256.ConditionalSelect(Avx2.CompareGreaterThan(n, Vector256.Create(k - 1)), left & (left - one), left);
        var lowest = Vector256.ConvertToSingle(left & -left).AsInt32();
        var nth = Vector256.ShiftRightLogical(lowest, 23) - Vector256.Create(127);
        var q = Vector256.ConditionalSelect(useOther, nth, prim);

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
        // Platforms ordered on within the year, per agent, as an 8-bit mask: recency byte j within the year, weighted by
        // 2^j and summed over the agent's eight bytes (vpsadbw). The masks land in 64-bit lanes (agents 0–3, 4–7) and are
        // shuffled into agent order.
        var lastAByte = Vector256.Create((byte)(s.Annual - 1));
        var bitWeights = Vector256.Create(0x8040201008040201UL).AsByte();
        var annualLow = Avx2.SumAbsoluteDifferences(Vector256.Equals(Avx2.Min(recLow.AsByte(), lastAByte), recLow.AsByte()) & bitWeights,
            Vector256<byte>.Zero).AsSingle();
        var annualHigh = Avx2.SumAbsoluteDifferences(Vector256.Equals(Avx2.Min(recHigh.AsByte(), lastAByte), recHigh.AsByte()) & bitWeights,
            Vector256<byte>.Zero).AsSingle();
        var annual = Avx2.Permute4x64(Avx.Shuffle(annualLow, annualHigh, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsInt32();

        var primaryOrder = doBuy & ~useOther;
        var experience = Avx2.PermuteVar8x32(s.ExperienceRow, q);
        sat += Vector256.ShiftRightArithmetic(Avx2.MultiplyLow(experience - sat, Vector256.Create(s.Learn)), 8) & primaryOrder;
        // Slow lanes carry the satisfaction they were loaded with, so all eight bytes can be stored back at once.
        var sat16 = Avx2.PackUnsignedSaturate(sat, sat).AsInt16();
        var sat8 = Avx2.PackUnsignedSaturate(sat16, sat16).AsUInt32();
        Unsafe.WriteUnaligned(ref s.Sats[b], sat8.GetElement(0) | (ulong)sat8.GetElement(4) << 32);

        // Every tally index computed eight at a time, so the per-agent loop below only adds: it then needs three base
        // registers instead of a dozen and keeps its state out of the stack.
        int P = s.P;
        var cq = cb + q;
        q.StoreUnsafe(ref lanes, Lane.Q);
        (q + Vector256.Create(Tallies.Gmv(P))).StoreUnsafe(ref lanes, Lane.GmvIndex);
        Avx2.GatherVector256(s.Fen, cq, 4).StoreUnsafe(ref lanes, Lane.Fen);
        (q + Vector256.Create(Tallies.Orders(P))).StoreUnsafe(ref lanes, Lane.OrdersIndex);
        count.StoreUnsafe(ref lanes, Lane.Orders);
        var boughtMask = Avx2.ShiftLeftLogicalVariable(one, q.AsUInt32()) & doBuy;
        if (reevaluatedBytes != 0)
        {
            // 1 + the re-evaluation's mask, or 0: at least 0 after subtracting 1.
            var reevaluated = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(reevaluatedBytes).AsByte());
            boughtMask |= Avx2.Max(reevaluated - one, Vector256<int>.Zero);
            // Done for the fast lanes; the slow ones keep their byte for the scalar loop. Packing the lane masks twice
            // leaves agents 0–3 in bytes 0–3 and agents 4–7 in bytes 16–19.
            var slow16 = Avx2.PackSignedSaturate(slow, slow);
            var slow8 = Avx2.PackSignedSaturate(slow16, slow16).AsUInt32();
            Unsafe.WriteUnaligned(ref s.Reevaluated[b], reevaluatedBytes & (slow8.GetElement(0) | (ulong)slow8.GetElement(4) << 32));
        }
        (boughtMask + Vector256.Create(Tallies.Bought(P))).StoreUnsafe(ref lanes, Lane.BoughtIndex);
        (annual + Vector256.Create(Tallies.Histogram(P))).StoreUnsafe(ref lanes, Lane.AnnualIndex);
        var agent = Vector256.Create(b) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        (Avx2.MultiplyLow(Vector256.ShiftRightArithmetic(agent, s.LocalityShift), Vector256.Create(P)) + prim).StoreUnsafe(ref lanes, Lane.LocalIndex);

        // The scattered part, per agent. Indices are valid by construction (q < P, masks < 256, b + k < before), so it
        // reads through refs without bounds checks.
        ref long tally0 = ref MemoryMarshal.GetArrayDataReference(s.Tally);
        ref int local0 = ref MemoryMarshal.GetArrayDataReference(s.LocalNext);
        int fastBits = ~slowBits & 0xFF;
        // Each lane's values at a constant offset from its own ref: one load and one add per tally, where indexing the
        // lanes by k + offset cost three instructions more for each (JIT disassembly).
        for (int m = fastBits; m != 0; m &= m - 1)
        {
            ref int lk = ref Unsafe.Add(ref lanes, (nint)(uint)BitOperations.TrailingZeroCount(m));
            int orders = Unsafe.Add(ref lk, Lane.Orders);
            Unsafe.Add(ref tally0, (nint)Unsafe.Add(ref lk, Lane.GmvIndex)) += Unsafe.Add(ref lk, Lane.Fen) * orders;
            Unsafe.Add(ref tally0, (nint)Unsafe.Add(ref lk, Lane.OrdersIndex)) += orders;
            Unsafe.Add(ref tally0, (nint)Unsafe.Add(ref lk, Lane.BoughtIndex))++;
            Unsafe.Add(ref tally0, (nint)Unsafe.Add(ref lk, Lane.AnnualIndex))++;
            Unsafe.Add(ref local0, (nint)Unsafe.Add(ref lk, Lane.LocalIndex))++;
        }
        // A seventh order's lane counted six above; the orders beyond those, from its whole row of levels, in a loop of
        // their own that keeps the rare branch and the row's load out of the loop above.
        for (int m = seventhBits; m != 0; m &= m - 1)
        {
            ref int lk = ref Unsafe.Add(ref lanes, (nint)(uint)BitOperations.TrailingZeroCount(m));
            int extra = OrderCount(ref *(s.Count + Unsafe.Add(ref lk, Lane.Row) * DecisionTables.Levels), Unsafe.Add(ref lk, Lane.Draw))
                        - Unsafe.Add(ref lk, Lane.Orders);
            Unsafe.Add(ref tally0, (nint)Unsafe.Add(ref lk, Lane.GmvIndex)) += Unsafe.Add(ref lk, Lane.Fen) * extra;
            Unsafe.Add(ref tally0, (nint)Unsafe.Add(ref lk, Lane.OrdersIndex)) += extra;
        }
        for (int m = newBits & Avx.MoveMask(doBuy.AsSingle()); m != 0; m &= m - 1)
            Unsafe.Add(ref tally0, Tallies.New(P) + Unsafe.Add(ref lanes, Lane.Q + BitOperations.TrailingZeroCount(m)))++;
        return slowBits;
    }
    // Stryker restore all
}
