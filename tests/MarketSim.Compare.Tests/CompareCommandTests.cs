using MarketSim.Compare;

namespace MarketSim.Tests;

/// <summary><c>marketsim compare</c> as a user runs it: bad input is refused with exit 2 and nothing written.</summary>
public class CompareCommandTests
{
    /// <summary>A valid scenario whose platforms differ from the baseline's: "other" removed, its first-platform share given to Taobao.</summary>
    private const string WithoutOther = """
        extends: {BASELINE}
        name: without-other
        platforms:
          other: ~
        tiers:
          t1: {first_platform_mix: {taobao: 0.57, other: ~}}
          t2: {first_platform_mix: {taobao: 0.53, other: ~}}
          t3: {first_platform_mix: {taobao: 0.45, other: ~}}
          t4: {first_platform_mix: {taobao: 0.42, other: ~}}
          t5: {first_platform_mix: {taobao: 0.39, other: ~}}
          t6: {first_platform_mix: {taobao: 0.36, other: ~}}
        assumptions:
          platforms.other.brand: ~
        """;

    private static void AssertNothingWritten(string work, string output)
    {
        Assert.False(Directory.Exists(output), $"{output} was created");
        Assert.False(Directory.Exists(Path.Combine(work, "output")), "output/ was created");
    }

    [Fact]
    public void Compare_UnknownScenarioFile_ExitsTwoAndWritesNothing()
    {
        string work = Compare.NewTempFolder();
        string output = Path.Combine(work, "cmp");
        var r = Compare.RunCli(work, "compare", Path.Combine(work, "no-such.yaml"), "--agents", "10000", "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.StdErr);
        Assert.Contains("no-such.yaml", r.StdErr);
        AssertNothingWritten(work, output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void Compare_ReplicationsBelowOne_ExitsTwoAndWritesNothing(string replications)
    {
        string work = Compare.NewTempFolder();
        string output = Path.Combine(work, "cmp");
        var r = Compare.RunCli(work, "compare", Compare.Scenario("jd-kuaishou-alliance.yaml"), "--replications", replications, "--out", output);
        Assert.Equal(2, r.ExitCode);
        // The parser refuses it, naming the option as typed and the range (the input boundary of the command line).
        Assert.Contains($"error: --replications {replications}: out of range: expected a whole number from 1 to", r.StdErr);
        AssertNothingWritten(work, output);
    }

    [Fact]
    public void Compare_PlatformsDifferFromTheBaseline_ExitsTwoNamingBothListsAndWritesNothing()
    {
        string work = Compare.NewTempFolder();
        string file = Path.Combine(work, "without-other.yaml");
        File.WriteAllText(file, WithoutOther.Replace("{BASELINE}", Compare.Scenario("baseline.yaml")));
        // The file on its own is a valid scenario: only the comparison is impossible.
        var loaded = MarketSim.ScenarioFiles.ScenarioLoader.Load(file);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));

        string output = Path.Combine(work, "cmp");
        var r = Compare.RunCli(work, "compare", file, "--agents", "10000", "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.StdErr);
        Assert.Contains("platforms [taobao, jd, pdd, kuaishou, douyin]", r.StdErr);
        Assert.Contains("[taobao, jd, pdd, kuaishou, douyin, other]", r.StdErr);
        AssertNothingWritten(work, output);
    }

    [Fact]
    public void Plan_ScenarioExtendsNothingAndNoBaselineGiven_IsRefused()
    {
        var problems = new List<string>();
        var plan = ComparePlan.Create(new CompareRequest(Compare.Scenario("baseline.yaml"), null, 2, new Dictionary<string, string>()), problems);
        Assert.Null(plan);
        Assert.Contains(problems, p => p.Contains("--baseline"));
    }

    [Fact]
    public void Compare_ShortAllianceAgainstShortBaseline_ExitsZeroWithCompleteFolderAndHeadline()
    {
        // The shipped scenarios cut to 80 steps (to July 2020) through two small files, the baseline named with --baseline.
        string work = Compare.NewTempFolder();
        File.WriteAllText(Path.Combine(work, "short-baseline.yaml"),
            $"extends: {Compare.Scenario("baseline.yaml")}\nname: short-baseline\ncalendar: {{start: {Compare.ShortStart}, steps: 80}}\npopulation: {{cohorts_per_tier: 128}}\n");
        File.WriteAllText(Path.Combine(work, "short-alliance.yaml"),
            $"extends: {Compare.Scenario("jd-kuaishou-alliance.yaml")}\nname: short-alliance\ncalendar: {{start: {Compare.ShortStart}, steps: 80}}\npopulation: {{cohorts_per_tier: 128}}\n");
        string output = Path.Combine(work, "cmp");
        var r = Compare.RunCli(work, "compare", "short-alliance.yaml", "--baseline", "short-baseline.yaml", "--agents", "5000",
            "--replications", "2", "--out", output);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.True(File.Exists(Path.Combine(output, "_SUCCESS")));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Empty(Directory.GetFiles(output, ".*"));
        string md = File.ReadAllText(Path.Combine(output, "report.md"));
        // The console repeats the report's headline when it has one. Five weeks of the alliance as signed (a slice of the
        // streamers' orders) move no platform's users significantly at 5 000 agents × 2, so the report says that instead.
        bool none = md.Contains("no platform's annual-active users differ significantly", StringComparison.Ordinal);
        Assert.Equal(!none, r.StdOut.Contains("Largest significant difference on", StringComparison.Ordinal));
        Assert.Contains("`short-alliance` (short-alliance.yaml)", md);
        // The trust section lists the alliance's sizes with their plausible ranges and sources (assumptions:).
        Assert.Contains("| `alliances.jd-kuaishou.supply[0].share` | 0.05 | 0.01 to 0.2 | no figure was announced", md);
        Assert.Contains("`short-baseline` (short-baseline.yaml)", md);
    }

    [Fact]
    public void Help_ListsCompareAndItsOptions()
    {
        var r = Compare.RunCli(Compare.NewTempFolder(), "compare", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "--baseline", "--replications", "--agents", "--seed", "--threads", "--out" })
            Assert.Contains(option, r.StdOut);
    }
}
