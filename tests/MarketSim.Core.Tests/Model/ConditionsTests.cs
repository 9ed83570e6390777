using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Model;

/// <summary>
/// <see cref="MarketModel.Conditions(int, StepConditions)"/> clause by clause: each alliance rule, intervention and festival moves the
/// attribute it names, by the amount its formula gives with the scenario's numbers, in the tiers and steps it names
/// and nowhere else. The flat scenario has platforms a (0), b (1), c (2) and tiers t1 (0), t2 (1); step k starts on
/// Monday 2019-01-07 + 7k.
/// </summary>
public class ConditionsTests
{
    private const int A = 0, B = 1, C = 2;
    private const int Precision = 12;

    private static StepConditions At(Scenario s, int step)
    {
        var m = new MarketModel(s);
        var c = new StepConditions(m.T, m.P, m.Scenario.Streamers.Count);
        m.Conditions(step, c);
        return c;
    }

    private static int I(int tier, int platform) => tier * 3 + platform;

    private static Scenario WithAlliance(Action<AllianceSpec> configure, DateOnly? start = null, DateOnly? end = null)
    {
        var s = TestScenarios.Flat();
        var a = new AllianceSpec { Name = "a–c", Members = ["a", "c"], Start = start ?? new DateOnly(2019, 3, 4), End = end };
        configure(a);
        s.Alliances["a-c"] = a;
        return s;
    }

    [Fact]
    public void PlatformFestival_RaisesItsPlatformsSpend_AndTheOthersByTheSpillOverOnly()
    {
        // c's own festival on 2019-01-09 with two lead days: 3 of step 0's 7 days, ×2 for c, spill-over 0.25, so
        // ×1.25 for a and b on those days. With a market-wide ×1.5 on every day of the step besides.
        var s = TestScenarios.Flat();
        s.Calendar.Festivals["own"] = new FestivalSpec { Name = "c's day", Dates = [new DateOnly(2019, 1, 9)], LeadDays = 2, SpendMultiplier = 2, Platform = "c", SpillOver = 0.25 };
        var c = At(s, 0);
        Assert.Equal((3 * 1.25 + 4) / 7, c.SpendMultiplier, Precision);
        Assert.Equal((3 * 2.0 + 4) / 7, c.SpendMultiplier * c.PlatformSpend[C], Precision);
        Assert.Equal(1.0, c.PlatformSpend[A]);
        Assert.Equal(1.0, c.PlatformSpend[B]);
        Assert.Equal(3 / 7.0, c.FestivalFractions["own"], Precision);

        s.Calendar.Festivals["all"] = new FestivalSpec { Name = "market", Dates = [new DateOnly(2019, 1, 13)], LeadDays = 6, SpendMultiplier = 1.5 };
        c = At(s, 0);
        Assert.Equal((3 * 1.25 * 1.5 + 4 * 1.5) / 7, c.SpendMultiplier, Precision);
        Assert.Equal((3 * 2.0 * 1.5 + 4 * 1.5) / 7, c.SpendMultiplier * c.PlatformSpend[C], Precision);
        Assert.Equal(1.0, c.PlatformSpend[A]);

        // Without a spill-over the others' spend is untouched; a step outside the window has no trace of it.
        s.Calendar.Festivals.Remove("all");
        s.Calendar.Festivals["own"].SpillOver = 0;
        c = At(s, 0);
        Assert.Equal(1.0, c.SpendMultiplier);
        Assert.Equal((3 * 2.0 + 4) / 7, c.PlatformSpend[C], Precision);
        c = At(s, 1);
        Assert.Equal(1.0, c.SpendMultiplier);
        Assert.Equal(1.0, c.PlatformSpend[C]);
    }

