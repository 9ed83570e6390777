using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Model;

/// <summary>
/// A platform's published accounts at the start date (<c>initial_accounts_millions</c>) set its users at the start;
/// <c>initial_penetration</c> is then only the profile over tiers (docs/model.md §7).
/// </summary>
public class InitialAccountsTests
{
    [Fact]
    public void UsersAtTheStart_AreTheFigureOverAccountsPerUser_SpreadByTheProfile()
    {
        // Flat: t1 40 M and t2 60 M shoppers; platform b's profile 0.4 / 0.3. 25 M accounts at 1.25 per user = 20 M
        // users = 40 × 0.4k + 60 × 0.3k, so k = 20 / 34 and the penetrations are 0.235 and 0.176.
        var s = TestScenarios.Flat(agents: 100_000);
        s.Platforms["b"].InitialAccountsMillions = 25;
        s.Platforms["b"].AccountsPerUser = 1.25;
        Assert.Empty(ScenarioValidator.Validate(s));
        var model = new MarketModel(s);
        Assert.Equal(0.4 * 20 / 34, model.InitialPenetration[0 * 3 + 1], 12);
        Assert.Equal(0.3 * 20 / 34, model.InitialPenetration[1 * 3 + 1], 12);

        // The initial state's users of b, before any step: the figure, plus b's share of the consumers the draws left
        // with no platform (constant traits: each platform is drawn independently at its penetration, so that share is
        // Π(1 − pen) and they take b in proportion to b's penetration).
        var sim = new Simulation(model, threads: 1);
        double users = sim.Chunks.Sum(ch => Enumerable.Range(0, ch.Arrived).Count(i => (ch.Set[i] & 2) != 0)) * model.PeoplePerAgent / 1e6;
        double expected = 0;
        double[] shoppers = [40, 60];
        for (int t = 0; t < 2; t++)
        {
            var pen = Enumerable.Range(0, 3).Select(p => model.InitialPenetration[t * 3 + p]).ToArray();
            double none = pen.Aggregate(1.0, (acc, x) => acc * (1 - x));
            expected += shoppers[t] * (pen[1] + none * pen[1] / pen.Sum());
        }
        Assert.InRange(expected, 20, 20 * 1.11);
        Assert.Equal(expected, users, 0.02 * expected);
        // Without the figure the profile is read as penetration: 40 × 0.4 + 60 × 0.3 = 34 M users.
        s.Platforms["b"].InitialAccountsMillions = null;
        Assert.Equal(0.4, new MarketModel(s).InitialPenetration[1], 12);
    }

    [Fact]
    public void Validator_RefusesAFigureThatDoesNotFitTheTiers()
    {
        var s = TestScenarios.Flat();
        s.Platforms["b"].InitialAccountsMillions = 90;   // 90 / 34 × 0.4 = 1.06 in t1
        var issue = Assert.Single(ScenarioValidator.Validate(s));
        Assert.Equal("platforms.b.initial_accounts_millions", issue.Path);
        Assert.Contains("above 1 in t1", issue.Message);
        s.Platforms["b"].InitialAccountsMillions = 0;
        Assert.Contains("expected a positive number", Assert.Single(ScenarioValidator.Validate(s)).Message);
        foreach (var t in TestScenarios.FlatTierIds) s.Platforms["b"].InitialPenetration[t] = 0;
        s.Platforms["b"].InitialAccountsMillions = 10;
        Assert.Contains("0 in every tier", Assert.Single(ScenarioValidator.Validate(s)).Message);
    }
}
