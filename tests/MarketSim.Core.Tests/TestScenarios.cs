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
                Name = TierIds[t], OnlineShoppersMillions = shoppers[t], NewShoppersMillionsPerYear = arrivals[t],
                IncomeIndex = 1.5 - 0.4 * t,
                FirstPlatformMix = new() { ["taobao"] = 0.5, ["jd"] = 0.2, ["pdd"] = 0.2, ["kuaishou"] = 0.1 },
            };
        AddPlatform(s, "taobao", 0.0, 1.0, 0.7, 0.95, 0.3, 0.2, [2, 3, 4], [0.95, 0.9, 0.8], [0.9, 0.85, 0.75]);
        AddPlatform(s, "jd", -0.3, 1.1, 0.9, 0.8, 0.1, 0.1, [1, 1.5, 2.5], [0.9, 0.7, 0.5], [0.7, 0.5, 0.35]);
        AddPlatform(s, "pdd", -0.2, 0.75, 0.45, 0.7, 0.2, 0.9, [3, 3.5, 4], [0.7, 0.85, 0.9], [0.45, 0.7, 0.75]);
        AddPlatform(s, "kuaishou", -1.0, 0.85, 0.4, 0.4, 0.9, 0.5, [4, 4.5, 5], [0.4, 0.6, 0.8], [0.05, 0.1, 0.15]);
        s.Streamers["kuaishou_live"] = new StreamerSpec
        {
            Platform = "kuaishou", FollowerShare = new() { ["t1"] = 0.05, ["t3"] = 0.15, ["t6"] = 0.25 },
            SessionsPerWeek = 3, Attendance = 0.3, Conversion = 0.03, Pull = 0.5,
        };
        return s;
    }

    public static Scenario WithAlliance(Scenario s, DateOnly start)
    {
        s.Calendar.Festivals["616"] = new FestivalSpec { Dates = [new DateOnly(2020, 6, 16)], LeadDays = 2, SpendMultiplier = 1.5 };
        s.Alliances["jd-kuaishou"] = new AllianceSpec
        {
            Name = "JD–Kuaishou", Members = ["jd", "kuaishou"], Start = start,
            Supply = [new SupplySharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.4, RampDays = 60 }],
            Logistics = [new LogisticsSharingSpec { Host = "kuaishou", Partner = "jd", Share = 0.5 }],
            Traffic = [new TrafficSharingSpec { From = "kuaishou", To = "jd", Share = 0.3, Tiers = ["t3", "t6"] }],
            CoPromotion = new CoPromotionSpec { Festivals = ["616", "618"], UtilityBoost = 0.5, SpendMultiplier = 1.3 },
        };
        return s;
    }

    private static void AddPlatform(Scenario s, string id, double brand, double price, double quality, double assortment,
        double content, double social, double[] delivery, double[] reach, double[] penetration)
    {
        var p = new PlatformSpec
        {
            Name = id, Brand = brand, PriceLevel = price, Quality = quality, Assortment = assortment, Content = content,
            Social = social, Color = "#336699",
        };
        for (int t = 0; t < TierIds.Length; t++)
        {
            p.DeliveryDays[TierIds[t]] = delivery[t];
            p.Reach[TierIds[t]] = reach[t];
            p.InitialPenetration[TierIds[t]] = penetration[t];
        }
        s.Platforms[id] = p;
    }
}
