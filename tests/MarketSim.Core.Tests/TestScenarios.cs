using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>Small scenarios built in code, so core tests do not depend on the file loader.</summary>
internal static class TestScenarios
{
    public static readonly string[] TierIds = ["t1", "t3", "t6"];

    public static Scenario Small(long agents = 30_000, int steps = 60, ulong seed = 7)
    {
        var s = new Scenario { Name = "small", Seed = seed };
        s.Calendar.Start = new DateOnly(2019, 1, 7);
        s.Calendar.Steps = steps;
        s.Calendar.Festivals["double_11"] = new FestivalSpec { Annual = "11-11", LeadDays = 10, SpendMultiplier = 2.5 };
        s.Calendar.Festivals["618"] = new FestivalSpec { Annual = "06-18", LeadDays = 17, SpendMultiplier = 1.8 };
        s.Population.Agents = agents;
        s.Population.CohortsPerTier = 256;
        double[] shoppers = [60, 150, 200];
        double[] arrivals = [1, 10, 25];
        for (int t = 0; t < TierIds.Length; t++)
            s.Tiers[TierIds[t]] = new TierSpec
            {
                Name = TierIds[t],
                OnlineShoppersMillions = shoppers[t],
                NewShoppersMillionsPerYear = arrivals[t],
                IncomeIndex = 1.5 - 0.4 * t,
                FirstPlatformMix = new() { ["taobao"] = 0.5, ["jd"] = 0.2, ["pdd"] = 0.2, ["kuaishou"] = 0.1 },
            };
        AddPlatform(s, "taobao", 0.0, 1.0, 0.7, 0.95, 0.3, 0.2, [2, 3, 4], [0.95, 0.9, 0.8], [0.9, 0.85, 0.75]);
        AddPlatform(s, "jd", -0.3, 1.1, 0.9, 0.8, 0.1, 0.1, [1, 1.5, 2.5], [0.9, 0.7, 0.5], [0.7, 0.5, 0.35]);
        AddPlatform(s, "pdd", -0.2, 0.75, 0.45, 0.7, 0.2, 0.9, [3, 3.5, 4], [0.7, 0.85, 0.9], [0.45, 0.7, 0.75]);
        AddPlatform(s, "kuaishou", -1.0, 0.85, 0.4, 0.4, 0.9, 0.5, [4, 4.5, 5], [0.4, 0.6, 0.8], [0.05, 0.1, 0.15]);
        s.Streamers["kuaishou_live"] = new StreamerSpec
        {
            Platform = "kuaishou",
            FollowerShare = new() { ["t1"] = 0.05, ["t3"] = 0.15, ["t6"] = 0.25 },
            SessionsPerWeek = 3,
            Attendance = 0.3,
            Conversion = 0.03,
            Pull = 0.5,
        };
        return s;
    }

