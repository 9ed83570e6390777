using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MarketSim.Model;
using MarketSim.Randomness;

namespace MarketSim.Engine;

/// <summary>
/// Steps every consumer agent through time. State lives in fixed-size chunks (structure of arrays); a step runs
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> over chunks, each chunk tallying its own
/// results, then reduces the tallies in chunk order. Every random draw is keyed on (seed, purpose, step, agent), so
/// results are bit-identical for any thread count.
/// </summary>
public sealed partial class Simulation
{
    private const ulong Lanes1 = 0x0101010101010101UL;
    private const ulong LanesHigh = 0x8080808080808080UL;
    private const ulong Lanes7F = 0x7F7F7F7F7F7F7F7FUL;

    private readonly MarketModel model;
    private readonly AgentChunk[] chunks;
    private readonly DecisionTables tables;
    private readonly ParallelOptions parallel;
    private readonly long[] tierArrived;
    private readonly long[][] histogram;
    private readonly Action<int> stepChunk;
    private readonly int[][] arrivalInclusion;
    private readonly int[][] adoptionAffinity;
    private ulong stepKey, choiceKey, arrivalKey, arrivalSetKey, sliceKey;
    private int step;

    // Per worker thread, reused by every chunk it steps: which thread steps which chunk changes no result, only
    // which scratch memory holds the chunk's draws meanwhile.
    [ThreadStatic] private static ulong[]? drawScratch;
    [ThreadStatic] private static byte[]? reachedScratch;

    /// <summary>Allocates and initialises the population (step −1: the state at the start date).</summary>
    /// <param name="model">The compiled scenario.</param>
    /// <param name="threads">Worker threads; 0 = all cores. Results do not depend on it.</param>
    /// <param name="cancel">Stops the burn-in between two of its steps (<see cref="OperationCanceledException"/>): at a million agents it takes seconds.</param>
    public Simulation(MarketModel model, int threads = 0, CancellationToken cancel = default) : this(model, threads, null, cancel)
    {
    }

    /// <summary>
    /// Continues a simulation from state saved by <see cref="SaveState"/> for the same model: the steps that follow
    /// are bit-identical to those of the simulation that saved it, because no random stream depends on history.
    /// </summary>
    /// <exception cref="InvalidDataException">The state is not engine state, or belongs to another model's shape.</exception>
    /// <param name="model">The compiled scenario.</param>
    /// <param name="state">What <see cref="SaveState"/> wrote.</param>
    /// <param name="threads">Worker threads; 0 = all cores. Results do not depend on it.</param>
    /// <param name="reuse">A simulation to take the buffers of (see <see cref="Create"/>), or null.</param>
    public static Simulation Restore(MarketModel model, Stream state, int threads = 0, Simulation? reuse = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new Simulation(model, threads, state, default, reuse);
    }

    /// <summary>
    /// Allocates and initialises the population as the constructor does, taking the agent arrays, chunk tallies and
    /// decision tables of <paramref name="reuse"/> (a simulation its owner is done with: it cannot step again) where
    /// their shapes fit this model: a calibration's evaluations and replications then stop allocating and collecting
    /// them. Everything taken is cleared or rebuilt in full, so the result is the same as a fresh simulation's, bit for
    /// bit (tested after a different scenario); buffers that do not fit are allocated anew.
    /// </summary>
    /// <param name="model">The compiled scenario.</param>
    /// <param name="threads">Worker threads; 0 = all cores. Results do not depend on it.</param>
    /// <param name="reuse">A finished simulation whose buffers to take, or null.</param>
    /// <param name="cancel">Stops the burn-in between two of its steps.</param>
    public static Simulation Create(MarketModel model, int threads = 0, Simulation? reuse = null, CancellationToken cancel = default) =>
        new(model, threads, null, cancel, reuse);

