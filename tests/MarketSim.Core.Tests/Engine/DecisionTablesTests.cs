using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// <see cref="DecisionTables.Build"/> term by term on the flat scenario (every trait constant: price sensitivity 2,
/// quality sensitivity 1.5, content affinity 0.4, social propensity 0.3, 100 yuan an order, 1.25 orders a week;
/// weights: assortment 1.3, content 2.0, social 1.7, delivery 0.3 per day, word of mouth 2.4;
/// tiers t1 income 1.5 and t2 income 0.8; platforms a, b, c). Each expected value is the formula of docs/model.md
/// evaluated with those numbers, so a term of the wrong sign, weight or size fails.
/// </summary>
public class DecisionTablesTests
{
    private const int A = 0, B = 1, C = 2, P = 3;
    private static readonly double[] Income = [1.5, 0.8];

    private static DecisionTables Tables(Scenario s, int step = 0)
    {
        var m = new MarketModel(s);
        var tables = new DecisionTables(m);
        tables.Build(m, step);
        return tables;
    }

    private static int Follower(Scenario s, int tier, bool follows)
    {
        var f = new MarketModel(s).Cohorts.Follows[tier];
        int c = Array.FindIndex(f, g => (g >= 0) == follows);
        Assert.True(c >= 0, $"the flat scenario has no cohort that {(follows ? "follows" : "does not follow")} a streamer");
        return c;
    }

    private static void AssertRelative(double expected, double actual, double tolerance = 2e-7) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    /// <summary>Checks that exp(U) of <paramref name="platform"/> moved by <paramref name="factor"/>(tier) and no other platform moved.</summary>
    private static void AssertFactor(Action<Scenario> change, int platform, Func<int, double> factor)
    {
        var before = Tables(TestScenarios.Flat());
        var s = TestScenarios.Flat();
        change(s);
        var after = Tables(s);
        for (int t = 0; t < 2; t++)
            for (int c = 0; c < 16; c++)
                for (int p = 0; p < P; p++)
                {
                    double ratio = (double)after.ExpUtility[t][c * P + p] / before.ExpUtility[t][c * P + p];
                    // Each exp(U) is a float: the ratio of two carries up to two float roundings.
                    AssertRelative(p == platform ? factor(t) : 1.0, ratio, 2.5e-7);
                }
    }

    [Fact]
    public void ExpUtility_NonFollower_IsExpOfTheUtilityFormula()
    {
        var s = TestScenarios.Flat();
        var tables = Tables(s);
        double[] delivery0 = [2, 3, 4], delivery1 = [3, 5, 6];
        for (int t = 0; t < 2; t++)
        {
            int c = Follower(s, t, follows: false);
            foreach (var (id, p) in new[] { ("a", A), ("b", B), ("c", C) })
            {
                var pl = s.Platforms[id];
                double u = pl.Brand
                           - 2.0 / Income[t] * Math.Log(pl.PriceLevel * (1 - pl.Subsidy))
                           + 1.5 * pl.Quality
                           + 1.3 * pl.Assortment
                           + 2.0 * 0.4 * pl.Content
                           + 1.7 * 0.3 * pl.Social
                           - 0.3 * (t == 0 ? delivery0 : delivery1)[p];
                AssertRelative(Math.Exp(u), tables.ExpUtility[t][c * P + p]);
            }
        }
    }

    [Fact]
    public void ExpUtility_HigherQuality_RisesByExpOfQualitySensitivityTimesTheGain() =>
        AssertFactor(s => s.Platforms["a"].Quality = 0.9, A, _ => Math.Exp(1.5 * (0.9 - 0.8)));

    [Fact]
    public void ExpUtility_HigherPrice_FallsByThePowerOfPriceSensitivityOverIncome() =>
        // exp(−β/income × ln(1.1 p) + β/income × ln p) = 1.1^(−β/income): poorer tiers mind prices more.
        AssertFactor(s => s.Platforms["b"].PriceLevel = 1.2 * 1.1, B, t => Math.Pow(1.1, -2.0 / Income[t]));

    [Fact]
    public void ExpUtility_LargerSubsidy_RisesAsTheEffectivePriceFalls() =>
        AssertFactor(s => s.Platforms["b"].Subsidy = 0.3, B, t => Math.Pow((1 - 0.3) / (1 - 0.1), -2.0 / Income[t]));

