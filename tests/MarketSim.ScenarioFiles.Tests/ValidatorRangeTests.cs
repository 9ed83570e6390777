using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Every numeric range the validator enforces, value by value: at each end that is part of the range the value is
/// accepted, just outside it is refused at the value's own path with the range in words. A range check left out, or
/// one that reports under another key, or an end moved by a comparison's off-by-one, fails here (Stryker found most of
/// these checks untested: removing any one of them changed no test's outcome).
/// </summary>
public sealed class ValidatorRangeTests
{
    /// <summary>A value of the shipped baseline (or, for alliance clauses, the alliance scenario) and the range it must be in.</summary>
    public sealed record Case(string Path, Action<Scenario, double> Set, double Lo, double Hi, bool LoOpen = false, bool Whole = false, bool Alliance = false)
    {
        public override string ToString() => Path;
    }

    private static readonly double Inf = double.PositiveInfinity;

    public static readonly Case[] Cases =
    [
        new("behaviour.attention", (s, v) => s.Behaviour.Attention = v, 0, 1),
        new("behaviour.dissatisfied_attention", (s, v) => s.Behaviour.DissatisfiedAttention = v, 0, 1),
        new("behaviour.inertia", (s, v) => s.Behaviour.Inertia = v, 0, 50),
        new("behaviour.switching_cost", (s, v) => s.Behaviour.SwitchingCost = v, 0, 50),
        new("behaviour.word_of_mouth", (s, v) => s.Behaviour.WordOfMouth = v, 0, 50),
        new("behaviour.delivery_weight", (s, v) => s.Behaviour.DeliveryWeight = v, 0, 50),
        new("behaviour.assortment_weight", (s, v) => s.Behaviour.AssortmentWeight = v, 0, 50),
        new("behaviour.content_weight", (s, v) => s.Behaviour.ContentWeight = v, 0, 50),
        new("behaviour.social_weight", (s, v) => s.Behaviour.SocialWeight = v, 0, 50),
        new("behaviour.adopt_as_primary", (s, v) => s.Behaviour.AdoptAsPrimary = v, 0, 1),
        new("behaviour.arrival_multihoming", (s, v) => s.Behaviour.ArrivalMultihoming = v, 0, 1),
        new("behaviour.primary_order_share", (s, v) => s.Behaviour.PrimaryOrderShare = v, 0, 1),
        new("behaviour.satisfaction_learning", (s, v) => s.Behaviour.SatisfactionLearning = v, 0, 1),
        new("behaviour.delivery_tolerance_days", (s, v) => s.Behaviour.DeliveryToleranceDays = v, 0, Inf, LoOpen: true),
        new("behaviour.initial_sorting", (s, v) => s.Behaviour.InitialSorting = v, 0, 10),
        new("behaviour.inactivity_weeks", (s, v) => s.Behaviour.InactivityWeeks = (int)v, 52, 250, Whole: true),
        new("calendar.burn_in_steps", (s, v) => s.Calendar.BurnInSteps = (int)v, 0, 1040, Whole: true),
        new("calendar.festivals.618.lead_days", (s, v) => s.Calendar.Festivals["618"].LeadDays = (int)v, 0, 60, Whole: true),
        new("calendar.festivals.618.spend_multiplier", (s, v) => s.Calendar.Festivals["618"].SpendMultiplier = v, 0, 20),
        new("calendar.festivals.618.attention_multiplier", (s, v) => s.Calendar.Festivals["618"].AttentionMultiplier = v, 0, 20),
        new("tiers.t1.online_shoppers_millions", (s, v) => s.Tiers["t1"].OnlineShoppersMillions = v, 0, Inf, LoOpen: true),
        new("tiers.t1.new_shoppers_millions_per_year", (s, v) => s.Tiers["t1"].NewShoppersMillionsPerYear = v, 0, Inf),
        new("tiers.t1.income_index", (s, v) => s.Tiers["t1"].IncomeIndex = v, 0, 10, LoOpen: true),
        new("tiers.t1.first_platform_mix.jd", (s, v) => s.Tiers["t1"].FirstPlatformMix["jd"] = v, 0, 1),
        new("platforms.jd.quality", (s, v) => s.Platforms["jd"].Quality = v, 0, 1),
        new("platforms.jd.price_level", (s, v) => s.Platforms["jd"].PriceLevel = v, 0, 10, LoOpen: true),
        new("platforms.jd.accounts_per_user", (s, v) => s.Platforms["jd"].AccountsPerUser = v, 1, 5),
        new("platforms.jd.delivery_days.t1", (s, v) => s.Platforms["jd"].DeliveryDays["t1"] = v, 0, 60, LoOpen: true),
        new("platforms.jd.reach.t1", (s, v) => s.Platforms["jd"].Reach["t1"] = v, 0, 1),
        new("platforms.jd.initial_penetration.t1", (s, v) => s.Platforms["jd"].InitialPenetration["t1"] = v, 0, 1),
        new("population.cohorts_per_tier", (s, v) => s.Population.CohortsPerTier = (int)v, 1, ScenarioLimits.MaxCohortsPerTier, Whole: true),
        new("population.traits.price_sensitivity.sigma", (s, v) => s.Population.Traits.PriceSensitivity.Sigma = v, 0, Inf, LoOpen: true),
        new("population.traits.orders_per_week.shape", (s, v) => s.Population.Traits.OrdersPerWeek = new() { Distribution = "gamma", Shape = v, Rate = 2 }, 0, Inf, LoOpen: true),
        new("population.traits.orders_per_week.rate", (s, v) => s.Population.Traits.OrdersPerWeek = new() { Distribution = "gamma", Shape = 2.5, Rate = v }, 0, Inf, LoOpen: true),
        new("population.traits.content_affinity.a", (s, v) => s.Population.Traits.ContentAffinity = new() { Distribution = "beta", A = v, B = 3 }, 0, Inf, LoOpen: true),
        new("population.traits.content_affinity.b", (s, v) => s.Population.Traits.ContentAffinity = new() { Distribution = "beta", A = 2, B = v }, 0, Inf, LoOpen: true),
        new("streamers.kuaishou_streamers.sessions_per_week", (s, v) => s.Streamers["kuaishou_streamers"].SessionsPerWeek = v, 0, 100),
        new("streamers.kuaishou_streamers.attendance", (s, v) => s.Streamers["kuaishou_streamers"].Attendance = v, 0, 1),
        new("streamers.kuaishou_streamers.conversion", (s, v) => s.Streamers["kuaishou_streamers"].Conversion = v, 0, 1),
        new("streamers.kuaishou_streamers.pull", (s, v) => s.Streamers["kuaishou_streamers"].Pull = v, 0, 50),
        new("interventions.jd_jingxi.ramp_days", (s, v) => s.Interventions["jd_jingxi"].RampDays = (int)v, 0, int.MaxValue, Whole: true),
        new("interventions.jd_jingxi.multiply", (s, v) => s.Interventions["jd_jingxi"].Multiply = v, 0, Inf),
        new("alliances.jd-kuaishou.supply[0].share", (s, v) => s.Alliances["jd-kuaishou"].Supply[0].Share = v, 0, 1, Alliance: true),
        new("alliances.jd-kuaishou.supply[0].ramp_days", (s, v) => s.Alliances["jd-kuaishou"].Supply[0].RampDays = (int)v, 0, int.MaxValue, Whole: true, Alliance: true),
        new("alliances.jd-kuaishou.logistics[0].share", (s, v) => s.Alliances["jd-kuaishou"].Logistics[0].Share = v, 0, 1, Alliance: true),
        new("alliances.jd-kuaishou.logistics[0].own_goods_share", (s, v) => s.Alliances["jd-kuaishou"].Logistics[0].OwnGoodsShare = v, 0, 1, Alliance: true),
        new("alliances.jd-kuaishou.logistics[0].ramp_days", (s, v) => s.Alliances["jd-kuaishou"].Logistics[0].RampDays = (int)v, 0, int.MaxValue, Whole: true, Alliance: true),
        new("alliances.jd-kuaishou.traffic[0].share", (s, v) => s.Alliances["jd-kuaishou"].Traffic[0].Share = v, 0, 1, Alliance: true),
        new("alliances.jd-kuaishou.traffic[0].ramp_days", (s, v) => s.Alliances["jd-kuaishou"].Traffic[0].RampDays = (int)v, 0, int.MaxValue, Whole: true, Alliance: true),
        new("alliances.jd-kuaishou.co_promotion.utility_boost", (s, v) => s.Alliances["jd-kuaishou"].CoPromotion!.UtilityBoost = v, 0, 50, Alliance: true),
        new("alliances.jd-kuaishou.co_promotion.spend_multiplier", (s, v) => s.Alliances["jd-kuaishou"].CoPromotion!.SpendMultiplier = v, 0, 20, Alliance: true),
        new("calibration[0].value", (s, v) => s.Calibration[0].Value = v, 0, Inf, LoOpen: true),
        new("calibration[0].tolerance", (s, v) => s.Calibration[0].Tolerance = v, 0, 1, LoOpen: true),
        new("calibration[0].weight", (s, v) => s.Calibration[0].Weight = v, 0, 1e6),
    ];