    private Simulation(MarketModel model, int threads, Stream? state, CancellationToken cancel, Simulation? reuse = null)
    {
        var clock = Stopwatch.StartNew();
        this.model = model;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        var taken = reuse?.Surrender();
        if (taken?.Tables is { } oldTables && oldTables.Fits(model))
        {
            oldTables.Invalidate();
            tables = oldTables;
        }
        else tables = new DecisionTables(model);
        tierArrived = (long[])model.InitialAgents.Clone();
        histogram = new long[model.T][];
        for (int t = 0; t < model.T; t++) histogram[t] = new long[Tallies.HistogramSize];
        chunks = ReusedChunks(model, taken?.Chunks) ?? NewChunks(model);

        stepChunk = i => StepChunk(chunks[i]);
        tables.Build(model, 0);
        var initialWeights = InitialInclusionThresholds();
        arrivalInclusion = ArrivalInclusion(initialWeights, model.Scenario.Behaviour.ArrivalMultihoming);
        adoptionAffinity = AdoptionAffinity(initialWeights);
        if (state is null)
        {
            Parallel.For(0, chunks.Length, parallel, i => InitialiseChunk(chunks[i], initialWeights));
            // The burn-in: the start date's conditions, no arrivals, its own random streams (steps −B … −1, which no
            // step of the run uses), its metrics dropped. A restored state is past it already. Its first half runs
            // re-evaluation BurnInPace times faster: while conditions are frozen a consumer's satisfaction sits at its
            // primary platform's experience, so the hazard of re-evaluating depends on the primary only and scaling
            // every hazard alike leaves where the primaries settle nearly unchanged, reached that many times sooner
            // (the model's slowest mode, measured at about 290 weekly steps). The second half, at the run's pace, lets
            // platform sets and purchase recency settle on their own clocks.
            int burnIn = model.Scenario.Calendar.BurnInSteps;
            for (int k = -burnIn; k < 0; k++)
            {
                cancel.ThrowIfCancellationRequested();
                Advance(0, k, arrive: false, pace: k < -burnIn / 2 ? BurnInPace : 1);
            }
        }
        else ReadState(state);
        InitialiseSeconds = clock.Elapsed.TotalSeconds;
    }

    private static AgentChunk[] NewChunks(MarketModel model)
    {
        var list = new List<AgentChunk>();
        for (int t = 0; t < model.T; t++)
            for (long first = 0; first < model.Capacity[t]; first += AgentChunk.Size)
                list.Add(new AgentChunk(t, first, (int)Math.Min(AgentChunk.Size, model.Capacity[t] - first), model.P,
                    model.Scenario.Behaviour.LocalitySize));
        return list.ToArray();
    }

    /// <summary>
    /// <paramref name="old"/>'s chunks, cleared, when they are the chunks <see cref="NewChunks"/> would allocate for
    /// <paramref name="model"/> (same tiers, first indices, capacities, platforms and locality size); else null.
    /// </summary>
    private static AgentChunk[]? ReusedChunks(MarketModel model, AgentChunk[]? old)
    {
        if (old is null) return null;
        int k = 0, size = model.Scenario.Behaviour.LocalitySize;
        for (int t = 0; t < model.T; t++)
            for (long first = 0; first < model.Capacity[t]; first += AgentChunk.Size, k++)
                if (k >= old.Length || !old[k].Fits(t, first, (int)Math.Min(AgentChunk.Size, model.Capacity[t] - first), model.P, size))
                    return null;
        if (k != old.Length) return null;
        foreach (var ch in old) ch.Reset();
        return old;
    }

    private bool surrendered;

    /// <summary>Hands this simulation's buffers to a new one; this one cannot step or be read afterwards.</summary>
    private (AgentChunk[] Chunks, DecisionTables Tables) Surrender()
    {
        if (surrendered) throw new InvalidOperationException("this simulation's buffers were already taken by another");
        surrendered = true;
        return (chunks, tables);
    }

    private void ThrowIfSurrendered()
    {
        if (surrendered) throw new InvalidOperationException("this simulation's buffers were reused by another simulation");
    }

    /// <summary>The compiled scenario.</summary>
    public MarketModel Model => model;

    /// <summary>Agent state between steps, for tests that construct a state or check a step against its definition.</summary>
    internal AgentChunk[] Chunks => chunks;

    /// <summary>Worker threads used.</summary>
    public int Threads { get; }

