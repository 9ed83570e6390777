using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Every limit the validator enforces, value by value: at each end that is part of the range the value is accepted,
/// just outside it is refused at the value's own path with the range in words. The declared limits
/// (<see cref="LimitAttribute"/> on the scenario's types, <see cref="PlatformAttribute"/> for platform attributes) are
/// iterated, one value per declared property of the alliance scenario, so a limit added to the types is tested here
/// without a line more; the few ranges that depend on other values (a distribution's parameters, a target's unit) are
/// listed by hand. A limit the validator stopped checking, one that reports under another key, or an end moved by an
/// off-by-one, fails here.
/// </summary>
public sealed class ValidatorRangeTests
{
    /// <summary>A value of the alliance scenario and the range it must be in.</summary>
    public sealed record Case(string Path, Action<Scenario, double> Set, double Lo, double Hi, bool LoOpen = false, bool Whole = false)
    {
        public override string ToString() => Path;
    }

    private static readonly double Inf = double.PositiveInfinity;

    /// <summary>Ranges that depend on other values of the scenario, so not declared on a property.</summary>
    public static readonly Case[] Conditional =
    [
        new("population.traits.price_sensitivity.sigma", (s, v) => s.Population.Traits.PriceSensitivity.Sigma = v, 0, Inf, LoOpen: true),
        new("population.traits.orders_per_week.shape", (s, v) => s.Population.Traits.OrdersPerWeek = new() { Distribution = "gamma", Shape = v, Rate = 2 }, 0, Inf, LoOpen: true),
        new("population.traits.orders_per_week.rate", (s, v) => s.Population.Traits.OrdersPerWeek = new() { Distribution = "gamma", Shape = 2.5, Rate = v }, 0, Inf, LoOpen: true),
        new("population.traits.content_affinity.a", (s, v) => s.Population.Traits.ContentAffinity = new() { Distribution = "beta", A = v, B = 3 }, 0, Inf, LoOpen: true),
        new("population.traits.content_affinity.b", (s, v) => s.Population.Traits.ContentAffinity = new() { Distribution = "beta", A = 2, B = v }, 0, Inf, LoOpen: true),
        new("calibration[0].value", (s, v) => s.Calibration[0].Value = v, 0, Inf, LoOpen: true),
    ];

    /// <summary>
    /// One value of the alliance scenario per declared limit: the first of each path shape (ids and indices made
    /// wildcards), so platforms.jd.reach.t1 stands for every platform's reach in every tier.
    /// </summary>
    public static IReadOnlyList<Case> Declared { get; } = DeclaredCases();

    private static List<Case> DeclaredCases()
    {
        var s = LoadedScenarios.Alliance();
        var ids = s.Tiers.Keys.Concat(s.Platforms.Keys).Concat(s.Calendar.Festivals.Keys).Concat(s.Streamers.Keys)
            .Concat(s.Interventions.Keys).Concat(s.Alliances.Keys).ToHashSet(StringComparer.Ordinal);
        var shapes = new HashSet<string>(StringComparer.Ordinal);
        var cases = new List<Case>();
        foreach (var v in ScenarioValues.Of(s))
        {
            if (v.Limit is not { } limit) continue;
            string shape = string.Join(".", v.Path.Split('.').Select(seg => ids.Contains(seg) ? "*" : System.Text.RegularExpressions.Regex.Replace(seg, @"\[\d+\]", "[*]")));
            if (!shapes.Add(shape)) continue;
            string path = v.Path;
            cases.Add(new Case(path, (scenario, x) => ScenarioValues.Of(scenario).Single(w => w.Path == path).SetNumber(x), limit.Min, limit.Max, limit.MinOpen, limit.Whole));
        }
        return cases;
    }

    public static TheoryData<string> All => [.. Declared.Concat(Conditional).Select(c => c.Path)];

    private static Case Named(string path) => Declared.Concat(Conditional).Single(c => c.Path == path);

    private static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static bool Unbounded(Case c) => double.IsPositiveInfinity(c.Hi) || (c.Whole && c.Hi >= int.MaxValue);

    private static string Expected(Case c) => c.Whole
        ? (Unbounded(c) ? $"expected a whole number ≥ {F(c.Lo)}" : $"expected a whole number in [{F(c.Lo)}, {F(c.Hi)}]")
        : Unbounded(c)
            ? $"expected a number {(c.LoOpen ? ">" : "≥")} {F(c.Lo)}"
            : $"expected a number in {(c.LoOpen ? '(' : '[')}{F(c.Lo)}, {F(c.Hi)}]";

    private static IReadOnlyList<ScenarioIssue> IssuesWith(Case c, double value)
    {
        var s = LoadedScenarios.Alliance();
        c.Set(s, value);
        return ScenarioValidator.Validate(s).Where(i => i.Path == c.Path).ToList();
    }