    public static TheoryData<Case> All => [.. Cases];

    private static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string Expected(Case c) => c.Whole
        ? (c.Hi == int.MaxValue ? $"expected a whole number ≥ {F(c.Lo)}" : $"expected a whole number in [{F(c.Lo)}, {F(c.Hi)}]")
        : double.IsPositiveInfinity(c.Hi)
            ? $"expected a number {(c.LoOpen ? ">" : "≥")} {F(c.Lo)}"
            : $"expected a number in {(c.LoOpen ? '(' : '[')}{F(c.Lo)}, {F(c.Hi)}]";

    private static IReadOnlyList<ScenarioIssue> IssuesWith(Case c, double value)
    {
        var s = c.Alliance ? LoadedScenarios.Alliance() : LoadedScenarios.Baseline();
        c.Set(s, value);
        return ScenarioValidator.Validate(s).Where(i => i.Path == c.Path).ToList();
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Value_AtAnEndOfItsRange_IsAccepted(Case c)
    {
        if (!c.LoOpen) Assert.Empty(IssuesWith(c, c.Lo));
        if (!double.IsPositiveInfinity(c.Hi) && c.Hi != int.MaxValue) Assert.Empty(IssuesWith(c, c.Hi));
        // Inside an open end: the smallest step a person would write.
        if (c.LoOpen) Assert.Empty(IssuesWith(c, c.Lo + (c.Whole ? 1 : 0.001)));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Value_JustOutsideItsRange_IsRefusedAtItsPathWithTheRange(Case c)
    {
        double below = c.LoOpen ? c.Lo : c.Lo - (c.Whole ? 1 : 0.5);
        var low = Assert.Single(IssuesWith(c, below));
        Assert.Equal($"{Expected(c)}, got {F(below)}", low.Message);
        if (double.IsPositiveInfinity(c.Hi) || c.Hi == int.MaxValue) return;
        double above = c.Hi + (c.Whole ? 1 : 0.5);
        var high = Assert.Single(IssuesWith(c, above));
        Assert.Equal($"{Expected(c)}, got {F(above)}", high.Message);
    }

    [Theory]
    [InlineData("interventions.jd_jingxi.tiers[0]", "tier", "t9")]
    [InlineData("alliances.jd-kuaishou.traffic[0].tiers[0]", "tier", "t9")]
    [InlineData("alliances.jd-kuaishou.logistics[0].tiers[0]", "tier", "t9")]
    [InlineData("calibration[0].tiers", "tier", "t9")]
    [InlineData("streamers.kuaishou_streamers.platform", "platform", "kuaishuo")]
    public void Reference_ToAnUnknownTierOrPlatform_IsRefusedWithWhatIsKnown(string path, string kind, string value)
    {
        var s = path.StartsWith("alliances", StringComparison.Ordinal) ? LoadedScenarios.Alliance() : LoadedScenarios.Baseline();
        switch (path)
        {
            case "interventions.jd_jingxi.tiers[0]": s.Interventions["jd_jingxi"].Tiers[0] = value; break;
            case "alliances.jd-kuaishou.traffic[0].tiers[0]": s.Alliances["jd-kuaishou"].Traffic[0].Tiers[0] = value; break;
            case "alliances.jd-kuaishou.logistics[0].tiers[0]": s.Alliances["jd-kuaishou"].Logistics[0].Tiers = [value]; break;
            case "calibration[0].tiers": s.Calibration[0].Tiers = [value]; break;
            default: s.Streamers["kuaishou_streamers"].Platform = value; break;
        }
        string known = kind == "tier" ? string.Join(", ", s.Tiers.Keys) : string.Join(", ", s.Platforms.Keys);
        var issue = Assert.Single(ScenarioValidator.Validate(s), i => i.Path == path);
        Assert.StartsWith($"unknown {kind} '{value}'; known: {known}", issue.Message);
    }
}
