namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 7: the tool works outside a checkout. <c>marketsim init DIR</c> writes the default scenarios and data
/// shipped inside the tool, byte for byte the repository's, and a run of them from a folder with no checkout works;
/// <c>--help</c> says so; an existing file is never overwritten without <c>--force</c>.
/// </summary>
public class InitCommandTests
{
    [Fact]
    public void Init_WritesTheShippedScenarios_AndTheyRunOutsideACheckout()
    {
        string work = CliProcess.NewTempFolder();
        var init = MarketSimProcess.Run(work, "init", "here");
        Assert.True(init.ExitCode == 0, init.StdErr);

        string repo = Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios");
        var shipped = Directory.GetFiles(repo, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(repo, f)).Order().ToList();
        var written = Directory.GetFiles(Path.Combine(work, "here", "scenarios"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(work, "here", "scenarios"), f)).Order().ToList();
        Assert.Equal(shipped, written);
        foreach (var file in shipped)
            Assert.Equal(File.ReadAllBytes(Path.Combine(repo, file)), File.ReadAllBytes(Path.Combine(work, "here", "scenarios", file)));

        // From the temporary folder (no scenarios/ of a checkout anywhere above it), as the init message says.
        string scenario = Path.Combine(work, "here", "scenarios", "jd-kuaishou-alliance.yaml");
        Assert.Contains($"Start with: marketsim run {scenario}", init.StdOut, StringComparison.Ordinal);
        var run = MarketSimProcess.Run(work, "run", scenario, "--agents", "2000", "--set", "calendar.steps=4", "--set", "calendar.burn_in_steps=0",
            "--no-charts", "--out", "run");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.True(File.Exists(Path.Combine(work, "run", "_SUCCESS")));
    }

    [Fact]
    public void Init_IntoAFolderWithTheFiles_RefusesWithoutForce_AndHelpNamesIt()
    {
        string work = CliProcess.NewTempFolder();
        Assert.Equal(0, MarketSimProcess.Run(work, "init", ".").ExitCode);
        string baseline = Path.Combine(work, "scenarios", "baseline.yaml");
        File.WriteAllText(baseline, "# my edits\n");
        var again = MarketSimProcess.Run(work, "init", ".");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("nothing written (use --force to overwrite them)", again.StdErr, StringComparison.Ordinal);
        Assert.Equal("# my edits\n", File.ReadAllText(baseline));
        Assert.Equal(0, MarketSimProcess.Run(work, "init", ".", "--force").ExitCode);
        Assert.NotEqual("# my edits\n", File.ReadAllText(baseline));

        var help = MarketSimProcess.Run(work, "--help");
        Assert.Contains("Start with: marketsim init DIR (writes the default scenarios and data, shipped inside the tool", help.StdOut, StringComparison.Ordinal);
        Assert.Contains("init", help.StdOut, StringComparison.Ordinal);
    }
}
