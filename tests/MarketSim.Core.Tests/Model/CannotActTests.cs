using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Model;

/// <summary>
/// <see cref="MarketModel.CannotAct"/>: a change swallowed by an attribute's limit, or a clause that cannot act, is
/// named with its path, where, from when and why; one that acts is not named.
/// </summary>
public class CannotActTests
{
    private static IReadOnlyList<CannotActNote> Notes(Scenario s) => new MarketModel(s).CannotAct();

    [Fact]
    public void Intervention_AddingToAReachAlreadyAt1_CannotActAndSaysWhy()
    {
        var s = TestScenarios.Flat();
        s.Platforms["a"].Reach = new() { ["t1"] = 1.0, ["t2"] = 1.0 };
        s.Interventions["push"] = new InterventionSpec { Platform = "a", Attribute = "reach", Add = 0.3, Start = new DateOnly(2019, 3, 4) };
        var note = Assert.Single(Notes(s));
        Assert.Equal("interventions.push", note.Path);
        Assert.Equal("cannot act in t1, t2 from 2019-03-04 because a's reach there is already at its limit 1", note.Message);
    }

    [Fact]
    public void Intervention_PushingAReachPast1_ActsOnlyInPartAndSaysHowMuch()
    {
        // a's reach is 0.9 in t1 and 0.8 in t2: +0.5 realises +0.1 and +0.2, the rest is capped at 1. In t2 only.
        var s = TestScenarios.Flat();
        s.Interventions["push"] = new InterventionSpec { Platform = "a", Attribute = "reach", Add = 0.5, Start = new DateOnly(2019, 3, 4) };
        Assert.Equal(
        [
            "interventions.push: acts only in part in t1 from 2019-03-04 because a's reach reaches its limit there: +0.1 of its +0.5 acts, the rest is capped",
            "interventions.push: acts only in part in t2 from 2019-03-04 because a's reach reaches its limit there: +0.2 of its +0.5 acts, the rest is capped",
        ], Notes(s).Select(n => n.ToString()));
        // With a ramp it is capped from the step it first reaches the limit, and the note gives its full size: +0.5 ramps
        // in over 70 days, so t2 (0.8) reaches 1 at 40 % of the ramp (day 27, the step of 2019-04-01).
        s.Interventions["push"].RampDays = 70;
        Assert.Equal("interventions.push: acts only in part in t2 from 2019-04-01 because a's reach reaches its limit there: +0.2 of its +0.5 acts, the rest is capped",
            Notes(s)[1].ToString());
        s.Interventions["push"].RampDays = 0;
        // Within the limit it acts in full and is not named.
        s.Interventions["push"].Add = 0.05;
        Assert.Empty(Notes(s));
    }

    [Fact]
    public void Traffic_TowardAReachOf1_IsNotNamed_ItActs()
    {
        var s = TestScenarios.Flat();
        s.Platforms["a"].Reach = new() { ["t1"] = 1.0, ["t2"] = 1.0 };
        s.Alliances["ca"] = new AllianceSpec
        {
            Members = ["a", "c"],
            Start = new DateOnly(2019, 3, 4),
            Traffic = [new TrafficSharingSpec { From = "c", To = "a", Share = 0.3 }],
        };
        Assert.Empty(Notes(s));
    }

    [Fact]
    public void Logistics_FromASlowerPartner_CannotSpeedUpDeliveriesThere()
    {
        // b delivers in 3 and 5 days, c in 4 and 6: faster everywhere. a (2, 3) too. Make b slower than c in t2.
        var s = TestScenarios.Flat();
        s.Platforms["b"].DeliveryDays = new() { ["t1"] = 3, ["t2"] = 7 };
        s.Alliances["bc"] = new AllianceSpec
        {
            Members = ["b", "c"],
            Start = new DateOnly(2019, 3, 4),
            Supply = [new SupplySharingSpec { Host = "c", Partner = "b", Streamers = ["live"], Share = 0.2 }],
            Logistics = [new LogisticsSharingSpec { Host = "c", Partner = "b", Share = 1 }],
        };
        var note = Assert.Single(Notes(s));
        Assert.Equal("alliances.bc.logistics[0]: cannot speed up deliveries in t2 because b delivers no faster than c there", note.ToString());
    }

    [Fact]
    public void Supply_ThroughACommunityWithoutFollowersOrBeforeItOpens_CannotActThereOrThen()
    {
        var s = TestScenarios.Flat();
        s.Streamers["live"].FollowerShare["t2"] = 0;
        s.Streamers["live"].Start = new DateOnly(2019, 4, 1);
        s.Alliances["ac"] = new AllianceSpec
        {
            Members = ["a", "c"],
            Start = new DateOnly(2019, 3, 4),
            Supply = [new SupplySharingSpec { Host = "c", Partner = "a", Streamers = ["live"], Share = 0.2 }],
        };
        Assert.Equal(
        [
            "alliances.ac.supply[0]: cannot act in t2 because streamer community 'live' has no followers there",
            "alliances.ac.supply[0]: cannot act from 2019-03-04 until 2019-04-01 because streamer community 'live' does not sell before then",
        ], Notes(s).Select(n => n.ToString()));
    }

    [Fact]
    public void CoPromotion_OfOccurrencesOutsideTheRun_CannotActInIt()
    {
        var s = TestScenarios.Flat(steps: 20);
        s.Calendar.Festivals["x"] = new FestivalSpec { Dates = [new DateOnly(2019, 11, 11)], LeadDays = 1, SpendMultiplier = 2 };
        s.Alliances["ac"] = new AllianceSpec
        {
            Members = ["a", "c"],
            Start = new DateOnly(2019, 3, 4),
            CoPromotion = new CoPromotionSpec { Festivals = ["x"], Years = [2019], UtilityBoost = 0.5, SpendMultiplier = 1.2 },
        };
        var note = Assert.Single(Notes(s));
        Assert.Equal("alliances.ac.co_promotion: cannot act in this run because it changes no step's conditions from 2019-03-04 on " +
                     "(none of its co-promoted occurrences falls inside the run)", note.ToString());
    }
}
