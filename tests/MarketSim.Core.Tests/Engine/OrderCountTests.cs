using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;
using MathNet.Numerics.Distributions;

namespace MarketSim.Tests.Engine;

/// <summary>
/// Several orders in a step: the count is a Poisson draw of the consumer's order rate (× festival), read by inverse
/// transform from the same 16-bit draw that decides whether it orders at all. Checked at the table (the levels are
/// Poisson survival probabilities, computed here with MathNet's Poisson, not with the engine's recursion) and in the
/// engine (orders, buyers and orders per buyer of a flat scenario against λ, 1 − e^−λ and λ ∕ (1 − e^−λ)).
/// </summary>
public class OrderCountTests
{
    private const int P = 3;

    private static DecisionTables Tables(Scenario s, int step = 0)
    {
        var m = new MarketModel(s);
        var tables = new DecisionTables(m);
        tables.Build(m, step);
        return tables;
    }

    private static int Survival(double rate, int k) => DecisionTables.Threshold(1 - Poisson.CDF(rate, k - 1));

    [Theory]
    [InlineData(7, 1.0)]
    [InlineData(14, 1.0)]
    [InlineData(7, 2.0)]
    public void OrderCountLevels_ArePoissonSurvivalOfTheStepsOrderRate(int stepDays, double festival)
    {
        // The flat scenario's consumers order 1.25 times a week; a festival covering step 1 multiplies the rate.
        var s = TestScenarios.Flat(stepDays: stepDays);
        s.Calendar.Festivals["f"] = new FestivalSpec { Annual = "01-20", LeadDays = 13, SpendMultiplier = festival };
        var tables = Tables(s, 1);
        double rate = 1.25 * stepDays / 7.0 * festival;
        for (int t = 0; t < 2; t++)
            for (int cp = 0; cp < 16 * P; cp++)
            {
                Assert.Equal(Survival(rate, 1), tables.BuyThreshold[t][cp]);
                for (int k = 0; k < DecisionTables.Levels; k++)
                    Assert.Equal(Survival(rate, k + 2), (int)tables.OrderCount[t][cp * DecisionTables.Levels + k]);
            }
    }

    [Fact]
    public void StreamCountLevels_ArePoissonSurvivalOfTheStreamerOrderRate_AndZeroForNonFollowers()
    {
        var s = TestScenarios.Flat();
        var m = new MarketModel(s);
        var tables = Tables(s);
        double rate = 3 * 0.4 * 0.05;   // sessions × attendance × conversion (trust 1 without an alliance)
        for (int t = 0; t < 2; t++)
            for (int c = 0; c < m.Cohorts.Count; c++)
                for (int k = 0; k < DecisionTables.Levels; k++)
                {
                    int expected = m.Cohorts.Follows[t][c] >= 0 ? Survival(rate, k + 2) : 0;
                    Assert.Equal(expected, (int)tables.StreamCount[t][c * DecisionTables.Levels + k]);
                }
        Assert.Contains(tables.StreamCount[0], v => v > 0);
    }

    [Fact]
    public void CountLevels_NeverExceedTheFirstOrderThreshold_EvenWhenAnOrderIsCertain()
    {
        // At 40 orders a step P(N ≥ 1) rounds to One, which 16 bits cannot hold; the levels stay below it and falling.
        Span<ushort> levels = stackalloc ushort[DecisionTables.Levels];
        foreach (double rate in new[] { 0.0, 1e-4, 0.3, 1.25, 5, 11, 40 })
        {
            DecisionTables.FillCountLevels(rate, levels);
            int previous = DecisionTables.Threshold(1 - Math.Exp(-rate));
            foreach (int level in levels)
            {
                Assert.True(level <= previous, $"rate {rate}: level {level} above {previous}");
                previous = level;
            }
        }
        DecisionTables.FillCountLevels(40, levels);
        Assert.Equal(DecisionTables.One - 1, levels[0]);
    }

