using System.Diagnostics;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>Structural mutations of the example sweep: problems or a sweep within the time bound, never an exception.</summary>
public sealed class SweepStructureFuzzTests
{
    [Fact]
    public void Load_StructurallyMutatedSweep_NeverThrowsWithinTheTimeBound()
    {
        string folder = Cli.NewTempFolder();
        try
        {
            string original = File.ReadAllText(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "sweeps", "alliance-traffic-supply.yaml"))
                .Replace("scenario: ../", "scenario: " + Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios") + "/", StringComparison.Ordinal);
            var random = new Random(5);
            var clock = Stopwatch.StartNew();
            int tried = 0;
            while (tried < 100 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                string path = Path.Combine(folder, $"s{tried}.yaml");
                File.WriteAllBytes(path, YamlMutator.MutateStructure(original, random));
                var result = SweepFile.Load(path);
                if (!result.Ok) Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
                tried++;
            }
            Assert.True(tried >= 10, $"only {tried} cases in the time bound");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
