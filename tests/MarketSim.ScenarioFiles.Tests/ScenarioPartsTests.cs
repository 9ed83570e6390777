using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// The parts of a scenario that attribution switches off (<see cref="ScenarioClauses"/>), the dated changes charts
/// mark and reports describe (<see cref="ScenarioMilestones"/>), and the attribute registry: pure functions of a
/// scenario, checked on the shipped files and on small scenarios built in code whose answers can be read off.
/// </summary>
public sealed class ScenarioPartsTests
{

    private const string Ally = "alliances.jd-kuaishou";

    [Fact]
    public void AddedClauses_OfTheAllianceScenario_AreItsFiveClausesInOrder()
    {
        var alliance = LoadedScenarios.Alliance();
        var baseline = LoadedScenarios.Baseline();
        Assert.Equal([Ally + ".supply", Ally + ".logistics", Ally + ".traffic", Ally + ".co_promotion", Ally + ".launch"],
            ScenarioClauses.AddedClauses(alliance, baseline));
        // Against itself nothing is added.
        Assert.Empty(ScenarioClauses.AddedClauses(alliance, alliance));
    }

    [Fact]
    public void AddedClauses_ListOnlyNonEmptyClauses_ThenNewInterventions()
    {
        var alliance = LoadedScenarios.Alliance();
        var baseline = LoadedScenarios.Baseline();
        var a = alliance.Alliances["jd-kuaishou"];
        a.Supply.Clear();
        a.CoPromotion = null;
        a.Launch = null;
        alliance.Interventions["extra"] = new InterventionSpec { Platform = "jd", Attribute = "quality", Add = 0.1, Start = new(2020, 1, 1) };
        baseline.Interventions.Remove("jd_jingxi");
        Assert.Equal([Ally + ".logistics", Ally + ".traffic", "interventions.jd_jingxi", "interventions.extra"],
            ScenarioClauses.AddedClauses(alliance, baseline));
        a.Logistics.Clear();
        a.Traffic.Clear();
        Assert.Equal(["interventions.jd_jingxi", "interventions.extra"], ScenarioClauses.AddedClauses(alliance, baseline));
    }

    [Fact]
    public void AddedClauses_AndExplain_RefuseNull()
    {
        var s = LoadedScenarios.Baseline();
        Assert.Throws<ArgumentNullException>(() => ScenarioClauses.AddedClauses(null!, s));
        Assert.Throws<ArgumentNullException>(() => ScenarioClauses.AddedClauses(s, null!));
        Assert.Throws<ArgumentNullException>(() => ScenarioClauses.Explain(null!, "interventions.jd_jingxi"));
        Assert.Throws<ArgumentNullException>(() => ScenarioClauses.Explain(s, null!));
        Assert.Throws<ArgumentNullException>(() => ScenarioMilestones.Of(null!));
        Assert.Throws<ArgumentNullException>(() => ScenarioMilestones.Describe(null!));
        Assert.Throws<ArgumentNullException>(() => ScenarioMilestones.CoPromotionWindows(null!, new AllianceSpec()));
        Assert.Throws<ArgumentNullException>(() => ScenarioMilestones.CoPromotionWindows(s, null!));
        Assert.Throws<ArgumentNullException>(() => ScenarioMilestones.CoPromoted(null!, new AllianceSpec(), 2019, 2020));
        Assert.Throws<ArgumentNullException>(() => ScenarioMilestones.CoPromoted(s, null!, 2019, 2020));
    }

    [Theory]
    [InlineData("interventions.jd_jingxi")]
    [InlineData(Ally)]
    [InlineData(Ally + ".supply")]
    [InlineData(Ally + ".logistics")]
    [InlineData(Ally + ".traffic")]
    [InlineData(Ally + ".co_promotion")]
    public void Explain_APartTheScenarioHas_IsNull(string path) => Assert.Null(ScenarioClauses.Explain(LoadedScenarios.Alliance(), path));

