using System.Reflection;
using MarketSim.Model.Alliances;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Model;

/// <summary>
/// The registry of alliance clause kinds (<see cref="AllianceClauseKind.All"/>) is the one list the validator, the
/// compiled alliance and attribution iterate. A clause class or an <see cref="AllianceSpec"/> section the registry lacks
/// would build, run without effect and book its effect as not attributed: these tests fail instead.
/// </summary>
public sealed class AllianceClauseKindsTests
{
    // AllianceSpec's own keys; every other property is a clause section.
    private static readonly string[] AllianceKeys = ["name", "members", "start", "end", "exclusive"];

    [Fact]
    public void Registry_EveryClauseClass_HasExactlyOneKind()
    {
        var clauseTypes = typeof(AllianceClause).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(AllianceClause)) && !t.IsAbstract).OrderBy(t => t.Name).ToList();

        Assert.NotEmpty(clauseTypes);
        foreach (var type in clauseTypes)
            Assert.True(AllianceClauseKind.All.Count(k => k.ClauseType == type) == 1,
                $"{type.Name} is not in AllianceClauseKind.All (or is there twice): add its Kind to the registry");
    }

    [Fact]
    public void Registry_EveryClauseSectionOfAllianceSpec_HasAKindOfItsKey()
    {
        var sections = typeof(AllianceSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => ScenarioValidator.ToKey(p.Name)).Where(k => !AllianceKeys.Contains(k)).Order(StringComparer.Ordinal);

        Assert.Equal(sections, AllianceClauseKind.All.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal(AllianceClauseKind.All.Select(k => k.Key), ScenarioClauses.AllianceClauseKeys);
    }

    public static TheoryData<string> Keys() => [.. AllianceClauseKind.All.Select(k => k.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Kind_SwitchOff_RemovesThatClauseOnlyAndItsCompiledClauses(string key)
    {
        var s = TestScenarios.WithAlliance(TestScenarios.Small(), new DateOnly(2019, 6, 1));
        var a = s.Alliances["jd-kuaishou"];
        var kind = AllianceClauseKind.All.Single(k => k.Key == key);
        var compilation = new AllianceCompilation(s, [.. s.Platforms.Keys], [.. s.Tiers.Keys]);
        Assert.True(kind.IsPresent(a), $"TestScenarios.WithAlliance states no {key} clause: add one, so that switching it off is tested");
        var others = AllianceClauseKind.All.Where(k => k != kind && k.IsPresent(a)).ToList();
        Assert.All(kind.Compile(compilation, a), c => Assert.IsType(kind.ClauseType, c));
        Assert.NotEmpty(kind.Compile(compilation, a));

        kind.SwitchOff(a);

        Assert.False(kind.IsPresent(a));
        Assert.Empty(kind.Compile(compilation, a));
        Assert.All(others, k => Assert.True(k.IsPresent(a), k.Key));
        Assert.Equal(others.Count, new CompiledAlliance(s, "test", a, compilation.PlatformIds, compilation.TierIds)
            .Clauses.Select(c => c.GetType()).Distinct().Count());
    }
}
