using System.Numerics;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;

namespace MarketSim.Tests;

/// <summary>
/// Issue 32, item 2: every column a run writes, pinned to the state it came from. A small run of the flat scenario (every
/// trait constant, so an order's value follows from the scenario's numbers) keeps a copy of every agent after every step
/// through <see cref="Simulation.ViewAgents"/>; the test recomputes each value of metrics.parquet, flows.parquet,
/// overlap.parquet and agents.parquet from those copies by the docs/output.md definitions, and compares it with what the
/// file holds, read back with DuckDB (and the project's reader).
/// </summary>
public sealed class ColumnSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>One chunk's agents, copied out of the read-only view.</summary>
    private sealed record ChunkCopy(int Tier, long First, ushort[] Cohort, byte[] Set, byte[] Primary, byte[] Satisfaction, ulong[] Recency);

    private static ChunkCopy[] Copy(Simulation sim) => Enumerable.Range(0, sim.AgentChunkCount).Select(c =>
    {
        var v = sim.ViewAgents(c);
        return new ChunkCopy(v.Tier, v.FirstIndexInTier, v.Cohort.ToArray(), v.PlatformSet.ToArray(), v.Primary.ToArray(), v.Satisfaction.ToArray(),
            v.Recency.ToArray());
    }).ToArray();

    private static int Lane(ulong recency, int p) => (int)(recency >> (8 * p)) & 0xFF;

    /// <summary>Per step, the counts docs/output.md defines, from the agents before and after the step.</summary>
    private sealed class Expected(int T, int P)
    {
        public long[] Consumers = new long[T], Annual = new long[T * P], Period = new long[T * P], Primary = new long[T * P];
        public long[] New = new long[T * P], Churned = new long[T * P], In = new long[T * P], Out = new long[T * P];
        public long[] Flows = new long[T * P * P], Both = new long[T * P * P];
    }

    private static Expected Count(ChunkCopy[] before, ChunkCopy[] after, int T, int P, int annualSteps)
    {
        var e = new Expected(T, P);
        for (int j = 0; j < after.Length; j++)
        {
            var (b, a) = (before[j], after[j]);
            int t = a.Tier;
            e.Consumers[t] += a.Cohort.Length;
            for (int i = 0; i < a.Cohort.Length; i++)
            {
                bool arrived = i >= b.Cohort.Length;
                e.Primary[t * P + a.Primary[i]]++;
                if (!arrived && b.Primary[i] != a.Primary[i])
                {
                    e.Flows[(t * P + b.Primary[i]) * P + a.Primary[i]]++;
                    e.Out[t * P + b.Primary[i]]++;
                    e.In[t * P + a.Primary[i]]++;
                }
                for (int p = 0; p < P; p++)
                {
                    int lane = Lane(a.Recency[i], p), was = arrived ? 255 : Lane(b.Recency[i], p);
                    if (lane < annualSteps) e.Annual[t * P + p]++;
                    if (lane == 0) e.Period[t * P + p]++;
                    // Stopped being annual-active: the step ages the last order to a full year (lane AnnualSteps − 1 before it)…
                    if (was == annualSteps - 1) e.Churned[t * P + p]++;
                    // …and became annual-active: an order this step after a year or more without one (or none, or just
                    // arrived). An agent that reaches the year and orders in the same step is both (docs/model.md: ageing
                    // comes before the order), so annual-active(k) = annual-active(k − 1) + new − churned holds.
                    if (lane == 0 && was >= annualSteps - 1) e.New[t * P + p]++;
                    for (int q = 0; q < P; q++)
                        if (lane < annualSteps && Lane(a.Recency[i], q) < annualSteps) e.Both[(t * P + p) * P + q]++;
                }
            }
        }
        return e;
    }

    private static void Same(double expected, double? actual, string what)
    {
        Assert.True(actual is not null, $"{what}: null, expected {expected:R}");
        Assert.True(Math.Abs(expected - actual!.Value) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, written {actual:R}");
    }

    [Fact]
    public async Task FlatRun_EveryWrittenValue_IsTheAgentsStateRecomputed()
    {
        var s = TestScenarios.Flat(agents: 4_000, steps: 14);
        s.Behaviour.Attention = 0.2; // many re-evaluations, so that flows and switches are not rare
        // Satisfaction at both ends of its byte: a's buyers in t1 get quality 1 delivered at once to patient buyers (experience 255), c's get
        // quality 0 (experience 0).
        s.Platforms["a"].Quality = 1.0;
        s.Platforms["a"].DeliveryDays["t1"] = 0;   // clamped to 0.1 day, which a tolerance of 10⁶ days does not notice
        s.Behaviour.DeliveryToleranceDays = 1e6;
        s.Platforms["c"].Quality = 0;
        s.Outputs.AgentSnapshots = new() { Dates = [new DateOnly(2019, 1, 7), new DateOnly(2019, 2, 20), new DateOnly(2019, 4, 12)], Sample = 1 };
        var model = new MarketModel(s);
        int T = model.T, P = model.P, annualSteps = model.AnnualSteps;
        double ppa = model.PeoplePerAgent;
        string folder = _temp.Run("flat");
        var manifest = new RunManifest("flat", "", new string('0', 64), s.Seed, s.Population.Agents, ppa, 0, "test");
        var states = new List<ChunkCopy[]>();
        var metrics = new List<StepMetrics>();
        await using (var run = RunPipeline.Start(model, manifest, 2))
        {
            states.Add(Copy(run.Simulation)); // the initial state, before the first step
            await run.OpenOutputsAsync(folder, OutputSelection.All, AgentSnapshotRecorder.For(model));
            run.Observe(m =>
            {
                metrics.Add(m);
                states.Add(Copy(run.Simulation));
            });
            await run.StepToEndAsync(CancellationToken.None);
            await run.CompleteAsync(TestRuns.Timings(), withCalibration: false);
        }
        Assert.Equal(model.Steps, metrics.Count);
        var expected = Enumerable.Range(0, model.Steps).Select(k => Count(states[k], states[k + 1], T, P, annualSteps)).ToArray();
        // The engine agrees with the definitions (so the columns below are pinned to the agents, not only to its tallies).
        for (int k = 0; k < model.Steps; k++)
        {
            Assert.Equal(expected[k].Annual, metrics[k].AnnualActive);
            Assert.Equal(expected[k].New, metrics[k].New);
            Assert.Equal(expected[k].Churned, metrics[k].Churned);
        }

        // The value of an order on each platform by hand: the tier's order value (constant trait × income index) × the
        // platform's price level × basket 1, in whole fen.
        var fen = new long[T * P];
        for (int t = 0; t < T; t++)
            for (int p = 0; p < P; p++)
            {
                double value = 100 * s.Tiers.Values.ElementAt(t).IncomeIndex * s.Platforms.Values.ElementAt(p).PriceLevel;
                fen[t * P + p] = (long)Math.Round(value * 100);
            }
        string[] tiers = [.. s.Tiers.Keys], platforms = [.. s.Platforms.Keys];

        // metrics.parquet, every column of every row.
        var rows = await RunOutputReader.ReadMetricsAsync(folder);
        var duck = DuckDbTable.Available ? DuckDbTable.Read(Path.Combine(folder, "metrics.parquet")) : null;
        Assert.Equal(model.Steps * T * P, rows.Count);
        long ordersAboveBuyers = 0, gmvCells = 0;
        int r = 0;
        for (int k = 0; k < model.Steps; k++)
            for (int t = 0; t < T; t++)
                for (int p = 0; p < P; p++, r++)
                {
                    var e = expected[k];
                    int c = t * P + p;
                    long orders = metrics[k].Orders[c];
                    // GMV on the flat scenario is orders × the one order value of the cell, nothing else (no alliance).
                    Assert.Equal(orders * fen[c], metrics[k].GmvFen[c]);
                    Assert.True(orders >= e.Period[c], $"step {k} {tiers[t]} {platforms[p]}: {orders} orders from {e.Period[c]} buyers");
                    if (orders > e.Period[c]) ordersAboveBuyers++;
                    if (orders > 0) gmvCells++;
                    var want = new Dictionary<string, double>
                    {
                        ["consumers"] = e.Consumers[t] * ppa,
                        ["annual_active"] = e.Annual[c] * ppa,
                        ["period_active"] = e.Period[c] * ppa,
                        ["primary_users"] = e.Primary[c] * ppa,
                        ["primary_share"] = e.Consumers[t] == 0 ? 0 : (double)e.Primary[c] / e.Consumers[t],
                        ["new_users"] = e.New[c] * ppa,
                        ["churned_users"] = e.Churned[c] * ppa,
                        ["switched_in"] = e.In[c] * ppa,
                        ["switched_out"] = e.Out[c] * ppa,
                        ["orders"] = orders * ppa,
                        ["gmv_yuan"] = orders * fen[c] * ppa / 100,
                        ["supplied_gmv_yuan"] = 0,
                    };
                    Assert.Equal((k, model.StepDate(k), tiers[t], platforms[p]), (rows[r].Step, rows[r].Date, rows[r].Tier, rows[r].Platform));
                    foreach (var (column, value) in want)
                    {
                        string what = $"metrics row {r} (step {k}, {tiers[t]}, {platforms[p]}) {column}";
                        Same(value, rows[r][MetricColumns.Find(column)!], what);
                        if (duck is not null) Same(value, duck.Double(r, column), what + " (DuckDB)");
                    }
                    if (duck is not null)
                        Assert.Equal((k, model.StepDate(k).ToString("yyyy-MM-dd"), tiers[t], platforms[p]),
                            ((int)duck.Long(r, "step")!, duck.Text(r, "date"), duck.Text(r, "tier"), duck.Text(r, "platform")));
                }
        // Not vacuous: buyers often place several orders a step, and switching happens.
        Assert.True(ordersAboveBuyers > model.Steps, $"orders exceed buyers in only {ordersAboveBuyers} cells");
        Assert.True(gmvCells > model.Steps * T);
        Assert.True(expected.Sum(e => e.Flows.Sum()) > 20, "too few switches to pin the flow columns");

        // flows.parquet and overlap.parquet.
        var flows = await RunOutputReader.ReadFlowsAsync(folder);
        int fr = 0;
        for (int k = 0; k < model.Steps; k++)
            for (int t = 0; t < T; t++)
                for (int a = 0; a < P; a++)
                    for (int b = 0; b < P; b++)
                    {
                        if (a == b) continue;
                        var row = flows[fr++];
                        Assert.Equal((k, tiers[t], platforms[a], platforms[b]), (row.Step, row.Tier, row.FromPlatform, row.ToPlatform));
                        Same(expected[k].Flows[(t * P + a) * P + b] * ppa, row.Switchers, $"flows step {k} {tiers[t]} {platforms[a]}→{platforms[b]}");
                    }
        Assert.Equal(flows.Count, fr);
        var overlap = await RunOutputReader.ReadOverlapAsync(folder);
        int or = 0;
        for (int k = 0; k < model.Steps; k++)
            for (int t = 0; t < T; t++)
                for (int a = 0; a < P; a++)
                    for (int b = a + 1; b < P; b++)
                    {
                        var row = overlap[or++];
                        var e = expected[k];
                        long ua = e.Annual[t * P + a], ub = e.Annual[t * P + b], both = e.Both[(t * P + a) * P + b];
                        string what = $"overlap step {k} {tiers[t]} {platforms[a]}/{platforms[b]}";
                        Assert.Equal((k, tiers[t], platforms[a], platforms[b]), (row.Step, row.Tier, row.PlatformA, row.PlatformB));
                        Same(ua * ppa, row.UsersA, what + " users_a");
                        Same(ub * ppa, row.UsersB, what + " users_b");
                        Same(both * ppa, row.UsersBoth, what + " users_both");
                        Same(ua == 0 ? 0 : (double)both / ua, row.ShareOfA, what + " share_of_a");
                        Same(ub == 0 ? 0 : (double)both / ub, row.ShareOfB, what + " share_of_b");
                    }
        Assert.Equal(overlap.Count, or);

        // agents.parquet: every agent (sample 1) at each snapshot step, every column from its copy and its cohort's traits.
        int[] snapshotSteps = [.. s.Outputs.AgentSnapshots.Dates.Select(model.StepContaining)];
        Assert.Equal([0, 6, model.Steps - 1], snapshotSteps);
        var agents = await RunOutputReader.ReadAgentsAsync(folder, platforms);
        var duckAgents = DuckDbTable.Available ? DuckDbTable.Read(Path.Combine(folder, "agents.parquet")) : null;
        var co = model.Cohorts;
        string[] streamers = [.. s.Streamers.Keys];
        int ar = 0, full = 0, empty = 0;
        foreach (int k in snapshotSteps)
            for (int t = 0; t < T; t++)
                foreach (var chunk in states[k + 1].Where(ch => ch.Tier == t).OrderBy(ch => ch.First))
                    for (int i = 0; i < chunk.Cohort.Length; i++, ar++)
                    {
                        var row = agents[ar];
                        int cohort = chunk.Cohort[i];
                        string what = $"agents row {ar} (step {k}, {tiers[t]}, agent {chunk.First + i})";
                        Assert.Equal((k, model.StepDate(k), tiers[t], chunk.First + i, cohort), (row.Step, row.Date, row.Tier, row.Agent, row.Cohort));
                        Assert.Equal(platforms[chunk.Primary[i]], row.PrimaryPlatform);
                        // Satisfaction is a byte: 0 → 0, 255 → exactly 1.
                        Assert.Equal(chunk.Satisfaction[i] / 255.0, row.Satisfaction);
                        if (chunk.Satisfaction[i] == 255) full++;
                        if (chunk.Satisfaction[i] == 0) empty++;
                        int g = co.Follows[t][cohort];
                        Assert.Equal(g >= 0 ? streamers[g] : null, row.Streamer);
                        for (int p = 0; p < P; p++)
                        {
                            bool uses = (chunk.Set[i] & (1 << p)) != 0;
                            Assert.Equal(uses, row.Uses[p]);
                            Assert.Equal(uses ? Lane(chunk.Recency[i], p) : null, row.StepsSinceOrder[p]);
                        }
                        if (duckAgents is null) continue;
                        var traits = new Dictionary<string, double>
                        {
                            ["price_sensitivity"] = co.PriceSensitivity[t][cohort],
                            ["quality_sensitivity"] = co.QualitySensitivity[t][cohort],
                            ["content_affinity"] = co.ContentAffinity[t][cohort],
                            ["social_propensity"] = co.SocialPropensity[t][cohort],
                            ["orders_per_week"] = co.OrdersPerWeek[t][cohort],
                            ["order_value_yuan"] = co.OrderValueYuan[t][cohort],
                            ["satisfaction"] = chunk.Satisfaction[i] / 255.0,
                        };
                        foreach (var (column, value) in traits) Assert.True(value == duckAgents.Double(ar, column), $"{what} {column}: expected {value:R}, written {duckAgents.Double(ar, column):R}");
                        Assert.Equal(BitOperations.PopCount(chunk.Set[i]), duckAgents.Long(ar, "platform_count"));
                        Assert.Equal(chunk.First + i, duckAgents.Long(ar, "agent"));
                        Assert.Equal(platforms[chunk.Primary[i]], duckAgents.Text(ar, "primary_platform"));
                        for (int p = 0; p < P; p++)
                        {
                            bool uses = (chunk.Set[i] & (1 << p)) != 0;
                            Assert.Equal(uses, duckAgents.Bool(ar, "uses_" + platforms[p]));
                            Assert.Equal(uses ? Lane(chunk.Recency[i], p) : null, duckAgents.Long(ar, "steps_since_order_" + platforms[p]));
                        }
                    }
        Assert.Equal(agents.Count, ar);
        // The traits are distinct numbers in the flat scenario, so a column filled from its neighbour cannot pass.
        Assert.Equal(6, new[] { co.PriceSensitivity[0][0], co.QualitySensitivity[0][0], co.ContentAffinity[0][0], co.SocialPropensity[0][0],
            co.OrdersPerWeek[0][0], co.OrderValueYuan[0][0] }.Distinct().Count());
        Assert.True(full > 0 && empty > 0, $"{full} agents at satisfaction 255 and {empty} at 0: an end of the byte scale is not exercised");
    }

    [Theory]
    [InlineData(1.0)]              // one agent is one person
    [InlineData(1412.5)]           // the default scenario's scale, not a whole number
    [InlineData(1.4e9)]            // one agent for all of China
    public async Task Scaling_PeoplePerAgentAndFenAtTheirExtremes_AsWrittenAndReadBack(double ppa)
    {
        // Hand-made tallies at the ends of their ranges: zero, one, and the largest a step can hold (10⁸ agents × 17 orders
        // × 5 × 10⁷ fen would overflow; 2⁶² fen is the top of what a long tally carries with room to spare).
        long[] fens = [0, 1, 99, 100, 1L << 40, 1L << 62];
        long[] agents = [0, 1, 3, 1_000_000, 100_000_000, 1L << 40];
        var dims = new ModelDimensions(["t"], ["T"], ["a", "b", "c", "d", "e", "f"], ["A", "B", "C", "D", "E", "F"],
            ["#000000", "#111111", "#222222", "#333333", "#444444", "#555555"], ppa, 7);
        var m = new StepMetrics(1, 6) { Step = 0, Date = new DateOnly(2020, 1, 6) };
        m.Consumers[0] = 1L << 40;
        for (int p = 0; p < 6; p++)
        {
            m.GmvFen[p] = fens[p];
            m.AnnualActive[p] = agents[p];
            m.Primary[p] = p == 5 ? m.Consumers[0] : 0;
        }
        string folder = _temp.Run("scale-" + ppa);
        var manifest = new RunManifest("scale", "", new string('0', 64), 1, 1, ppa, 0, "test");
        await using (var writer = await RunOutputWriter.CreateAsync(folder, dims, manifest, OutputSelection.All))
        {
            await writer.WriteStepAsync(m);
            await writer.CompleteAsync([], TestRuns.Timings());
        }
        var rows = await RunOutputReader.ReadMetricsAsync(folder);
        var duck = DuckDbTable.Available ? DuckDbTable.Read(Path.Combine(folder, "metrics.parquet")) : null;
        for (int p = 0; p < 6; p++)
        {
            // Yuan = fen ÷ 100 × people per agent; people = agents × people per agent; a share of the tier is unscaled.
            double yuan = (double)fens[p] / 100 * ppa, people = agents[p] * ppa, share = p == 5 ? 1.0 : 0.0;
            Same(yuan, rows[p][MetricColumns.Gmv], $"gmv_yuan of {fens[p]} fen at {ppa} people per agent");
            Same(people, rows[p][MetricColumns.AnnualActive], $"annual_active of {agents[p]} agents at {ppa}");
            Assert.Equal(share, rows[p][MetricColumns.PrimaryShare]);
            Same((double)(1L << 40) * ppa, rows[p][MetricColumns.Consumers], "consumers");
            if (duck is null) continue;
            Same(yuan, duck.Double(p, "gmv_yuan"), "gmv_yuan (DuckDB)");
            Same(people, duck.Double(p, "annual_active"), "annual_active (DuckDB)");
        }
        Assert.Equal(ppa.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            (await RunOutputReader.ReadMetadataAsync(Path.Combine(folder, "metrics.parquet")))["marketsim.people_per_agent"]);
    }
}