    [Theory]
    [InlineData("interventions.jd_jingx", "the scenario has no intervention 'jd_jingx'", "jd_jingxi")]
    [InlineData("alliances.jd-kuaishu", "the scenario has no alliance 'jd-kuaishu'", "jd-kuaishou")]
    [InlineData(Ally + ".suply", "an alliance's clauses are supply, logistics, traffic, co_promotion, launch; found 'suply'", "'supply'")]
    [InlineData("scenario.jd", "expected alliances.ID, alliances.ID.{supply|logistics|traffic|co_promotion|launch} or interventions.ID, found 'scenario.jd'", null)]
    [InlineData(Ally + ".supply.share", "expected alliances.ID, alliances.ID.{supply|logistics|traffic|co_promotion|launch} or interventions.ID, found 'alliances.jd-kuaishou.supply.share'", null)]
    [InlineData("interventions.jd_jingxi.add", "expected alliances.ID, alliances.ID.{supply|logistics|traffic|co_promotion|launch} or interventions.ID, found 'interventions.jd_jingxi.add'", null)]
    [InlineData("alliances", "expected alliances.ID, alliances.ID.{supply|logistics|traffic|co_promotion|launch} or interventions.ID, found 'alliances'", null)]
    public void Explain_APathThatNamesNoPart_SaysWhy(string path, string start, string? suggestion)
    {
        string? why = ScenarioClauses.Explain(LoadedScenarios.Alliance(), path);
        Assert.NotNull(why);
        Assert.StartsWith(start, why);
        if (suggestion is null) Assert.Equal(start, why);
        else Assert.Contains(suggestion, why[start.Length..]);
    }

    [Theory]
    [InlineData("supply")]
    [InlineData("logistics")]
    [InlineData("traffic")]
    [InlineData("co_promotion")]
    public void ClauseSwitchedOff_IsThatClauseAlone_AndThenExplainedAsAbsent(string clause)
    {
        var s = LoadedScenarios.Alliance();
        ScenarioClauses.SwitchOff(s, $"{Ally}.{clause}");
        var a = s.Alliances["jd-kuaishou"];
        Assert.Equal(clause != "supply", a.Supply.Count > 0);
        Assert.Equal(clause != "logistics", a.Logistics.Count > 0);
        Assert.Equal(clause != "traffic", a.Traffic.Count > 0);
        Assert.Equal(clause != "co_promotion", a.CoPromotion is not null);
        Assert.Equal($"alliance 'jd-kuaishou' has no {clause} clause", ScenarioClauses.Explain(s, $"{Ally}.{clause}"));
        // Switching it off again is refused with that reason, and changes nothing.
        var e = Assert.Throws<ArgumentException>(() => ScenarioClauses.SwitchOff(s, $"{Ally}.{clause}"));
        Assert.StartsWith($"alliance 'jd-kuaishou' has no {clause} clause", e.Message);
        Assert.All(ScenarioClauses.AllianceClauseKeys.Where(k => k != clause), k => Assert.Null(ScenarioClauses.Explain(s, $"{Ally}.{k}")));
    }

    [Fact]
    public void WholeAllianceOrIntervention_SwitchedOff_IsRemovedAndNothingElse()
    {
        var s = LoadedScenarios.Alliance();
        int interventions = s.Interventions.Count;
        ScenarioClauses.SwitchOff(s, Ally);
        Assert.Empty(s.Alliances);
        Assert.Equal(interventions, s.Interventions.Count);
        ScenarioClauses.SwitchOff(s, "interventions.jd_jingxi");
        Assert.False(s.Interventions.ContainsKey("jd_jingxi"));
        Assert.Equal(interventions - 1, s.Interventions.Count);
        Assert.Throws<ArgumentException>(() => ScenarioClauses.SwitchOff(s, "interventions.jd_jingxi"));
        Assert.Equal(interventions - 1, s.Interventions.Count);
    }

    /// <summary>
    /// A ten-week run from Monday 6 January 2020 (last day 15 March) on the baseline's platforms, with no festivals,
    /// alliances or interventions but those a test adds.
    /// </summary>
    private static Scenario Small()
    {
        var s = LoadedScenarios.Baseline();
        s.Calendar.Start = new(2020, 1, 6);
        s.Calendar.Steps = 10;
        s.Calendar.StepDays = 7;
        s.Calendar.Festivals.Clear();
        s.Alliances.Clear();
        s.Interventions.Clear();
        return s;
    }

    private static InterventionSpec Iv(string platform, DateOnly start, double multiply = 1, double add = 0) =>
        new() { Platform = platform, Attribute = "delivery_days", Start = start, Multiply = multiply, Add = add };