    /// <summary>Index of the next step to run.</summary>
    public int CurrentStep => step;

    /// <summary>True when every step of the horizon has run.</summary>
    public bool Done => step >= model.Steps;

    /// <summary>Seconds spent allocating and initialising agents.</summary>
    public double InitialiseSeconds { get; }

    /// <summary>Seconds spent stepping agents (the parallel part).</summary>
    public double StepSeconds { get; private set; }

    /// <summary>Seconds spent building step tables and reducing chunk tallies.</summary>
    public double AggregateSeconds { get; private set; }

    /// <summary>Agent-steps executed so far (arrived agents only).</summary>
    public long AgentSteps { get; private set; }

    /// <summary>Bytes of per-agent state (cohort, set, primary, satisfaction, recency).</summary>
    public const int BytesPerAgent = AgentChunk.BytesPerAgent;

    /// <summary>Estimated bytes the engine allocates for a model: agent state, chunk tallies and localities.</summary>
    public static long EstimateBytes(MarketModel model)
    {
        long chunkCount = model.Capacity.Sum(c => (c + AgentChunk.Size - 1) / AgentChunk.Size);
        long perChunk = 8L * Tallies.Length(model.P)
                        + 2L * 4 * model.P * ((AgentChunk.Size + model.Scenario.Behaviour.LocalitySize - 1) / model.Scenario.Behaviour.LocalitySize)
                        + 6 * 64; // array headers
        // Per tier, cohort and platform: five int tables (utility, buy threshold, order and supplied value, adoption
        // affinity), the packed first levels (DecisionTables.PackedPairs ints) and the 16-bit count levels.
        long tables = (long)model.T * model.Cohorts.Count * model.P * (20 + 4 * DecisionTables.PackedPairs + 2 * DecisionTables.Levels)
                      + model.T * model.Cohorts.Count * (64 + 2 * DecisionTables.Levels);
        return model.TotalCapacity * BytesPerAgent + chunkCount * perChunk + tables;
    }

    /// <summary>How many times faster consumers re-evaluate in the first half of the burn-in.</summary>
    public const double BurnInPace = 8;

    /// <summary>Runs the next step and returns its metrics (a new object; the caller may keep it).</summary>
    public StepMetrics Step()
    {
        ThrowIfSurrendered();
        if (Done) throw new InvalidOperationException("the run has no steps left");
        var metrics = Advance(step, step, arrive: true);
        step++;
        return metrics;
    }

    /// <summary>Steps every agent once under the conditions of step <paramref name="conditions"/>, with the random streams of <paramref name="keyStep"/>.</summary>
    private StepMetrics Advance(int conditions, long keyStep, bool arrive, double pace = 1)
    {
        var clock = Stopwatch.StartNew();
        tables.Build(model, conditions, pace);
        ulong seed = model.Scenario.Seed;
        stepKey = CounterRandom.StreamKey(seed, StreamPurpose.Step, keyStep);
        choiceKey = CounterRandom.StreamKey(seed, StreamPurpose.Choice, keyStep);
        arrivalKey = CounterRandom.StreamKey(seed, StreamPurpose.Arrival, keyStep);
        arrivalSetKey = CounterRandom.StreamKey(seed, StreamPurpose.ArrivalSet, keyStep);
        sliceKey = CounterRandom.StreamKey(seed, StreamPurpose.Slice, keyStep);
        if (arrive)
            for (int t = 0; t < model.T; t++) tierArrived[t] += model.Arrivals[t][conditions];
        double prepare = clock.Elapsed.TotalSeconds;

        clock.Restart();
        Parallel.For(0, chunks.Length, parallel, stepChunk);
        StepSeconds += clock.Elapsed.TotalSeconds;

        clock.Restart();
        var metrics = Reduce();
        AggregateSeconds += prepare + clock.Elapsed.TotalSeconds;
        return metrics;
    }

