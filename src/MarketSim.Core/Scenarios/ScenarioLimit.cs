using System.Globalization;
using System.Reflection;

namespace MarketSim.Scenarios;

/// <summary>
/// Declares what the validator allows for a number of the scenario (not what is plausible: that is an assumption's
/// range, in a scenario's <c>assumptions:</c> section). On a number, a map of numbers (each value) or a list of numbers
/// (each item). Read through <see cref="ScenarioLimit"/>; a platform attribute's limits are in
/// <see cref="PlatformAttribute"/>'s table instead.
/// </summary>
/// <param name="min">Smallest value allowed (<see cref="double.NegativeInfinity"/> for none).</param>
/// <param name="max">Largest value allowed (<see cref="double.PositiveInfinity"/>, or <see cref="int.MaxValue"/> for a whole number, for none).</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LimitAttribute(double min, double max) : Attribute
{
    /// <summary>Smallest value allowed.</summary>
    public double Min { get; } = min;

    /// <summary>Largest value allowed.</summary>
    public double Max { get; } = max;

    /// <summary>The smallest value itself is excluded (a duration or a population of 0 means nothing).</summary>
    public bool MinOpen { get; set; }
}

/// <summary>
/// A number's limits, the one definition the validator checks (generically, for every value of a scenario that has
/// one), the range tests iterate, the studio's knobs offer and the property tests draw from.
/// </summary>
/// <param name="Min">Smallest value allowed.</param>
/// <param name="Max">Largest value allowed.</param>
/// <param name="MinOpen">The smallest value itself is excluded.</param>
/// <param name="Whole">A whole number (an int or long property).</param>
public sealed record ScenarioLimit(double Min, double Max, bool MinOpen, bool Whole)
{
    /// <summary>True when <paramref name="v"/> lies within the limits (a non-finite value never does).</summary>
    public bool Allows(double v) => double.IsFinite(v) && (MinOpen ? v > Min : v >= Min) && v <= Max;

    /// <summary>No upper limit (infinity, or the largest int for a whole number).</summary>
    public bool Unbounded => double.IsPositiveInfinity(Max) || (Whole && Max >= int.MaxValue);

    /// <summary>What is expected, in the validator's words: "a number in [0, 1]", "a whole number ≥ 0", "a number &gt; 0".</summary>
    public string Expected => Whole
        ? (Unbounded ? $"a whole number ≥ {F(Min)}" : $"a whole number in [{F(Min)}, {F(Max)}]")
        : Unbounded ? $"a number {(MinOpen ? ">" : "≥")} {F(Min)}" : $"a number in {Interval}";

    /// <summary>The interval in brackets: "(0, 1]".</summary>
    public string Interval => $"{(MinOpen ? '(' : '[')}{F(Min)}, {F(Max)}]";

    /// <summary>The validator's message for a value outside: "expected a number in [0, 1], got 1.5".</summary>
    public string Refusal(double v) => $"expected {Expected}, got {F(v)}";

    /// <summary>
    /// The limits declared for a property of a scenario type: its <see cref="LimitAttribute"/>, or for a platform
    /// attribute its entry in <see cref="PlatformAttribute.All"/>; null when the property has none.
    /// </summary>
    public static ScenarioLimit? Of(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        // Read by reflection once per property: the validator walks every scenario of a sweep and every studio what-if.
        return Declared.GetOrAdd(property, Read);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<PropertyInfo, ScenarioLimit?> Declared = new();

    private static ScenarioLimit? Read(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        // A map or list of numbers: the limits apply to each value.
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>)) type = type.GetGenericArguments()[1];
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) type = type.GetGenericArguments()[0];
        bool whole = type == typeof(int) || type == typeof(long);
        if (property.GetCustomAttribute<LimitAttribute>() is { } declared)
            return new ScenarioLimit(declared.Min, declared.Max, declared.MinOpen, whole);
        if (property.DeclaringType == typeof(PlatformSpec) && PlatformAttribute.Find(ScenarioValidator.ToKey(property.Name)) is { } a)
            return new ScenarioLimit(a.ValidMin, a.ValidMax, a.MinOpen, false);
        return null;
    }

    /// <summary>The limits declared for <typeparamref name="T"/>'s property <paramref name="name"/> (which must have some).</summary>
    public static ScenarioLimit Of<T>(string name) =>
        Of(typeof(T).GetProperty(name) ?? throw new ArgumentException($"{typeof(T).Name} has no property {name}", nameof(name)))
        ?? throw new ArgumentException($"{typeof(T).Name}.{name} declares no limits", nameof(name));

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