    [Fact]
    public void PlatformFestival_Validation_NamesThePlatformAndTheSpillOver()
    {
        var s = TestScenarios.Flat();
        s.Calendar.Festivals["own"] = new FestivalSpec { Name = "x", Annual = "06-16", Platform = "kuaishu", SpillOver = 0.2 };
        Assert.Contains(ScenarioValidator.Validate(s), i => i.Path == "calendar.festivals.own.platform" && i.Message.Contains("unknown platform 'kuaishu'"));
        s.Calendar.Festivals["own"].Platform = null;
        Assert.Equal("calendar.festivals.own.spill_over", Assert.Single(ScenarioValidator.Validate(s)).Path);
        s.Calendar.Festivals["own"].Platform = "c";
        s.Calendar.Festivals["own"].SpillOver = 1.5;
        Assert.Equal("calendar.festivals.own.spill_over", Assert.Single(ScenarioValidator.Validate(s)).Path);
    }

    [Fact]
    public void Conditions_NothingScheduled_AreTheScenarioAttributes()
    {
        var s = TestScenarios.Flat();
        var c = At(s, 3);
        for (int t = 0; t < 2; t++)
        {
            string tier = TestScenarios.FlatTierIds[t];
            foreach (var (id, p) in new[] { ("a", A), ("b", B), ("c", C) })
            {
                var spec = s.Platforms[id];
                int i = I(t, p);
                Assert.Equal(spec.Quality, c.Quality[i]);
                Assert.Equal(spec.PriceLevel, c.PriceLevel[i]);
                Assert.Equal(spec.Assortment, c.Assortment[i]);
                Assert.Equal(spec.Content, c.Content[i]);
                Assert.Equal(spec.Social, c.Social[i]);
                Assert.Equal(spec.Subsidy, c.Subsidy[i]);
                Assert.Equal(spec.Brand, c.Brand[i]);
                Assert.Equal(spec.DeliveryDays[tier], c.DeliveryDays[i]);
                Assert.Equal(spec.Reach[tier], c.Reach[i]);
            }
        }
        Assert.Equal([1.0, 1.0, 1.0], c.PlatformSpend);
        Assert.Equal([-1], c.SlicePartner);
        Assert.Equal([0.0], c.SliceShare);
        Assert.Equal([0.0, 0.0], c.SliceDelivered);
        Assert.Empty(c.Traffic);
        Assert.Equal(1.0, c.SpendMultiplier);
        Assert.Equal(1.0, c.AttentionMultiplier);
    }

    [Fact]
    public void Supply_InForce_SetsTheSliceOfTheNamedCommunityAndLeavesTheHostAsItWas()
    {
        // a's goods are 40 % of what c's community "live" sells: the slice. c's own quality, price, assortment and
        // delivery do not move (orders outside the slice are c's own goods); the tables blend the slice in per cohort.
        var s = WithAlliance(a => a.Supply = [Supply("c", "a", 0.4)]);
        var flat = At(TestScenarios.Flat(), 8);
        var before = At(s, 7);
        var during = At(s, 8);
        foreach (var attribute in PlatformAttribute.All)
            Assert.Equal(flat.Values(attribute), during.Values(attribute));
        Assert.Equal([A], during.SlicePartner);
        Assert.Equal([0.4], during.SliceShare);
        // Nobody delivers the slice for c without a logistics clause.
        Assert.Equal([0.0, 0.0], during.SliceDelivered);
        Assert.Equal([-1], before.SlicePartner);
        Assert.Equal([0.0], before.SliceShare);
    }

    private static SupplySharingSpec Supply(string host, string partner, double share, int rampDays = 0) =>
        new() { Host = host, Partner = partner, Streamers = ["live"], Share = share, RampDays = rampDays };

