using MarketSim.Calibration;
using MarketSim.Cli.Runs;

namespace MarketSim.Tests;

/// <summary>
/// Options and files each command reads, refused at the boundary: output folders, messages that name what was typed,
/// the memory guard over what grows with input, and input that must be refused rather than run.
/// </summary>
public sealed class CommandInputTests
{
    private static readonly string Alliance = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
    private static readonly string Calibration = MarketSimProcess.Scenario("calibration/default.yaml");

    private static MarketSimProcess.Result Refused(int exitCode, string expected, params string[] args) =>
        InputBoundaryTests.Refused(exitCode, expected, null, args);

    [Theory]
    [InlineData("run", "SCENARIO")]
    [InlineData("compare", "SCENARIO")]
    [InlineData("sweep", "SWEEP")]
    [InlineData("calibrate", "CAL")]
    public void Out_AnExistingFile_ExitTwoNamingOut(string command, string input)
    {
        string dir = CliProcess.NewTempFolder();
        string file = Path.Combine(dir, "taken.txt");
        File.WriteAllText(file, "not a folder");
        string path = input switch { "SCENARIO" => Alliance, "SWEEP" => MarketSimProcess.Scenario("sweeps/alliance-traffic-supply.yaml"), _ => Calibration };
        var result = MarketSimProcess.Run(dir, command, path, "--out", file);
        InputBoundaryTests.AssertRefusal(result, 2, $"error: --out {file}: is an existing file, expected a folder");
        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.Single(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void Calibrate_OutOverItsOwnInput_Refused()
    {
        string dir = CliProcess.NewTempFolder();
        string cal = Path.Combine(dir, "cal.yaml");
        File.WriteAllText(cal, File.ReadAllText(Calibration).Replace("scenario: ../baseline.yaml", $"scenario: {MarketSimProcess.Scenario("baseline.yaml")}"));
        var result = MarketSimProcess.Run(dir, "calibrate", cal, "--out", dir);
        InputBoundaryTests.AssertRefusal(result, 2, "holds the calibration's input cal.yaml");
        Assert.Single(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void Bench_StepsRefused_NamesTheOption()
    {
        Refused(2, "error: --steps 99999: calendar.steps: expected a whole number in [1, 5200]", "bench", Alliance, "--agents", "1000", "--steps", "99999");
    }

    [Theory]
    [InlineData("platforms.kuaishou=~", "removes platform 'kuaishou', but 14 settings still refer to it")]
    [InlineData("calendar.festivals.618=~", "removes festival '618', but 1 setting still refers to it: alliances.jd-kuaishou.co_promotion.festivals[1] (jd-kuaishou-alliance.yaml:")]
    public void SetRemovingAnEntryStillReferredTo_BlamedOnTheSet(string set, string expected)
    {
        var result = Refused(2, $"error: --set {set}: ", "run", Alliance, "--set", set, "--dry-run");
        Assert.Contains(expected, result.StdErr);
        // One problem at the option, not one per reference in the base files.
        Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("scenario: ../baseline.yaml", "scenario: /dev/zero", "cal.yaml:7:1: scenario: cannot read '/dev/zero': is a character device")]
    [InlineData("holdout_after:", "targets: /dev/null\nholdout_after:", "cal.yaml:8:1: targets: cannot read '/dev/null': is a character device")]
    public void CalibrationFile_PointingAtADevice_NamesTheCalibrationFileAndLine(string find, string replace, string expected)
    {
        string dir = CliProcess.NewTempFolder();
        string cal = Path.Combine(dir, "cal.yaml");
        string text = File.ReadAllText(Calibration).Replace("scenario: ../baseline.yaml", $"scenario: {MarketSimProcess.Scenario("baseline.yaml")}");
        File.WriteAllText(cal, text.Replace(find == "scenario: ../baseline.yaml" ? $"scenario: {MarketSimProcess.Scenario("baseline.yaml")}" : find, replace));
        var result = MarketSimProcess.Run(dir, "calibrate", cal, "--out", Path.Combine(dir, "out"));
        InputBoundaryTests.AssertRefusal(result, 2, expected);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Theory]
    [InlineData("not json at all", ":2: not a JSON line")]
    [InlineData("""{"key": "x", "values": [1], "simulated": []}""", ":2: 'values' has 1 numbers, the calibration has 15")]
    [InlineData("[1, 2, 3]", ":2: expected a JSON object")]
    public void EvaluationLog_GarbageLineOnResume_FileAndLine(string line, string expected)
    {
        string dir = CliProcess.NewTempFolder();
        string out_ = Path.Combine(dir, "out");
        Directory.CreateDirectory(out_);
        var problem = CalibrationFile.Load(Calibration).Problem!;
        string log = Path.Combine(out_, EvaluationLog.FileName);
        File.WriteAllText(log, $"{{\"fingerprint\":\"{problem.Fingerprint}\",\"parameters\":[],\"targets\":0}}\n{line}\n");
        var result = MarketSimProcess.Run(dir, "calibrate", Calibration, "--out", out_);
        InputBoundaryTests.AssertRefusal(result, 2, $"error: {log}{expected}");
        // The log is left as it was, for the person to mend or delete; nothing else is written.
        Assert.Equal([log], Directory.EnumerateFiles(out_).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray());
    }

    [Fact]
    public void EvaluationLog_ValueChangedAfterWriting_KeyMismatchRefused()
    {
        // A bit flip inside a number still parses: the key written from the values' bits catches it.
        string dir = CliProcess.NewTempFolder();
        var problem = CalibrationFile.Load(Calibration).Problem!;
        var evaluator = new CalibrationEvaluator(problem);
        double[] values = [.. problem.Parameters.Select(p => p.AtUnit(0.5))];
        using (var log = EvaluationLog.Open(dir, problem, evaluator))
            log.Add(new Evaluation(values, 1, [.. problem.Targets.Select(_ => 1.0)]));
        string path = Path.Combine(dir, EvaluationLog.FileName);
        var lines = File.ReadAllLines(path);
        string first = problem.Parameters[0].AtUnit(0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        lines[1] = lines[1].Replace($"[{first},", $"[{problem.Parameters[0].AtUnit(0.25).ToString("R", System.Globalization.CultureInfo.InvariantCulture)},");
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<EvaluationLogMismatchException>(() => EvaluationLog.Open(dir, problem, evaluator));
        Assert.Contains($"{path}:2: its key does not match its values", e.Message);
    }

    [Fact]
    public void Compare_TwoBillionReplications_ExitThreeBeforeAnything()
    {
        var result = Refused(3, "error: this comparison (2,000,000,000 replications × 2 runs of 1,000 agents) needs about",
            "compare", Alliance, "--agents", "1000", "--replications", "2000000000");
        Assert.Contains("is available on this machine; use fewer agents (--agents) or replications (--replications). Nothing was written.", result.StdErr);
    }

    [Fact]
    public void Compare_AttributionOverManyReplications_ExitThree()
    {
        Refused(3, "and 31 clause combinations each) needs about", "compare", Alliance, "--agents", "1000", "--replications", "100000000", "--attribute");
    }

    [Fact]
    public void Run_SnapshotsOfEveryAgentAt150Dates_ExitThreeUnderMaxMemory()
    {
        string dir = CliProcess.NewTempFolder();
        string scenario = Path.Combine(dir, "snapshots.yaml");
        var dates = Enumerable.Range(0, 150).Select(i => new DateOnly(2019, 1, 1).AddDays(7 * i).ToString("yyyy-MM-dd"));
        File.WriteAllText(scenario, $"extends: {Alliance}\nname: snapshots\noutputs:\n  agent_snapshots: {{dates: [{string.Join(", ", dates)}], sample: 1}}\n");
        var result = MarketSimProcess.Run(dir, "run", scenario, "--max-memory", "1GiB", "--out", Path.Combine(dir, "out"));
        InputBoundaryTests.AssertRefusal(result, 3, "GiB for agent snapshots) but only 1.00 GiB is allowed by --max-memory");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    // Estimated at 28.7 GiB: run only where less than 28 GiB is available, so that it can only be refused.
    [LessMemoryThanFact(28)]
    public async Task Bench_TwoBillionAgents_ExitThreeAndNothingInTmpdir()
    {
        string temp = CliProcess.NewTempFolder();
        var result = await MarketSimProcess.RunAsync(MarketSimProcess.RepositoryRoot, new Dictionary<string, string> { ["TMPDIR"] = temp },
            "bench", "--agents", "2000000000");
        InputBoundaryTests.AssertRefusal(result, 3, "error: this run needs about");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    // Estimated at 35.3 GiB (one population of 2 billion agents at a time): run only where less than 35 GiB is available.
    [LessMemoryThanFact(35)]
    public void Compare_TwoBillionAgentsTwoReplications_ExitThree()
    {
        Refused(3, "error: this comparison (2 replications × 2 runs of 2,000,000,000 agents) needs about", "compare", Alliance,
            "--agents", "2000000000", "--replications", "2");
    }

    [Theory]
    [InlineData("  agent_snapshots: {sample: 0.5}\n", "outputs.agent_snapshots.dates: no dates")]
    [InlineData("  agent_snapshots: {dates: [], sample: 0.5}\n", "outputs.agent_snapshots.dates: no dates")]
    public void Snapshots_WithoutDates_Refused(string section, string expected)
    {
        string dir = CliProcess.NewTempFolder();
        string scenario = Path.Combine(dir, "s.yaml");
        File.WriteAllText(scenario, $"extends: {Alliance}\nname: s\noutputs:\n{section}");
        var result = MarketSimProcess.Run(dir, "run", scenario, "--dry-run");
        InputBoundaryTests.AssertRefusal(result, 2, $"error: {scenario}:4:");
        Assert.Contains(expected, result.StdErr);
    }

    [Fact]
    public void Snapshots_ResolvedDefault_StillAccepted()
    {
        // Every resolved scenario spells out {dates: [], sample: 0.01}: that means "none" and must load again.
        string dir = CliProcess.NewTempFolder();
        string scenario = Path.Combine(dir, "s.yaml");
        File.WriteAllText(scenario, $"extends: {Alliance}\nname: s\noutputs:\n  agent_snapshots: {{dates: [], sample: 0.01}}\n");
        var result = MarketSimProcess.Run(dir, "run", scenario, "--dry-run");
        Assert.True(result.ExitCode == 0, result.StdErr);
    }

    [Theory]
    [InlineData("DUPLICATE", "t.csv:64:1: calibration[62]: the same figure as target 1 (annual_active of jd, all tiers, to 2017-06-30): give each figure once")]
    [InlineData("TIER", "t.csv:2:17: calibration[0].tiers: tier 't3' is listed twice")]
    public void TargetsCsv_DuplicateRowOrTier_Refused(string damage, string expected)
    {
        string dir = CliProcess.NewTempFolder();
        var lines = File.ReadAllLines(MarketSimProcess.Scenario("data/targets.csv")).ToList();
        if (damage == "DUPLICATE") lines.Add(lines[1]);
        else lines[1] = lines[1].Replace(",all,annual_active,", ",t3;t3,annual_active,");
        File.WriteAllLines(Path.Combine(dir, "t.csv"), lines);
        string cal = Path.Combine(dir, "cal.yaml");
        File.WriteAllText(cal, File.ReadAllText(Calibration)
            .Replace("scenario: ../baseline.yaml", $"scenario: {MarketSimProcess.Scenario("baseline.yaml")}")
            .Replace("holdout_after:", "targets: t.csv\nholdout_after:"));
        var result = MarketSimProcess.Run(dir, "calibrate", cal, "--out", Path.Combine(dir, "out"));
        InputBoundaryTests.AssertRefusal(result, 2, expected);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void NamedOutput_SpelledLikeAParameterColumn_Refused()
    {
        string dir = CliProcess.NewTempFolder();
        string sweep = Path.Combine(dir, "named.yaml");
        File.WriteAllText(sweep, $"name: named\nscenario: {Alliance}\nparameters:\n  behaviour.attention: {{values: [0.01, 0.02]}}\ndesign: {{type: grid}}\n" +
                                 "outputs:\n  behaviour_attention: {metric: annual_active, platforms: [jd], at: end}\n");
        var result = MarketSimProcess.Run(dir, "sweep", sweep, "--dry-run");
        InputBoundaryTests.AssertRefusal(result, 2,
            "named.yaml:7:3: outputs.behaviour_attention: 'behaviour_attention' is the column of parameter 'behaviour.attention' in summary.parquet");
    }

    [Fact]
    public void SetValue_ResolvedScenarioOverOneMebibyte_RefusedNamingTheSetShortly()
    {
        string dir = CliProcess.NewTempFolder();
        string rsp = Path.Combine(dir, "long.rsp");
        File.WriteAllText(rsp, $"run\n{Alliance}\n--dry-run\n--set\ndescription={new string('x', 1_040_000)}\n");
        var result = MarketSimProcess.Run(dir, "@" + rsp);
        InputBoundaryTests.AssertRefusal(result, 2, "description: the resolved scenario would be");
        Assert.Contains("over the 1,048,576 bytes (1 MiB) a scenario may have", result.StdErr);
        Assert.True(result.StdErr.Length < 1000, "the option is cut short in the message");
    }

    [Fact]
    public void ChildSetsTheCalendar_AgentSlotLimit_BlamedAtTheChildsLine()
    {
        string dir = CliProcess.NewTempFolder();
        string child = Path.Combine(dir, "child.yaml");
        File.WriteAllText(child, $"extends: {MarketSimProcess.Scenario("baseline.yaml")}\nname: child\npopulation:\n  agents: 1000000000\n" +
                                 "calendar:\n  steps: 5200\n  step_days: 30\n");
        var result = MarketSimProcess.Run(dir, "run", child, "--dry-run");
        InputBoundaryTests.AssertRefusal(result, 2, $"error: {child}:4:3: population.agents: the starting agents and the arrivals over the calendar come to");
        Assert.DoesNotContain("baseline.yaml", result.StdErr);
    }

    [Fact]
    public void SweepCorner_RuleNoOverrideOwns_BlamedAtTheSweepFileWithThePoint()
    {
        // Two streamer groups' follower shares, each valid, add up to more than 1 only at the grid's upper corner.
        string dir = CliProcess.NewTempFolder();
        string sweep = Path.Combine(dir, "corner.yaml");
        File.WriteAllText(sweep, $"name: corner\nscenario: {Alliance}\nparameters:\n" +
                                 "  streamers.kuaishou_streamers.follower_share.t6: {values: [0.3, 0.7]}\n" +
                                 "  streamers.douyin_streamers.follower_share.t6: {values: [0.08, 0.5]}\ndesign: {type: grid}\n");
        var result = MarketSimProcess.Run(dir, "sweep", sweep, "--dry-run");
        InputBoundaryTests.AssertRefusal(result, 2, $"error: {sweep}:");
        Assert.Contains("at the upper end 0.7 (with streamers.douyin_streamers.follower_share.t6=0.5)", result.StdErr);
        // Every line blames the sweep file, none the base scenario's file.
        Assert.All(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)),
            l => Assert.StartsWith($"error: {sweep}:", l));
    }
}

/// <summary>A fact for a refusal that depends on the machine's memory: skipped where that much would fit.</summary>
public sealed class LessMemoryThanFactAttribute : FactAttribute
{
    public LessMemoryThanFactAttribute(int gib)
    {
        if (MemoryGuard.AvailableBytes() >= (long)gib << 30) Skip = $"this machine has {gib} GiB or more available: the refusal would not happen";
    }
}
