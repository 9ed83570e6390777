using System.Globalization;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 3: lunar-calendar festivals computed for any year, and a warning when a hand-listed festival's dates
/// end before the run does (extending a run to 2023 used to drop the Spring Festival slump silently).
/// </summary>
public class LunarFestivalTests
{
    /// <summary>
    /// Spring Festival (lunar 01-01) 2000–2050, from the Hong Kong Observatory's Gregorian–Lunar Calendar Conversion
    /// Tables (https://www.hko.gov.hk/en/gts/time/conversion.htm), written out here independently of the code.
    /// </summary>
    private static readonly string[] SpringFestival2000To2050 =
    [
        "2000-02-05", "2001-01-24", "2002-02-12", "2003-02-01", "2004-01-22", "2005-02-09", "2006-01-29", "2007-02-18",
        "2008-02-07", "2009-01-26", "2010-02-14", "2011-02-03", "2012-01-23", "2013-02-10", "2014-01-31", "2015-02-19",
        "2016-02-08", "2017-01-28", "2018-02-16", "2019-02-05", "2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22",
        "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03", "2031-01-23",
        "2032-02-11", "2033-01-31", "2034-02-19", "2035-02-08", "2036-01-28", "2037-02-15", "2038-02-04", "2039-01-24",
        "2040-02-12", "2041-02-01", "2042-01-22", "2043-02-10", "2044-01-30", "2045-02-17", "2046-02-06", "2047-01-26",
        "2048-02-14", "2049-02-02", "2050-01-23",
    ];

    [Fact]
    public void SpringFestival_2000To2050_MatchesThePublishedTable()
    {
        var computed = LunarCalendar.Days("01-01", 2000, 2050).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(SpringFestival2000To2050, computed);
    }