    [Fact]
    public void Supply_WithRamp_GrowsLinearlyFromTheFirstStepOnOrAfterTheStart()
    {
        // Start on a Wednesday (2019-03-06): the first step in force starts on Monday 03-11, 5 days in, so its share is
        // 0.4 × (5 + 1) / 60; 14 days later 0.4 × 20 / 60; after 60 days the full 0.4.
        var s = WithAlliance(a => a.Supply = [Supply("c", "a", 0.4, 60)], start: new DateOnly(2019, 3, 6));
        Assert.Equal(0.0, At(s, 8).SliceShare[0]);
        Assert.Equal(0.4 * 6 / 60, At(s, 9).SliceShare[0], Precision);
        Assert.Equal(0.4 * 20 / 60, At(s, 11).SliceShare[0], Precision);
        Assert.Equal(0.4, At(s, 18).SliceShare[0], Precision);
        Assert.Equal(0.4, At(s, 40).SliceShare[0], Precision);
    }

    [Fact]
    public void Alliance_WithEnd_InForceUpToTheLastStepStartingOnOrBeforeTheEnd()
    {
        // End Wednesday 2019-05-08: the step of Monday 05-06 (17) is in force, that of 05-13 (18) is not.
        var s = WithAlliance(a =>
        {
            a.Supply = [Supply("c", "a", 0.4)];
            a.Logistics = [new LogisticsSharingSpec { Host = "c", Partner = "a", Share = 0.5 }];
            a.Traffic = [new TrafficSharingSpec { From = "c", To = "a", Share = 0.3 }];
        }, end: new DateOnly(2019, 5, 8));
        Assert.Equal(A, At(s, 17).SlicePartner[0]);
        Assert.NotEmpty(At(s, 17).Traffic);
        var after = At(s, 18);
        Assert.True(after.SameAs(At(TestScenarios.Flat(), 18)), "the alliance still acts after its end");
    }

    [Fact]
    public void Supply_TwoRulesForOneCommunity_TheLargerShareWinsWhateverTheirOrder()
    {
        foreach (bool largerFirst in new[] { false, true })
        {
            var fromA = Supply("c", "a", 0.3);
            var fromB = Supply("c", "b", 0.5);
            var s = WithAlliance(a =>
            {
                a.Members = ["a", "b", "c"];
                a.Supply = largerFirst ? [fromB, fromA] : [fromA, fromB];
            });
            var c = At(s, 8);
            Assert.Equal([B], c.SlicePartner);
            Assert.Equal([0.5], c.SliceShare);
        }
    }

    [Fact]
    public void Logistics_ByDefault_DeliversTheSuppliedSliceOnlyAndLeavesTheHostsOwnGoods()
    {
        // a delivers half of the slice it supplies to c; c's own goods keep c's 4 and 6 days.
        var s = WithAlliance(a =>
        {
            a.Supply = [Supply("c", "a", 0.4)];
            a.Logistics = [new LogisticsSharingSpec { Host = "c", Partner = "a", Share = 0.5 }];
        });
        var c = At(s, 8);
        Assert.Equal([0.5, 0.5], c.SliceDelivered);
        Assert.Equal(4, c.DeliveryDays[I(0, C)]);
        Assert.Equal(6, c.DeliveryDays[I(1, C)]);
    }

    [Fact]
    public void Logistics_OwnGoodsShare_BlendsTheHostsDeliveryDaysInEveryTier()
    {
        // The explicit extension: c delivers in 4 and 6 days, a in 2 and 3, and a delivers half of c's own goods too.
        var s = WithAlliance(a => a.Logistics = [new LogisticsSharingSpec { Host = "c", Partner = "a", OwnGoodsShare = 0.5 }]);
        var c = At(s, 8);
        Assert.Equal(0.5 * 4 + 0.5 * 2, c.DeliveryDays[I(0, C)], Precision);
        Assert.Equal(0.5 * 6 + 0.5 * 3, c.DeliveryDays[I(1, C)], Precision);
        Assert.Equal(2, c.DeliveryDays[I(0, A)]);
        Assert.Equal(3, c.DeliveryDays[I(1, A)]);
        Assert.Equal(0.4, c.Quality[I(0, C)]);
        Assert.Equal([-1], c.SlicePartner);
    }

