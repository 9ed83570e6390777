using System.Diagnostics;
using MarketSim.Cli;

namespace MarketSim.Tests;

/// <summary>A fact that mounts a small tmpfs: needs root (and mount permission); skipped with the reason otherwise.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "tmpfs mounts need Linux";
        else if (Environment.UserName != "root") Skip = "not running as root: cannot mount a small tmpfs to fill or make read-only";
    }
}

/// <summary>A small tmpfs mounted for one test and unmounted after it.</summary>
internal sealed class SmallDisk : IDisposable
{
    public SmallDisk(string options)
    {
        Folder = CliProcess.NewTempFolder();
        var mount = Process.Start("mount", ["-t", "tmpfs", "-o", options, "tmpfs", Folder])!;
        mount.WaitForExit();
        if (mount.ExitCode != 0) throw new InvalidOperationException($"mount -o {options} failed ({mount.ExitCode})");
    }

    public string Folder { get; }

    /// <summary>Fills the disk but for <paramref name="leaveBytes"/> (one hidden file the run does not know of).</summary>
    public void Fill(long leaveBytes)
    {
        var info = new DriveInfo(Folder);
        using var fill = new FileStream(Path.Combine(Folder, ".fill"), FileMode.Create);
        var block = new byte[4096];
        long left = info.AvailableFreeSpace - leaveBytes;
        for (; left > 0; left -= block.Length) fill.Write(block, 0, (int)Math.Min(block.Length, left));
    }

    public void Dispose()
    {
        Process.Start("umount", [Folder])!.WaitForExit();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// Faults of the environment while writing: one <c>error:</c> line naming the path and the cause, the documented exit
/// code, no .NET stack trace, nothing partial visible.
/// </summary>
public sealed class IoFaultTests : IDisposable
{
    private readonly string work = CliProcess.NewTempFolder();
    private static readonly string Scenario = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    private static void AssertOneErrorLine(MarketSimProcess.Result r, int exitCode, params string[] words)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}\n{r.StdErr}");
        var errors = r.StdErr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, r.StdErr);
        foreach (var w in words) Assert.Contains(w, errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.StdErr, StringComparison.Ordinal);
    }

    /// <summary>Files a dataset reader would see (not hidden) under a folder.</summary>
    private static string[] Visible(string folder) => !Directory.Exists(folder) ? []
        : [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Where(n => !n!.StartsWith('.'))!];

    [Fact]
    public void Run_OutIsAnExistingFile_Exit2NamingIt()
    {
        string file = Path.Combine(work, "results");
        File.WriteAllText(file, "keep me");

        var r = MarketSimProcess.Run(work, "run", Scenario, "--agents", "2000", "--out", file);

        AssertOneErrorLine(r, 2, file, "is an existing file");
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void Run_OutBelowAFile_Exit2NamingTheFile()
    {
        string file = Path.Combine(work, "results");
        File.WriteAllText(file, "keep me");

        var r = MarketSimProcess.Run(work, "run", Scenario, "--agents", "2000", "--out", Path.Combine(file, "a", "b"));

        AssertOneErrorLine(r, 2, file, "is a file");
    }

    [MountFact]
    public void Run_ReadOnlyOutputFolder_Exit1NamingThePath()
    {
        using var disk = new SmallDisk("ro,size=1m");
        string output = Path.Combine(disk.Folder, "run");

        var r = MarketSimProcess.Run(work, "run", Scenario, "--agents", "2000", "--out", output);

        AssertOneErrorLine(r, 1, output, "Read-only");
        Assert.False(Directory.Exists(output));
    }

    [MountFact]
    public void Run_DiskFullWhileWriting_Exit1AndNothingVisible()
    {
        using var disk = new SmallDisk("size=2m");
        disk.Fill(leaveBytes: 48 * 1024);
        string output = Path.Combine(disk.Folder, "run");

        var r = MarketSimProcess.Run(work, "run", Scenario, "--agents", "20000", "--out", output);

        AssertOneErrorLine(r, 1, output, "disk is full");
        Assert.Contains("nothing of it was kept", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), string.Join(", ", Directory.Exists(output) ? Directory.GetFileSystemEntries(output) : []));
    }

    [MountFact]
    public void Run_DiskFullWhileCheckpointing_Exit1AndNoDamagedCheckpoint()
    {
        using var disk = new SmallDisk("size=2m");
        disk.Fill(leaveBytes: 200 * 1024);
        string output = Path.Combine(disk.Folder, "run");

        var r = MarketSimProcess.Run(work, "run", Scenario, "--agents", "40000", "--no-charts", "--checkpoint-every", "1", "--out", output);

        AssertOneErrorLine(r, 1, output, "disk is full");
        Assert.Empty(Visible(output));
        Assert.True(!Directory.Exists(output) || Directory.GetFiles(output, ".checkpoint*.tmp").Length == 0);
    }

    [Fact]
    public void Resume_DamagedCheckpoint_Exit2FolderUntouched()
    {
        string folder = Path.Combine(work, "run");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, ".checkpoint"), [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 31))]);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var before = Directory.GetFiles(folder).Select(f => (f, File.GetLastWriteTimeUtc(f), new FileInfo(f).Length)).ToList();

        var r = MarketSimProcess.Run(work, "run", "--resume", folder);

        AssertOneErrorLine(r, 2, ".checkpoint", "not a MarketSim checkpoint");
        Assert.Equal(before, Directory.GetFiles(folder).Select(f => (f, File.GetLastWriteTimeUtc(f), new FileInfo(f).Length)).ToList());
    }

    [Fact]
    public void Report_EnvironmentalFault_OneLineWithoutStackTrace()
    {
        var text = new StringWriter();
        int code = Faults.Report(new IOException("No space left on device : '/data/run/.metrics.parquet.tmp'"), text);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("error: No space left on device : '/data/run/.metrics.parquet.tmp' (the disk is full)", text.ToString().TrimEnd());
    }

    [Fact]
    public void Report_Bug_SaysSoAndGivesTheStackTrace()
    {
        Exception bug;
        try { throw new InvalidOperationException("sequence contains no elements"); }
        catch (InvalidOperationException e) { bug = e; }
        var text = new StringWriter();

        int code = Faults.Report(bug, text);

        Assert.Equal(ExitCodes.Failed, code);
        var lines = text.ToString().Split('\n');
        Assert.StartsWith("error: internal error (InvalidOperationException: sequence contains no elements). This is a bug", lines[0], StringComparison.Ordinal);
        Assert.Contains("please report it", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at MarketSim.Tests.IoFaultTests", StringComparison.Ordinal));
    }
}