    [Fact]
    public void ExpUtility_WiderAssortment_RisesByItsWeight() =>
        AssertFactor(s => s.Platforms["c"].Assortment = 0.7, C, _ => Math.Exp(1.3 * (0.7 - 0.3)));

    [Fact]
    public void ExpUtility_MoreContent_RisesByWeightTimesContentAffinity() =>
        AssertFactor(s => s.Platforms["a"].Content = 0.6, A, _ => Math.Exp(2.0 * 0.4 * (0.6 - 0.1)));

    [Fact]
    public void ExpUtility_MoreSocial_RisesByWeightTimesSocialPropensity() =>
        AssertFactor(s => s.Platforms["b"].Social = 0.9, B, _ => Math.Exp(1.7 * 0.3 * (0.9 - 0.3)));

    [Fact]
    public void ExpUtility_SlowerDelivery_FallsByDeliveryWeightPerDayInThatTierOnly() =>
        AssertFactor(s => s.Platforms["c"].DeliveryDays["t2"] = 8, C, t => t == 1 ? Math.Exp(-0.3 * (8 - 6)) : 1.0);

    [Fact]
    public void ExpUtility_BrandConstant_MultipliesByItsExp() =>
        AssertFactor(s => s.Platforms["c"].Brand = -0.5, C, _ => Math.Exp(-0.5));

    [Fact]
    public void ExpUtility_Follower_GainsTheStreamersPullOnItsHomePlatformOnly()
    {
        var s = TestScenarios.Flat();
        var tables = Tables(s);
        for (int t = 0; t < 2; t++)
        {
            int follower = Follower(s, t, true), other = Follower(s, t, false);
            AssertRelative(Math.Exp(0.7), (double)tables.ExpUtility[t][follower * P + C] / tables.ExpUtility[t][other * P + C], 2.5e-7);
            Assert.Equal(tables.ExpUtility[t][other * P + A], tables.ExpUtility[t][follower * P + A]);
            Assert.Equal(tables.ExpUtility[t][other * P + B], tables.ExpUtility[t][follower * P + B]);
        }
    }

    [Fact]
    public void ExpUtility_HugeUtility_IsClampedToExp60()
    {
        var s = TestScenarios.Flat();
        s.Platforms["a"].Brand = 1000;
        s.Platforms["b"].Brand = -1000;
        var tables = Tables(s);
        Assert.Equal((float)Math.Exp(60), tables.ExpUtility[0][A]);
        Assert.Equal((float)Math.Exp(-60), tables.ExpUtility[0][B]);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(14)]
    public void Attention_BySatisfaction_IsEitherReasonPerWeekCompoundedOverTheStep(int stepDays)
    {
        var s = TestScenarios.Flat(stepDays: stepDays);
        var tables = Tables(s);
        double weeks = stepDays / 7.0;
        for (int a = 0; a < 256; a++)
        {
            // Re-evaluates unless neither the routine look (0.04) nor dissatisfaction (0.06 × (1 − satisfaction)) fires.
            double stay = (1 - 0.04) * (1 - 0.06 * (1 - a / 255.0));
            Assert.Equal(DecisionTables.Threshold(1 - Math.Pow(stay, weeks)), tables.AttentionThreshold[a]);
        }
        // Lower satisfaction, more attention.
        Assert.True(tables.AttentionThreshold[0] > tables.AttentionThreshold[128]);
        Assert.True(tables.AttentionThreshold[128] > tables.AttentionThreshold[255]);
        if (stepDays == 7)
        {
            Assert.Equal((int)Math.Round(0.04 * 65536), tables.AttentionThreshold[255]);
            Assert.Equal((int)Math.Round((1 - 0.96 * 0.94) * 65536), tables.AttentionThreshold[0]);
        }
    }

    [Fact]
    public void Attention_InAFestivalStep_TheRoutineLookIsMultiplied()
    {
        var s = TestScenarios.Flat();
        s.Calendar.Festivals["f"] = new FestivalSpec { Annual = "01-20", LeadDays = 6, AttentionMultiplier = 2.0 };   // all of step 1 (01-14..01-20)
        var tables = Tables(s, 1);
        Assert.Equal(DecisionTables.Threshold(1 - (1 - 0.08) * (1 - 0.06 * (1 - 200 / 255.0))), tables.AttentionThreshold[200]);
        Assert.Equal(DecisionTables.Threshold(0.08), tables.AttentionThreshold[255]);
    }

