using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>The sweep files in scenarios/sweeps load against the shipped scenarios as they are.</summary>
public class ShippedSweepFilesTests
{
    public static TheoryData<string> Files() =>
        [.. Directory.GetFiles(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "sweeps"), "*.yaml").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public void ShippedSweepFile_LoadsWithoutProblems(string file)
    {
        // A scenario change (the start moved to 31 December 2018) once left the example's output date a day past the
        // calendar, and nothing ran the file until a user did.
        var loaded = SweepFile.Load(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "sweeps", file), file);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
    }
}
