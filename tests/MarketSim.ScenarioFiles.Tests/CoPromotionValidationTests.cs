using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// Which festival occurrences an alliance co-promotes is said in the file (years, dates or every_occurrence), and a
/// choice that would co-promote nothing, or an occurrence outside the alliance, is refused where it is written.
/// </summary>
public sealed class CoPromotionValidationTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    private const string Promo = "alliances.jd-kuaishou.co_promotion";

    /// <summary>Writes a child of the alliance scenario whose line 5 sets the co-promotion (line 6 optionally the alliance's end).</summary>
    private (string Path, ScenarioLoadResult Result) Child(string coPromotion, string? extra = null)
    {
        string[] lines = ["extends: jd-kuaishou-alliance.yaml", "name: child", "alliances:", "  jd-kuaishou:", "    co_promotion: " + coPromotion];
        if (extra is not null) lines = [.. lines, "    " + extra];
        var path = files.Write("child.yaml", lines);
        return (path, ScenarioLoader.Load(path));
    }

    [Fact]
    public void Load_DefaultAllianceScenario_CoPromotesThe2020OccurrencesOnly()
    {
        var result = ScenarioLoader.Load(files.Alliance);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var promo = result.Scenario!.Alliances["jd-kuaishou"].CoPromotion!;
        Assert.Equal([2020], promo.Years);
        Assert.Empty(promo.Dates);
        Assert.False(promo.EveryOccurrence);
    }

    [Fact]
    public void Load_NoYearsNoDatesNoEveryOccurrence_IsRefusedAtTheCoPromotion()
    {
        // Removing the inherited years leaves an undated co-promotion: an error, not every 618 while the alliance runs.
        var (path, result) = Child("{years: ~}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, 5, Promo), (problem.File, problem.Line, problem.Key));
        Assert.Contains("expected years: [YYYY, ...] or dates: [YYYY-MM-DD, ...]", problem.Message);
        Assert.Contains("every_occurrence: true", problem.Message);
    }

    [Fact]
    public void Load_YearWithoutAnOccurrenceOfAListedFestival_IsRefusedAtThatYear()
    {
        // Kuaishou 616 is dated 16 June 2020 only: 2021 has a 618 but no 616.
        var (path, result) = Child("{years: [2020, 2021]}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, 5, Promo + ".years[1]"), (problem.File, problem.Line, problem.Key));
        Assert.StartsWith("festival 'kuaishou_616' has no occurrence in 2021 (its days: 2020-06-16)", problem.Message);
    }

    [Fact]
    public void Load_OccurrenceBeforeTheAlliancesStart_IsRefusedAtThatYear()
    {
        var (path, result) = Child("{festivals: [\"618\"], years: [2019, 2020]}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, 5, Promo + ".years[0]"), (problem.File, problem.Line, problem.Key));
        Assert.StartsWith("the 2019-06-18 occurrence of festival '618' is before the alliance's start (2020-05-27 to its open end)", problem.Message);
    }

    [Fact]
    public void Load_OccurrencesOpeningAfterTheAlliancesEnd_AreRefusedAtTheYear()
    {
        // An alliance ending on 31 May 2020 ends before both 2020 windows open (618 on 1 June, 616 on 13 June).
        var (path, result) = Child("{years: [2020]}", "end: 2020-05-31");
        // And the launch of the 616 falls outside the alliance too (LaunchClauseTests): the third problem.
        Assert.Equal(3, result.Problems.Count);
        Assert.Single(result.Problems, p => p.Key == "alliances.jd-kuaishou.launch.festivals[0]");
        Assert.All(result.Problems.Where(p => !p.Key.Contains("launch", StringComparison.Ordinal)),
            p => Assert.Equal((path, 5, Promo + ".years[0]"), (p.File, p.Line, p.Key)));
        Assert.Contains(result.Problems, p => p.Message.StartsWith("the 2020-06-18 occurrence of festival '618' (window from 2020-06-01) opens after the alliance's end", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Message.StartsWith("the 2020-06-16 occurrence of festival 'kuaishou_616'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DateThatIsNoFestivalDay_IsRefusedAtThatDate()
    {
        var (path, result) = Child("{years: ~, dates: [2020-06-16, 2020-06-17, 2020-06-18]}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, 5, Promo + ".dates[1]"), (problem.File, problem.Line, problem.Key));
        Assert.StartsWith("2020-06-17 is not the day of an occurrence of 'kuaishou_616' or '618' (their days in 2020: kuaishou_616 2020-06-16, 618 2020-06-18)", problem.Message);
    }

    [Fact]
    public void Load_DatesThatNameNoOccurrenceOfAListedFestival_IsRefusedAtThatFestival()
    {
        var (path, result) = Child("{years: ~, dates: [2021-06-18]}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal(Promo + ".festivals[0]", problem.Key);
        Assert.EndsWith("jd-kuaishou-alliance.yaml", problem.File);
        Assert.Contains("festival 'kuaishou_616' is listed but none of the dates names one of its occurrences", problem.Message);
    }

    [Fact]
    public void Load_EveryOccurrenceBesideInheritedYears_IsRefused_AndAloneIsValid()
    {
        var (path, result) = Child("{every_occurrence: true}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, 5, Promo + ".every_occurrence"), (problem.File, problem.Line, problem.Key));
        Assert.Contains("not both", problem.Message);

        var (_, alone) = Child("{years: ~, festivals: [\"618\"], every_occurrence: true}");
        Assert.True(alone.Ok, string.Join("\n", alone.Problems));
    }
}