    private StepMetrics Reduce()
    {
        int P = model.P;
        var m = new StepMetrics(model.T, P) { Step = step, Date = model.StepDate(step) };
        foreach (var h in histogram) Array.Clear(h);
        foreach (var ch in chunks)
        {
            // Fixed chunk order and integer sums: the reduction cannot depend on which thread ran what.
            int t = ch.Tier;
            var k = ch.Tally;
            m.Consumers[t] += ch.Arrived;
            m.Arrivals[t] += k[Tallies.Arrivals(P)];
            AgentSteps += ch.Arrived;
            for (int p = 0; p < P; p++)
            {
                int i = t * P + p;
                m.New[i] += k[Tallies.New(P) + p];
                m.Churned[i] += k[Tallies.Churned(P) + p];
                m.Primary[i] += k[Tallies.Primary(P) + p];
                m.GmvFen[i] += k[Tallies.Gmv(P) + p];
                m.Orders[i] += k[Tallies.Orders(P) + p];
                m.SuppliedGmvFen[i] += k[Tallies.Supplied(P) + p];
                m.SuppliedOrders[i] += k[Tallies.SuppliedOrders(P) + p];
                for (int q = 0; q < P; q++) m.Flows[(t * P + p) * P + q] += k[Tallies.Flows(P) + p * P + q];
            }
            var h = histogram[t];
            int hb = Tallies.Histogram(P);
            for (int mask = 1; mask < Tallies.HistogramSize; mask++) h[mask] += k[hb + mask];
            // Period-active users from the histogram of what each agent bought: no per-agent loop over its orders.
            int bb = Tallies.Bought(P);
            for (int mask = 1; mask < 1 << P; mask++)
            {
                long n = k[bb + mask];
                if (n == 0) continue;
                for (int p = 0; p < P; p++)
                    if ((mask & (1 << p)) != 0) m.PeriodActive[t * P + p] += n;
            }
        }
        for (int t = 0; t < model.T; t++)
        {
            var h = histogram[t];
            for (int mask = 1; mask < Tallies.HistogramSize; mask++)
            {
                long n = h[mask];
                if (n == 0) continue;
                for (int a = 0; a < P; a++)
                {
                    if ((mask & (1 << a)) == 0) continue;
                    for (int b = 0; b < P; b++)
                        if ((mask & (1 << b)) != 0) m.Overlap[(t * P + a) * P + b] += n;
                }
            }
            for (int p = 0; p < P; p++)
            {
                m.AnnualActive[t * P + p] = m.Overlap[(t * P + p) * P + p];
                for (int q = 0; q < P; q++)
                {
                    long f = m.Flows[(t * P + p) * P + q];
                    m.SwitchedOut[t * P + p] += f;
                    m.SwitchedIn[t * P + q] += f;
                }
            }
        }
        return m;
    }

    /// <summary>Per tier, cohort and platform: the probability (16-bit) that an initial consumer uses the platform.</summary>
    private int[][] InitialInclusionThresholds()
    {
        int P = model.P, C = model.Cohorts.Count;
        double sorting = model.Scenario.Behaviour.InitialSorting;
        var result = new int[model.T][];
        for (int t = 0; t < model.T; t++)
        {
            result[t] = new int[C * P];
            var eu = tables.ExpUtility[t];
            for (int p = 0; p < P; p++)
            {
                // Cohorts that like a platform more are likelier to use it. Probabilities are capped at 1, so the scale
                // is solved for (bisection) to keep the tier's mean exactly at the target penetration.
                var w = new double[C];
                for (int c = 0; c < C; c++) w[c] = Math.Exp(sorting * Math.Log(Math.Max(eu[c * P + p], 1e-30)));
                double mean = w.Average();
                for (int c = 0; c < C; c++) w[c] /= mean;
                double target = model.InitialPenetration[t * P + p];
                double lo = 0, hi = 1;
                while (MeanCapped(w, hi) < target && hi < 1e12) hi *= 2;
                for (int k = 0; k < 60; k++)
                {
                    double mid = 0.5 * (lo + hi);
                    if (MeanCapped(w, mid) < target) lo = mid; else hi = mid;
                }
                for (int c = 0; c < C; c++) result[t][c * P + p] = DecisionTables.Threshold(Math.Min(1, hi * w[c]));
            }
        }
        return result;
    }

