using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>A fact that needs Node.js and npm (to run DuckDB as an independent Parquet reader); skipped without them.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!OnPath("node") || !OnPath("npm")) Skip = "Node.js and npm are not on PATH: DuckDB check skipped";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Any(dir => File.Exists(Path.Combine(dir, program)));
}

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

        string checker = Path.Combine(MarketSimProcess.RepositoryRoot, "tests", "duckdb");
        if (!Directory.Exists(Path.Combine(checker, "node_modules", "@duckdb")))
        {
            var install = Shell(checker, "npm", "ci", "--no-audit", "--no-fund");
            Assert.True(install.ExitCode == 0, "npm ci failed: " + install.Output);
        }
        var check = Shell(checker, "node", "check.mjs", output);

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("all checks passed", check.Output);
    }

    private static (int ExitCode, string Output) Shell(string directory, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
