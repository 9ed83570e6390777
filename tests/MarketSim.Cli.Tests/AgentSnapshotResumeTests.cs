using MarketSim.Output;

namespace MarketSim.Tests;

/// <summary>Agent snapshots survive an interruption: the checkpoint carries those already taken.</summary>
public class AgentSnapshotResumeTests
{
    [Fact]
    public async Task Resume_WithAgentSnapshots_GivesByteIdenticalAgentsParquet()
    {
        string work = CliProcess.NewTempFolder();
        try
        {
            // One snapshot in the first step (taken before any interruption can come) and one near the end.
            string scenario = Path.Combine(work, "snapshots.yaml");
            File.WriteAllText(scenario, $"extends: {MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")}\nname: snapshots\n" +
                                        "outputs:\n  agent_snapshots: {dates: [2019-01-08, 2021-12-01], sample: 0.05}\n");
            string whole = Path.Combine(work, "whole"), interrupted = Path.Combine(work, "interrupted");
            var reference = MarketSimProcess.Run(work, "run", scenario, "--agents", "400000", "--out", whole, "--no-charts");
            Assert.True(reference.ExitCode == 0, reference.StdErr);

            using (var run = CliProcess.Start(work, "run", scenario, "--agents", "400000", "--out", interrupted, "--no-charts",
                       "--checkpoint-every", "3"))
            {
                await run.Progressed;
                run.Signal("TERM");
                Assert.Equal(130, await run.ExitAsync());
            }
            Assert.True(File.Exists(Path.Combine(interrupted, RunCheckpoint.FileName)));
            var resumed = MarketSimProcess.Run(work, "run", "--resume", interrupted, "--no-charts");

            Assert.True(resumed.ExitCode == 0, resumed.StdErr);
            foreach (var file in new[] { "agents.parquet", "metrics.parquet" })
                Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(interrupted, file))),
                    $"{file} differs after resuming");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
