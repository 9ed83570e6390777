using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>Mutated scenario files must give problems or a scenario, never an unhandled exception.</summary>
public sealed class ScenarioFuzzTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    // Left out of mutation runs (scripts/mutation.sh): 46 of the project's 54 test-seconds, rerun for every mutant of
    // the validator, for a property (no exception) that the deterministic loader tests check case by case.
    [Trait("Category", "Fuzz")]
    [Theory]
    [InlineData("baseline.yaml", 1)]
    [InlineData("jd-kuaishou-alliance.yaml", 2)]
    public void Load_MutatedScenario_NeverThrows(string name, int seed)
    {
        string original = File.ReadAllText(Path.Combine(files.Folder, name));
        var random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 400; i++)
        {
            string text = YamlMutator.Mutate(original, random);
            string path = files.Write($"fuzz-{seed}-{i}.yaml", text);

            var result = ScenarioLoader.Load(path);

            if (result.Ok)
            {
                // A scenario the validator accepts must also compile into a model: validation is the only gate.
                _ = new MarketSim.Model.MarketModel(result.Scenario!);
                accepted++;
            }
            else
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
                Assert.Null(result.Scenario);
            }
        }
        // Some mutations are harmless (a comment, a value still in range): the fuzzer must reach the validator too.
        Assert.InRange(accepted, 1, 399);
    }
}
