using System.Collections;
using System.Reflection;

namespace MarketSim.Scenarios;

/// <summary>
/// One number or date of a scenario, addressed by the path <c>--set</c>, sweeps and <c>assumptions:</c> use
/// (<c>platforms.jd.reach.t3</c>, <c>alliances.jd-kuaishou.supply[0].share</c>), read and written in place.
/// </summary>
/// <param name="Path">The value's path.</param>
/// <param name="Type">Its type (nullable unwrapped): double, int, long, ulong or DateOnly.</param>
/// <param name="Get">Reads the value (null for an absent optional date).</param>
/// <param name="Set">Writes a value of <paramref name="Type"/>.</param>
/// <param name="Limit">What the validator allows for it, as declared on its property; null for none.</param>
public sealed record ScenarioValue(string Path, Type Type, Func<object?> Get, Action<object?> Set, ScenarioLimit? Limit = null)
{
    /// <summary>True for a number (a plausible range applies to it).</summary>
    public bool IsNumber => Type != typeof(DateOnly);

    /// <summary>The value as a double (numbers only).</summary>
    public double Number => Convert.ToDouble(Get(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="v"/>, converted to the value's type (rounded for whole numbers).</summary>
    public void SetNumber(double v) => Set(Type == typeof(double) ? v : Convert.ChangeType(Math.Round(v), Type, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="key"/> names this value or a section above it.</summary>
    public bool IsUnder(string key) =>
        Path == key || (Path.Length > key.Length && Path.StartsWith(key, StringComparison.Ordinal) && Path[key.Length] is '.' or '[');
}

/// <summary>Every number and date of a scenario, walked the way the binder reads it (snake_case keys, ids, indices).</summary>
public static class ScenarioValues
{
    private static readonly Type[] Leaves = [typeof(double), typeof(int), typeof(long), typeof(ulong), typeof(DateOnly)];

    /// <summary>Every number and date of <paramref name="s"/> outside its <c>assumptions:</c> section, in file order.</summary>
    public static IReadOnlyList<ScenarioValue> Of(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var list = new List<ScenarioValue>();
        Walk(s, "", list, null);
        return list;
    }

    /// <summary>Walks <paramref name="o"/>; <paramref name="limit"/> is its property's, for the numbers of a map or list.</summary>
    private static void Walk(object o, string path, List<ScenarioValue> list, ScenarioLimit? limit)
    {
        switch (o)
        {
            case IDictionary dict:
                foreach (var key in dict.Keys.Cast<object>().ToList())
                {
                    string p = $"{path}.{key}";
                    if (dict[key] is { } v && !Add(v.GetType(), p, () => dict[key], x => dict[key] = x, list, limit)) Walk(v, p, list, null);
                }
                return;
            case IList items:
                for (int i = 0; i < items.Count; i++)
                {
                    int k = i;
                    string p = $"{path}[{i}]";
                    if (items[i] is { } v && !Add(v.GetType(), p, () => items[k], x => items[k] = x, list, limit)) Walk(v, p, list, null);
                }
                return;
        }
        var type = o.GetType();
        if (!type.IsClass || type.Namespace != typeof(Scenario).Namespace) return;
        foreach (var prop in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (prop.GetIndexParameters().Length > 0 || !prop.CanWrite || prop.PropertyType == typeof(OrderedDictionary<string, AssumptionSpec>)) continue;
            string p = path.Length == 0 ? ScenarioValidator.ToKey(prop.Name) : $"{path}.{ScenarioValidator.ToKey(prop.Name)}";
            // An absent optional value (an alliance without an end) is not a value of the scenario.
            if (prop.GetValue(o) is not { } child) continue;
            var t = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            var declared = ScenarioLimit.Of(prop);
            if (!Add(t, p, () => prop.GetValue(o), x => prop.SetValue(o, x), list, declared)) Walk(child, p, list, declared);
        }
    }

    /// <summary>
    /// Why <paramref name="path"/> can name no value of any scenario (an unknown key, with a suggestion, or an index on
    /// something that is not a list); null when the model has such a field. Ids of maps (platforms, tiers, alliances)
    /// are not checked: a derived scenario may remove them.
    /// </summary>
    public static string? ExplainPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Type type = typeof(Scenario);
        string at = "";
        foreach (var segment in path.Split('.'))
        {
            int bracket = segment.IndexOf('[', StringComparison.Ordinal);
            string key = bracket < 0 ? segment : segment[..bracket];
            if (key.Length == 0) return $"'{segment}' is not a key";
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>)) type = type.GetGenericArguments()[1];
            else if (!type.IsClass || type == typeof(string)) return $"'{at}' is a single value; it has no key '{key}'";
            else
            {
                var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
                    .ToDictionary(p => ScenarioValidator.ToKey(p.Name), p => p.PropertyType, StringComparer.Ordinal);
                if (!known.TryGetValue(key, out var next))
                    return $"unknown key '{key}'{(at.Length > 0 ? $" in {at}" : "")}{KeySuggestions.For(key, known.Keys)}";
                type = next;
            }
            at = at.Length == 0 ? key : $"{at}.{key}";
            type = Nullable.GetUnderlyingType(type) ?? type;
            for (int i = bracket; i >= 0 && i < segment.Length; i = segment.IndexOf('[', i + 1))
            {
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(List<>)) return $"'{at}' is not a list";
                type = type.GetGenericArguments()[0];
                int close = segment.IndexOf(']', i);
                at += close > i ? segment[i..(close + 1)] : "";
            }
        }
        return null;
    }

    private static bool Add(Type type, string path, Func<object?> get, Action<object?> set, List<ScenarioValue> list, ScenarioLimit? limit)
    {
        if (!Leaves.Contains(type)) return false;
        list.Add(new ScenarioValue(path, type, get, set, limit));
        return true;
    }
}