    [Fact]
    public void Milestones_AreTheChangesAfterTheFirstDayAndWithinTheRun_InDateOrder()
    {
        var s = Small();
        s.Interventions["on_first_day"] = Iv("jd", new(2020, 1, 6), add: 1);
        s.Interventions["last_day"] = Iv("pdd", new(2020, 3, 15), add: -0.25);
        s.Interventions["after"] = Iv("jd", new(2020, 3, 16), add: 1);
        s.Interventions["inside"] = Iv("taobao", new(2020, 2, 1), multiply: 0.8);
        s.Alliances["al"] = new AllianceSpec { Members = ["jd", "kuaishou"], Start = new(2020, 2, 10), End = new(2020, 3, 1) };
        s.Alliances["before"] = new AllianceSpec { Name = "Early", Members = ["jd", "pdd"], Start = new(2019, 12, 1), End = new(2020, 1, 20) };

        Assert.Equal(
            [
                (new DateOnly(2020, 1, 20), "Early ends"),
                (new DateOnly(2020, 2, 1), "Taobao/Tmall: faster delivery"),
                (new DateOnly(2020, 2, 10), "al starts"),
                (new DateOnly(2020, 3, 1), "al ends"),
                (new DateOnly(2020, 3, 15), "Pinduoduo: faster delivery"),
            ],
            ScenarioMilestones.Of(s));
    }

    [Fact]
    public void Milestones_MarkACoPromotionWhereItStartsToAct()
    {
        var s = Small();
        s.Calendar.Festivals["late"] = new FestivalSpec { Name = "Late Fair", Annual = "02-20", LeadDays = 5 };
        s.Calendar.Festivals["early"] = new FestivalSpec { Dates = [new(2020, 2, 12)], LeadDays = 5 };
        s.Alliances["al"] = new AllianceSpec
        {
            Name = "Pact",
            Members = ["jd", "kuaishou"],
            Start = new(2020, 2, 10),
            CoPromotion = new CoPromotionSpec { Festivals = ["late", "early", "late", "missing"], EveryOccurrence = true },
        };
        // "early" opens on 7 February, before the alliance: it acts from the alliance's start. Its name is its id.
        // The festival listed twice is marked once; the unknown one is skipped.
        Assert.Equal(
            [
                (new DateOnly(2020, 2, 10), "Pact starts"),
                (new DateOnly(2020, 2, 10), "early co-promotion"),
                (new DateOnly(2020, 2, 15), "Late Fair co-promotion"),
            ],
            ScenarioMilestones.Of(s));
    }

    [Fact]
    public void CoPromoted_SelectsOccurrencesInTheYearsAndTheAlliancesPeriod_OrderedByWindow()
    {
        var s = Small();
        s.Calendar.Festivals["f618"] = new FestivalSpec { Name = "618", Annual = "06-18", LeadDays = 17 };
        s.Calendar.Festivals["d11"] = new FestivalSpec { Name = "Double 11", Annual = "11-11", LeadDays = 10 };
        var a = new AllianceSpec
        {
            Members = ["jd", "kuaishou"],
            Start = new(2019, 6, 18),
            End = new(2021, 6, 1),
            CoPromotion = new CoPromotionSpec { Festivals = ["d11", "f618"], EveryOccurrence = true },
        };
        var occurrences = ScenarioMilestones.CoPromoted(s, a, 2018, 2022);
        // 618 of 2018 is before the start; 618 of 2019 is on it; 618 of 2021's window opens on 1 June, the end day.
        Assert.Equal(
            [
                new FestivalOccurrence("f618", "618", new(2019, 6, 18), new(2019, 6, 1)),
                new FestivalOccurrence("d11", "Double 11", new(2019, 11, 11), new(2019, 11, 1)),
                new FestivalOccurrence("f618", "618", new(2020, 6, 18), new(2020, 6, 1)),
                new FestivalOccurrence("d11", "Double 11", new(2020, 11, 11), new(2020, 11, 1)),
                new FestivalOccurrence("f618", "618", new(2021, 6, 18), new(2021, 6, 1)),
            ],
            occurrences);
        // Years bound the search; a selection by year keeps its years only.
        Assert.Equal([new(2020, 6, 18), new(2020, 11, 11)], ScenarioMilestones.CoPromoted(s, a, 2020, 2020).Select(o => o.Day));
        a.CoPromotion.EveryOccurrence = false;
        a.CoPromotion.Years = [2020];
        Assert.Equal([new(2020, 6, 18), new(2020, 11, 11)], ScenarioMilestones.CoPromoted(s, a, 2018, 2022).Select(o => o.Day));
        a.CoPromotion.Years = [];
        a.CoPromotion.Dates = [new(2019, 11, 11)];
        Assert.Equal([new(2019, 11, 11)], ScenarioMilestones.CoPromoted(s, a, 2018, 2022).Select(o => o.Day));
        // Without a co-promotion there is nothing.
        a.CoPromotion = null;
        Assert.Empty(ScenarioMilestones.CoPromoted(s, a, 2018, 2022));
    }

