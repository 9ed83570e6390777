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

        // The initial state's users of b, before any step: exactly the figure (within Monte-Carlo error), since the
        // consumers the draws left with no platform take one whose start no figure pins (a or c).
        var sim = new Simulation(model, threads: 1);
        double users = sim.Chunks.Sum(ch => Enumerable.Range(0, ch.Arrived).Count(i => (ch.Set[i] & 2) != 0)) * model.PeoplePerAgent / 1e6;
        // Binomial error of 100 000 agents standing for 100 M people: sd ≈ sqrt(20 000 × 0.8) × 1 000 = 0.13 M.
        Assert.InRange(users, 20 - 0.5, 20 + 0.5);
        int none = sim.Chunks.Sum(ch => Enumerable.Range(0, ch.Arrived).Count(i => ch.Set[i] == 0));
        Assert.Equal(0, none);
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
