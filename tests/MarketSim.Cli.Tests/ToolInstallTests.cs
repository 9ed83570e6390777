using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>The README's install step as a new user types it: pack, install as a dotnet tool, run.</summary>
public class ToolInstallTests
{
    [Fact]
    public async Task DotnetToolInstall_FromLocalPack_MarketsimRunsVersionAndATinyRun()
    {
        string work = CliProcess.NewTempFolder();
        try
        {
            string nupkg = Path.Combine(work, "nupkg"), tools = Path.Combine(work, "tools");
            string repo = MarketSimProcess.RepositoryRoot;
            var pack = await Run(repo, "dotnet", "pack", "src/MarketSim.Cli", "-c", "Release", "-o", nupkg);
            Assert.True(pack.Code == 0, pack.Output);
            var install = await Run(work, "dotnet", "tool", "install", "--tool-path", tools, "marketsim", "--add-source", nupkg);
            Assert.True(install.Code == 0, install.Output);

            string marketsim = Path.Combine(tools, "marketsim");
            var version = await Run(work, marketsim, "--version");
            Assert.True(version.Code == 0, version.Output);
            Assert.StartsWith(typeof(MarketSim.Cli.Runs.RunJob).Assembly.GetName().Version!.ToString(3), version.StdOut.Trim(), StringComparison.Ordinal);

            string output = Path.Combine(work, "run");
            var run = await Run(work, marketsim, "run", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "2000",
                "--set", "calendar.steps=8", "--no-charts", "--out", output);
            Assert.True(run.Code == 0, run.Output);
            Assert.True(File.Exists(Path.Combine(output, "_SUCCESS")), run.Output);
            Assert.True(File.Exists(Path.Combine(output, "dimensions.parquet")));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<(int Code, string Output, string StdOut)> Run(string directory, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // Packing builds the Release configuration; on a busy 2-core machine that took minutes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); return (-1, $"{program} {string.Join(' ', args)} did not finish in 10 minutes", ""); }
        // Output names the command for failure messages; StdOut is what the program printed, for exact checks.
        return (p.ExitCode, $"{program} {string.Join(' ', args)}\n{await stdout}{await stderr}", await stdout);
    }
}
