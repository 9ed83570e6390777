using System.Runtime.InteropServices;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Randomness;
using MarketSim.Scenarios;

namespace MarketSim.Output;

/// <summary>
/// Records agent snapshots (<c>outputs.agent_snapshots</c>) through the engine's read-only agent seam and writes them
/// as <c>agents.parquet</c> when the run completes. Sampling is a pure function of (seed, tier, agent index): the same
/// agents are in every snapshot, at any thread count, and in both arms of a comparison under common random numbers.
/// </summary>
/// <remarks>
/// Rows are kept in compact form (26 bytes a row) until the run completes rather than streamed to the file,
/// so that a checkpoint can carry the snapshots already taken (<see cref="Save"/>, <see cref="Load"/>) and a resumed
/// run writes the same bytes as one that never stopped.
/// </remarks>
public sealed class AgentSnapshotRecorder
{
    /// <summary>File name inside a run folder.</summary>
    public const string TableName = "agents";

    private const int RowsPerGroup = 1 << 16;
    private const uint Magic = 0x4E474153; // "SAGN": snapshot agents

    private readonly MarketModel model;
    private readonly bool[] snapshotStep;
    private readonly ulong[] tierKey;
    private readonly ulong threshold;
    private readonly List<Row> rows = [];

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct Row
    {
        public long Agent;
        public ulong Recency;
        public int Step;
        public ushort Cohort;
        public byte Tier, Set, Primary, Satisfaction;
    }

    private AgentSnapshotRecorder(MarketModel model, AgentSnapshotSpec spec)
    {
        this.model = model;
        snapshotStep = new bool[model.Steps];
        foreach (var date in spec.Dates)
            if (model.StepContaining(date) is >= 0 and var s) snapshotStep[s] = true;
        tierKey = new ulong[model.T];
        for (int t = 0; t < model.T; t++) tierKey[t] = CounterRandom.StreamKey(model.Scenario.Seed, StreamPurpose.Snapshot, t);
        // Compared with the top 53 bits of the agent's draw: a sample of 1 takes every agent, exactly.
        threshold = (ulong)Math.Round(Math.Clamp(spec.Sample, 0, 1) * (1UL << 53));
    }

    /// <summary>A recorder for the model's scenario, or null when it asks for no snapshots.</summary>
    public static AgentSnapshotRecorder? For(MarketModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Scenario.Outputs.AgentSnapshots;
        return spec.Dates.Count == 0 ? null : new AgentSnapshotRecorder(model, spec);
    }

    /// <summary>Rows recorded so far.</summary>
    public int Rows => rows.Count;

    /// <summary>Whether agent <paramref name="index"/> of tier <paramref name="tier"/> is in the sample.</summary>
    public bool Sampled(int tier, long index) => CounterRandom.At(tierKey[tier], (ulong)index) >> 11 < threshold;

    /// <summary>Records the sampled agents if the step just run is a snapshot step; does nothing otherwise.</summary>
    public void Observe(Simulation sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        int step = sim.CurrentStep - 1;
        if (step < 0 || !snapshotStep[step]) return;
        for (int c = 0; c < sim.AgentChunkCount; c++)
        {
            var view = sim.ViewAgents(c);
            for (int i = 0; i < view.Count; i++)
            {
                long agent = view.FirstIndexInTier + i;
                if (!Sampled(view.Tier, agent)) continue;
                rows.Add(new Row
                {
                    Agent = agent,
                    Recency = view.Recency[i],
                    Step = step,
                    Cohort = view.Cohort[i],
                    Tier = (byte)view.Tier,
                    Set = view.PlatformSet[i],
                    Primary = view.Primary[i],
                    Satisfaction = view.Satisfaction[i],
                });
            }
        }
    }

