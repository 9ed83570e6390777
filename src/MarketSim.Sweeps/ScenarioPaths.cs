using System.Reflection;
using System.Text.RegularExpressions;
using MarketSim.Scenarios;

namespace MarketSim.Sweeps;

/// <summary>
/// The type of the scenario field a dotted path names (<c>calendar.steps</c> → int), found by walking the scenario
/// model the way the loader binds it: properties under their snake_case keys, dictionary entries by id, list items by
/// index. Used to draw integers for integer fields; whether the path exists in a given scenario is the loader's call.
/// </summary>
public static partial class ScenarioPaths
{
    [GeneratedRegex(@"^(?<key>[^.\[\]]+)(?<index>\[[0-9]+\])*$")]
    private static partial Regex Segment();

    /// <summary>The field's type (nullable unwrapped), or null when the path does not lead to a field of the model.</summary>
    public static Type? FieldType(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        Type type = typeof(Scenario);
        foreach (var segment in path.Split('.'))
        {
            var m = Segment().Match(segment);
            if (!m.Success) return null;
            type = Member(type, m.Groups["key"].Value) ?? typeof(void);
            if (type == typeof(void)) return null;
            foreach (Capture _ in m.Groups["index"].Captures)
            {
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(List<>)) return null;
                type = type.GetGenericArguments()[0];
            }
        }
        return Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary>
    /// Why <paramref name="path"/> names no field of the scenario model (an unknown key with a suggestion, or an index
    /// on something that is not a list); null when the model has such a field. Entries of id-keyed maps (platforms,
    /// alliances) are not checked here: whether the scenario has them is for the loader to say.
    /// </summary>
    public static string? Explain(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "expected a scenario key path such as 'population.agents'";
        Type type = typeof(Scenario);
        string at = "";
        foreach (var segment in path.Split('.'))
        {
            var m = Segment().Match(segment);
            if (!m.Success) return $"'{segment}' is not a key: expected a path such as 'alliances.jd-kuaishou.traffic[0].share'";
            string key = m.Groups["key"].Value;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>)) type = type.GetGenericArguments()[1];
            else if (!type.IsClass || type == typeof(string)) return $"'{at}' is a single value; it has no key '{key}'";
            else
            {
                var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && !(type == typeof(Scenario) && p.Name == nameof(Scenario.Extends)))
                    .ToDictionary(p => ScenarioValidator.ToKey(p.Name), p => p.PropertyType, StringComparer.Ordinal);
                if (!known.TryGetValue(key, out var next))
                    return $"unknown key '{key}'{(at.Length > 0 ? $" in {at}" : "")}{KeySuggestions.For(key, known.Keys)}";
                type = next;
            }
            at = at.Length == 0 ? key : $"{at}.{key}";
            type = Nullable.GetUnderlyingType(type) ?? type;
            foreach (Capture c in m.Groups["index"].Captures)
            {
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(List<>)) return $"'{at}' is not a list: it has no {c.Value}";
                if (ScenarioFiles.ScenarioOverrides.PathProblem(segment) is { } tooFar) return tooFar;
                type = type.GetGenericArguments()[0];
                at += c.Value;
            }
        }
        return null;
    }

    /// <summary>The parameter kind of a field type.</summary>
    public static ParameterKind KindOf(Type? type) =>
        type == typeof(double) || type == typeof(float) ? ParameterKind.Real
        : type == typeof(int) || type == typeof(long) ? ParameterKind.Integer
        : ParameterKind.Text;

    private static Type? Member(Type type, string key)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>))
            return type.GetGenericArguments()[1];
        if (!type.IsClass || type == typeof(string)) return null;
        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.CanWrite && ScenarioValidator.ToKey(p.Name) == key);
        return property?.PropertyType;
    }

    /// <summary>A path as a column name (<see cref="Output.ColumnNames.Of"/>).</summary>
    public static string ColumnName(string path) => Output.ColumnNames.Of(path);
}
