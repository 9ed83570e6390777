using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// <see cref="DecisionTables.Build"/> recomputes only the entries whose inputs changed since the last build. These tests
/// hold it to a full rebuild (<see cref="DecisionTables.AlwaysFull"/>) at every step of scenarios where each kind of
/// input moves on its own schedule: order-value and delivery ramps, a quality step, a streamer community ramping in,
/// festivals (spend), an alliance's supplied slice, logistics, traffic and co-promotion (platform spend, brand). Every
/// public table is compared byte for byte, found by reflection so that a table added later is compared too.
/// </summary>
public class IncrementalTablesTests
{
    /// <summary>The small scenario with ramps of several attributes, a streamer ramp and an alliance.</summary>
    private static Scenario Moving(int steps = 80)
    {
        var s = TestScenarios.WithAlliance(TestScenarios.Small(steps: steps), new DateOnly(2019, 5, 6));
        s.Streamers["kuaishou_live"].Start = new DateOnly(2019, 3, 4);
        s.Streamers["kuaishou_live"].RampDays = 120;
        s.Interventions["basket"] = new InterventionSpec { Platform = "pdd", Attribute = "basket", Multiply = 2, Start = new DateOnly(2019, 1, 7), RampDays = 300 };
        s.Interventions["logistics"] = new InterventionSpec
        {
            Platform = "jd",
            Attribute = "delivery_days",
            Multiply = 0.8,
            Tiers = ["t3", "t6"],
            Start = new DateOnly(2019, 2, 4),
            RampDays = 200,
        };
        s.Interventions["quality"] = new InterventionSpec { Platform = "kuaishou", Attribute = "quality", Add = 0.1, Start = new DateOnly(2019, 9, 2) };
        s.Interventions["subsidy"] = new InterventionSpec { Platform = "pdd", Attribute = "subsidy", Add = 0.05, Start = new DateOnly(2019, 7, 1), RampDays = 30 };
        return s;
    }