    /// <summary>
    /// The mean of min(1, scale × w) over <paramref name="w"/>, summed in order as <c>Enumerable.Average</c> did (the same
    /// bits) without a delegate call per cohort: the bisection calls it 62 times per tier and platform.
    /// </summary>
    private static double MeanCapped(double[] w, double scale)
    {
        double sum = 0;
        foreach (double x in w) sum += Math.Min(1, scale * x);
        return sum / w.Length;
    }

    /// <summary>The initial inclusion probabilities scaled by <paramref name="multihoming"/>: a new shopper's further accounts.</summary>
    private static int[][] ArrivalInclusion(int[][] initial, double multihoming) =>
        initial.Select(row => row.Select(v => (int)Math.Round(v * multihoming)).ToArray()).ToArray();

    private void InitialiseChunk(AgentChunk ch, int[][] inclusion)
    {
        int P = model.P, t = ch.Tier, C = model.Cohorts.Count, A = model.AnnualSteps;
        ulong seed = model.Scenario.Seed;
        ulong cohortKey = CounterRandom.StreamKey(seed, StreamPurpose.Cohort, 0);
        ulong k0 = CounterRandom.StreamKey(seed, StreamPurpose.Initial, 0);
        ulong k1 = CounterRandom.StreamKey(seed, StreamPurpose.Initial, 1);
        ulong k2 = CounterRandom.StreamKey(seed, StreamPurpose.Initial, 2);
        ulong k3 = CounterRandom.StreamKey(seed, StreamPurpose.Initial, 3);
        int initial = (int)Math.Clamp(model.InitialAgents[t] - ch.FirstIndexInTier, 0, ch.Capacity);
        // A start without burn-in is the run's first state and must hold still (stationary primaries, pinned platforms
        // at their figures); with a burn-in it is only where the burn-in starts, drawn as before the data start.
        bool dataStart = model.Scenario.Calendar.BurnInSteps == 0;
        var eu = tables.ExpUtility[t];
        var inc = inclusion[t];
        Span<float> w = stackalloc float[8];
        for (int i = 0; i < ch.Capacity; i++)
        {
            ulong agent = CounterRandom.AgentIndex(t, ch.FirstIndexInTier + i);
            int c = CounterRandom.Below(CounterRandom.At(cohortKey, agent), C);
            ch.Cohort[i] = (ushort)c;
            ch.Recency[i] = ulong.MaxValue;
            if (i >= initial) continue;

            ulong r0 = CounterRandom.At(k0, agent), r1 = CounterRandom.At(k1, agent);
            ulong r2 = CounterRandom.At(k2, agent), r3 = CounterRandom.At(k3, agent);
            int set = 0;
            ulong rec = ulong.MaxValue;
            for (int p = 0; p < P; p++)
            {
                int u = PlatformSlice(r0, r1, p);
                if (u >= inc[c * P + p]) continue;
                set |= 1 << p;
                // Last order spread evenly over the past year: the population starts in a steady state of recency.
                int lane = (int)((((r3 >> (8 * p)) & 0xFF) * (ulong)A) >> 8);
                rec = (rec & ~(0xFFUL << (8 * p))) | ((ulong)lane << (8 * p));
            }
            int primary;
            if (set == 0)
            {
                primary = dataStart ? FallbackPlatform(t, (int)(r2 >> 48)) : FirstPlatform(t, (int)(r2 >> 48));
                set = 1 << primary;
                rec &= ~(0xFFUL << (8 * primary));
            }
            else if (!dataStart)
            {
                // With a burn-in the initial state is only where the burn-in starts: primaries by logit weight.
                float total = 0;
                for (int p = 0; p < P; p++) { w[p] = (set >> p & 1) != 0 ? eu[c * P + p] * tables.Reach[t * P + p] : 0; total += w[p]; }
                primary = total > 0 ? Pick(w, P, total, r2) : BitOperations.TrailingZeroCount(set);
            }
            else
            {
                // The primary where re-evaluations would keep it (docs/model.md §5): among the platforms in use, a
                // re-evaluation picks p with weight w_p = reach × exp(U), the current primary i boosted by inertia B_i, so
                // the chain's stationary distribution is π_i ∝ w_i (B_i w_i + W − w_i) / λ_i (W = Σ w over the set, λ_i
                // the attention hazard at the satisfaction i's experience gives). Drawn from it, the start holds still
                // without a burn-in; drawn by w alone, Taobao's national primary share rose 77 % → 92 % in three
                // years of a run without events.
                float sum = 0;
                for (int p = 0; p < P; p++) { w[p] = (set >> p & 1) != 0 ? eu[c * P + p] * tables.Reach[t * P + p] : 0; sum += w[p]; }
                float total = 0;
                for (int p = 0; p < P; p++)
                {
                    if (w[p] <= 0) continue;
                    int experience = tables.Experience[t * P + p];
                    float z = tables.InertiaFactor[experience] * w[p] + sum - w[p];
                    float hazard = Math.Max(tables.AttentionThreshold[experience], 1);
                    w[p] = w[p] * z / hazard;
                    total += w[p];
                }
                primary = total > 0 ? Pick(w, P, total, r2) : BitOperations.TrailingZeroCount(set);
            }
            ch.Set[i] = (byte)set;
            ch.Primary[i] = (byte)primary;
            ch.Recency[i] = rec;
            ch.Satisfaction[i] = (byte)tables.Experience[t * P + primary];
            ch.LocalPrevious[(i / ch.LocalitySize) * P + primary]++;
        }
        ch.Arrived = initial;
    }

