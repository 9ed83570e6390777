using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Rules of <see cref="ScenarioValidator"/> that no file-level test reached (found by coverage and by Stryker's
/// "no coverage" mutants): each broken alone on the valid baseline, checked for the exact path and message a person
/// reads, and the value just inside the rule checked to pass. The loader tests show how a path becomes a file and a
/// line; here the rule itself is the subject.
/// </summary>
public sealed class ValidatorRuleTests
{
    private static Scenario Baseline() => LoadedScenarios.Baseline();

    /// <summary>The scenario breaks the rule at <paramref name="path"/> with exactly <paramref name="message"/>.</summary>
    private static void Refused(Scenario s, string path, string message)
    {
        var issues = ScenarioValidator.Validate(s);
        Assert.True(issues.Any(i => i.Path == path && i.Message == message),
            $"expected {path}: {message}\ngot:\n{string.Join("\n", issues)}");
    }

    /// <summary>No rule is broken at <paramref name="path"/> or below it.</summary>
    private static void Accepted(Scenario s, string path)
    {
        var issues = ScenarioValidator.Validate(s).Where(i => i.Path == path || i.Path.StartsWith(path + ".", StringComparison.Ordinal)).ToList();
        Assert.True(issues.Count == 0, string.Join("\n", issues));
    }

    [Fact]
    public void Name_LongerThan64Characters_IsRefusedWithItsLength_And64AreAccepted()
    {
        var s = Baseline();
        s.Name = new string('a', 64);
        Accepted(s, "name");
        s.Name = new string('a', 65);
        Refused(s, "name", "expected at most 64 characters (it becomes the output folder name), got 65");
    }

    [Theory]
    [InlineData("", "expected a name of lower-case letters, digits, '_' or '-' (it becomes the output folder name), got nothing")]
    [InlineData("Baseline 2", "expected only lower-case letters, digits, '_' or '-' (it becomes the output folder name), got 'Baseline 2'")]
    public void Name_EmptyOrWithOtherCharacters_IsRefused(string name, string message)
    {
        var s = Baseline();
        s.Name = name;
        Refused(s, "name", message);
        s.Name = "a_b-3";
        Accepted(s, "name");
    }

    [Fact]
    public void TierAndPlatformCounts_OutsideTheEnginesLimits_AreRefused()
    {
        var s = Baseline();
        var t1 = s.Tiers["t1"];
        for (int k = 7; k <= 16; k++) s.Tiers[$"t{k}"] = t1;
        Assert.DoesNotContain(ScenarioValidator.Validate(s), i => i.Path == "tiers");
        s.Tiers["t17"] = t1;
        Refused(s, "tiers", "expected 1 to 16 tiers, got 17");
        s.Tiers.Clear();
        Refused(s, "tiers", "expected 1 to 16 tiers, got 0");

        var p = Baseline();
        p.Platforms["x1"] = p.Platforms["jd"];
        p.Platforms["x2"] = p.Platforms["jd"];
        Assert.DoesNotContain(ScenarioValidator.Validate(p), i => i.Path == "platforms");
        p.Platforms["x3"] = p.Platforms["jd"];
        Refused(p, "platforms", "expected 1 to 8 platforms, got 9");
        p.Platforms.Clear();
        Refused(p, "platforms", "expected 1 to 8 platforms, got 0");
    }

    [Fact]
    public void PerTierValue_MissingForATier_IsRefusedAtThePathItWouldHave()
    {
        var s = Baseline();
        s.Platforms["jd"].DeliveryDays.Remove("t3");
        Refused(s, "platforms.jd.delivery_days.t3", "missing value for tier 't3' (every tier needs one: t1, t2, t3, t4, t5, t6)");
    }

    [Fact]
    public void Intervention_OfAnUnknownAttribute_IsRefusedWithTheListAndASuggestion()
    {
        var s = Baseline();
        s.Interventions["jd_jingxi"].Attribute = "reech";
        var issue = Assert.Single(ScenarioValidator.Validate(s));
        Assert.Equal("interventions.jd_jingxi.attribute", issue.Path);
        Assert.Equal($"expected one of: {string.Join(", ", ScenarioValidator.InterventionAttributes)}, got 'reech'; did you mean 'reach'?", issue.Message);
    }

    [Fact]
    public void Alliance_OfOnePlatformListedTwice_IsRefusedForBoth()
    {
        var s = Baseline();
        s.Alliances["x"] = new AllianceSpec { Members = ["jd", "jd"], Start = new(2020, 5, 27) };
        Refused(s, "alliances.x.members[1]", "platform 'jd' is listed twice");
        Refused(s, "alliances.x.members", "expected at least 2 different platforms, got 1");
    }

    [Fact]
    public void Festival_WithNeitherAnnualNorDates_IsRefused()
    {
        var s = Baseline();
        var f = s.Calendar.Festivals["double_12"];
        f.Annual = null;
        Refused(s, "calendar.festivals.double_12", "expected 'annual' (\"MM-DD\"), 'lunar' (a lunar \"MM-DD\") or a non-empty list of 'dates'");
        f.Dates.Add(new DateOnly(2019, 12, 12));
        Accepted(s, "calendar.festivals.double_12");
    }

    [Theory]
    // Where each distribution is centred, as the rule reads it: the value, the upper end, the mean, e^mu, shape/rate.
    [InlineData("constant", 1001, 0, "constant", "1001")]
    [InlineData("uniform", 10, 1200, "uniform", "1200")]
    [InlineData("normal", 1500, 100, "normal", "1500")]
    [InlineData("lognormal", 7, 0.5, "lognormal", "1096.6331584284585")]
    [InlineData("gamma", 3000, 2, "gamma", "1500")]
    public void OrderValue_CentredAboveTheBound_IsRefusedWithWhereItIsCentred(string distribution, double first, double second, string name, string centre)
    {
        var s = Baseline();
        s.Population.Traits.OrderValueYuan = Make(distribution, first, second);
        Refused(s, "population.traits.order_value_yuan",
            $"expected order values of at most 1000 yuan, got a {name} distribution centred at {centre}");
    }

    [Theory]
    [InlineData("constant", 1000, 0)]
    [InlineData("uniform", 10, 1000)]
    [InlineData("normal", 1000, 100)]
    [InlineData("lognormal", 6.9, 0.5)]
    [InlineData("gamma", 2000, 2)]
    public void OrderValue_CentredAtOrBelowTheBound_IsAccepted(string distribution, double first, double second)
    {
        var s = Baseline();
        // A normal is not non-negative, which is another rule: only the bound is looked at here.
        s.Population.Traits.OrderValueYuan = Make(distribution, first, second);
        Assert.DoesNotContain(ScenarioValidator.Validate(s),
            i => i.Path == "population.traits.order_value_yuan" && i.Message.StartsWith("expected order values of at most", StringComparison.Ordinal));
    }

    private static DistributionSpec Make(string distribution, double first, double second) => distribution switch
    {
        "constant" => new() { Distribution = "constant", Value = first },
        "uniform" => new() { Distribution = "uniform", Min = first, Max = second },
        "normal" => new() { Distribution = "normal", Mean = first, Sd = second },
        "lognormal" => new() { Distribution = "lognormal", Mu = first, Sigma = second },
        "gamma" => new() { Distribution = "gamma", Shape = first, Rate = second },
        _ => new() { Distribution = "beta", A = first, B = second },
    };

    [Fact]
    public void Uniform_WithMaxNotAboveMin_IsRefusedAtMax()
    {
        var s = Baseline();
        s.Population.Traits.PriceSensitivity = new() { Distribution = "uniform", Min = 2, Max = 2 };
        Refused(s, "population.traits.price_sensitivity.max", "expected max greater than min (2), got 2");
        s.Population.Traits.PriceSensitivity.Max = 2.5;
        Accepted(s, "population.traits.price_sensitivity");
    }

    [Fact]
    public void Normal_WithZeroSd_IsRefusedAtSd()
    {
        var s = Baseline();
        s.Population.Traits.QualitySensitivity = new() { Distribution = "normal", Mean = 1, Sd = 0 };
        Refused(s, "population.traits.quality_sensitivity.sd", "expected a number > 0, got 0");
        s.Population.Traits.QualitySensitivity.Sd = 0.1;
        Accepted(s, "population.traits.quality_sensitivity");
    }

    [Fact]
    public void UnknownDistribution_IsRefusedWithTheListAndASuggestion_AndNothingElseAboutIt()
    {
        var s = Baseline();
        s.Population.Traits.PriceSensitivity = new() { Distribution = "lognormel", Mu = 0.7, Sigma = 0.4 };
        var issues = ScenarioValidator.Validate(s).Where(i => i.Path.StartsWith("population.traits.price_sensitivity", StringComparison.Ordinal)).ToList();
        // Its parameters are not judged against a distribution that does not exist.
        var issue = Assert.Single(issues);
        Assert.Equal("population.traits.price_sensitivity.distribution", issue.Path);
        Assert.StartsWith("expected one of: constant, uniform, normal, lognormal, gamma, beta, got 'lognormel'", issue.Message);
        Assert.Contains("lognormal", issue.Message["expected one of: constant, uniform, normal, lognormal, gamma, beta, got 'lognormel'".Length..]);
    }

    [Fact]
    public void ParameterOfAnotherDistribution_IsRefusedNamingTheOnesItTakes()
    {
        var s = Baseline();
        s.Population.Traits.PriceSensitivity.Mean = 1;
        Refused(s, "population.traits.price_sensitivity.mean", "'mean' is not a parameter of a lognormal distribution (it takes mu and sigma)");
        var issues = ScenarioValidator.Validate(s).Where(i => i.Path.StartsWith("population.traits.price_sensitivity", StringComparison.Ordinal));
        Assert.Single(issues);
    }

    [Theory]
    [InlineData("uniform", 0, 2, "uniform from 0 to 2")]
    [InlineData("uniform", -0.1, 1, "uniform from -0.1 to 1")]
    [InlineData("constant", 1.5, 0, "constant 1.5")]
    [InlineData("constant", -0.5, 0, "constant -0.5")]
    [InlineData("normal", 0.5, 0.1, "normal")]
    [InlineData("lognormal", -1, 0.1, "lognormal")]
    [InlineData("gamma", 2, 2, "gamma")]
    public void UnitTrait_NotWithinZeroAndOne_IsRefusedDescribingIt(string distribution, double first, double second, string described)
    {
        var s = Baseline();
        s.Population.Traits.ContentAffinity = Make(distribution, first, second);
        Refused(s, "population.traits.content_affinity",
            $"expected values within [0, 1]: a beta, or a uniform or constant within [0, 1], got {described}");
    }

    [Theory]
    [InlineData("uniform", 0, 1)]
    [InlineData("constant", 0, 0)]
    [InlineData("constant", 1, 0)]
    [InlineData("beta", 2, 5)]
    public void UnitTrait_WithinZeroAndOne_IsAccepted(string distribution, double first, double second)
    {
        var s = Baseline();
        s.Population.Traits.SocialPropensity = Make(distribution, first, second);
        Accepted(s, "population.traits.social_propensity");
    }

    [Theory]
    [InlineData("uniform", -1, 5, "uniform from -1 to 5")]
    [InlineData("constant", -1, 0, "constant -1")]
    [InlineData("normal", 100, 10, "normal")]
    public void NonNegativeTrait_ThatCanBeNegative_IsRefusedDescribingIt(string distribution, double first, double second, string described)
    {
        var s = Baseline();
        s.Population.Traits.OrdersPerWeek = Make(distribution, first, second);
        Refused(s, "population.traits.orders_per_week",
            $"expected non-negative values: a lognormal, gamma or beta, or a uniform or constant ≥ 0, got {described}");
    }

    [Theory]
    [InlineData("uniform", 0, 5)]
    [InlineData("constant", 0, 0)]
    [InlineData("lognormal", 0, 1)]
    [InlineData("gamma", 2, 2)]
    [InlineData("beta", 2, 2)]
    public void NonNegativeTrait_ThatCannotBeNegative_IsAccepted(string distribution, double first, double second)
    {
        var s = Baseline();
        s.Population.Traits.OrdersPerWeek = Make(distribution, first, second);
        Accepted(s, "population.traits.orders_per_week");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(3, false)]
    [InlineData(64, true)]
    [InlineData(96, false)]
    [InlineData(16384, true)]
    [InlineData(32768, false)]
    public void LocalitySize_IsAPowerOfTwoUpTo16384(int size, bool ok)
    {
        var s = Baseline();
        s.Behaviour.LocalitySize = size;
        if (ok) Accepted(s, "behaviour.locality_size");
        else Refused(s, "behaviour.locality_size", $"expected a power of two in [1, 16384], got {size}");
    }

    [Fact]
    public void InactivityWeeks_BeyondWhatRecencyHoldsAtShortSteps_IsRefusedWithTheLimitInWeeks()
    {
        // At 3-day steps one byte of recency (254 steps) holds 108 weeks: ceil(108 × 7 / 3) = 252, ceil(109 × 7 / 3) = 255.
        var s = Baseline();
        s.Calendar.StepDays = 3;
        s.Behaviour.InactivityWeeks = 108;
        Accepted(s, "behaviour.inactivity_weeks");
        s.Behaviour.InactivityWeeks = 109;
        Refused(s, "behaviour.inactivity_weeks",
            "expected at most 108 weeks at step_days 3 (purchase recency holds 254 steps), got 109 (255 steps)");
        // At weekly steps the range check alone applies: 250 weeks are 250 steps.
        s.Calendar.StepDays = 7;
        s.Behaviour.InactivityWeeks = 250;
        Accepted(s, "behaviour.inactivity_weeks");
    }

    [Fact]
    public void InterventionEndingBeforeItStarts_IsRefusedAtEnd_AndEndingOnItsStartIsAccepted()
    {
        var s = Baseline();
        var iv = s.Interventions["jd_jingxi"];
        iv.End = iv.Start.AddDays(-1);
        Refused(s, "interventions.jd_jingxi.end", "expected a date on or after start (2019-09-19), got 2019-09-18");
        iv.End = iv.Start;
        Accepted(s, "interventions.jd_jingxi");
    }

    private static AllianceSpec Alliance(DateOnly start, DateOnly? end, bool exclusive, params string[] members) => new()
    {
        Members = [.. members],
        Start = start,
        End = end,
        Exclusive = exclusive,
        Traffic = [new TrafficSharingSpec { From = members[1], To = members[0], Share = 0.1 }],
    };

    private static AllianceSpec JdKuaishou(Action<AllianceSpec> configure)
    {
        var a = new AllianceSpec { Members = ["jd", "kuaishou"], Start = new(2020, 5, 27) };
        configure(a);
        return a;
    }

    [Fact]
    public void Supply_WithoutStreamers_IsRefusedNamingTheHostsCommunities()
    {
        var s = Baseline();
        s.Alliances["x"] = JdKuaishou(a => a.Supply.Add(new SupplySharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.1 }));
        Refused(s, "alliances.x.supply[0].streamers",
            "name the streamer communities of 'kuaishou' that sell the partner's goods (the supplied slice); communities of 'kuaishou': kuaishou_streamers");
        s.Alliances["x"].Supply[0].Streamers = ["douyin_streamers"];
        Refused(s, "alliances.x.supply[0].streamers[0]", "community 'douyin_streamers' sells on 'douyin', not on the host 'kuaishou'");
        s.Alliances["x"].Supply[0].Streamers = ["kuaishou_streamers"];
        Accepted(s, "alliances.x");
    }

    [Fact]
    public void Logistics_BeyondTheSuppliedSlice_IsRefused_AndTheHostsOwnGoodsOnlyByTheirOwnSize()
    {
        // The scope: logistics.share is a share of what the partner supplies, so JD cannot deliver Kuaishou's orders
        // through a share with no supply clause behind it; delivering Kuaishou's own goods is a size of its own.
        var s = Baseline();
        s.Alliances["x"] = JdKuaishou(a => a.Logistics.Add(new LogisticsSharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.5 }));
        Refused(s, "alliances.x.logistics[0].share",
            "logistics covers the goods 'jd' supplies to 'kuaishou', and no supply clause of this alliance sells 'jd' goods on " +
            "'kuaishou': add one, or set share to 0 and own_goods_share to the share of 'kuaishou''s own goods 'jd' delivers, as the deal states it");
        s.Alliances["x"].Logistics[0] = new LogisticsSharingSpec { Host = "kuaishou", Partner = "jd", OwnGoodsShare = 0.5 };
        Accepted(s, "alliances.x");
        // A supply clause from another partner does not make a slice for this one.
        s.Alliances["x"] = JdKuaishou(a =>
        {
            a.Members = ["jd", "kuaishou", "taobao"];
            a.Supply.Add(new SupplySharingSpec { Host = "kuaishou", Partner = "taobao", Streamers = ["kuaishou_streamers"], Share = 0.1 });
            a.Logistics.Add(new LogisticsSharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.5 });
        });
        Assert.Contains(ScenarioValidator.Validate(s), i => i.Path == "alliances.x.logistics[0].share");
        s.Alliances["x"].Supply[0].Partner = "jd";
        Accepted(s, "alliances.x");
        Assert.True(s.Alliances["x"].Logistics[0].OwnGoodsShare == 0, "the default delivers none of the host's own goods");
    }

    [Fact]
    public void ExclusiveAlliance_SharingAMemberOverAnOverlappingPeriod_IsRefusedOnTheLaterOne()
    {
        var s = Baseline();
        s.Alliances["a"] = Alliance(new(2019, 1, 1), new(2019, 12, 31), exclusive: true, "jd", "kuaishou");
        s.Alliances["b"] = Alliance(new(2019, 12, 31), null, exclusive: false, "pdd", "jd");
        Refused(s, "alliances.b.members[1]",
            "platform 'jd' is also in alliance 'a' over an overlapping period, but alliance 'a' is exclusive");
        Assert.DoesNotContain(ScenarioValidator.Validate(s), i => i.Path.StartsWith("alliances.a", StringComparison.Ordinal));
        Assert.DoesNotContain(ScenarioValidator.Validate(s), i => i.Path == "alliances.b.members[0]");

        // The exclusive one named when it is the later one.
        s.Alliances["a"].Exclusive = false;
        s.Alliances["b"].Exclusive = true;
        Refused(s, "alliances.b.members[1]",
            "platform 'jd' is also in alliance 'a' over an overlapping period, but alliance 'b' is exclusive");
    }

    [Fact]
    public void AlliancesSharingAMember_AreAcceptedWhenNeitherIsExclusiveOrTheyDoNotOverlap()
    {
        var s = Baseline();
        s.Alliances["a"] = Alliance(new(2019, 1, 1), new(2019, 12, 30), exclusive: true, "jd", "kuaishou");
        s.Alliances["b"] = Alliance(new(2019, 12, 31), null, exclusive: true, "pdd", "jd");
        Accepted(s, "alliances");
        // An open-ended earlier alliance overlaps every later one.
        s.Alliances["a"].End = null;
        Refused(s, "alliances.b.members[1]",
            "platform 'jd' is also in alliance 'a' over an overlapping period, but alliance 'b' is exclusive");
        s.Alliances["a"].Exclusive = s.Alliances["b"].Exclusive = false;
        Accepted(s, "alliances");
        // A later alliance that ends before the earlier one starts does not overlap it either.
        s.Alliances["a"].Exclusive = true;
        s.Alliances["a"].Start = new(2021, 1, 1);
        s.Alliances["b"].Start = new(2019, 1, 1);
        s.Alliances["b"].End = new(2020, 12, 31);
        Accepted(s, "alliances");
    }

    [Theory]
    [InlineData("supply", "host", "partner")]
    [InlineData("logistics", "host", "partner")]
    [InlineData("traffic", "from", "to")]
    public void AllianceClause_BetweenAPlatformAndItself_IsRefusedAtTheSecondKey(string clause, string first, string second)
    {
        var s = Baseline();
        var a = new AllianceSpec { Members = ["jd", "kuaishou"], Start = new(2020, 5, 27) };
        switch (clause)
        {
            case "supply": a.Supply.Add(new SupplySharingSpec { Host = "jd", Partner = "jd", Share = 0.1 }); break;
            case "logistics": a.Logistics.Add(new LogisticsSharingSpec { Host = "jd", Partner = "jd", Share = 0.1 }); break;
            default: a.Traffic.Add(new TrafficSharingSpec { From = "jd", To = "jd", Share = 0.1 }); break;
        }
        s.Alliances["x"] = a;
        Refused(s, $"alliances.x.{clause}[0].{second}", $"expected a platform other than the {first} 'jd'");
    }

    private static CalibrationTargetSpec Target(string metric, string platform, string unit) => new()
    {
        Metric = metric,
        Platform = platform,
        Unit = unit,
        Date = new(2019, 12, 31),
        Value = 0.5,
        Tolerance = 0.1,
        PeriodStart = CalibrationMetric.IsFlow(metric) ? new DateOnly(2019, 1, 1) : null,
        Tiers = CalibrationMetric.IsTierShare(metric) ? ["t1"] : [],
    };

    private static void RefusedTarget(Scenario s, CalibrationTargetSpec target, string key, string message)
    {
        s.Calibration.Add(target);
        Refused(s, $"calibration[{s.Calibration.Count - 1}].{key}", message);
    }

    [Fact]
    public void Target_GoodOfEachMetric_IsAccepted()
    {
        var s = Baseline();
        // Without the baseline's own targets, some of which are these figures: the same figure twice is refused.
        s.Calibration.Clear();
        foreach (var metric in CalibrationMetric.All)
        {
            var t = Target(metric, metric is CalibrationMetric.OnlineShoppers ? "all" : "jd", CalibrationMetric.UnitOf(metric));
            if (metric == CalibrationMetric.Overlap) t.With = "pdd";
            s.Calibration.Add(t);
        }
        Assert.Empty(ScenarioValidator.Validate(s));
    }

    [Fact]
    public void Target_TheSameFigureTwice_IsRefusedAtTheSecond()
    {
        var s = Baseline();
        s.Calibration.Clear();
        s.Calibration.Add(Target(CalibrationMetric.UsersShare, "jd", "share"));
        var again = Target(CalibrationMetric.UsersShare, "jd", "share");
        again.Tiers = ["t1", "t1"];   // the same tiers as a set, listed twice
        s.Calibration.Add(again);
        var issues = ScenarioValidator.Validate(s);
        Assert.Contains(issues, i => i.Path == "calibration[1].tiers" && i.Message == "tier 't1' is listed twice");
        Assert.Contains(issues, i => i.Path == "calibration[1]" && i.Message.StartsWith("the same figure as target 1 (", StringComparison.Ordinal));
        Assert.DoesNotContain(issues, i => i.Path.StartsWith("calibration[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Target_WithAnUnknownMetric_IsRefusedWithTheListAndASuggestion()
    {
        var s = Baseline();
        s.Calibration.Add(Target("gmv_shares", "jd", "share"));
        var issue = Assert.Single(ScenarioValidator.Validate(s));
        Assert.Equal($"calibration[{s.Calibration.Count - 1}].metric", issue.Path);
        Assert.StartsWith($"expected one of: {string.Join(", ", CalibrationMetric.All)}, got 'gmv_shares'", issue.Message);
        Assert.Contains("'gmv_share'", issue.Message);
    }

    [Fact]
    public void Target_OfOnlineShoppersForOnePlatform_IsRefused() =>
        RefusedTarget(Baseline(), Target(CalibrationMetric.OnlineShoppers, "jd", "millions"), "platform",
            "online_shoppers counts all platforms together: expected 'all', got 'jd'");

    [Fact]
    public void Target_OfAOnePlatformMetricForAll_IsRefused_ButGmvForAllIsAccepted()
    {
        var s = Baseline();
        RefusedTarget(s, Target(CalibrationMetric.AnnualActive, "all", "millions"), "platform",
            $"annual_active is a figure of one platform: expected one of {string.Join(", ", s.Platforms.Keys)}, got 'all'");
        var s2 = Baseline();
        s2.Calibration.Add(Target(CalibrationMetric.Gmv, "all", "billion_yuan"));
        Assert.Empty(ScenarioValidator.Validate(s2));
    }

    [Fact]
    public void Target_OfOverlapWithItself_IsRefusedAtWith()
    {
        var t = Target(CalibrationMetric.Overlap, "jd", "share");
        t.With = "jd";
        RefusedTarget(Baseline(), t, "with", "expected a platform other than 'jd'");
    }

    [Fact]
    public void Target_OfATierShareOverEveryTier_IsRefusedAtTiers()
    {
        var s = Baseline();
        var t = Target(CalibrationMetric.UsersShare, "jd", "share");
        t.Tiers = [.. s.Tiers.Keys];
        RefusedTarget(s, t, "tiers", "users_share is the share of some tiers: expected a list of tiers that is not all of them");
        var none = Target(CalibrationMetric.GmvShare, "jd", "share");
        none.Tiers = [];
        RefusedTarget(s, none, "tiers", "gmv_share is the share of some tiers: expected a list of tiers that is not all of them");
    }

    [Fact]
    public void Target_OfALevelWithAPeriodStart_IsRefusedAtPeriodStart()
    {
        var t = Target(CalibrationMetric.AnnualActive, "jd", "millions");
        t.PeriodStart = new DateOnly(2019, 1, 1);
        RefusedTarget(Baseline(), t, "period_start", "annual_active is a level at a date: give only the date (period_end), not a period start");
    }

    [Fact]
    public void Target_InAnotherUnitThanItsMetrics_IsRefusedAtUnit() =>
        RefusedTarget(Baseline(), Target(CalibrationMetric.Gmv, "jd", "millions"), "unit",
            "gmv is given in billion_yuan: expected unit 'billion_yuan', got 'millions'");

    // The boundaries below are the closed ends of rules whose far side the tests above already refuse: Stryker's
    // re-score at ba92e58 left their `>` ↔ `>=` and formula mutants alive, since no test stood on the edge.

    [Theory]
    [InlineData(7, 10, "2999-10-23")]
    [InlineData(ScenarioValidator.MinStepDays, 30, "2999-10-03")]
    [InlineData(ScenarioValidator.MaxStepDays, 1, "2999-12-01")]
    public void CalendarEnd_AtTheLastAllowedDay_IsAccepted_AndOneDayLaterRefused(int stepDays, int steps, string lateStart)
    {
        // The calendar's end is start + steps × step_days (the day after its last simulated day), and may be
        // MaxDate itself: a start steps × step_days before 2999-12-31 fits, one day later does not.
        var s = Baseline();
        s.Calendar.StepDays = stepDays;
        s.Calendar.Steps = steps;
        s.Calendar.Start = ScenarioLimits.MaxDate.AddDays(-steps * stepDays);
        Accepted(s, "calendar.start");
        s.Calendar.Start = DateOnly.Parse(lateStart, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(ScenarioLimits.MaxDate.AddDays(1 - steps * stepDays), s.Calendar.Start);
        Refused(s, "calendar.start",
            $"the calendar would end after 2999-12-31 ({steps} steps of {stepDays} days from {lateStart}); expected an earlier start or fewer steps");
    }

    [Theory]
    [InlineData("01-01", true)]
    [InlineData("12-31", true)]
    [InlineData("02-29", true)] // held in leap years only
    [InlineData("04-30", true)]
    [InlineData("00-10", false)]
    [InlineData("13-01", false)]
    [InlineData("01-00", false)]
    [InlineData("04-31", false)]
    [InlineData("02-30", false)]
    public void FestivalAnnualDate_IsAMonthAndADayOfThatMonthInALeapYear(string annual, bool valid)
    {
        var s = Baseline();
        s.Calendar.Festivals["double_12"].Annual = annual;
        if (valid) Accepted(s, "calendar.festivals.double_12");
        else Refused(s, "calendar.festivals.double_12.annual", $"expected a month and day \"MM-DD\" such as \"11-11\", got '{annual}'");
    }

    [Fact]
    public void FollowerShares_AddingUpToExactlyOneInATier_AreAccepted_AndJustOverOneRefusedAtTheLargest()
    {
        var s = Baseline();
        s.Streamers["kuaishou_streamers"].FollowerShare["t3"] = 0.5;
        s.Streamers["douyin_streamers"].FollowerShare["t3"] = 0.25;
        s.Streamers["taobao_live"].FollowerShare["t3"] = 0.25;
        Accepted(s, "streamers");
        s.Streamers["douyin_streamers"].FollowerShare["t3"] = 0.2500001;
        Refused(s, "streamers.kuaishou_streamers.follower_share.t3",
            "follower shares in tier 't3' add up to 1.0000001 (kuaishou_streamers 0.5, douyin_streamers 0.2500001, taobao_live 0.25); " +
            "expected at most 1 (a consumer follows one streamer group)");
    }

    [Fact]
    public void AgentSlots_AgentsPlusTheCalendarsArrivals_AreBoundedAtTheAgents()
    {
        // 420 million people, 2 billion agents (4.76 per person) and seven years (365 weekly steps): 60 million new
        // shoppers a year in t1 arrive as 60e6 × 4.76 × 7 = 2 billion agents, exactly the room left under the
        // 4 billion slots. 0.1 % fewer fits; 0.1 % more is refused at the agents, since no tier alone is too many.
        var s = Baseline();
        s.Population.Agents = 2_000_000_000;
        s.Calendar.StepDays = 7;
        s.Calendar.Steps = 365;
        foreach (var t in s.Tiers.Values) (t.OnlineShoppersMillions, t.NewShoppersMillionsPerYear) = (70, 0);
        s.Tiers["t1"].NewShoppersMillionsPerYear = 60 * 0.999;
        Assert.DoesNotContain(ScenarioValidator.Validate(s), i => i.Message.Contains("agent slots", StringComparison.Ordinal));
        s.Tiers["t1"].NewShoppersMillionsPerYear = 60 * 1.001;
        Refused(s, "population.agents",
            "the starting agents and the arrivals over the calendar come to 4.002e9 agent slots; " +
            "at most 4,000,000,000 (fewer agents, fewer new shoppers or a shorter calendar)");
    }
}