    /// <summary>
    /// One input moving at a time (no festivals, no other ramp meanwhile): an alliance's slice ramping in over two weeks,
    /// then its logistics share alone, then the partner's assortment, quality, price and delivery, and the host's basket,
    /// each in steps of its own. A change that the builder misses shows only where nothing else forces a rebuild.
    /// </summary>
    private static Scenario Isolated()
    {
        var s = TestScenarios.Small(steps: 70);
        s.Calendar.Festivals.Clear();
        var start = new DateOnly(2019, 3, 4);
        s.Streamers["kuaishou_live"].Start = new DateOnly(2019, 1, 21);
        s.Streamers["kuaishou_live"].RampDays = 21;
        s.Alliances["pair"] = new AllianceSpec
        {
            Name = "pair",
            Members = ["jd", "kuaishou"],
            Start = start,
            Supply = [new SupplySharingSpec { Host = "kuaishou", Partner = "jd", Streamers = ["kuaishou_live"], Share = 0.4, RampDays = 14 }],
            Logistics = [new LogisticsSharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.5, RampDays = 140 }],
        };
        void Change(string name, string platform, string attribute, int days, int ramp = 0, double add = 0, double multiply = 1) =>
            s.Interventions[name] = new InterventionSpec
            {
                Platform = platform,
                Attribute = attribute,
                Start = start.AddDays(days),
                RampDays = ramp,
                Add = add,
                Multiply = multiply,
            };
        Change("partner_assortment", "jd", "assortment", 161, ramp: 63, add: 0.05);
        Change("partner_quality", "jd", "quality", 245, add: 0.05);
        Change("partner_price", "jd", "price_level", 266, multiply: 0.95);
        Change("partner_delivery", "jd", "delivery_days", 287, multiply: 0.9);
        Change("host_basket", "kuaishou", "basket", 308, multiply: 1.2);
        return s;
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Snapshot(DecisionTables tables)
    {
        foreach (var property in typeof(DecisionTables).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.Name == nameof(DecisionTables.Conditions)) continue;
            yield return (property.Name, Bytes(property.GetValue(tables)));
        }
    }

    private static byte[] Bytes(object? value) => value switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        float f => BitConverter.GetBytes(f),
        int i => BitConverter.GetBytes(i),
        bool b => BitConverter.GetBytes(b),
        TrafficLink[] links => System.Text.Encoding.UTF8.GetBytes(string.Join(";", links.Select(l => l.ToString()))),
        IEnumerable rows => rows.Cast<object?>().SelectMany(Bytes).ToArray(),
        _ => throw new InvalidOperationException($"a table of type {value?.GetType().Name} is not compared: add it to {nameof(Bytes)}"),
    };

    private static void AssertSameAsFullRebuild(Scenario s)
    {
        var m = new MarketModel(s);
        var incremental = new DecisionTables(m);
        var full = new DecisionTables(m) { AlwaysFull = true };
        for (int step = 0; step < m.Steps; step++)
        {
            incremental.Build(m, step);
            full.Build(m, step);
            foreach (var ((name, a), (_, b)) in Snapshot(incremental).Zip(Snapshot(full)))
                Assert.True(a.AsSpan().SequenceEqual(b), $"{name} differs from a full rebuild at step {step}");
        }
    }

    [Fact]
    public void Build_RampsStreamersAndAlliance_EqualsFullRebuildAtEveryStep() => AssertSameAsFullRebuild(Moving());

    [Fact]
    public void Build_OneInputMovingAtATime_EqualsFullRebuildAtEveryStep() => AssertSameAsFullRebuild(Isolated());

    [Fact]
    public void Build_FlatScenarioWithFestivals_EqualsFullRebuildAtEveryStep()
    {
        var s = TestScenarios.Flat(steps: 60);
        s.Calendar.Festivals["double_11"] = new FestivalSpec { Annual = "11-11", LeadDays = 10, SpendMultiplier = 2.5 };
        s.Interventions["basket"] = new InterventionSpec { Platform = "b", Attribute = "basket", Multiply = 1.5, Start = new DateOnly(2019, 3, 4), RampDays = 70 };
        AssertSameAsFullRebuild(s);
    }

    [Fact]
    public void Build_EveryStep_OrderRowsAreTheCountLevelsOfTheirOwnRate()
    {
        // Rows of platforms with equal spend are copied from the platform before: the copy must be of an equal rate.
        // The co-promotion of 2020 gives the alliance's members a spend of their own, so copying blindly shows there.
        var m = new MarketModel(Moving());
        var tables = new DecisionTables(m);
        int P = m.P;
        double weeks = m.StepDays / 7.0;
        Span<ushort> expected = stackalloc ushort[DecisionTables.Levels];
        bool ownSpend = false;
        for (int step = 0; step < m.Steps; step++)
        {
            tables.Build(m, step);
            var cond = tables.Conditions;
            ownSpend |= cond.PlatformSpend.Distinct().Count() > 1;
            for (int t = 0; t < m.T; t++)
                for (int c = 0; c < m.Cohorts.Count; c++)
                    for (int p = 0; p < P; p++)
                    {
                        double orders = m.Cohorts.OrdersPerWeek[t][c] * weeks * cond.SpendMultiplier * cond.PlatformSpend[p];
                        DecisionTables.FillCountLevels(orders, expected);
                        int row = c * P + p;
                        Assert.True(expected.SequenceEqual(tables.OrderCount[t].AsSpan(row * DecisionTables.Levels, DecisionTables.Levels)),
                            $"order count levels of tier {t}, cohort {c}, platform {p} at step {step}");
                        Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-orders)), tables.BuyThreshold[t][row]);
                        Assert.Equal(expected[0] | expected[1] << 16, tables.FirstLevels[t][DecisionTables.PackedPairs * row]);
                    }
        }
        Assert.True(ownSpend, "the scenario never gives a platform a spend of its own: the copy is not tested");
    }

    [Fact]
    public void Build_AfterInvalidate_FillsEveryEntryAgain()
    {
        // A table overwritten between builds stays wrong under incremental building unless it is invalidated: the
        // reuse of an engine for another model relies on Invalidate to start from nothing.
        var m = new MarketModel(Moving(steps: 20));
        var tables = new DecisionTables(m);
        var full = new DecisionTables(m) { AlwaysFull = true };
        tables.Build(m, 0);
        tables.Build(m, 1);
        Array.Fill(tables.OrderFen[0], -1);
        Array.Fill(tables.ExpUtility[1], -1f);
        tables.Invalidate();
        tables.Build(m, 2);
        full.Build(m, 2);
        foreach (var ((name, a), (_, b)) in Snapshot(tables).Zip(Snapshot(full)))
            Assert.True(a.AsSpan().SequenceEqual(b), $"{name} differs from a full rebuild after Invalidate");
    }
}