    [Fact]
    public void Logistics_WithTiersAndRamp_OnlyThoseTiersByTheRampedShare()
    {
        var s = WithAlliance(a =>
        {
            a.Supply = [Supply("c", "a", 0.4)];
            a.Logistics = [new LogisticsSharingSpec { Host = "c", Partner = "a", Share = 0.8, OwnGoodsShare = 0.5, Tiers = ["t2"], RampDays = 28 }];
        });
        var first = At(s, 8);    // day 0 of 28
        var later = At(s, 10);   // day 14
        Assert.Equal(4, first.DeliveryDays[I(0, C)]);
        Assert.Equal(4, later.DeliveryDays[I(0, C)]);
        double r0 = 0.5 * 1 / 28, r2 = 0.5 * 15 / 28;
        Assert.Equal((1 - r0) * 6 + r0 * 3, first.DeliveryDays[I(1, C)], Precision);
        Assert.Equal((1 - r2) * 6 + r2 * 3, later.DeliveryDays[I(1, C)], Precision);
        Assert.Equal(0.0, first.SliceDelivered[0]);
        Assert.Equal(0.8 * 1 / 28, first.SliceDelivered[1], Precision);
        Assert.Equal(0.8 * 15 / 28, later.SliceDelivered[1], Precision);
    }

    [Fact]
    public void Traffic_ListsOneLinkFromToPerNamedTierWithTheRampedShare()
    {
        var s = WithAlliance(a => a.Traffic = [new TrafficSharingSpec { From = "c", To = "a", Share = 0.3, Tiers = ["t2"], RampDays = 14 }]);
        Assert.Empty(At(s, 7).Traffic);
        Assert.Equal([new TrafficLink(1, C, A, 0.3 * (1.0 / 14))], At(s, 8).Traffic);
        Assert.Equal([new TrafficLink(1, C, A, 0.3)], At(s, 10).Traffic);
        // Sharing traffic changes no attribute: it acts through the re-evaluation's reach.
        Assert.Equal(0.9, At(s, 10).Reach[I(0, A)]);

        var everywhere = WithAlliance(a => a.Traffic = [new TrafficSharingSpec { From = "a", To = "c", Share = 0.2 }]);
        Assert.Equal([new TrafficLink(0, A, C, 0.2), new TrafficLink(1, A, C, 0.2)], At(everywhere, 8).Traffic);
    }

