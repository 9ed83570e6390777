using MarketSim.Sweeps;

namespace MarketSim.Tests;

public class SweepFileTests
{
    private static string Write(string yaml)
    {
        string folder = Cli.NewTempFolder();
        string path = Path.Combine(folder, "sweep.yaml");
        File.WriteAllText(path, yaml.Replace("SCENARIO", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")));
        return path;
    }

    private const string Valid = """
        name: t
        scenario: SCENARIO
        parameters:
          alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}
          calendar.steps: {min: 20, max: 23}
        design: {type: lhs, points: 8, seed: 2}
        replications: 3
        master_seed: 42
        agents: 5000
        """;

    [Fact]
    public void Load_ExampleSweep_IsValidGridOf90Runs()
    {
        var loaded = SweepFile.Load(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "sweeps", "alliance-traffic-supply.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var plan = new SweepPlan(loaded.Spec!, "test");
        Assert.Equal(18, plan.Points);
        Assert.Equal(90, plan.Runs.Count);
        Assert.Equal([0.05, 0.14, 0.23, 0.32, 0.41, 0.5], plan.Runs.Select(r => Math.Round((double)r.Values[0], 12)).Distinct().Order());   // the traffic share over its plausible range
    }

    [Fact]
    public void Load_PlausibleTrue_ReadsTheRangeFromTheScenariosAssumptions_InTheFilesOrder()
    {
        // The alliance scenario states the traffic share's plausible range [0.05, 0.5] and the supply share's [0.01, 0.2]
        // in its assumptions: section; the sweep reads them there, between its own ranges, in the file's order.
        string yaml = Valid
            .Replace("calendar.steps: {min: 20, max: 23}",
                "calendar.steps: {min: 20, max: 23}\n  alliances.jd-kuaishou.supply[0].share: {plausible: true}\n  behaviour.inertia: {min: 2, max: 4}")
            .Replace("{min: 0.1, max: 0.6}", "{plausible: true}");
        var loaded = SweepFile.Load(Write(yaml));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var p = loaded.Spec!.Parameters;
        Assert.Equal(["alliances.jd-kuaishou.traffic[0].share", "calendar.steps", "alliances.jd-kuaishou.supply[0].share", "behaviour.inertia"], p.Select(x => x.Path));
        Assert.Equal((0.05, 0.5), (p[0].Min!.Value, p[0].Max!.Value));
        Assert.Equal((0.01, 0.2), (p[2].Min!.Value, p[2].Max!.Value));
    }

    [Fact]
    public void Load_PlausibleTrue_WithoutARangeInTheScenario_OrWithMinMax_IsRefusedAtThatParameter()
    {
        var none = SweepFile.Load(Write(Valid.Replace("calendar.steps: {min: 20, max: 23}", "behaviour.inertia: {plausible: true}")));
        var problem = Assert.Single(none.Problems);
        Assert.Equal(("parameters.behaviour.inertia", 5), (problem.Key, problem.Line));
        Assert.Contains("the scenario states no plausible range for behaviour.inertia", problem.Message, StringComparison.Ordinal);
        var both = SweepFile.Load(Write(Valid.Replace("{min: 0.1, max: 0.6}", "{plausible: true, min: 0.1, max: 0.6}")));
        Assert.Contains(both.Problems, x => x.Key == "parameters.alliances.jd-kuaishou.traffic[0].share" && x.Message.StartsWith("give either plausible: true", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_IntegerScenarioField_DrawsWholeNumbersInRange()
    {
        var loaded = SweepFile.Load(Write(Valid));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var steps = loaded.Spec!.Parameters[1];
        Assert.Equal(ParameterKind.Integer, steps.Kind);
        Assert.Equal("calendar_steps", steps.Column);
        var plan = new SweepPlan(loaded.Spec, "test");
        Assert.All(plan.Runs, r => Assert.InRange((long)r.Values[1], 20, 23));
        Assert.Equal("alliances_jd_kuaishou_traffic_0_share", loaded.Spec.Parameters[0].Column);
    }

    [Fact]
    public void Plan_Replications_SeedsFromSplitMix64AndCommonAcrossPoints()
    {
        var plan = new SweepPlan(SweepFile.Load(Write(Valid)).Spec!, "test");
        Assert.Equal(24, plan.Runs.Count);
        foreach (var run in plan.Runs)
        {
            Assert.Equal(run.Point * 3 + run.Replication, run.Index);
            Assert.Equal(run.Index.ToString("D6"), run.Id);
            // SplitMix64 started from the master seed 42: outputs 1, 2, 3 of Vigna's reference splitmix64.c (an
            // independent implementation, checked against the published seed-0 outputs, gave these).
            Assert.Equal(new[] { 0xBDD732262FEB6E95UL, 0x28EFE333B266F103UL, 0x47526757130F9F52UL }[run.Replication], run.Seed);
            Assert.Equal(run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), plan.Overrides(run)["seed"]);
        }
        Assert.Equal(3, plan.Runs.Select(r => r.Seed).Distinct().Count());
    }

    [Fact]
    public void Load_UnknownParameterPath_ProblemAtTheSweepFileLineNamingTheKey()
    {
        string path = Write(Valid.Replace("traffic[0].share", "trafic[0].share"));
        var loaded = SweepFile.Load(path, "sweep.yaml");
        Assert.False(loaded.Ok);
        var problem = Assert.Single(loaded.Problems);
        Assert.Equal("sweep.yaml", problem.File);
        Assert.Equal(4, problem.Line);
        Assert.Equal("parameters.alliances.jd-kuaishou.trafic[0].share", problem.Key);
        Assert.Contains("did you mean 'traffic'", problem.Message);
    }

    [Fact]
    public void Load_SeveralMistakes_AllReportedAtOnce()
    {
        string yaml = Valid.Replace("{min: 0.1, max: 0.6}", "{min: 0.7, max: 0.6}").Replace("type: lhs", "type: latin")
            .Replace("replications: 3", "replications: 0").Replace("master_seed: 42", "master_seed: 42\nrepetitions: 2");
        var loaded = SweepFile.Load(Write(yaml), "sweep.yaml");
        var text = string.Join("\n", loaded.Problems);
        Assert.Contains("sweep.yaml:4:", text);
        Assert.Contains("min 0.7 is greater than max 0.6", text);
        Assert.Contains("design.type: expected grid, random, lhs, sobol, saltelli, morris or points, found 'latin'", text);
        Assert.Contains("replications: expected a whole number", text);
        Assert.Contains("repetitions: unknown key 'repetitions'", text);
    }

    [Theory]
    // Line 7 is "replications: 3"; the binder reports an unknown key where the key is, a wrong value where the value is.
    [InlineData("replications: 3", "replicatons: 3", "sweep.yaml:7:1: replicatons: unknown key 'replicatons'; did you mean 'replications'?")]
    [InlineData("replications: 3", "replications: three", "sweep.yaml:7:15: replications: expected a whole number, found 'three'")]
    [InlineData("replications: 3", "replications: [3]", "sweep.yaml:7:15: replications: expected a whole number, found a list")]
    [InlineData("master_seed: 42", "master_seed: -1", "sweep.yaml:8:14: master_seed: expected a whole number ≥ 0, found '-1'")]
    [InlineData("seed: 2}", "seed: 2, pionts: 8}", "sweep.yaml:6:41: design.pionts: unknown key 'pionts'; did you mean 'points'?")]
    [InlineData("points: 8", "points: eight", "sweep.yaml:6:29: design.points: expected a whole number, found 'eight'")]
    [InlineData("design: {type: lhs, points: 8, seed: 2}", "design: lhs", "sweep.yaml:6:9: design: expected a mapping of keys to values, found 'lhs'")]
    [InlineData("agents: 5000", "agents: 5000\nanalysis: {bins: many}", "sweep.yaml:10:18: analysis.bins: expected a whole number, found 'many'")]
    public void Load_UnknownKeyOrWrongType_ReportedByTheScenarioBinderWithFileLineColumnAndKey(string from, string to, string expected)
    {
        string path = Write(Valid.Replace(from, to));
        try
        {
            var loaded = SweepFile.Load(path, "sweep.yaml");
            Assert.False(loaded.Ok);
            Assert.Equal(expected, Assert.Single(loaded.Problems).ToString());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingKeys_EachReportedAtTheFileStart()
    {
        string path = Write("description: nothing else\n");
        try
        {
            var loaded = SweepFile.Load(path, "sweep.yaml");
            Assert.Equal(["name", "scenario", "design", "parameters"], loaded.Problems.Select(p => p.Key));
            Assert.All(loaded.Problems, p => Assert.Equal(("sweep.yaml", 1, 1), (p.File, p.Line, p.Column)));
            Assert.All(loaded.Problems, p => Assert.StartsWith("missing: ", p.Message, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Load_UnknownTableKeyInOutputs_NamesEveryTableKeyOfTheCatalogue()
    {
        var loaded = SweepFile.Load(Write(Valid + "\noutputs: {agents: true}\n"), "sweep.yaml");

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(("outputs.agents", 10), (problem.Key, problem.Line));
        Assert.Contains("unknown key 'agents'; expected one of: " + string.Join(", ", MarketSim.Output.OutputTables.Keys.Order(StringComparer.Ordinal)),
            problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OutputsSwitchTables_SpecKeepsThoseAndTheSweepDefaultsForTheRest()
    {
        var loaded = SweepFile.Load(Write(Valid + "\noutputs: {flows: true, metrics: false}\n"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));

        var o = loaded.Spec!.Outputs;
        Assert.Equal((false, true, false), (o.Includes(MarketSim.Output.OutputTables.Metrics), o.Includes(MarketSim.Output.OutputTables.Flows),
            o.Includes(MarketSim.Output.OutputTables.Overlap)));
        Assert.Contains("outputs: {metrics: false, flows: true, overlap: false, calibration: true}\n", new SweepPlan(loaded.Spec, "test").ResolvedYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValueTheScenarioRefuses_ReportedAtTheParameter()
    {
        var loaded = SweepFile.Load(Write(Valid.Replace("max: 0.6", "max: 1.6")), "sweep.yaml");
        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Contains("upper end 1.6", problem.Message);
    }

    [Theory]
    [InlineData("calendar.steps: {min: 20, max: 23}", "calendar.steps: {min: 20.5, max: 23}", "whole number")]
    [InlineData("design: {type: lhs, points: 8, seed: 2}", "design: {type: grid}", "a grid needs levels")]
    [InlineData("design: {type: lhs, points: 8, seed: 2}", "design: {type: sobol, points: 8, seed: 2}", "not randomised")]
    [InlineData("design: {type: lhs, points: 8, seed: 2}", "design: {type: random}", "design.points: missing")]
    [InlineData("agents: 5000", "agents: 5000\noverrides: {seed: 3}", "derived from master_seed")]
    [InlineData("calendar.steps: {min: 20, max: 23}", "alliances.jd-kuaishou.start: {min: 1, max: 2}", "not a number")]
    public void Load_InvalidSweep_Problem(string from, string to, string expected)
    {
        var loaded = SweepFile.Load(Write(Valid.Replace(from, to)), "sweep.yaml");
        Assert.False(loaded.Ok);
        Assert.Contains(loaded.Problems, p => p.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TextParameterValues_KeptAsStrings()
    {
        var loaded = SweepFile.Load(Write(Valid.Replace("calendar.steps: {min: 20, max: 23}",
            "alliances.jd-kuaishou.start: {values: [2020-05-27, 2020-06-01]}")));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(ParameterKind.Text, loaded.Spec!.Parameters[1].Kind);
        Assert.Contains(new SweepPlan(loaded.Spec, "t").Runs, r => (string)r.Values[1] == "2020-06-01");
    }

    [Theory]
    [InlineData("1/3", null, null, null, null, 1, 3)]
    [InlineData(null, 4, "2", null, null, 2, 4)]
    [InlineData(null, 3, null, "2", "3", 2, 3)]
    [InlineData(null, 8, null, "3", "1", 3, 8)]    // sbatch --array=3: resumes shard 3 of 8, not shard 0 of 1
    [InlineData(null, 16, null, "6", "8", 6, 16)]  // stepped array 0-15:2: task 6 is shard 6
    [InlineData(null, null, null, null, null, 0, 1)]
    public void ShardResolve_OptionsAndEnvironment_GiveShard(string? shard, int? shards, string? k8s, string? slurmId, string? slurmCount, int k, int n)
    {
        var env = new Dictionary<string, string?>
        {
            ["JOB_COMPLETION_INDEX"] = k8s,
            ["SLURM_ARRAY_TASK_ID"] = slurmId,
            ["SLURM_ARRAY_TASK_COUNT"] = slurmCount,
            ["SLURM_ARRAY_TASK_MIN"] = slurmId,
        };
        var resolved = Shard.Resolve(shard, shards, name => env.GetValueOrDefault(name), out string? error);
        Assert.Null(error);
        Assert.Equal(new Shard(k, n), resolved);
    }

    [Theory]
    [InlineData("3/3", null, null)]
    [InlineData("x", null, null)]
    [InlineData(null, 3, null)]
    [InlineData(null, 3, "3")]
    public void ShardResolve_Invalid_Error(string? shard, int? shards, string? k8s)
    {
        Assert.Null(Shard.Resolve(shard, shards, name => name == "JOB_COMPLETION_INDEX" ? k8s : null, out string? error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(null, "2", "Slurm array task 2: give --shards N")]       // the array's shape is never the shard count
    [InlineData(4, "4", "SLURM_ARRAY_TASK_ID='4' is not a shard index below --shards 4")]
    public void ShardResolve_SlurmWithoutOrBeyondShards_Refused(int? shards, string task, string message)
    {
        var env = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = task, ["SLURM_ARRAY_TASK_COUNT"] = "1", ["SLURM_ARRAY_TASK_MIN"] = task };
        Assert.Null(Shard.Resolve(null, shards, name => env.GetValueOrDefault(name), out string? error));
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("8", true)]
    [InlineData("6", false)]
    public void ShardResolve_JobCompletionsEnv_MustEqualShards(string completions, bool ok)
    {
        var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "1", ["MARKETSIM_JOB_COMPLETIONS"] = completions };
        var shard = Shard.Resolve(null, 8, name => env.GetValueOrDefault(name), out string? error);
        Assert.Equal(ok, shard is not null);
        if (!ok) Assert.Contains("MARKETSIM_JOB_COMPLETIONS='6'", error);
    }

    [Fact]
    public void Shards_AnyCount_PartitionTheRuns()
    {
        for (int n = 1; n <= 5; n++)
        {
            var shards = Enumerable.Range(0, n).Select(k => new Shard(k, n)).ToList();
            Assert.All(Enumerable.Range(0, 50), i => Assert.Single(shards, s => s.Owns(i)));
        }
    }
}
