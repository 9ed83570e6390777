using System.Text.Json;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// The shipped scenarios loaded once, handed out as fresh copies a test may change. Loading a file (YAML, extends,
/// the targets CSV) takes about 50 ms and a JSON copy about 1 ms; tests that change a scenario in code rather than in
/// a file would otherwise spend most of their time parsing, and a mutation run repeats them for every mutant.
/// </summary>
internal static class LoadedScenarios
{
    private static readonly Lazy<(string Baseline, string Alliance)> Json = new(() =>
    {
        using var files = new TempScenarios();
        return (Serialise(files.Baseline), Serialise(files.Alliance));
    });

    private static string Serialise(string path)
    {
        var result = ScenarioLoader.Load(path);
        if (!result.Ok) throw new InvalidOperationException(string.Join("\n", result.Problems));
        // Tests break one rule at a time on these copies: the file itself must break none.
        var issues = ScenarioValidator.Validate(result.Scenario!);
        if (issues.Count > 0) throw new InvalidOperationException($"{path}: {string.Join("; ", issues)}");
        string json = JsonSerializer.Serialize(result.Scenario);
        // A copy that lost or changed a value would make every test built on it test something else.
        if (JsonSerializer.Serialize(JsonSerializer.Deserialize<Scenario>(json)) != json)
            throw new InvalidOperationException($"{path}: a JSON copy of the scenario is not the scenario");
        return json;
    }

    /// <summary>A fresh copy of scenarios/baseline.yaml as loaded (valid: checked once, when loaded).</summary>
    public static Scenario Baseline() => JsonSerializer.Deserialize<Scenario>(Json.Value.Baseline)!;

    /// <summary>A fresh copy of scenarios/jd-kuaishou-alliance.yaml as loaded (valid: checked once, when loaded).</summary>
    public static Scenario Alliance() => JsonSerializer.Deserialize<Scenario>(Json.Value.Alliance)!;
}