    /// <summary>
    /// The platform of an initial consumer whom the draws left with none: one whose start is not pinned by a published
    /// figure (<c>initial_accounts_millions</c>; in the default scenario that is "other", Kuaishou and Douyin), in
    /// proportion to the tier's initial penetrations, so that the pinned platforms start at their figures (the
    /// arrivals' first-platform mix put Pinduoduo's 2017 start 19 % above its figure, penetration over all platforms
    /// every pinned one 5 %); over all platforms when every one is pinned; the mix only where the tier has no
    /// penetration at all.
    /// </summary>
    private int FallbackPlatform(int t, int u16)
    {
        int P = model.P;
        double total = 0, pinnedTotal = 0;
        for (int p = 0; p < P; p++)
        {
            double pen = model.InitialPenetration[t * P + p];
            total += pen;
            if (model.InitialLevelPinned[p]) pinnedTotal += pen;
        }
        bool skipPinned = total - pinnedTotal > 0;
        if (skipPinned) total -= pinnedTotal;
        if (total <= 0) return FirstPlatform(t, u16);
        double acc = 0;
        int last = -1;
        for (int p = 0; p < P; p++)
        {
            double pen = skipPinned && model.InitialLevelPinned[p] ? 0 : model.InitialPenetration[t * P + p];
            if (pen <= 0) continue;
            acc += pen;
            last = p;
            if (u16 < DecisionTables.Threshold(acc / total)) return p;
        }
        return last;
    }

    private int FirstPlatform(int t, int u16)
    {
        // The last platform's cumulative threshold is 1 (65 536), above every 16-bit draw: whoever passes the others takes it.
        int P = model.P;
        for (int p = 0; p < P - 1; p++)
            if (u16 < tables.FirstPlatformCumulative[t * P + p]) return p;
        return P - 1;
    }

    /// <summary>The 16-bit draw of platform <paramref name="p"/> (0 … 7) from two 64-bit words: four platforms a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlatformSlice(ulong r0, ulong r1, int p) => (int)(((p < 4 ? r0 : r1) >> (16 * (p & 3))) & 0xFFFF);

    /// <summary>Where in [0, 1) the top 24 bits of <paramref name="bits"/> fall: a weighted pick's target over its total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float PickFraction(ulong bits) => (float)((bits >> 40) * (1.0 / (1 << 24)));

    /// <summary>
    /// A platform drawn with probability proportional to its weight (zero weights never) from the top 24 bits of
    /// <paramref name="bits"/>; a target that rounding puts at or past the sum of the weights takes the last positive one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Pick(Span<float> w, int count, float total, ulong bits)
    {
        float target = PickFraction(bits) * total;
        float acc = 0;
        int last = -1;
        for (int p = 0; p < count; p++)
        {
            if (w[p] <= 0) continue;
            acc += w[p];
            last = p;
            if (target < acc) return p;
        }
        return last;
    }