    /// <summary>Appends the rows recorded so far to a checkpoint stream.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(rows.Count);
        w.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(rows)));
    }

    /// <summary>Replaces the recorded rows by those saved with <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The stream holds no snapshot section or a damaged one.</exception>
    public void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (r.ReadUInt32() != Magic) throw new InvalidDataException("the checkpoint has no agent snapshot section");
            int n = r.ReadInt32();
            // At most every slot at every snapshot step; the stream need not know its length (a checkpoint's is a view).
            if (n < 0 || n > model.TotalCapacity * snapshotStep.Count(s => s))
                throw new InvalidDataException("the checkpoint's agent snapshot section is damaged");
            rows.Clear();
            CollectionsMarshal.SetCount(rows, n);
            stream.ReadExactly(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(rows)));
            foreach (var row in rows)
                if (row.Tier >= model.T || row.Step < 0 || row.Step >= model.Steps || row.Cohort >= model.Cohorts.Count || row.Primary >= model.P)
                    throw new InvalidDataException("the checkpoint's agent snapshot section is damaged");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the checkpoint's agent snapshot section is truncated");
        }
    }

    /// <summary>Writes <c>agents.parquet</c> under its temporary name; the caller publishes it with the other tables.</summary>
    internal async Task<ParquetTable> WriteAsync(string folder, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var table = new AgentsTable(model, Math.Clamp(rows.Count, 1, RowsPerGroup));
        var file = await ParquetTable.CreateAsync(folder, TableName, table.Columns, table.Capacity, metadata, ct).ConfigureAwait(false);
        try
        {
            // Rows were recorded step by step in chunk order; sorting by (step, tier, agent) states that order instead of
            // relying on it, so a reader can binary-search and two runs agree row by row.
            // The keys are unique, so the unstable sort still has one result.
            rows.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : a.Agent.CompareTo(b.Agent));
            for (int start = 0; start < rows.Count; start += table.Capacity)
            {
                int n = Math.Min(table.Capacity, rows.Count - start);
                for (int k = 0; k < n; k++) table.Fill(k, rows[start + k]);
                file.Advance(n);
                await file.FlushAsync(ct).ConfigureAwait(false);
            }
            await file.CloseAsync(ct).ConfigureAwait(false);
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The columns of agents.parquet: one row per sampled agent and snapshot step (docs/output.md).</summary>
    private sealed class AgentsTable
    {
        private readonly MarketModel m;
        private readonly ReadOnlyMemory<char>[] tiers, platforms;
        private readonly string[] streamers;
        private readonly ColumnBuffer<int> step, cohort, platformCount;
        private readonly ColumnBuffer<DateOnly> date;
        private readonly ColumnBuffer<ReadOnlyMemory<char>> tier, primary;
        private readonly NullableStringBuffer streamer;
        private readonly ColumnBuffer<long> agent;
        private readonly ColumnBuffer<double> price, quality, content, social, orders, value, satisfaction;
        private readonly ColumnBuffer<bool>[] uses;
        private readonly NullableColumnBuffer<int>[] since;

        public AgentsTable(MarketModel m, int capacity)
        {
            this.m = m;
            Capacity = capacity;
            var d = m.Dimensions;
            tiers = d.TierIds.Select(s => s.AsMemory()).ToArray();
            platforms = d.PlatformIds.Select(s => s.AsMemory()).ToArray();
            streamers = [.. m.Scenario.Streamers.Keys];
            int n = capacity;
            step = Col.Int("step", n);
            date = Col.Date("date", n);
            tier = Col.String("tier", n);
            agent = Col.Long("agent", n);
            cohort = Col.Int("cohort", n);
            price = Col.Double("price_sensitivity", n);
            quality = Col.Double("quality_sensitivity", n);
            content = Col.Double("content_affinity", n);
            social = Col.Double("social_propensity", n);
            orders = Col.Double("orders_per_week", n);
            value = Col.Double("order_value_yuan", n);
            streamer = Col.NullableString("streamer", n);
            primary = Col.String("primary_platform", n);
            satisfaction = Col.Double("satisfaction", n);
            platformCount = Col.Int("platform_count", n);
            uses = d.PlatformIds.Select(p => Col.Bool("uses_" + p, n)).ToArray();
            since = d.PlatformIds.Select(p => Col.NullableInt("steps_since_order_" + p, n)).ToArray();
            Columns = [step, date, tier, agent, cohort, price, quality, content, social, orders, value, streamer,
                primary, satisfaction, platformCount, .. uses, .. since];
        }

        public int Capacity { get; }

        public ColumnBuffer[] Columns { get; }

        public void Fill(int k, in Row r)
        {
            var co = m.Cohorts;
            int t = r.Tier, c = r.Cohort;
            step.Values[k] = r.Step;
            date.Values[k] = m.StepDate(r.Step);
            tier.Values[k] = tiers[t];
            agent.Values[k] = r.Agent;
            cohort.Values[k] = c;
            price.Values[k] = co.PriceSensitivity[t][c];
            quality.Values[k] = co.QualitySensitivity[t][c];
            content.Values[k] = co.ContentAffinity[t][c];
            social.Values[k] = co.SocialPropensity[t][c];
            orders.Values[k] = co.OrdersPerWeek[t][c];
            value.Values[k] = co.OrderValueYuan[t][c];
            int g = co.Follows[t][c];
            streamer.Values[k] = g >= 0 ? streamers[g] : null;
            primary.Values[k] = platforms[r.Primary];
            satisfaction.Values[k] = r.Satisfaction / 255.0;
            platformCount.Values[k] = System.Numerics.BitOperations.PopCount(r.Set);
            for (int p = 0; p < uses.Length; p++)
            {
                bool uses = (r.Set & (1 << p)) != 0;
                this.uses[p].Values[k] = uses;
                since[p].Values[k] = uses ? AgentChunkView.StepsSinceOrder(r.Recency, p) : null;
            }
        }
    }
}