    [Fact]
    public void CoPromotionWindows_AreTheOccurrencesWhoseDayIsInTheRunOrWhoseWindowOpensInIt()
    {
        var s = Small(); // 6 January to 15 March 2020
        s.Calendar.Festivals["jan"] = new FestivalSpec { Dates = [new(2020, 1, 5), new(2020, 1, 6)], LeadDays = 3 };
        s.Calendar.Festivals["mar"] = new FestivalSpec { Dates = [new(2020, 3, 20), new(2020, 3, 25)], LeadDays = 5 };
        var a = new AllianceSpec
        {
            Members = ["jd", "kuaishou"],
            Start = new(2019, 1, 1),
            CoPromotion = new CoPromotionSpec { Festivals = ["jan", "mar"], EveryOccurrence = true },
        };
        // 5 January is before the run's first day; 25 March's window opens on 20 March, after its last day.
        Assert.Equal([new(2020, 1, 6), new(2020, 3, 20)], ScenarioMilestones.CoPromotionWindows(s, a).Select(o => o.Day));
    }

    [Fact]
    public void Describe_SaysWhatAnInterventionDoesInWords()
    {
        var iv = new InterventionSpec
        {
            Platform = "jd",
            Attribute = "delivery_days",
            Multiply = 0.8,
            Add = 0.1,
            Tiers = ["t3", "t4"],
            Start = new(2019, 9, 19),
            End = new(2020, 3, 1),
            RampDays = 180,
        };
        Assert.Equal("delivery days ×0.8 +0.1 in t3, t4 from 19 Sep 2019 to 1 Mar 2020, ramped over 180 days", ScenarioMilestones.Describe(iv));
        // Chart labels say what happens in plain words (issue 29: "JD.com reach +0.554" was parameter jargon); a change
        // whose multiplier and addition pull opposite ways has no direction to name.
        Assert.Equal("JD: delivery days changed (t3, t4)", ScenarioMilestones.Label(iv, "JD"));
        Assert.Equal("JD: wider marketing reach (t3\u2013t6)",
            ScenarioMilestones.Label(new InterventionSpec { Attribute = "reach", Add = 0.554, Tiers = ["t3", "t4", "t5", "t6"] }, "JD"));
        Assert.Equal("JD: lower prices", ScenarioMilestones.Label(new InterventionSpec { Attribute = "price_level", Multiply = 0.9 }, "JD"));
        iv.Multiply = 1;
        iv.Add = 0;
        iv.Tiers.Clear();
        iv.End = null;
        iv.RampDays = 0;
        Assert.Equal("delivery days unchanged from 19 Sep 2019", ScenarioMilestones.Describe(iv));
        iv.Add = -0.12345;
        Assert.Equal("delivery days \u22120.123 from 19 Sep 2019", ScenarioMilestones.Describe(iv));
    }

    [Fact]
    public void PlatformName_IsTheDisplayNameOrTheId()
    {
        var s = LoadedScenarios.Baseline();
        Assert.Equal("Pinduoduo", ScenarioMilestones.PlatformName(s, "pdd"));
        Assert.Equal("nowhere", ScenarioMilestones.PlatformName(s, "nowhere"));
        s.Platforms["pdd"].Name = "";
        Assert.Equal("pdd", ScenarioMilestones.PlatformName(s, "pdd"));
    }

    [Fact]
    public void Attributes_AreIndexedByPosition_PerTierWhereTheScenarioGivesTiers_AndClampToTheirRange()
    {
        for (int i = 0; i < PlatformAttribute.All.Count; i++) Assert.Equal(i, PlatformAttribute.All[i].Index);
        Assert.Equal(["delivery_days", "reach"], PlatformAttribute.All.Where(a => a.PerTier).Select(a => a.Key));
        var basket = PlatformAttribute.Find("basket")!;
        Assert.Equal((0.01, 5.0, 1.0), (basket.Clamp(0), basket.Clamp(7), basket.Clamp(1)));
        Assert.Null(PlatformAttribute.Find("bascket"));
    }

    [Fact]
    public void Issue_ReadsAsPathColonMessage() =>
        Assert.Equal("platforms.jd.quality: expected a number in [0, 1], got 2", new ScenarioIssue("platforms.jd.quality", "expected a number in [0, 1], got 2").ToString());
}
