namespace MarketSim.Tests;

/// <summary>Reads a real run's Parquet with DuckDB (tests/duckdb/check.mjs), a reader that shares no code with ours.</summary>
public class DuckDbCheckTests
{
    [NodeFact]
    public void Run_AllianceScenario_DuckDbReadsEveryFileAndInvariantsHold()
    {
        string work = CliProcess.NewTempFolder();
        string output = Path.Combine(work, "run");
        // With agent snapshots, so that DuckDB reads agents.parquet too.
        string scenario = Path.Combine(work, "snapshots.yaml");
        File.WriteAllText(scenario, $"extends: {MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")}\nname: snapshots\n" +
                                    "outputs:\n  agent_snapshots: {dates: [2019-06-18, 2021-06-18], sample: 0.2}\n");
        var run = MarketSimProcess.Run(work, "run", scenario, "--agents", "50000", "--out", output, "--no-charts");
        Assert.True(run.ExitCode == 0, run.StdErr);

        var check = NodeTools.Run(NodeTools.DuckDb, "check.mjs", output);

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("all checks passed", check.Output);
    }
}
