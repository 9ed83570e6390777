using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>
/// <c>.ci/run</c> as CI runs it, with a stand-in <c>dotnet</c> that reports a skipped test the way the real one does
/// (a summary line on the console and a TRX file with the reason): the reason is printed, and with CI=true a skipped
/// Slurm or browser test fails the run while any other skip does not. The script and its helper run from a copy of
/// <c>.ci/</c> in a temporary folder, so nothing of the repository is built or tested.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CiRunTests
{
    [Theory]
    [InlineData("MarketSim.Tests.SlurmClusterTests.SbatchArray", "Slurm test skipped: apt-get update failed (100): Could not get lock", "true", true, 1)]
    [InlineData("MarketSim.Tests.StudioTests.Sliders", "chromium not on PATH", "true", true, 1)]
    [InlineData("MarketSim.Tests.SlurmClusterTests.SbatchArray", "Slurm test skipped: apt-get update failed (100): Could not get lock", "", true, 0)]
    [InlineData("MarketSim.Tests.IoFaultTests.DiskFull", "not running as root: cannot mount a small tmpfs", "true", false, 0)]
    public async Task SkippedTest_ReasonPrinted_RequiredOnesFailUnderCi(string test, string reason, string ci, bool required, int expectedExit)
    {
        string work = Path.Combine(Path.GetTempPath(), "marketsim-ci-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var env = Prepare(work, test, reason);
            if (ci.Length > 0) env["CI"] = ci;
            var result = await RunCi(work, env);

            Assert.Equal(expectedExit, result.ExitCode);
            Assert.Contains($"skipped: {test}: {reason}", result.StdOut, StringComparison.Ordinal);
            string must = required ? " (1 that CI must run)" : "";
            Assert.Contains($"tests: 7 passed, 0 failed, 1 skipped{must}", result.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void CiRun_InstallsSlurmAndBrowserUpFront_WithOneAptUpdate()
    {
        string script = File.ReadAllText(Path.Combine(MarketSimProcess.RepositoryRoot, ".ci", "run"));
        Assert.Contains("apt_packages=(slurm-wlm munge chromium chromium-driver)", script, StringComparison.Ordinal);
        // One update, before dotnet test starts: the lock race that made the Slurm test skip happens inside the tests.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(script, @"""\$\{apt\[@\]\}"" update"));
        Assert.True(script.IndexOf(" update ", StringComparison.Ordinal) < script.IndexOf("dotnet test", StringComparison.Ordinal));
    }

    /// <summary>A copy of .ci/ and stand-ins for dotnet, npm and the apt-installed programs on PATH.</summary>
    private static Dictionary<string, string> Prepare(string work, string test, string reason)
    {
        string ci = Path.Combine(work, ".ci"), bin = Path.Combine(work, "bin");
        Directory.CreateDirectory(ci);
        Directory.CreateDirectory(bin);
        foreach (var name in new[] { "run", "skips.py" })
            File.Copy(Path.Combine(MarketSimProcess.RepositoryRoot, ".ci", name), Path.Combine(ci, name));
        foreach (var program in new[] { "slurmctld", "slurmd", "munged", "sbatch", "chromium", "chromedriver", "npm" })
            Script(Path.Combine(bin, program), "exit 0");
        string trx = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
            <UnitTestResult testName="MarketSim.Tests.Other.Passes" outcome="Passed" />
            <UnitTestResult testName="{test}" outcome="NotExecuted"><Output><ErrorInfo><Message>{reason}</Message></ErrorInfo></Output></UnitTestResult>
            </Results></TestRun>
            """;
        File.WriteAllText(Path.Combine(work, "fake.trx"), trx);
        // Where the real projects put their TRX files (tests/Directory.Build.props), then the console's summary line.
        Script(Path.Combine(bin, "dotnet"), $"""
            mkdir -p "$MARKETSIM_TRX_DIR/MarketSim.Fake.Tests"
            cp "{Path.Combine(work, "fake.trx")}" "$MARKETSIM_TRX_DIR/MarketSim.Fake.Tests/x.trx"
            echo "Passed!  - Failed:     0, Passed:     7, Skipped:     1, Total:     8, Duration: 1 s - MarketSim.Fake.Tests.dll (net10.0)"
            """);
        // The system's python3 first: a pyenv shim needs pyenv itself on PATH.
        string python = Path.GetDirectoryName(Which("python3"))!;
        return new Dictionary<string, string> { ["PATH"] = $"{bin}:/usr/bin:/bin:{python}" };
    }

    private static async Task<ChildProcess.Result> RunCi(string work, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(work, ".ci", "run")]) { WorkingDirectory = work };
        psi.Environment.Remove("CI");
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return await ChildProcess.RunAsync(psi, TimeSpan.FromMinutes(1));
    }

    private static void Script(string path, string body)
    {
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not on PATH");
}