    /// <summary>High bit of each byte lane set where the lane is zero (exact, no borrow between lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ZeroLanes(ulong x) => ~(((x & Lanes7F) + Lanes7F) | x | Lanes7F);

    /// <summary>High bit of each byte lane set where the lane is below <c>128 − bias</c> (bias = (128 − A) per lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LanesBelow(ulong x, ulong bias) => ~((x & Lanes7F) + bias) & ~x & LanesHigh;

    /// <summary>Gathers the high bit of each byte lane into an 8-bit mask (lane i → bit i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LaneMask(ulong high) => (int)(((high >> 7) * 0x0102040810204080UL) >> 56);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Order(long[] tally, int P, int A, int q, ref ulong rec, ref int bought, int fen, int count = 1)
    {
        int shift = q << 3;
        if ((int)((rec >> shift) & 0xFF) >= A) tally[Tallies.New(P) + q]++;
        rec &= ~(0xFFUL << shift);
        bought |= 1 << q;
        tally[Tallies.Orders(P) + q] += count;
        tally[Tallies.Gmv(P) + q] += (long)fen * count;
    }

    /// <summary>Index of the n-th (0-based) set bit of <paramref name="mask"/>; 32 when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int NthSetBit(int mask, int n)
    {
        if (System.Runtime.Intrinsics.X86.Bmi2.IsSupported)
            return BitOperations.TrailingZeroCount(System.Runtime.Intrinsics.X86.Bmi2.ParallelBitDeposit(1u << n, (uint)mask));
        return NthSetBitPortable(mask, n);
    }