    [Theory]
    // Leap months move later festivals: 2020 had a leap 4th month, 2023 a leap 2nd month (HKO tables).
    [InlineData("05-05", 2020, "2020-06-25")]
    [InlineData("08-15", 2020, "2020-10-01")]
    [InlineData("05-05", 2023, "2023-06-22")]
    [InlineData("08-15", 2023, "2023-09-29")]
    [InlineData("01-15", 2019, "2019-02-19")]
    public void LunarDate_InLeapYears_IsTheNamedMonthNotTheLeapOne(string lunar, int year, string expected)
    {
        Assert.Equal(expected, Assert.Single(LunarCalendar.Days(lunar, year, year)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void BaselineSpringFestivalDates_AreTheLunarNewYears()
    {
        var baseline = ScenarioLoader.Load(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "baseline.yaml"));
        Assert.True(baseline.Ok, string.Join("\n", baseline.Problems));
        var listed = baseline.Scenario!.Calendar.Festivals["spring_festival"].Dates;
        Assert.Equal(listed, LunarCalendar.Days("01-01", listed.Min().Year, listed.Max().Year));
    }

    [Fact]
    public void LunarFestival_RunFrom2017To2024_HasItsSlumpEveryYear_AndTheSameModelAsTheListedDates()
    {
        using var temp = new TempScenarios();
        string lunar = temp.Write("lunar.yaml", "extends: baseline.yaml", "name: lunar", "calendar:", "  start: 2017-01-02", "  steps: 416",
            "  festivals:", "    spring_festival: {dates: ~, lunar: \"01-01\"}");
        var loaded = ScenarioLoader.Load(lunar);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Empty(loaded.Warnings);
        var days = loaded.Scenario!.Calendar.Festivals["spring_festival"].Days(2017, 2024).ToList();
        Assert.Equal(SpringFestival2000To2050.Skip(17).Take(8), days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

        // Over the default calendar a lunar Spring Festival is the listed one: every step's metrics are identical.
        string sameCalendar = temp.Write("lunar-default.yaml", "extends: baseline.yaml", "name: lunar-default", "calendar:",
            "  festivals:", "    spring_festival: {dates: ~, lunar: \"01-01\"}");
        var small = new Dictionary<string, string> { ["population.agents"] = "3000", ["calendar.steps"] = "70", ["calendar.burn_in_steps"] = "0" };
        var a = Simulate(ScenarioLoader.Load(sameCalendar, small));
        var b = Simulate(ScenarioLoader.Load(temp.Baseline, small));
        Assert.Equal(b.Count, a.Count);
        for (int k = 0; k < a.Count; k++) Assert.Equal(b[k], a[k]);
    }

    [Fact]
    public void DatedFestivalList_EndingBeforeTheRun_IsWarnedWithItsLine()
    {
        using var temp = new TempScenarios();
        // The default calendar ends in December 2021, after the last listed Spring Festival but one: no warning.
        Assert.Empty(ScenarioLoader.Load(temp.Baseline).Warnings);

        var longer = ScenarioLoader.Load(temp.Baseline, new Dictionary<string, string> { ["calendar.steps"] = "300" });
        Assert.True(longer.Ok);
        var w = Assert.Single(longer.Warnings);
        Assert.Equal("calendar.festivals.spring_festival.dates", w.Key);
        Assert.EndsWith("baseline.yaml", w.File, StringComparison.Ordinal);
        Assert.True(w.Line > 0);
        Assert.Contains("the dates end 2022-02-01 but the run goes on to 2023-03-26, so it has no occurrence after 2022", w.Message, StringComparison.Ordinal);

        var earlier = ScenarioLoader.Load(temp.Baseline, new Dictionary<string, string> { ["calendar.start"] = "2016-01-04" });
        Assert.Contains(earlier.Warnings, x => x.Message.Contains("the dates begin 2018-02-16 but the run starts 2016-01-04", StringComparison.Ordinal));

        // A one-off event (the alliance scenario's Kuaishou 616 of 2020) is not a list that ran out.
        Assert.Empty(ScenarioLoader.Load(temp.Alliance).Warnings);
    }

    [Theory]
    [InlineData("{lunar: \"13-01\"}", "calendar.festivals.x.lunar", "expected a lunar month and day")]
    [InlineData("{lunar: \"01-01\", annual: \"01-01\"}", "calendar.festivals.x.lunar", "not both")]
    [InlineData("{name: X}", "calendar.festivals.x", "'lunar' (a lunar \"MM-DD\")")]
    public void LunarFestival_BadValues_AreRefused(string festival, string key, string message)
    {
        using var temp = new TempScenarios();
        string path = temp.Write("bad.yaml", "extends: baseline.yaml", "name: bad", "calendar:", "  festivals:", $"    x: {festival}");
        var problem = Assert.Single(ScenarioLoader.Load(path).Problems);
        Assert.Equal(key, problem.Key);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LunarFestival_RunBeyond2100_IsRefused()
    {
        using var temp = new TempScenarios();
        string path = temp.Write("far.yaml", "extends: baseline.yaml", "name: far", "calendar:", "  start: 2099-01-05", "  steps: 156",
            "  festivals:", "    spring_festival: {dates: ~, lunar: \"01-01\"}");
        var problem = Assert.Single(ScenarioLoader.Load(path).Problems, p => p.Key.EndsWith(".lunar", StringComparison.Ordinal));
        Assert.StartsWith("lunar dates are known for 1901-2100, but the run covers 2099-", problem.Message, StringComparison.Ordinal);
    }

    private static List<string> Simulate(ScenarioLoadResult loaded)
    {
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var sim = new Simulation(new MarketModel(loaded.Scenario!), 1);
        var steps = new List<string>();
        // Every count of every step, as text: equal strings mean equal metrics.
        while (!sim.Done)
        {
            var m = sim.Step();
            steps.Add(string.Join(",", m.AnnualActive) + "|" + string.Join(",", m.Primary) + "|" + string.Join(",", m.GmvFen) + "|" + string.Join(",", m.Flows));
        }
        return steps;
    }
}