    [Fact]
    public void InertiaAndSwitching_AreExpOfInertiaTimesSatisfactionAndOfMinusTheCost()
    {
        var s = TestScenarios.Flat();
        s.Behaviour.Inertia = 2.5;
        s.Behaviour.SwitchingCost = 1.2;
        var tables = Tables(s);
        for (int a = 0; a < 256; a++) AssertRelative(Math.Exp(2.5 * a / 255.0), tables.InertiaFactor[a]);
        Assert.Equal(1f, tables.InertiaFactor[0]);
        AssertRelative(Math.Exp(-1.2), tables.SwitchingFactor);
    }

    [Fact]
    public void Thresholds_OfBehaviourShares_AreSixteenBitProbabilities()
    {
        var tables = Tables(TestScenarios.Flat());
        Assert.Equal((int)Math.Round(0.6 * 65536), tables.PrimaryOrderThreshold);
        Assert.Equal((int)Math.Round(0.35 * 65536), tables.AdoptAsPrimaryThreshold);
        Assert.Equal((int)Math.Round(0.2 * 256), tables.SatisfactionLearning256);
        // First-platform mix a 0.5, b 0.3, c 0.2, cumulated; the last always closes at 1.
        Assert.Equal([32768, 32768 + 19661, 65536, 32768, 32768 + 19661, 65536], tables.FirstPlatformCumulative);
        Assert.Equal(0, DecisionTables.Threshold(-0.5));
        Assert.Equal(DecisionTables.One, DecisionTables.Threshold(1.5));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(14)]
    public void BuyThreshold_IsOneMinusExpOfMinusOrdersInTheStep(int stepDays)
    {
        var tables = Tables(TestScenarios.Flat(stepDays: stepDays));
        int expected = DecisionTables.Threshold(1 - Math.Exp(-1.25 * stepDays / 7.0));
        Assert.All(tables.BuyThreshold[0], v => Assert.Equal(expected, v));
        Assert.All(tables.BuyThreshold[1], v => Assert.Equal(expected, v));
    }