    /// <summary>
    /// <see cref="NthSetBit"/> without BMI2: drops the lowest set bit <paramref name="n"/> times. Apart, so that a test
    /// on a CPU with BMI2 can compare the two (the JIT removes the call where BMI2 is there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int NthSetBitPortable(int mask, int n)
    {
        for (int k = 0; k < n; k++) mask &= mask - 1;
        return BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>
    /// Ages every recency lane in use by one step (255, a lane not in use, stays 255) and sets
    /// <paramref name="reached"/>[i] non-zero where a lane of agent i has just reached <paramref name="annual"/> or
    /// <paramref name="inactive"/> steps. A byte-wise saturating add is exactly that ageing: 254 + 1 = 255 either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AgeRecency(Span<ulong> recency, int annual, int inactive, byte[] reached)
    {
        int i = 0;
        ref ulong rec0 = ref MemoryMarshal.GetReference(recency);
        ref byte reached0 = ref MemoryMarshal.GetArrayDataReference(reached);
        if (Avx2.IsSupported)
        {
            var one = Vector256.Create((byte)1);
            var limitA = Vector256.Create((byte)annual);
            var limitI = Vector256.Create((byte)inactive);
            for (; i <= recency.Length - 4; i += 4)
            {
                var rec = Avx2.AddSaturate(Vector256.LoadUnsafe(ref rec0, (nuint)i).AsByte(), one);
                rec.AsUInt64().StoreUnsafe(ref rec0, (nuint)i);
                // Mask bit j is byte j of the four agents, so byte k of the mask covers agent i + k's eight lanes.
                uint hit = (uint)Avx2.MoveMask(Avx2.CompareEqual(rec, limitA) | Avx2.CompareEqual(rec, limitI));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref reached0, i), hit);
            }
        }
        ulong laneA = (ulong)annual * Lanes1, laneI = (ulong)inactive * Lanes1;
        for (; i < recency.Length; i++)
        {
            ulong rec = Unsafe.Add(ref rec0, i);
            rec += ((ZeroLanes(~rec) >> 7) ^ Lanes1) & Lanes1;
            Unsafe.Add(ref rec0, i) = rec;
            Unsafe.Add(ref reached0, i) = (byte)((ZeroLanes(rec ^ laneA) | ZeroLanes(rec ^ laneI)) != 0 ? 1 : 0);
        }
    }

    /// <summary>Lanes that just reached a year without an order (churn) or the inactivity limit (leave the set).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Lapse(ref ChunkStep cx, ref ulong rec, ref int set, int prim, ulong laneA, ulong laneI)
    {
        int churned = LaneMask(ZeroLanes(rec ^ laneA));
        int churnBase = Tallies.Churned(cx.P);
        while (churned != 0) { cx.Tally[churnBase + BitOperations.TrailingZeroCount(churned)]++; churned &= churned - 1; }
        int lapsed = LaneMask(ZeroLanes(rec ^ laneI)) & set & ~(1 << prim);
        set &= ~lapsed;
        while (lapsed != 0) { rec |= 0xFFUL << (8 * BitOperations.TrailingZeroCount(lapsed)); lapsed &= lapsed - 1; }
    }

    /// <summary>
    /// The outcome of a re-evaluation that picked <paramref name="q"/>: nothing if it is the primary; an adoption (with an
    /// order on the platform) if the agent did not use it, which makes it the primary only sometimes (multi-homing);
    /// otherwise a switch of primary.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Switch(ref ChunkStep cx, int cb, int q, ulong r2, ref ulong rec, ref int set, ref int prim, ref int sat, ref int bought)
    {
        int P = cx.P;
        if (q == prim) return;
        if ((set >> q & 1) == 0)
        {
            set |= 1 << q;
            Order(cx.Tally, P, cx.Annual, q, ref rec, ref bought, cx.OrderFen[cb + q]);
            if ((int)(r2 & 0xFFFF) >= tables.AdoptAsPrimaryThreshold) return;
        }
        cx.Tally[Tallies.Flows(P) + prim * P + q]++;
        prim = q;
        sat = cx.Experience[cx.TierBase + q];
    }

    /// <summary>
    /// New online shoppers: a first platform from the tier's mix, and a first order there; and accounts on further
    /// platforms, each with <c>arrival_multihoming</c> × the probability an initial consumer of the cohort uses it,
    /// not ordered on within the year (recency = AnnualSteps, so not annual-active and not churned): the shopper has
    /// them to order on, and counts for them once it does. Without these a new shopper starts with one platform
    /// while the stock uses 2.2, and platforms' users grow far slower than the shoppers do.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Arrive(ref ChunkStep cx, AgentChunk ch, int from, int to, ulong belowA)
    {
        int P = cx.P, t = cx.Tier;
        ulong firstAgent = CounterRandom.AgentIndex(t, ch.FirstIndexInTier);
        for (int i = from; i < to; i++)
        {
            ulong ra = CounterRandom.At(arrivalKey, firstAgent + (ulong)i);
            int c = ch.Cohort[i], bought = 0;
            int prim = FirstPlatform(t, (int)(ra & 0xFFFF));
            ulong rec = ulong.MaxValue;
            int set = 1 << prim;
            ulong agent = firstAgent + (ulong)i;
            ulong r0 = CounterRandom.At(arrivalSetKey, 2 * agent), r1 = CounterRandom.At(arrivalSetKey, 2 * agent + 1);
            var inclusion = arrivalInclusion[t];
            for (int p = 0; p < P; p++)
            {
                int u = PlatformSlice(r0, r1, p);
                if (p == prim || u >= inclusion[c * P + p]) continue;
                set |= 1 << p;
                rec = (rec & ~(0xFFUL << (8 * p))) | ((ulong)cx.Annual << (8 * p));
            }
            Order(cx.Tally, P, cx.Annual, prim, ref rec, ref bought, cx.OrderFen[c * P + prim]);
            cx.Tally[Tallies.Bought(P) + bought]++;
            cx.Tally[Tallies.Histogram(P) + LaneMask(LanesBelow(rec, belowA))]++;
            ch.LocalNext[(i >> cx.LocalityShift) * P + prim]++;
            ch.Recency[i] = rec;
            ch.Set[i] = (byte)set;
            ch.Primary[i] = (byte)prim;
            ch.Satisfaction[i] = (byte)cx.Experience[cx.TierBase + prim];
        }
    }
}
