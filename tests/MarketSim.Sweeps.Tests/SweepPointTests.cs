using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>
/// Every point of a plan is checked before anything runs: a value inside a list, a grid level or a drawn point the
/// scenario refuses (both ends being fine) is a problem at the parameter's line, and a grid too large to count is refused.
/// </summary>
public sealed class SweepPointTests : IDisposable
{
    private readonly string folder = Cli.NewTempFolder();

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Parameters and design → key and words of the first problem. locality_size must be a power of two.</summary>
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "behaviour.locality_size: {values: [2, 3, 4]}", "{type: grid}", "parameters.behaviour.locality_size", "at point 1 (behaviour.locality_size=3): expected a power of two" },
        { "behaviour.locality_size: {min: 2, max: 16, levels: 3}", "{type: grid}", "parameters.behaviour.locality_size", "at point 1 (behaviour.locality_size=9)" },
        { "behaviour.locality_size: {min: 2, max: 16}", "{type: lhs, points: 6, seed: 1}", "parameters.behaviour.locality_size", "expected a power of two" },
        { "behaviour.locality_size: {min: 2, max: 16}", "{type: random, points: 6, seed: 1}", "parameters.behaviour.locality_size", "expected a power of two" },
        { "behaviour.locality_size: {min: 2, max: 16}", "{type: sobol, points: 4}", "parameters.behaviour.locality_size", "expected a power of two" },
        // 65536^4 = 2^64: a product in 64 bits wraps to 0.
        {
            "behaviour.locality_size: {min: 1, max: 2, levels: 65536}\n  calendar.steps: {min: 20, max: 30, levels: 65536}\n" +
            "  seed_x: ~\n", "{type: grid}", "design", "more than 10000000 points"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_InvalidPointInsideThePlan_IsAProblemAtTheParameter(string parameters, string design, string key, string words)
    {
        if (parameters.Contains("seed_x", StringComparison.Ordinal))
            parameters = parameters.Replace("  seed_x: ~\n", "  alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.2, levels: 65536}\n" +
                                                              "  alliances.jd-kuaishou.supply[0].share: {min: 0.1, max: 0.2, levels: 65536}\n");
        string path = Path.Combine(folder, "sweep.yaml");
        File.WriteAllText(path, $"name: points\nscenario: {MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")}\n" +
                                $"parameters:\n  {parameters}\ndesign: {design}\nagents: 5000\n");

        var loaded = SweepFile.Load(path);

        Assert.False(loaded.Ok);
        var problem = loaded.Problems[0];
        Assert.Equal(key, problem.Key);
        Assert.Contains(words, problem.Message, StringComparison.Ordinal);
        Assert.Equal(path, problem.File);
        Assert.True(problem.Line > 0);
    }
}
