using System.Diagnostics;
using System.Reflection;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>
/// Two sweep processes on one dataset take different runs through per-run claims, and the dataset is the same as one
/// process's; a claim left by a process killed with SIGKILL is taken over.
/// </summary>
public sealed class SweepClaimTests(ReferenceSweep reference) : IClassFixture<ReferenceSweep>, IDisposable
{
    private readonly string work = Cli.NewTempFolder();

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    private void AssertSameAsReference(string output)
    {
        Assert.True(reference.Result.ExitCode == 0, reference.Result.StdErr);
        var expected = Cli.Files(reference.Output, f => Cli.Dataset(f) && !f.StartsWith("_claims/", StringComparison.Ordinal));
        var actual = Cli.Files(output, f => Cli.Dataset(f) && !f.StartsWith("_claims/", StringComparison.Ordinal));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
    }

    [Fact]
    public async Task Sweep_TwoProcessesOnOneDataset_BothSucceedSameDatasetAsOneProcess()
    {
        string sweep = ReferenceSweep.WriteSweep(work);
        string output = Path.Combine(work, "both");

        var a = MarketSimProcess.RunAsync(work, null, "sweep", sweep, "--out", output, "--parallel-runs", "1", "--threads", "1");
        var b = MarketSimProcess.RunAsync(work, null, "sweep", sweep, "--out", output, "--parallel-runs", "1", "--threads", "1");
        var results = await Task.WhenAll(a, b);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr));
        Assert.DoesNotContain("IOException", results[0].StdErr + results[1].StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "_SUCCESS")));
        AssertSameAsReference(output);
    }

    [Fact]
    public async Task Sweep_ClaimOfAKilledProcess_IsTakenOver()
    {
        string sweep = ReferenceSweep.WriteSweep(work);
        string output = Path.Combine(work, "stale");
        // A process that claimed run 0 and was killed: a pid of this host that no longer exists, a fresh heartbeat.
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        Directory.CreateDirectory(Path.Combine(output, RunClaims.FolderName));
        string version = typeof(SweepPlan).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        File.WriteAllText(Path.Combine(output, SweepRunner.ResolvedFileName), new SweepPlan(SweepFile.Load(sweep).Spec!, version).ResolvedYaml());
        File.WriteAllText(Path.Combine(output, RunClaims.FolderName, "run=000000.claim"),
            $"pid {gone.Id}\nhost {Environment.MachineName}\ntoken dead\nrun 000000\n");

        var r = await MarketSimProcess.RunAsync(work, null, "sweep", sweep, "--out", output);

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        AssertSameAsReference(output);
    }

    [Fact]
    public async Task Sweep_ResumedOverAStaleClaimOfADoneRun_RemovesIt()
    {
        // A process killed after writing run 0's marker and before releasing its claim (seen in CI: the resumed dataset
        // kept _claims/run=000000.claim). The run is done, so no process claims it again; resuming clears it.
        Assert.True(reference.Result.ExitCode == 0, reference.Result.StdErr);
        string output = Path.Combine(work, "done");
        foreach (var file in Directory.GetFiles(reference.Output, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(output, Path.GetRelativePath(reference.Output, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        string claim = Path.Combine(output, RunClaims.FolderName, "run=000000.claim");
        Directory.CreateDirectory(Path.GetDirectoryName(claim)!);
        File.WriteAllText(claim, $"pid {gone.Id}\nhost {Environment.MachineName}\ntoken dead\nrun 000000\n");

        var r = await MarketSimProcess.RunAsync(reference.Work, null, "sweep", reference.SweepFile, "--out", output);

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.False(File.Exists(claim), "the stale claim of a done run is still there");
        AssertSameAsReference(output);
    }
}
