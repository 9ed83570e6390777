using MarketSim.Output;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>
/// Whether an output folder can take a sweep. Shards of one sweep start at the same moment (a Slurm array): the first
/// may be between creating the folder and renaming its resolved file into place when the next one looks.
/// </summary>
public class SweepConflictTests
{
    private static SweepPlan Plan()
    {
        var loaded = SweepFile.Load(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "sweeps", "alliance-traffic-supply.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        return new SweepPlan(loaded.Spec!, "test");
    }

    private static void InFolder(Action<string> test)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"marketsim-conflict-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try { test(folder); }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Conflict_WhileAnotherShardWritesTheResolvedFile_None() => InFolder(folder =>
    {
        File.WriteAllText(AtomicFile.TempPathFor(Path.Combine(folder, SweepRunner.ResolvedFileName)), "partial");
        Assert.Null(SweepRunner.Conflict(folder, Plan()));
    });

    [Fact]
    public void Conflict_FolderWithOtherFilesAndNoResolvedFile_Refused() => InFolder(folder =>
    {
        File.WriteAllText(AtomicFile.TempPathFor(Path.Combine(folder, SweepRunner.ResolvedFileName)), "partial");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        Assert.Contains("is not empty", SweepRunner.Conflict(folder, Plan()));
        // Another file's temporary is not the sweep's either.
        File.Delete(Path.Combine(folder, "notes.txt"));
        File.WriteAllText(AtomicFile.TempPathFor(Path.Combine(folder, "other.yaml")), "x");
        Assert.Contains("is not empty", SweepRunner.Conflict(folder, Plan()));
    });

    [Fact]
    public void Conflict_EmptyOrSameSweep_None_DifferentSweep_Refused() => InFolder(folder =>
    {
        var plan = Plan();
        Assert.Null(SweepRunner.Conflict(folder, plan));
        File.WriteAllText(Path.Combine(folder, SweepRunner.ResolvedFileName), plan.ResolvedYaml());
        Assert.Null(SweepRunner.Conflict(folder, plan));
        File.WriteAllText(Path.Combine(folder, SweepRunner.ResolvedFileName), plan.ResolvedYaml() + "# changed\n");
        Assert.Contains("different sweep", SweepRunner.Conflict(folder, plan));
    });
}
