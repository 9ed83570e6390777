using System.Globalization;
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

    /// <summary>A path as a column name: lower case, every run of other characters one underscore.</summary>
    public static string ColumnName(string path)
    {
        var sb = new System.Text.StringBuilder(path.Length);
        foreach (char c in path.ToLower(CultureInfo.InvariantCulture))
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        return sb.ToString().TrimEnd('_');
    }
}
