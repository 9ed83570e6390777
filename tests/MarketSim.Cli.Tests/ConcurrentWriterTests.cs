namespace MarketSim.Tests;

/// <summary>Two processes, one run folder: the second refuses at once; a lock left by a killed process is no lock.</summary>
public sealed class ConcurrentWriterTests : IDisposable
{
    private readonly string work = CliProcess.NewTempFolder();

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Run_SecondWriterOnTheSameOut_RefusedAtOnceThenFreeAfterSigkill()
    {
        string output = Path.Combine(work, "run");
        string scenario = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        // The first writer must still be writing when the second asks: 2 000 steps at 200 000 agents take minutes even
        // on a quiet machine (with the default 156 steps it finished in 29 s on a loaded one, before the second had
        // started, and the folder held its _SUCCESS).
        string longer = Path.Combine(work, "longer.yaml");
        File.WriteAllText(longer, $"extends: {scenario}\nname: longer\ncalendar: {{steps: 2000}}\n");
        using (var first = CliProcess.Start(work, "run", longer, "--agents", "200000", "--no-charts", "--out", output))
        {
            await first.Progressed.WaitAsync(TimeSpan.FromMinutes(2));

            var second = await MarketSimProcess.RunAsync(work, null, "run", scenario, "--agents", "2000", "--out", output);

            Assert.True(second.ExitCode == 4, second.StdErr);
            var error = Assert.Single(second.StdErr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.Contains($"{output} is being written by another marketsim process (pid {first.Process.Id} on {Environment.MachineName}", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(output, "_SUCCESS")));

            first.Signal("KILL");
            await first.ExitAsync();
        }

        // The kernel dropped the killed process's lock: the folder can be written again.
        var third = await MarketSimProcess.RunAsync(work, null, "run", scenario, "--agents", "2000", "--no-charts", "--out", output);
        Assert.True(third.ExitCode == 0, third.StdErr);
        Assert.True(File.Exists(Path.Combine(output, "_SUCCESS")));
    }
}
