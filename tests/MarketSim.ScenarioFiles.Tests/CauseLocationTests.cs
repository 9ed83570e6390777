using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>Problems reported where the person made the change, not where its consequences land.</summary>
public sealed class CauseLocationTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    /// <summary>Lines of a child of the alliance scenario → the key of the single problem and a word of its message.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        // Removing what the base still refers to: one problem at the '~', naming the references.
        { "platforms: {pdd: ~}", "platforms.pdd", "still refer to it" },
        { "tiers: {t6: ~}", "tiers.t6", "still refer to it" },
        { "calendar: {festivals: {\"618\": ~}}", "calendar.festivals.618", "still refers to it" },
        // Absurd arrivals: a validation problem, not a memory estimate that overflows to a negative slot count.
        { "tiers: {t1: {new_shoppers_millions_per_year: 1e300}}", "tiers.t1.new_shoppers_millions_per_year", "agent slots" },
        { "population: {agents: 4000000000}", "population.agents", "at most 4,000,000,000" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_ChangeWithConsequencesInTheBase_IsOneProblemAtTheChange(string yaml, string key, string word)
    {
        var path = files.Write("cause.yaml", "extends: jd-kuaishou-alliance.yaml", "name: cause", yaml);

        var result = ScenarioLoader.Load(path);

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, 3, key), (problem.File, problem.Line, problem.Key));
        Assert.Contains(word, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RemovedPlatform_ListsTheReferencesWithTheirFiles()
    {
        var path = files.Write("nopdd.yaml", "extends: baseline.yaml", "name: nopdd", "platforms: {pdd: ~}");

        var problem = Assert.Single(ScenarioLoader.Load(path).Problems);

        // Six first-platform mixes, two interventions (the subsidy and the spend deepening), and the rows of data/targets.csv that name pdd (platform or with).
        int targets = File.ReadAllLines(Path.Combine(files.Folder, "data", "targets.csv")).Count(l => l.Split(',') is [_, _, "pdd", ..] or [_, _, _, "pdd", ..]);
        Assert.Contains($"{8 + targets} settings still refer to it: tiers.t1.first_platform_mix.pdd (baseline.yaml:27)", problem.Message, StringComparison.Ordinal);
        // The message lists the first eight (the mixes and the interventions) and counts the rest: the targets' rows.
        Assert.Contains($"and {targets} more", problem.Message, StringComparison.Ordinal);
        Assert.Contains("interventions.pdd_ten_billion_subsidy.platform (baseline.yaml:166)", problem.Message, StringComparison.Ordinal);
    }
}
