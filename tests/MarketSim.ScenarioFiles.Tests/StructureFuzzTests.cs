using System.Diagnostics;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// Structural mutations (nesting, aliases, complex keys, encodings, sizes) of the default scenarios: a result within
/// the time bound, problems or a scenario, never an exception or a stack overflow.
/// </summary>
public sealed class StructureFuzzTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    // Left out of mutation runs (scripts/mutation.sh): 46 of the project's 54 test-seconds, rerun for every mutant of
    // the validator, for a property (no exception) that the deterministic loader tests check case by case.
    [Trait("Category", "Fuzz")]
    [Theory]
    [InlineData("baseline.yaml", 11)]
    [InlineData("jd-kuaishou-alliance.yaml", 12)]
    public void Load_StructurallyMutatedScenario_NeverThrowsWithinTheTimeBound(string name, int seed)
    {
        string original = File.ReadAllText(Path.Combine(files.Folder, name));
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        int tried = 0, refused = 0;
        // Bounded by count and by time, so that a slow machine runs fewer cases rather than a longer test.
        while (tried < 150 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            string path = Path.Combine(files.Folder, $"structure-{seed}-{tried}.yaml");
            File.WriteAllBytes(path, YamlMutator.MutateStructure(original, random));

            var result = ScenarioLoader.Load(path);

            if (!result.Ok)
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
                refused++;
            }
            File.Delete(path);
            tried++;
        }
        Assert.True(tried >= 20, $"only {tried} cases in the time bound");
        Assert.True(refused > 0, "no structural mutation was refused");
    }
}