    /// <summary>The issues at the value's path that speak of its range (other rules may speak of the same value at an end).</summary>
    private static IReadOnlyList<ScenarioIssue> RangeIssuesWith(Case c, double value) =>
        [.. IssuesWith(c, value).Where(i => i.Message.StartsWith("expected a ", StringComparison.Ordinal) && i.Message.Contains(" got ", StringComparison.Ordinal))];

    [Fact]
    public void DeclaredLimits_CoverEveryLimitedPropertyOfTheTypes()
    {
        // Every property of a scenario type that declares limits has a value in the alliance scenario, so it is iterated.
        var declared = typeof(Scenario).Assembly.GetTypes().Where(t => t.Namespace == typeof(Scenario).Namespace && t.IsClass)
            .SelectMany(t => t.GetProperties()).Where(p => ScenarioLimit.Of(p) is not null)
            .Select(p => ScenarioValidator.ToKey(p.Name)).ToHashSet(StringComparer.Ordinal);
        var iterated = Declared.Select(c => c.Path.Split('.')[^1].Split('[')[0]).ToHashSet(StringComparer.Ordinal);
        // Per-tier and per-platform maps end in an id: their property is the segment before it.
        iterated.UnionWith(Declared.Select(c => c.Path.Split('.')).Where(p => p.Length > 1).Select(p => p[^2]));
        Assert.Empty(declared.Except(iterated));
        Assert.True(Declared.Count >= 50, $"only {Declared.Count} declared limits iterated");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Value_AtAnEndOfItsRange_IsAccepted(string path)
    {
        var c = Named(path);
        if (!c.LoOpen && double.IsFinite(c.Lo)) Assert.Empty(RangeIssuesWith(c, c.Lo));
        if (!Unbounded(c)) Assert.Empty(RangeIssuesWith(c, c.Hi));
        // Inside an open end: the smallest step a person would write.
        if (c.LoOpen) Assert.Empty(RangeIssuesWith(c, c.Lo + (c.Whole ? 1 : 0.001)));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Value_JustOutsideItsRange_IsRefusedAtItsPathWithTheRange(string path)
    {
        var c = Named(path);
        if (double.IsFinite(c.Lo))
        {
            double below = c.LoOpen ? c.Lo : c.Lo - (c.Whole ? 1 : 0.5);
            Assert.Contains(IssuesWith(c, below), i => Refuses(c, i.Message, below));
        }
        if (Unbounded(c)) return;
        double above = c.Hi + (c.Whole ? 1 : 0.5);
        Assert.Contains(IssuesWith(c, above), i => Refuses(c, i.Message, above));
    }

    /// <summary>
    /// The validator's refusal in its usual words, or (for a value with a rule of its own: a locality's power of two, a
    /// snapshot's fraction of agents) words of its own that still give the range and the value.
    /// </summary>
    private static bool Refuses(Case c, string message, double value) =>
        message == $"{Expected(c)}, got {F(value)}"
        || (!Unbounded(c) && message.EndsWith($", got {F(value)}", StringComparison.Ordinal)
            && message.Contains($"{(c.LoOpen ? '(' : '[')}{F(c.Lo)}, {F(c.Hi)}]", StringComparison.Ordinal));

    [Theory]
    [InlineData("interventions.jd_jingxi.tiers[0]", "tier", "t9")]
    [InlineData("alliances.jd-kuaishou.traffic[0].tiers[0]", "tier", "t9")]
    [InlineData("alliances.jd-kuaishou.logistics[0].tiers[0]", "tier", "t9")]
    [InlineData("calibration[0].tiers", "tier", "t9")]
    [InlineData("streamers.kuaishou_streamers.platform", "platform", "kuaishuo")]
    public void Reference_ToAnUnknownTierOrPlatform_IsRefusedWithWhatIsKnown(string path, string kind, string value)
    {
        var s = path.StartsWith("alliances", StringComparison.Ordinal) ? LoadedScenarios.Alliance() : LoadedScenarios.Baseline();
        switch (path)
        {
            case "interventions.jd_jingxi.tiers[0]": s.Interventions["jd_jingxi"].Tiers[0] = value; break;
            case "alliances.jd-kuaishou.traffic[0].tiers[0]": s.Alliances["jd-kuaishou"].Traffic[0].Tiers[0] = value; break;
            case "alliances.jd-kuaishou.logistics[0].tiers[0]": s.Alliances["jd-kuaishou"].Logistics[0].Tiers = [value]; break;
            case "calibration[0].tiers": s.Calibration[0].Tiers = [value]; break;
            default: s.Streamers["kuaishou_streamers"].Platform = value; break;
        }
        string known = kind == "tier" ? string.Join(", ", s.Tiers.Keys) : string.Join(", ", s.Platforms.Keys);
        var issue = Assert.Single(ScenarioValidator.Validate(s), i => i.Path == path);
        Assert.StartsWith($"unknown {kind} '{value}'; known: {known}", issue.Message);
    }
}
