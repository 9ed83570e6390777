using System.Diagnostics;

namespace MarketSim.Tests;

public class InterruptTests
{
    [Fact]
    public async Task Run_Sigterm_StopsAtAStepWithExitCode130AndLeavesNothing()
    {
        string work = CliProcess.NewTempFolder();
        string output = Path.Combine(work, "run");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "marketsim.dll"), "run",
                     MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "3000000", "--out", output })
            psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        using var process = Process.Start(psi)!;
        var started = new TaskCompletionSource();
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log) log.AppendLine(e.Data);
            if (e.Data?.Contains("jd-kuaishou-alliance: ", StringComparison.Ordinal) == true) started.TrySetResult();
        };
        process.BeginErrorReadLine();
        _ = process.StandardOutput.ReadToEndAsync();

        var first = await Task.WhenAny(started.Task, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(first == started.Task, "no progress line: " + log);
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, process.ExitCode);
        lock (log) Assert.Contains("Interrupted at step", log.ToString());
        Assert.False(Directory.Exists(output), "an interrupted run left its folder behind");
    }
}
