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

    private readonly MarketModel _model;
    private readonly bool[] _snapshotStep;
    private readonly ulong[] _tierKey;
    private readonly ulong _threshold;
    private readonly List<Row> _rows = [];

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
        _model = model;
        _snapshotStep = new bool[model.Steps];
        foreach (var date in spec.Dates)
            if (model.StepContaining(date) is >= 0 and var s) _snapshotStep[s] = true;
        _tierKey = new ulong[model.T];
        for (int t = 0; t < model.T; t++) _tierKey[t] = CounterRandom.StreamKey(model.Scenario.Seed, StreamPurpose.Snapshot, t);
        // Compared with the top 53 bits of the agent's draw: a sample of 1 takes every agent, exactly.
        _threshold = (ulong)Math.Round(Math.Clamp(spec.Sample, 0, 1) * (1UL << 53));
    }

    /// <summary>A recorder for the model's scenario, or null when it asks for no snapshots.</summary>
    public static AgentSnapshotRecorder? For(MarketModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Scenario.Outputs.AgentSnapshots;
        return spec.Dates.Count == 0 ? null : new AgentSnapshotRecorder(model, spec);
    }

    /// <summary>Rows recorded so far.</summary>
    public int Rows => _rows.Count;

    /// <summary>Whether agent <paramref name="index"/> of tier <paramref name="tier"/> is in the sample.</summary>
    public bool Sampled(int tier, long index) => CounterRandom.At(_tierKey[tier], (ulong)index) >> 11 < _threshold;

    /// <summary>Records the sampled agents if the step just run is a snapshot step; does nothing otherwise.</summary>
    public void Observe(Simulation sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        int step = sim.CurrentStep - 1;
        if (step < 0 || !_snapshotStep[step]) return;
        for (int c = 0; c < sim.AgentChunkCount; c++)
        {
            var view = sim.ViewAgents(c);
            for (int i = 0; i < view.Count; i++)
            {
                long agent = view.FirstIndexInTier + i;
                if (!Sampled(view.Tier, agent)) continue;
                _rows.Add(new Row
                {
                    Agent = agent, Recency = view.Recency[i], Step = step, Cohort = view.Cohort[i], Tier = (byte)view.Tier,
                    Set = view.PlatformSet[i], Primary = view.Primary[i], Satisfaction = view.Satisfaction[i],
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
        w.Write(_rows.Count);
        w.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_rows)));
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
            if (n < 0 || n > _model.TotalCapacity * _snapshotStep.Count(s => s))
                throw new InvalidDataException("the checkpoint's agent snapshot section is damaged");
            _rows.Clear();
            CollectionsMarshal.SetCount(_rows, n);
            stream.ReadExactly(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_rows)));
            foreach (var row in _rows)
                if (row.Tier >= _model.T || row.Step < 0 || row.Step >= _model.Steps || row.Cohort >= _model.Cohorts.Count || row.Primary >= _model.P)
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
        var table = new AgentsTable(_model, Math.Clamp(_rows.Count, 1, RowsPerGroup));
        var file = await ParquetTable.CreateAsync(folder, TableName, table.Columns, table.Capacity, metadata, ct).ConfigureAwait(false);
        try
        {
            // Rows were recorded step by step in chunk order; sorting by (step, tier, agent) states that order instead of
            // relying on it, so a reader can binary-search and two runs agree row by row.
            // The keys are unique, so the unstable sort still has one result.
            _rows.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : a.Agent.CompareTo(b.Agent));
            for (int start = 0; start < _rows.Count; start += table.Capacity)
            {
                int n = Math.Min(table.Capacity, _rows.Count - start);
                for (int k = 0; k < n; k++) table.Fill(k, _rows[start + k]);
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
        private readonly MarketModel _m;
        private readonly ReadOnlyMemory<char>[] _tiers, _platforms;
        private readonly string[] _streamers;
        private readonly ColumnBuffer<int> _step, _cohort, _platformCount;
        private readonly ColumnBuffer<DateOnly> _date;
        private readonly ColumnBuffer<ReadOnlyMemory<char>> _tier, _primary;
        private readonly NullableStringBuffer _streamer;
        private readonly ColumnBuffer<long> _agent;
        private readonly ColumnBuffer<double> _price, _quality, _content, _social, _orders, _value, _satisfaction;
        private readonly ColumnBuffer<bool>[] _uses;
        private readonly NullableColumnBuffer<int>[] _since;

        public AgentsTable(MarketModel m, int capacity)
        {
            _m = m;
            Capacity = capacity;
            var d = m.Dimensions;
            _tiers = d.TierIds.Select(s => s.AsMemory()).ToArray();
            _platforms = d.PlatformIds.Select(s => s.AsMemory()).ToArray();
            _streamers = [.. m.Scenario.Streamers.Keys];
            int n = capacity;
            _step = Col.Int("step", n);
            _date = Col.Date("date", n);
            _tier = Col.String("tier", n);
            _agent = Col.Long("agent", n);
            _cohort = Col.Int("cohort", n);
            _price = Col.Double("price_sensitivity", n);
            _quality = Col.Double("quality_sensitivity", n);
            _content = Col.Double("content_affinity", n);
            _social = Col.Double("social_propensity", n);
            _orders = Col.Double("orders_per_week", n);
            _value = Col.Double("order_value_yuan", n);
            _streamer = Col.NullableString("streamer", n);
            _primary = Col.String("primary_platform", n);
            _satisfaction = Col.Double("satisfaction", n);
            _platformCount = Col.Int("platform_count", n);
            _uses = d.PlatformIds.Select(p => Col.Bool("uses_" + p, n)).ToArray();
            _since = d.PlatformIds.Select(p => Col.NullableInt("steps_since_order_" + p, n)).ToArray();
            Columns = [_step, _date, _tier, _agent, _cohort, _price, _quality, _content, _social, _orders, _value, _streamer,
                _primary, _satisfaction, _platformCount, .. _uses, .. _since];
        }

        public int Capacity { get; }

        public ColumnBuffer[] Columns { get; }

        public void Fill(int k, in Row r)
        {
            var co = _m.Cohorts;
            int t = r.Tier, c = r.Cohort;
            _step.Values[k] = r.Step;
            _date.Values[k] = _m.StepDate(r.Step);
            _tier.Values[k] = _tiers[t];
            _agent.Values[k] = r.Agent;
            _cohort.Values[k] = c;
            _price.Values[k] = co.PriceSensitivity[t][c];
            _quality.Values[k] = co.QualitySensitivity[t][c];
            _content.Values[k] = co.ContentAffinity[t][c];
            _social.Values[k] = co.SocialPropensity[t][c];
            _orders.Values[k] = co.OrdersPerWeek[t][c];
            _value.Values[k] = co.OrderValueYuan[t][c];
            int g = co.Follows[t][c];
            _streamer.Values[k] = g >= 0 ? _streamers[g] : null;
            _primary.Values[k] = _platforms[r.Primary];
            _satisfaction.Values[k] = r.Satisfaction / 255.0;
            _platformCount.Values[k] = System.Numerics.BitOperations.PopCount(r.Set);
            for (int p = 0; p < _uses.Length; p++)
            {
                bool uses = (r.Set & (1 << p)) != 0;
                _uses[p].Values[k] = uses;
                _since[p].Values[k] = uses ? AgentChunkView.StepsSinceOrder(r.Recency, p) : null;
            }
        }
    }
}
