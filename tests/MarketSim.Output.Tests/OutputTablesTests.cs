using MarketSim.Output;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>The catalogue is the one list: the scenario's outputs keys, the selection and the writer all follow it.</summary>
public sealed class OutputTablesTests
{
    private static readonly string Baseline = MarketSimProcess.Scenario("baseline.yaml");

    public static TheoryData<string> Keys() => [.. OutputTables.Keys];

    [Theory]
    [MemberData(nameof(Keys))]
    public void ScenarioOutputs_KeySwitchedOff_SelectionLeavesOutExactlyThatTable(string key)
    {
        var loaded = ScenarioLoader.Load(Baseline, new Dictionary<string, string> { [$"outputs.{key}"] = "false" });
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));

        var selection = OutputSelection.Of(loaded.Scenario!.Outputs);

        Assert.Equal(OutputTables.All.Where(t => t.Key != key).Select(t => t.Name), OutputTables.All.Where(selection.Includes).Select(t => t.Name));
    }

    [Fact]
    public void ScenarioOutputs_UnknownKey_NamesEveryTableKey()
    {
        var loaded = ScenarioLoader.Load(Baseline, new Dictionary<string, string> { ["outputs.tables"] = "true" });

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal("outputs.tables", problem.Key);
        Assert.All(OutputTables.Keys, key => Assert.Contains(key, problem.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Selection_KeyNotInCatalogue_IsRefusedNamingTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => new OutputSelection(["metrics", "overlaps"]));

        Assert.Contains("'overlaps'", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'overlap'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_EverySelectableTableOff_WritesOnlyTheAlwaysWrittenTables()
    {
        using var tmp = new TempFolder();
        var none = OutputTables.Selectable.Aggregate(OutputSelection.All, (s, t) => s.With(t, false));

        await TestRuns.WriteAsync(tmp.Run(), steps: 2, selection: none);

        var parquet = Directory.GetFiles(tmp.Run(), "*.parquet").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(OutputTables.All.Where(t => t.Key is null && t != OutputTables.Agents).Select(t => t.FileName).Order(StringComparer.Ordinal), parquet);
    }

    [Fact]
    public void Catalogue_NamesAndKeysAreUnique()
    {
        Assert.Equal(OutputTables.All.Count, OutputTables.All.Select(t => t.Name).Distinct().Count());
        Assert.Equal(OutputTables.Keys.Count, OutputTables.Keys.Distinct().Count());
        Assert.All(OutputTables.Selectable, t => Assert.NotNull(t.InScenario));
    }
}

/// <summary>docs/output.md's folder layout lists exactly the catalogue's tables, each with its line and key.</summary>
public sealed class OutputTablesDocsTests
{
    [Fact]
    public void OutputDoc_FolderLayout_HasEveryCatalogueTableWithItsDocLineAndKey()
    {
        var lines = File.ReadAllLines(Path.Combine(MarketSimProcess.RepositoryRoot, "docs", "output.md"));
        var listed = lines.Where(l => l.StartsWith("├── ", StringComparison.Ordinal) && l.Contains(".parquet", StringComparison.Ordinal)).ToList();

        Assert.Equal(OutputTables.All.Count, listed.Count);
        foreach (var table in OutputTables.All)
        {
            var line = Assert.Single(listed, l => l.StartsWith("├── " + table.FileName + " ", StringComparison.Ordinal));
            Assert.Contains(table.Doc, line, StringComparison.Ordinal);
            if (table.Key is { } key) Assert.Contains($"(if outputs.{key}", line, StringComparison.Ordinal);
        }
    }
}
