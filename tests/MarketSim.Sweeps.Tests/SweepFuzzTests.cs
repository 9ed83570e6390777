using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>Mutated sweep files must give problems or a sweep, never an unhandled exception.</summary>
public sealed class SweepFuzzTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "marketsim-sweep-fuzz", Guid.NewGuid().ToString("N"));

    public SweepFuzzTests()
    {
        // The example refers to ../jd-kuaishou-alliance.yaml: keep that layout.
        Directory.CreateDirectory(Path.Combine(folder, "sweeps"));
        foreach (var file in new[] { "baseline.yaml", "jd-kuaishou-alliance.yaml" })
            File.Copy(MarketSimProcess.Scenario(file), Path.Combine(folder, file));
        // The baseline names its calibration targets relative to itself.
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.Copy(MarketSimProcess.Scenario("data/targets.csv"), Path.Combine(folder, "data", "targets.csv"));
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Load_MutatedSweepFile_NeverThrows()
    {
        string original = File.ReadAllText(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "sweeps", "alliance-traffic-supply.yaml"));
        var random = new Random(3);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 250; i++)
        {
            string path = Path.Combine(folder, "sweeps", $"fuzz-{i}.yaml");
            File.WriteAllText(path, YamlMutator.Mutate(original, random));

            var result = SweepFile.Load(path);

            if (result.Ok) accepted++;
            else
            {
                rejected++;
                Assert.Null(result.Spec);
                Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
            }
        }
        Assert.True(accepted > 0 && rejected > 0, $"{accepted} accepted, {rejected} rejected: the mutations should reach both outcomes");
    }
}
