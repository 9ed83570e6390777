using System.Text.RegularExpressions;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 11: the README and docs stay true. Every ```sql block of README.md and docs/*.md runs with DuckDB
/// against small real outputs (a run with agent snapshots, a comparison, the example sweep) laid out where the snippets
/// look (tests/duckdb/docs-sql-check.mjs), and every option the README's "Command line" block lists exists in that
/// command's --help. A snippet or option that no longer works fails here.
/// </summary>
public partial class DocsTests
{
    [NodeFact]
    public void EverySqlBlockOfTheDocs_RunsWithDuckDb_OnSmallRealOutputs()
    {
        string work = CliProcess.NewTempFolder();
        string snapshots = Path.Combine(work, "snap.yaml");
        // Named as the alliance scenario, so the run lands in output/jd-kuaishou-alliance/<run-id>/ as in the README.
        File.WriteAllText(snapshots, $"extends: {MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")}\nname: jd-kuaishou-alliance\n" +
                                     "outputs:\n  agent_snapshots: {dates: [2019-06-18], sample: 0.2}\n");
        // Short runs from the end of 2018 (the default starts in June 2017): they reach the snapshot date and the alliance.
        string[] small = ["--set", "calendar.burn_in_steps=0", "--set", "calendar.start=2018-12-31"];
        var run = MarketSimProcess.Run(work, ["run", snapshots, "--agents", "3000", "--set", "calendar.steps=90", "--no-charts", .. small]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var compare = MarketSimProcess.Run(work, ["compare", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "2000",
            "--replications", "2", "--set", "calendar.steps=80", "--out", "compare", .. small]);
        Assert.True(compare.ExitCode == 0, compare.StdErr);
        var sweep = MarketSimProcess.Run(work, ["sweep", MarketSimProcess.Scenario("sweeps/alliance-traffic-supply.yaml"), "--agents", "500",
            "--set", "calendar.steps=12", "--out", Path.Combine("output", "alliance-traffic-supply"), .. small]);
        Assert.True(sweep.ExitCode == 0, sweep.StdErr);

        var check = NodeTools.Run(NodeTools.DuckDb, "docs-sql-check.mjs", MarketSimProcess.RepositoryRoot, work);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Matches(@"all \d+ SQL blocks ran", check.Output);
    }

    [GeneratedRegex(@"^marketsim (\w+)(.*)$")]
    private static partial Regex UsageLine();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionName();

    [Fact]
    public void EveryOptionOfTheReadmesCommandLine_ExistsInThatCommandsHelp()
    {
        string readme = File.ReadAllText(Path.Combine(MarketSimProcess.RepositoryRoot, "README.md"));
        int start = readme.IndexOf("## Command line", StringComparison.Ordinal);
        string block = readme[readme.IndexOf("```", start, StringComparison.Ordinal)..readme.IndexOf("```\n\n", start + 20, StringComparison.Ordinal)];
        var options = new Dictionary<string, HashSet<string>>();
        string? command = null;
        foreach (var line in block.Split('\n'))
        {
            var m = UsageLine().Match(line.Trim());
            if (m.Success) command = m.Groups[1].Value;
            if (command is null) continue;
            if (!options.TryGetValue(command, out var set)) options[command] = set = [];
            foreach (Match o in OptionName().Matches(m.Success ? m.Groups[2].Value : line)) set.Add(o.Value);
        }
        Assert.Equal(["analyze", "bench", "calibrate", "compare", "init", "run", "sweep"], options.Keys.Order());
        string work = CliProcess.NewTempFolder();
        foreach (var (name, listed) in options)
        {
            var help = MarketSimProcess.Run(work, name, "--help");
            Assert.True(help.ExitCode == 0, help.StdErr);
            foreach (var option in listed)
                Assert.True(Regex.IsMatch(help.StdOut, $@"(^|[\s,]){Regex.Escape(option)}([\s,<]|$)", RegexOptions.Multiline),
                    $"README lists marketsim {name} {option}, which `marketsim {name} --help` does not know");
        }
        // The sweep help names every design the sweep file accepts.
        var sweepHelp = MarketSimProcess.Run(work, "sweep", "--help").StdOut;
        foreach (var design in new[] { "grid", "random", "lhs", "sobol", "saltelli", "morris" })
            Assert.Contains(design, sweepHelp, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"MarketSim\.(\w+)/MarketSim\.\w+\.csproj")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"(?<![\w.])(Core|ScenarioFiles|Output|Charts|Sweeps|Compare|Analysis|Calibration|Studio|Cli)(?![\w.])")]
    private static partial Regex ProjectName();

    /// <summary>
    /// The dependency columns of docs/architecture.md's project table and of the README's layout table name exactly
    /// the projects each src/ project references, and every src/ project has its row in both: a reference added or
    /// dropped without the docs fails here.
    /// </summary>
    [Theory]
    [InlineData("docs/architecture.md")]
    [InlineData("README.md")]
    public void DependencyColumns_NameEachProjectsReferences(string doc)
    {
        string root = MarketSimProcess.RepositoryRoot;
        var rows = File.ReadAllLines(Path.Combine(root, doc))
            .Where(l => l.StartsWith("| `src/MarketSim.", StringComparison.Ordinal))
            .ToDictionary(l => l[(l.IndexOf('.') + 1)..l.IndexOf('`', 3)], l => l.TrimEnd().TrimEnd('|')[(l.TrimEnd().TrimEnd('|').LastIndexOf('|') + 1)..]);
        var projects = Directory.GetDirectories(Path.Combine(root, "src"), "MarketSim.*").Select(d => Path.GetFileName(d)["MarketSim.".Length..]).Order().ToList();
        Assert.Equal(projects, rows.Keys.Order());
        foreach (var project in projects)
        {
            string csproj = File.ReadAllText(Path.Combine(root, "src", "MarketSim." + project, $"MarketSim.{project}.csproj"));
            var references = ProjectReference().Matches(csproj).Select(m => m.Groups[1].Value).Order();
            var listed = ProjectName().Matches(rows[project]).Select(m => m.Value).Distinct().Order();
            Assert.True(references.SequenceEqual(listed),
                $"{doc}: {project} depends on [{string.Join(", ", references)}], its row says [{string.Join(", ", listed)}]");
        }
    }
}