    [Fact]
    public void CoPromotion_DuringTheFestival_RaisesMembersBrandAndSpendProRataOfItsDays()
    {
        // Festival on Wednesday 2019-06-19 with 2 lead days: 06-17..06-19, 3 of the 7 days of step 23 (Monday 06-17).
        var s = WithAlliance(a => a.CoPromotion = new CoPromotionSpec { Festivals = ["fest"], Years = [2019], UtilityBoost = 0.5, SpendMultiplier = 1.3 });
        s.Calendar.Festivals["fest"] = new FestivalSpec { Dates = [new DateOnly(2019, 6, 19)], LeadDays = 2 };
        var m = new MarketModel(s);
        Assert.Equal(new DateOnly(2019, 6, 17), m.StepDate(23));
        var c = At(s, 23);
        double f = 3.0 / 7;
        Assert.Equal(f, c.FestivalFraction("fest"), Precision);
        Assert.Equal(1 + 0.3 * f, c.PlatformSpend[A], Precision);
        Assert.Equal(1.0, c.PlatformSpend[B]);
        Assert.Equal(1 + 0.3 * f, c.PlatformSpend[C], Precision);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(0.2 + 0.5 * f, c.Brand[I(t, A)], Precision);
            Assert.Equal(-0.1, c.Brand[I(t, B)]);
            Assert.Equal(0.0 + 0.5 * f, c.Brand[I(t, C)], Precision);
        }
        // The festival's own spend multiplier is 1: only members' spend moves.
        Assert.Equal(1.0, c.SpendMultiplier, Precision);
        var quiet = At(s, 22);
        Assert.Equal([1.0, 1.0, 1.0], quiet.PlatformSpend);
        Assert.Equal(0.2, quiet.Brand[I(0, A)]);
    }

    [Fact]
    public void CoPromotion_SeveralFestivals_TheLargestFractionCounts()
    {
        var s = WithAlliance(a => a.CoPromotion = new CoPromotionSpec { Festivals = ["short", "long"], Years = [2019], UtilityBoost = 1.0, SpendMultiplier = 2.0 });
        s.Calendar.Festivals["short"] = new FestivalSpec { Dates = [new DateOnly(2019, 6, 17)] };                 // 1 day of step 23
        s.Calendar.Festivals["long"] = new FestivalSpec { Dates = [new DateOnly(2019, 6, 21)], LeadDays = 3 };    // 06-18..06-21: 4 days
        var c = At(s, 23);
        Assert.Equal(1 + 4.0 / 7, c.PlatformSpend[A], Precision);
        Assert.Equal(0.2 + 4.0 / 7, c.Brand[I(1, A)], Precision);
    }

    // An annual festival on 19 June with 2 lead days: 3 days (Wed–Fri) of step 23 (Monday 2019-06-17) and of step 75
    // (Monday 2020-06-15); the alliance of a and c runs from March 2019 with no end, so it is in force at both.
    private static Scenario YearlyFestival(Action<CoPromotionSpec> select)
    {
        var promo = new CoPromotionSpec { Festivals = ["fest"], UtilityBoost = 0.5, SpendMultiplier = 1.3 };
        select(promo);
        var s = WithAlliance(a => a.CoPromotion = promo);
        s.Calendar.Steps = 80;
        s.Calendar.Festivals["fest"] = new FestivalSpec { Annual = "06-19", LeadDays = 2 };
        return s;
    }

    private static void AssertCoPromoted(StepConditions c, double f)
    {
        Assert.Equal(1 + 0.3 * f, c.PlatformSpend[A], Precision);
        Assert.Equal(1.0, c.PlatformSpend[B]);
        Assert.Equal(1 + 0.3 * f, c.PlatformSpend[C], Precision);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(0.2 + 0.5 * f, c.Brand[I(t, A)], Precision);
            Assert.Equal(-0.1, c.Brand[I(t, B)]);
            Assert.Equal(0.0 + 0.5 * f, c.Brand[I(t, C)], Precision);
        }
    }

    private static void AssertNotCoPromoted(StepConditions c)
    {
        // The festival itself is there (3 of 7 days), the alliance's promotion of it is not.
        Assert.Equal(3.0 / 7, c.FestivalFraction("fest"), Precision);
        Assert.Equal([1.0, 1.0, 1.0], c.PlatformSpend);
        for (int t = 0; t < 2; t++)
            Assert.Equal([0.2, -0.1, 0.0], new[] { c.Brand[I(t, A)], c.Brand[I(t, B)], c.Brand[I(t, C)] });
    }

    [Fact]
    public void CoPromotion_Years_ActsOnThatYearsOccurrenceOnlyNotOnTheFestivalsNextOne()
    {
        var s = YearlyFestival(p => p.Years = [2019]);
        var m = new MarketModel(s);
        Assert.Equal(new DateOnly(2020, 6, 15), m.StepDate(75));
        AssertCoPromoted(At(s, 23), 3.0 / 7);
        AssertNotCoPromoted(At(s, 75));
    }

    [Fact]
    public void CoPromotion_Dates_ActsOnTheNamedOccurrenceOnly()
    {
        var s = YearlyFestival(p => p.Dates = [new DateOnly(2020, 6, 19)]);
        AssertNotCoPromoted(At(s, 23));
        AssertCoPromoted(At(s, 75), 3.0 / 7);
    }

    [Fact]
    public void CoPromotion_EveryOccurrence_ActsOnEachYearsOccurrence_AndNothingSelectedActsNowhere()
    {
        var every = YearlyFestival(p => p.EveryOccurrence = true);
        AssertCoPromoted(At(every, 23), 3.0 / 7);
        AssertCoPromoted(At(every, 75), 3.0 / 7);
        // A spec that selects nothing (the validator refuses it in a file) co-promotes nothing.
        var none = YearlyFestival(_ => { });
        AssertNotCoPromoted(At(none, 23));
        AssertNotCoPromoted(At(none, 75));
    }

    private static Scenario WithIntervention(InterventionSpec iv)
    {
        var s = TestScenarios.Flat();
        s.Interventions["iv"] = iv;
        return s;
    }

    [Fact]
    public void Intervention_Multiply_ScalesTheAttributeFromItsStart()
    {
        var s = WithIntervention(new InterventionSpec { Platform = "b", Attribute = "price_level", Multiply = 0.9, Start = new DateOnly(2019, 3, 4) });
        Assert.Equal(1.2, At(s, 7).PriceLevel[I(0, B)]);
        var c = At(s, 8);
        Assert.Equal(1.2 * 0.9, c.PriceLevel[I(0, B)], Precision);
        Assert.Equal(1.2 * 0.9, c.PriceLevel[I(1, B)], Precision);
        Assert.Equal(1.0, c.PriceLevel[I(0, A)]);
        Assert.Equal(0.8, c.PriceLevel[I(1, C)]);
    }

    [Fact]
    public void Intervention_AddInTiers_ShiftsOnlyThoseTiers()
    {
        var s = WithIntervention(new InterventionSpec { Platform = "c", Attribute = "delivery_days", Add = -1.5, Tiers = ["t1"], Start = new DateOnly(2019, 3, 4) });
        var c = At(s, 8);
        Assert.Equal(4 - 1.5, c.DeliveryDays[I(0, C)], Precision);
        Assert.Equal(6, c.DeliveryDays[I(1, C)]);
        Assert.Equal(2, c.DeliveryDays[I(0, A)]);
    }

    [Fact]
    public void Intervention_RampAndEnd_MultiplyAndAddGrowTogetherThenStop()
    {
        // quality of a (0.8) × (1 + (0.5 − 1)·r) + 0.1·r with r = (days + 1) / 28; ends Sunday 2019-04-14.
        var s = WithIntervention(new InterventionSpec
        {
            Platform = "a",
            Attribute = "quality",
            Multiply = 0.5,
            Add = 0.1,
            RampDays = 28,
            Start = new DateOnly(2019, 3, 4),
            End = new DateOnly(2019, 4, 14),
        });
        foreach (var (step, days) in new[] { (8, 0), (9, 7), (11, 21), (13, 35) })
        {
            double r = Math.Min(1, (days + 1) / 28.0);
            Assert.Equal(0.8 * (1 - 0.5 * r) + 0.1 * r, At(s, step).Quality[I(1, A)], Precision);
        }
        Assert.Equal(0.8, At(s, 14).Quality[I(1, A)]);   // Monday 04-15, after the end
        Assert.Equal(0.8, At(s, 7).Quality[I(1, A)]);
    }

    [Theory]
    [InlineData("quality", 2.0, 1.0)]        // clamped to 0..1
    [InlineData("subsidy", 3.0, 0.9)]        // at most 90 % of the price
    [InlineData("price_level", -5.0, 0.01)]  // never zero or negative
    [InlineData("delivery_days", -50.0, 0.1)]
    [InlineData("reach", 5.0, 1.0)]
    public void Intervention_BeyondAnAttributesRange_IsClamped(string attribute, double add, double expected)
    {
        var s = WithIntervention(new InterventionSpec { Platform = "b", Attribute = attribute, Add = add, Start = new DateOnly(2019, 3, 4) });
        Assert.Equal(expected, At(s, 8).Attribute(attribute)[I(0, B)], Precision);
    }

    [Theory]
    [InlineData(42, 3)]   // Monday 10-28: 11-01, 11-02, 11-03 of the window 11-01..11-11
    [InlineData(43, 7)]   // 11-04..11-10, all inside
    [InlineData(44, 1)]   // Monday 11-11, the festival day itself
    [InlineData(45, 0)]
    public void Festival_AnnualWithLeadDays_MultipliesByTheShareOfTheStepsDaysInItsWindow(int step, int daysInside)
    {
        var s = TestScenarios.Flat();
        s.Calendar.Festivals["double_11"] = new FestivalSpec { Annual = "11-11", LeadDays = 10, SpendMultiplier = 2.5, AttentionMultiplier = 1.4 };
        Assert.Equal(new DateOnly(2019, 11, 11), new MarketModel(s).StepDate(44));
        var c = At(s, step);
        Assert.Equal((daysInside * 2.5 + (7 - daysInside)) / 7, c.SpendMultiplier, Precision);
        Assert.Equal((daysInside * 1.4 + (7 - daysInside)) / 7, c.AttentionMultiplier, Precision);
        Assert.Equal(daysInside / 7.0, c.FestivalFraction("double_11"), Precision);
    }

    [Fact]
    public void Festival_AnnualRecursEveryYearAndWithoutLeadIsOneDay()
    {
        var s = TestScenarios.Flat(steps: 120);
        s.Calendar.Festivals["double_11"] = new FestivalSpec { Annual = "11-11", SpendMultiplier = 3.0 };
        Assert.Equal(1.0, At(s, 43).SpendMultiplier);
        Assert.Equal((3.0 + 6) / 7, At(s, 44).SpendMultiplier, Precision);
        // 2020-11-11 is a Wednesday, in the step of Monday 2020-11-09 (96).
        Assert.Equal(new DateOnly(2020, 11, 9), new MarketModel(s).StepDate(96));
        Assert.Equal((3.0 + 6) / 7, At(s, 96).SpendMultiplier, Precision);
    }

    [Fact]
    public void Festival_OverlappingWindows_MultiplyOnTheDaysTheyShare()
    {
        // Step 23 (06-17..06-23): x on 06-17..06-19, y on 06-19..06-20: 06-19 gets 2 × 3.
        var s = TestScenarios.Flat();
        s.Calendar.Festivals["x"] = new FestivalSpec { Dates = [new DateOnly(2019, 6, 19)], LeadDays = 2, SpendMultiplier = 2.0 };
        s.Calendar.Festivals["y"] = new FestivalSpec { Dates = [new DateOnly(2019, 6, 20)], LeadDays = 1, SpendMultiplier = 3.0 };
        var c = At(s, 23);
        Assert.Equal((2 + 2 + 6 + 3 + 1 + 1 + 1) / 7.0, c.SpendMultiplier, Precision);
        Assert.Equal(3 / 7.0, c.FestivalFraction("x"), Precision);
        Assert.Equal(2 / 7.0, c.FestivalFraction("y"), Precision);
    }

    [Fact]
    public void Conditions_StepsBeforeAChange_AreIdenticalToTheBaselines()
    {
        // Common random numbers rest on it: a scenario differs from its baseline from its first change on, not before.
        var baseline = TestScenarios.Flat();
        var changed = WithAlliance(a =>
        {
            a.Supply = [Supply("c", "a", 0.4, 30)];
            a.Traffic = [new TrafficSharingSpec { From = "c", To = "a", Share = 0.3 }];
        });
        changed.Interventions["iv"] = new InterventionSpec { Platform = "b", Attribute = "brand", Add = 1, Start = new DateOnly(2019, 3, 4) };
        for (int step = 0; step < 8; step++) Assert.True(At(changed, step).SameAs(At(baseline, step)), $"step {step}");
        Assert.False(At(changed, 8).SameAs(At(baseline, 8)));
    }
}