    public static Scenario WithAlliance(Scenario s, DateOnly start)
    {
        s.Calendar.Festivals["616"] = new FestivalSpec { Dates = [new DateOnly(2020, 6, 16)], LeadDays = 2, SpendMultiplier = 1.5, WhatIf = true };
        s.Alliances["jd-kuaishou"] = new AllianceSpec
        {
            Name = "JD–Kuaishou",
            Members = ["jd", "kuaishou"],
            Start = start,
            Supply = [new SupplySharingSpec { Host = "kuaishou", Partner = "jd", Streamers = ["kuaishou_live"], Share = 0.4, RampDays = 60 }],
            Logistics = [new LogisticsSharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.5 }],
            Traffic = [new TrafficSharingSpec { From = "kuaishou", To = "jd", Share = 0.3, Tiers = ["t3", "t6"] }],
            CoPromotion = new CoPromotionSpec { Festivals = ["616", "618"], Years = [2020], UtilityBoost = 0.5, SpendMultiplier = 1.3 },
            Launch = new LaunchSpec { Festivals = ["616"], Source = "the test's own launch" },
        };
        return s;
    }

    public static readonly string[] FlatTierIds = ["t1", "t2"];

    /// <summary>
    /// Two tiers, three platforms (a, b, c), every trait constant: each table entry then follows from the scenario's
    /// numbers alone, so a test can compute what a mechanism should give with a pencil.
    /// </summary>
    public static Scenario Flat(long agents = 10_000, int steps = 60, int stepDays = 7, ulong seed = 11)
    {
        var s = new Scenario { Name = "flat", Seed = seed };
        s.Calendar.Start = new DateOnly(2019, 1, 7);   // a Monday
        s.Calendar.StepDays = stepDays;
        s.Calendar.Steps = steps;
        s.Population.Agents = agents;
        s.Population.CohortsPerTier = 16;
        // Weights distinct from each other, so that a term using another's weight shows.
        s.Behaviour.AssortmentWeight = 1.3;
        s.Behaviour.SocialWeight = 1.7;
        s.Behaviour.WordOfMouth = 2.4;
        var tr = s.Population.Traits;
        tr.PriceSensitivity = Constant(2.0);
        tr.QualitySensitivity = Constant(1.5);
        tr.ContentAffinity = Constant(0.4);
        tr.SocialPropensity = Constant(0.3);
        tr.OrderValueYuan = Constant(100);
        tr.OrdersPerWeek = Constant(1.25);
        double[] shoppers = [40, 60], arrivals = [2, 6], income = [1.5, 0.8];
        for (int t = 0; t < FlatTierIds.Length; t++)
            s.Tiers[FlatTierIds[t]] = new TierSpec
            {
                Name = FlatTierIds[t],
                OnlineShoppersMillions = shoppers[t],
                NewShoppersMillionsPerYear = arrivals[t],
                IncomeIndex = income[t],
                FirstPlatformMix = new() { ["a"] = 0.5, ["b"] = 0.3, ["c"] = 0.2 },
            };
        AddPlatform(s, FlatTierIds, "a", 0.2, 1.0, 0.8, 0.9, 0.1, 0.2, [2, 3], [0.9, 0.8], [0.8, 0.7]);
        AddPlatform(s, FlatTierIds, "b", -0.1, 1.2, 0.6, 0.5, 0.6, 0.3, [3, 5], [0.7, 0.6], [0.4, 0.3]);
        AddPlatform(s, FlatTierIds, "c", 0.0, 0.8, 0.4, 0.3, 0.9, 0.8, [4, 6], [0.5, 0.7], [0.2, 0.4]);
        s.Platforms["b"].Subsidy = 0.1;
        s.Streamers["live"] = new StreamerSpec
        {
            Platform = "c",
            FollowerShare = new() { ["t1"] = 0.5, ["t2"] = 0.5 },
            SessionsPerWeek = 3,
            Attendance = 0.4,
            Conversion = 0.05,
            Pull = 0.7,
        };
        return s;
    }

    public static DistributionSpec Constant(double value) => new() { Distribution = "constant", Value = value };

    private static void AddPlatform(Scenario s, string id, double brand, double price, double quality, double assortment,
        double content, double social, double[] delivery, double[] reach, double[] penetration) =>
        AddPlatform(s, TierIds, id, brand, price, quality, assortment, content, social, delivery, reach, penetration);

    private static void AddPlatform(Scenario s, string[] tierIds, string id, double brand, double price, double quality, double assortment,
        double content, double social, double[] delivery, double[] reach, double[] penetration)
    {
        var p = new PlatformSpec
        {
            Name = id,
            Brand = brand,
            PriceLevel = price,
            Quality = quality,
            Assortment = assortment,
            Content = content,
            Social = social,
            Color = "#336699",
        };
        for (int t = 0; t < tierIds.Length; t++)
        {
            p.DeliveryDays[tierIds[t]] = delivery[t];
            p.Reach[tierIds[t]] = reach[t];
            p.InitialPenetration[tierIds[t]] = penetration[t];
        }
        s.Platforms[id] = p;
    }
}