    [Fact]
    public void Basket_MultipliesTheOrderValueOfItsPlatformOnly_AndMovesNoChoice()
    {
        var plain = Tables(TestScenarios.Flat());
        var s = TestScenarios.Flat();
        s.Platforms["b"].Basket = 2.5;
        var tables = Tables(s);
        for (int t = 0; t < 2; t++)
            for (int c = 0; c < 16; c++)
            {
                // 100 yuan × income (1.5, 0.8) × b's price level 1.2 × basket 2.5, in fen.
                Assert.Equal((int)Math.Round(100 * new[] { 1.5, 0.8 }[t] * 1.2 * 2.5 * 100), tables.OrderFen[t][c * P + 1]);
                Assert.Equal(plain.OrderFen[t][c * P], tables.OrderFen[t][c * P]);
                Assert.Equal(plain.OrderFen[t][c * P + 2], tables.OrderFen[t][c * P + 2]);
            }
        Assert.Equal(plain.ExpUtility[0], tables.ExpUtility[0]);
        Assert.Equal(plain.BuyThreshold[1], tables.BuyThreshold[1]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Step_Orders_AreAPoissonCountPerConsumer_AndGmvIsOrdersTimesOrderValue(int threads)
    {
        // No streamers and no re-evaluation: a consumer's orders in a step are one Poisson(1.25) count on one platform.
        // The number of buyers is that of at least one order (1 − e^−1.25 = 71 %), the orders are 1.25 per consumer,
        // so 1.76 per buyer; an engine that places one order per buyer would give exactly 1. Arrivals place one each.
        var s = TestScenarios.Flat(agents: 20_000, steps: 10);
        s.Streamers.Clear();
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        var model = new MarketModel(s);
        var sim = new Simulation(model, threads);
        var tables = Tables(s);
        const double rate = 1.25;
        double chance = 1 - Math.Exp(-rate);
        long consumers = model.InitialAgents.Sum();
        long allOrders = 0, allBuyers = 0;
        while (!sim.Done)
        {
            var m = sim.Step();
            for (int t = 0; t < 2; t++)
                for (int p = 0; p < P; p++)
                    Assert.Equal(m.Orders[m.At(t, p)] * tables.OrderFen[t][p], m.GmvFen[m.At(t, p)]);
            long arrivals = m.Arrivals.Sum();
            long orders = m.Orders.Sum() - arrivals, buyers = m.PeriodActive.Sum() - arrivals;
            AssertWithin(consumers * rate, consumers * rate, orders, $"orders at step {m.Step}");
            AssertWithin(consumers * chance, consumers * chance * (1 - chance), buyers, $"buyers at step {m.Step}");
            allOrders += orders;
            allBuyers += buyers;
            consumers = m.Consumers.Sum();
        }
        double perBuyer = (double)allOrders / allBuyers;
        Assert.InRange(perBuyer, rate / chance * 0.98, rate / chance * 1.02);
    }

    [Fact]
    public void Step_StreamerOrders_AreAPoissonCountToo()
    {
        // Nobody orders on their own (0 a week, no re-evaluation): every order is a follower's through the streamer of
        // platform c, at 3 sessions × 0.4 attendance × 0.05 conversion … raised here to 3 orders a week so that a
        // one-order engine (1 per buyer) and a Poisson one (3 ∕ (1 − e^−3) = 3.16 per buyer) are far apart.
        var s = TestScenarios.Flat(agents: 20_000, steps: 8);
        s.Population.Traits.OrdersPerWeek = TestScenarios.Constant(0);
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        s.Streamers["live"].SessionsPerWeek = 3;
        s.Streamers["live"].Attendance = 1;
        s.Streamers["live"].Conversion = 1;
        var model = new MarketModel(s);
        var sim = new Simulation(model, 2);
        long orders = 0, buyers = 0;
        while (!sim.Done)
        {
            var m = sim.Step();
            long arrivals = m.Arrivals.Sum();
            orders += m.Orders.Sum() - arrivals;
            buyers += m.PeriodActive.Sum() - arrivals;
            for (int t = 0; t < 2; t++)
            {
                // Arrivals' first orders may land anywhere; everything else is on c.
                Assert.True(m.Orders[m.At(t, 0)] + m.Orders[m.At(t, 1)] <= m.Arrivals[t]);
            }
        }
        Assert.True(buyers > 10_000, $"only {buyers} streamer buyers");
        double expected = 3 / (1 - Math.Exp(-3));
        Assert.InRange((double)orders / buyers, expected * 0.98, expected * 1.02);
    }

    private static void AssertWithin(double expected, double variance, double observed, string what, double sigmas = 5)
    {
        double sd = Math.Sqrt(Math.Max(variance, 1));
        Assert.True(Math.Abs(observed - expected) <= sigmas * sd,
            $"{what}: observed {observed}, expected {expected:F1} ± {sigmas * sd:F1} ({sigmas} standard deviations)");
    }
}
