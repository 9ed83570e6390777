using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

public sealed class ScenarioLoaderTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    private static ScenarioProblem Single(ScenarioLoadResult result)
    {
        Assert.False(result.Ok);
        Assert.Null(result.Scenario);
        return Assert.Single(result.Problems);
    }

    [Theory]
    [InlineData("baseline.yaml")]
    [InlineData("jd-kuaishou-alliance.yaml")]
    public void Load_DefaultScenario_IsValid(string name)
    {
        var result = ScenarioLoader.Load(Path.Combine(files.Folder, name));

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(6, result.Scenario!.Platforms.Count);
        Assert.Equal(["t1", "t2", "t3", "t4", "t5", "t6"], result.Scenario.Tiers.Keys);
        Assert.Matches("^[0-9a-f]{64}$", result.Sha256);
    }

    [Fact]
    public void Load_Extends_ChildMergesMapsAndReplacesLists()
    {
        var result = ScenarioLoader.Load(files.Alliance);
        var baseline = ScenarioLoader.Load(files.Baseline).Scenario!;
        var s = result.Scenario!;

        Assert.Equal("jd-kuaishou-alliance", s.Name);
        Assert.Equal(baseline.Seed, s.Seed);                                   // inherited scalar
        Assert.Equal(baseline.Platforms.Keys, s.Platforms.Keys);               // inherited map
        Assert.Equal(baseline.Calendar.Festivals.Count + 1, s.Calendar.Festivals.Count);  // merged map gains a key
        Assert.Equal(new DateOnly(2020, 5, 27), s.Alliances["jd-kuaishou"].Start);
        Assert.Equal(files.Baseline, result.ExtendsPath);
        Assert.Equal([files.Alliance, files.Baseline], result.Files);

        var child = files.Write("child.yaml",
            "extends: baseline.yaml",
            "name: child",
            "platforms:",
            "  jd:",
            "    quality: 0.5",
            "calendar:",
            "  festivals: {double_12: ~}",
            "tiers:",
            "  t1:",
            "    first_platform_mix: {taobao: 0.42, jd: 0.37}");
        var c = ScenarioLoader.Load(child);
        Assert.True(c.Ok, string.Join("\n", c.Problems));
        Assert.Equal(0.5, c.Scenario!.Platforms["jd"].Quality);
        Assert.Equal(baseline.Platforms["jd"].Brand, c.Scenario.Platforms["jd"].Brand);       // siblings kept
        Assert.False(c.Scenario.Calendar.Festivals.ContainsKey("double_12"));                  // ~ removes
        var mix = c.Scenario.Tiers["t1"].FirstPlatformMix;                                      // maps merge key by key
        Assert.Equal(baseline.Tiers["t1"].FirstPlatformMix.Keys, mix.Keys);
        Assert.Equal((0.42, 0.37, baseline.Tiers["t1"].FirstPlatformMix["pdd"]), (mix["taobao"], mix["jd"], mix["pdd"]));
    }

    [Fact]
    public void Load_ListInChild_ReplacesBaseList()
    {
        var child = files.Write("c.yaml",
            "extends: baseline.yaml",
            "calendar:",
            "  festivals:",
            "    spring_festival: {dates: [2019-02-05]}");
        var s = ScenarioLoader.Load(child).Scenario!;
        Assert.Equal([new DateOnly(2019, 2, 5)], s.Calendar.Festivals["spring_festival"].Dates);
        Assert.Equal("Spring Festival slump", s.Calendar.Festivals["spring_festival"].Name);
    }

    [Fact]
    public void Load_ExtendsLoop_ReportsTheLoop()
    {
        files.Write("a.yaml", "extends: b.yaml", "name: a");
        files.Write("b.yaml", "extends: a.yaml", "name: b");

        var problem = Single(ScenarioLoader.Load(Path.Combine(files.Folder, "a.yaml")));

        Assert.Equal("extends", problem.Key);
        Assert.Contains("loop", problem.Message);
        Assert.Contains("a.yaml → b.yaml → a.yaml", problem.Message);
        Assert.True(problem.Line > 0);
    }

    [Fact]
    public void Load_ExtendsMissingFile_NamesIncludingFileLineAndKey()
    {
        var path = files.Write("orphan.yaml", "name: orphan", "extends: nowhere.yaml");

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal(path, problem.File);
        Assert.Equal(2, problem.Line);
        Assert.Equal("extends", problem.Key);
        Assert.Contains("nowhere.yaml", problem.Message);
        Assert.Contains("not found", problem.Message);
    }

    [Fact]
    public void Load_MissingScenarioFile_SaysSo()
    {
        var problem = Single(ScenarioLoader.Load(Path.Combine(files.Folder, "none.yaml")));
        Assert.Contains("not found", problem.Message);
        Assert.Equal(0, problem.Line);
    }

    [Fact]
    public void Load_MisspeltKey_NamesFileLineKeyAndSuggestion()
    {
        var path = files.Write("typo.yaml", "extends: baseline.yaml", "name: typo", "platforms:", "  jd:", "    qualty: 0.9");

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal((path, 5, 5), (problem.File, problem.Line, problem.Column));
        Assert.Equal("platforms.jd.qualty", problem.Key);
        Assert.Contains("did you mean 'quality'", problem.Message);
        Assert.Equal($"{path}:5:5: platforms.jd.qualty: unknown key 'qualty'; did you mean 'quality'?", problem.ToString());
    }

    [Fact]
    public void Load_NegativeAgents_PointsAtTheValue()
    {
        var path = files.Write("neg.yaml", "extends: baseline.yaml", "name: neg", "population:", "  agents: -5");

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal((4, "population.agents"), (problem.Line, problem.Key));
        Assert.Contains("-5", problem.Message);
    }

    [Fact]
    public void Load_AllianceWithUnknownPlatform_NamesTheMember()
    {
        var path = files.Write("ally.yaml", "extends: jd-kuaishou-alliance.yaml", "name: ally",
            "alliances:", "  jd-kuaishou:", "    members: [jd, kwaishou]");

        var result = ScenarioLoader.Load(path);

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems, p => p.Key == "alliances.jd-kuaishou.members[1]");
        Assert.Equal(path, problem.File);
        Assert.Equal(5, problem.Line);
        Assert.Contains("kwaishou", problem.Message);
        Assert.Contains("kuaishou", problem.Message);
    }

    [Theory]
    [InlineData("seed: lots", "seed", "a whole number")]
    [InlineData("calendar: {start: 2019-13-01}", "calendar.start", "a date YYYY-MM-DD")]
    [InlineData("calendar: {steps: 2.5}", "calendar.steps", "a whole number")]
    [InlineData("behaviour: {inertia: .nan}", "behaviour.inertia", "a number")]
    [InlineData("behaviour: {inertia: [1, 2]}", "behaviour.inertia", "a number")]
    [InlineData("outputs: {charts: maybe}", "outputs.charts", "true or false")]
    [InlineData("platforms: [jd]", "platforms", "a mapping")]
    [InlineData("calendar: {festivals: {double_11: {dates: 2019-11-11}}}", "calendar.festivals.double_11.dates", "a list")]
    public void Load_WrongType_SaysWhatWasExpected(string line, string key, string expected)
    {
        var path = files.Write("type.yaml", "extends: baseline.yaml", "name: typed", line);

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal(key, problem.Key);
        Assert.Equal(3, problem.Line);
        Assert.Contains("expected " + expected, problem.Message);
    }

    [Fact]
    public void Load_TierSharesNotSummingToOne_NamesTheMix()
    {
        var path = files.Write("mix.yaml", "extends: baseline.yaml", "name: mix", "tiers:", "  t2:",
            "    first_platform_mix: {taobao: 0.55, jd: 0.2}");

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal("tiers.t2.first_platform_mix", problem.Key);
        Assert.Equal(5, problem.Line);
        Assert.Contains("sum to 1.05", problem.Message);   // maps merge: the other four platforms come from the baseline
    }

    [Fact]
    public void Load_SyntaxError_GivesLineAndColumn()
    {
        var path = files.Write("broken.yaml", "name: broken", "tiers:", "  t1: {name: [unclosed", "platforms: {}");

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal(path, problem.File);
        Assert.True(problem.Line >= 3, problem.ToString());
        Assert.StartsWith("invalid YAML", problem.Message);
    }

    [Fact]
    public void Load_DuplicateKey_IsRejected()
    {
        var path = files.Write("dup.yaml", "extends: baseline.yaml", "name: a", "seed: 1", "seed: 2");

        var problem = Single(ScenarioLoader.Load(path));

        Assert.Equal(4, problem.Line);
        Assert.Contains("appears twice", problem.Message);
    }

    [Fact]
    public void Load_SeveralProblems_ReportsAllAtOnce()
    {
        var path = files.Write("many.yaml", "extends: baseline.yaml", "name: many",
            "population: {agents: 0}", "calendar: {step_days: 1}", "behaviour: {inertia: -1, attention: 2}");

        var result = ScenarioLoader.Load(path);

        Assert.Equal(["behaviour.attention", "behaviour.inertia", "calendar.step_days", "population.agents"],
            result.Problems.Select(p => p.Key).Order());
    }

    [Fact]
    public void Load_UnreadableKeysAndBrokenRules_ReportsBothButNotTwiceForOneKey()
    {
        var path = files.Write("mixed.yaml", "extends: baseline.yaml", "name: mixed",
            "populaton: {agents: 5}", "calendar: {steps: 0}", "tiers: {t1: {first_platform_mix: {taobao: lots}}}");

        var result = ScenarioLoader.Load(path);

        Assert.Equal(["calendar.steps", "populaton", "tiers.t1.first_platform_mix.taobao"], result.Problems.Select(p => p.Key).Order());
    }

    [Fact]
    public void Load_Overrides_SetValuesByPathIncludingListIndices()
    {
        var result = ScenarioLoader.Load(files.Alliance, new Dictionary<string, string>
        {
            ["population.agents"] = "2_000_000",
            ["alliances.jd-kuaishou.traffic[0].share"] = "0.45",
            ["alliances.jd-kuaishou.traffic[0].tiers"] = "[t5, t6]",
            ["seed"] = "1000",
        });

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var s = result.Scenario!;
        Assert.Equal(2_000_000, s.Population.Agents);
        Assert.Equal(0.45, s.Alliances["jd-kuaishou"].Traffic[0].Share);
        Assert.Equal(["t5", "t6"], s.Alliances["jd-kuaishou"].Traffic[0].Tiers);
        Assert.Equal(1000UL, s.Seed);
    }

    [Theory]
    [InlineData("alliances.jd-kuaishou.traffic[3].share", "0.1", "past the end")]
    [InlineData("name.first", "x", "expected a mapping there")]
    [InlineData("population..agents", "1", "expected a key path")]
    [InlineData("population.agentz", "1", "did you mean 'agents'")]
    [InlineData("population.agents", "[1", "not valid YAML")]
    public void Load_BadOverride_NamesTheCommandLine(string key, string value, string message)
    {
        var result = ScenarioLoader.Load(files.Alliance, new Dictionary<string, string> { [key] = value });

        var problem = Single(result);
        Assert.Equal("command line", problem.File);
        Assert.Equal(key, problem.Key);
        Assert.Contains(message, problem.Message);
        Assert.StartsWith($"command line: {key}: ", problem.ToString());
    }

    [Fact]
    public void ResolvedYaml_LoadedAgain_GivesTheSameScenarioAndHash()
    {
        var first = ScenarioLoader.Load(files.Alliance);
        var path = files.Write("resolved.yaml", first.ResolvedYaml);

        var second = ScenarioLoader.Load(path);

        Assert.True(second.Ok, string.Join("\n", second.Problems));
        Assert.Equal(first.ResolvedYaml, second.ResolvedYaml);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.DoesNotContain("extends", first.ResolvedYaml);
        Assert.Contains("\"618\"", first.ResolvedYaml);   // ids that look like numbers stay text for other YAML readers
    }

    [Fact]
    public void ResolvedYaml_IncludesDefaultsAndChangesWithAnyParameter()
    {
        var a = ScenarioLoader.Load(files.Baseline);
        var b = ScenarioLoader.Load(files.Baseline, new Dictionary<string, string> { ["behaviour.locality_size"] = "128" });

        Assert.Contains("locality_size: 256", a.ResolvedYaml);   // a default the file does not mention
        Assert.NotEqual(a.Sha256, b.Sha256);
    }

    [Fact]
    public void LoadText_ResolvedYaml_GivesTheSameScenarioAsTheFile()
    {
        var fromFile = ScenarioLoader.Load(files.Alliance);

        var fromText = ScenarioLoader.LoadText(fromFile.ResolvedYaml, "checkpoint/scenario.yaml");

        Assert.True(fromText.Ok, string.Join("\n", fromText.Problems));
        Assert.Equal(fromFile.Sha256, fromText.Sha256);
        Assert.Empty(fromText.Files);
        var broken = ScenarioLoader.LoadText("name: x\nseed: [", "checkpoint/scenario.yaml");
        Assert.Equal("checkpoint/scenario.yaml", Assert.Single(broken.Problems).File);
    }
}
