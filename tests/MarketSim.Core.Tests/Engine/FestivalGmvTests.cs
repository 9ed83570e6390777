using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Issue 32, item 5: a festival multiplies the order rate (docs/model.md: <c>spend_multiplier</c>, order rate) and nothing
/// else; the basket multiplies every order's value and nothing else. On the flat scenario (every trait constant) an
/// order's value in fen follows from the scenario's numbers, so GMV in a festival week is checked against orders × that
/// value exactly, and the week's orders against the same run without the festival.
/// </summary>
public sealed class FestivalGmvTests
{
    private const double Multiplier = 2.0;

    private static Scenario Flat(bool festival)
    {
        var s = TestScenarios.Flat(agents: 12_000, steps: 6);
        s.Platforms["b"].Basket = 1.7;   // a basket other than 1, so that one applied twice, or not at all, shows
        s.Platforms["c"].Basket = 0.6;
        if (festival)
            // Step 4 runs Monday 4 to Sunday 10 February 2019: a festival day on the Sunday with six lead days covers it whole.
            s.Calendar.Festivals["fest"] = new FestivalSpec { Name = "fest", Dates = [new DateOnly(2019, 2, 10)], LeadDays = 6, SpendMultiplier = Multiplier };
        return s;
    }

    private static List<StepMetrics> Run(Scenario s)
    {
        var sim = new Simulation(new MarketModel(s), 2);
        var steps = new List<StepMetrics>();
        while (!sim.Done) steps.Add(sim.Step());
        return steps;
    }

    [Fact]
    public void FestivalWeek_GmvIsOrdersTimesTheUnchangedOrderValue_AndOrdersAreTheMultiplierTimesTheOrdinaryWeeks()
    {
        var plain = Flat(festival: false);
        var model = new MarketModel(Flat(festival: true));
        double Spend(int step)
        {
            var c = new StepConditions(model.T, model.P, model.Scenario.Streamers.Count);
            model.Conditions(step, c);
            return c.SpendMultiplier;
        }
        Assert.Equal([1.0, Multiplier, 1.0], new[] { Spend(3), Spend(4), Spend(5) });
        var with = Run(Flat(festival: true));
        var without = Run(plain);
        int T = model.T, P = model.P;

        // An order's value by hand: 100 yuan × the tier's income index × the platform's price level × its basket, in fen.
        var fen = new long[T * P];
        for (int t = 0; t < T; t++)
            for (int p = 0; p < P; p++)
            {
                var platform = plain.Platforms.Values.ElementAt(p);
                fen[t * P + p] = (long)Math.Round(100 * plain.Tiers.Values.ElementAt(t).IncomeIndex * platform.PriceLevel * platform.Basket * 100);
            }
        for (int k = 0; k < with.Count; k++)
            for (int c = 0; c < T * P; c++)
            {
                Assert.True(with[k].Orders[c] * fen[c] == with[k].GmvFen[c], $"festival run, step {k}, cell {c}: GMV is not orders × value");
                Assert.True(without[k].Orders[c] * fen[c] == without[k].GmvFen[c], $"plain run, step {k}, cell {c}: GMV is not orders × value");
            }
        // Before the festival the two runs are the same run.
        for (int k = 0; k < 4; k++) Assert.Equal(without[k].CountArrays, with[k].CountArrays);

        // In the festival week every order rate is doubled (the Poisson counts are drawn from the same uniforms, so the
        // week's orders are about twice the plain run's: 2 ± 0.02 for 12 000 agents at 1.25 orders a week).
        double orders = with[4].Orders.Sum(), plainOrders = without[4].Orders.Sum();
        Assert.InRange(orders / plainOrders, Multiplier - 0.08, Multiplier + 0.08);
        double gmv = with[4].GmvFen.Sum(), plainGmv = without[4].GmvFen.Sum();
        Assert.InRange(gmv / plainGmv, Multiplier - 0.08, Multiplier + 0.08);
        // Per platform too, each of whose baskets differs.
        for (int p = 0; p < P; p++)
        {
            double ratio = (double)Enumerable.Range(0, T).Sum(t => with[4].GmvFen[t * P + p]) / Enumerable.Range(0, T).Sum(t => without[4].GmvFen[t * P + p]);
            Assert.InRange(ratio, Multiplier - 0.2, Multiplier + 0.2);
        }
        // The same week's buyers are not doubled: a consumer who buys at all is counted once (1 − e^−λ, not λ).
        double buyers = with[4].PeriodActive.Sum(), plainBuyers = without[4].PeriodActive.Sum();
        Assert.InRange(buyers / plainBuyers, 1.05, 1.6);
    }
}