    [Fact]
    public void BuyThreshold_FestivalAndCoPromotion_MultiplyTheOrderRate()
    {
        // Step 1 is inside the festival on all 7 days (× 2); the alliance of a and c adds × 1.5 for its members.
        var s = TestScenarios.Flat();
        s.Calendar.Festivals["f"] = new FestivalSpec { Annual = "01-20", LeadDays = 6, SpendMultiplier = 2.0 };
        s.Alliances["ac"] = new AllianceSpec
        {
            Members = ["a", "c"],
            Start = new DateOnly(2019, 1, 1),
            CoPromotion = new CoPromotionSpec { Festivals = ["f"], Years = [2019], UtilityBoost = 0, SpendMultiplier = 1.5 },
        };
        var tables = Tables(s, 2);
        Assert.Equal(new DateOnly(2019, 1, 21), new MarketModel(s).StepDate(2));
        // Step 2 (01-21..01-27) is outside the window 01-14..01-20: the plain rate.
        Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-1.25)), tables.BuyThreshold[0][B]);
        tables = Tables(s, 1);
        Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-1.25 * 2.0 * 1.5)), tables.BuyThreshold[0][A]);
        Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-1.25 * 2.0)), tables.BuyThreshold[0][B]);
        Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-1.25 * 2.0 * 1.5)), tables.BuyThreshold[1][5 * P + C]);
    }

    [Fact]
    public void OrderFen_IsOrderValueTimesIncomeTimesPriceLevelInFen()
    {
        var tables = Tables(TestScenarios.Flat());
        double[] price = [1.0, 1.2, 0.8];
        for (int t = 0; t < 2; t++)
            for (int p = 0; p < P; p++)
                Assert.All(Enumerable.Range(0, 16), c =>
                    Assert.Equal((int)Math.Round(100 * Income[t] * price[p] * 100), tables.OrderFen[t][c * P + p]));
        Assert.Equal(15000, tables.OrderFen[0][A]);
    }

    private static Scenario WithSlice(double share = 0.4, double delivered = 0)
    {
        var s = TestScenarios.Flat();
        s.Alliances["ac"] = new AllianceSpec
        {
            Members = ["a", "c"],
            Start = new DateOnly(2019, 1, 1),
            Supply = [new SupplySharingSpec { Host = "c", Partner = "a", Streamers = ["live"], Share = share }],
            Logistics = delivered > 0 ? [new LogisticsSharingSpec { Host = "c", Partner = "a", Share = delivered }] : [],
        };
        return s;
    }

    [Fact]
    public void Slice_OutsideIt_EveryCohortSeesTheHostsOwnQualityPriceAndDelivery()
    {
        // a supplies 40 % of what c's community sells, and delivers it. A cohort that does not follow the community has
        // no order in the slice: its exp(U) of every platform, its order values and c's experience are the flat
        // scenario's, bit for bit. A follower's orders outside the stream are c's own goods too: order value and
        // experience of c unchanged.
        var flat = Tables(TestScenarios.Flat());
        var s = WithSlice(0.4, delivered: 1.0);
        var sliced = Tables(s);
        for (int t = 0; t < 2; t++)
        {
            int n = Follower(s, t, false), f = Follower(s, t, true);
            for (int p = 0; p < P; p++)
            {
                Assert.Equal(flat.ExpUtility[t][n * P + p], sliced.ExpUtility[t][n * P + p]);
                Assert.Equal(flat.OrderFen[t][n * P + p], sliced.OrderFen[t][n * P + p]);
                Assert.Equal(flat.OrderFen[t][f * P + p], sliced.OrderFen[t][f * P + p]);
                Assert.Equal(flat.Experience[t * P + p], sliced.Experience[t * P + p]);
                if (p != C) Assert.Equal(flat.ExpUtility[t][f * P + p], sliced.ExpUtility[t][f * P + p]);
            }
            Assert.Equal(0, sliced.SliceFen[t][n]);
        }
    }

    [Fact]
    public void Slice_Follower_SeesTheHostBlendedByTheSlicesShareOfItsOrdersThere()
    {
        // Follower in tier t: stream orders λs = 3 × 0.4 × 0.05 × trust, trust = (0.6·0.4 + 0.4·0.8) / 0.4 = 1.4; own
        // orders on c λr = 1.25. The slice's share of its orders on c: w = 0.4 λs / (λs + λr). Its c is quality
        // 0.4 → (1 − w)·0.4 + w·0.8, price 0.8 → (1 − w)·0.8 + w·1.0, assortment 0.3 + w·0.7·0.9, delivery
        // (1 − w)·d_c + w·d_a (a delivers the whole slice).
        var flat = Tables(TestScenarios.Flat());
        var s = WithSlice(0.4, delivered: 1.0);
        var sliced = Tables(s);
        double[] dc = [4, 6], da = [2, 3];
        double ls = 3 * 0.4 * 0.05 * 1.4, lr = 1.25, w = 0.4 * ls / (ls + lr);
        for (int t = 0; t < 2; t++)
        {
            int f = Follower(s, t, true);
            double du = -2.0 / Income[t] * (Math.Log((1 - w) * 0.8 + w * 1.0) - Math.Log(0.8))
                        + 1.5 * w * (0.8 - 0.4)
                        + 1.3 * w * 0.7 * 0.9
                        - 0.3 * w * (da[t] - dc[t]);
            Assert.True(du > 0, "a better, faster slice makes the host more attractive to its followers");
            AssertRelative(Math.Exp(du), (double)sliced.ExpUtility[t][f * P + C] / flat.ExpUtility[t][f * P + C], 2.5e-7);
            // The slice's own order: a's price on c's basket; its experience a's quality at a's delivery.
            Assert.Equal((int)Math.Round(100 * Income[t] * 1.0 * 100), sliced.SliceFen[t][f]);
            Assert.Equal((int)Math.Round(255 * 0.8 * Math.Exp(-da[t] / 6.0)), sliced.SliceExperience[t]);
        }
        Assert.Equal([DecisionTables.Threshold(0.4)], sliced.SliceThreshold);
    }

    [Fact]
    public void Slice_WithoutLogistics_IsDeliveredByTheHost()
    {
        var s = WithSlice(0.4);
        var sliced = Tables(s);
        double[] dc = [4, 6];
        for (int t = 0; t < 2; t++)
            Assert.Equal((int)Math.Round(255 * 0.8 * Math.Exp(-dc[t] / 6.0)), sliced.SliceExperience[t]);
    }

    [Fact]
    public void Experience_IsQualityDiscountedByDeliveryDays()
    {
        var tables = Tables(TestScenarios.Flat());
        double[] quality = [0.8, 0.6, 0.4];
        double[][] delivery = [[2, 3, 4], [3, 5, 6]];
        for (int t = 0; t < 2; t++)
            for (int p = 0; p < P; p++)
                Assert.Equal((int)Math.Round(255 * quality[p] * Math.Exp(-delivery[t][p] / 6.0)), tables.Experience[t * P + p]);
        Assert.Equal(146, tables.Experience[A]);
    }

    [Fact]
    public void StreamThreshold_FollowersOnlyWithSessionsAttendanceConversionAndTrust()
    {
        var s = TestScenarios.Flat();
        var tables = Tables(s);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-3 * 0.4 * 0.05)), tables.StreamThreshold[t][Follower(s, t, true)]);
            Assert.Equal(0, tables.StreamThreshold[t][Follower(s, t, false)]);
            Assert.All(tables.WordOfMouth[t], w => Assert.Equal(2.4 * 0.3, w, 6));
        }

        // a supplies 40 % of what the community sells: its goods' quality 0.4 → 0.56, so followers trust its streamers
        // 0.56 / 0.4 = 1.4 times more.
        s = WithSlice(0.4);
        tables = Tables(s);
        Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-3 * 0.4 * 0.05 * (0.56 / 0.4))), tables.StreamThreshold[1][Follower(s, 1, true)]);
    }

    [Fact]
    public void StreamThreshold_NoneBeforeTheCommunitysStart_ThenRampsInLinearly()
    {
        // The flat scenario starts on 2019-01-07 with weekly steps; the community opens its shop on 2019-03-04 (step 8)
        // and ramps in over 70 days: at step 8 one day of 70 is in force, at step 12 (28 days later) 29 of 70.
        var s = TestScenarios.Flat();
        s.Streamers["live"].Start = new DateOnly(2019, 3, 4);
        s.Streamers["live"].RampDays = 70;
        double full = 3 * 0.4 * 0.05;
        foreach (var (step, share) in new[] { (0, 0.0), (7, 0.0), (8, 1 / 70.0), (12, 29 / 70.0), (30, 1.0) })
        {
            var tables = Tables(s, step);
            Assert.Equal(DecisionTables.Threshold(1 - Math.Exp(-full * share)), tables.StreamThreshold[0][Follower(s, 0, true)]);
            // The pull toward the community's platform (c) ramps with it: exp(U) of followers over non-followers is e^(0.7 × share).
            double ratio = tables.ExpUtility[0][Follower(s, 0, true) * P + C] / tables.ExpUtility[0][Follower(s, 0, false) * P + C];
            Assert.Equal(Math.Exp(0.7 * share), ratio, 4);
        }
    }

    [Fact]
    public void Reach_AndTraffic_AreThoseOfTheStepsConditions()
    {
        var s = TestScenarios.Flat();
        s.Alliances["ac"] = new AllianceSpec
        {
            Members = ["a", "c"],
            Start = new DateOnly(2019, 1, 1),
            Traffic = [new TrafficSharingSpec { From = "c", To = "a", Share = 0.25, Tiers = ["t2"] }],
        };
        var tables = Tables(s);
        Assert.Equal([0.9f, 0.7f, 0.5f, 0.8f, 0.6f, 0.7f], tables.Reach);
        Assert.Empty(tables.TrafficByTier[0]);
        Assert.Equal([new TrafficLink(1, C, A, 0.25)], tables.TrafficByTier[1]);
    }

    [Fact]
    public void Build_ConditionsThatChange_RebuildTheTablesAndUnchangedOnesKeepThem()
    {
        // Tables are cached while conditions repeat; a change (here a quality cut from step 3) must reach them.
        var s = TestScenarios.Flat();
        s.Interventions["cut"] = new InterventionSpec { Platform = "a", Attribute = "quality", Multiply = 0.5, Start = new DateOnly(2019, 1, 28) };
        var m = new MarketModel(s);
        var tables = new DecisionTables(m);
        tables.Build(m, 0);
        float before = tables.ExpUtility[0][A];
        int experience = tables.Experience[A];
        tables.Build(m, 1);
        Assert.Equal(before, tables.ExpUtility[0][A]);
        tables.Build(m, 3);
        AssertRelative(Math.Exp(-1.5 * 0.4), tables.ExpUtility[0][A] / (double)before, 2.5e-7);
        Assert.Equal((int)Math.Round(255 * 0.4 * Math.Exp(-2 / 6.0)), tables.Experience[A]);
        Assert.NotEqual(experience, tables.Experience[A]);
    }
}
