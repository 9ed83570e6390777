using System.Collections;
using System.Globalization;
using System.Reflection;
using MarketSim.Scenarios;

namespace MarketSim.ScenarioFiles;

/// <summary>
/// Binds a <see cref="YNode"/> tree onto <see cref="Scenario"/> by reflection, so a property added to the model is
/// readable from files at once, under its snake_case name. Every problem is collected (not just the first), and every
/// bound value's position is remembered by its dotted path so that the validator's findings can point into the file.
/// </summary>
internal sealed class ScenarioBinder
{
    private readonly List<ScenarioProblem> problems;

    public ScenarioBinder(List<ScenarioProblem> problems) => this.problems = problems;

    /// <summary>Positions of bound nodes by dotted path (<c>platforms.jd.reach.t3</c>, <c>calibration[2].date</c>).</summary>
    public Dictionary<string, SourceMark> Marks { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// True when a mapping or list could not be read at all: the scenario then lacks whole sections that other rules
    /// refer to, and checking those rules would only bury the real problem under consequences.
    /// </summary>
    public bool StructureBroken { get; private set; }

    public Scenario Bind(YMap root) => (Scenario)BindObject(root, typeof(Scenario), "")!;

    /// <summary>Binds a mapping onto any settings class by the same rules (snake_case keys, positions, every problem).</summary>
    public T BindAs<T>(YMap root) where T : class => (T)BindObject(root, typeof(T), "")!;

    private object? BindValue(YNode node, Type type, string path)
    {
        Marks[path] = node.Mark;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
            return node is YScalar { IsNull: true } ? null : BindValue(node, underlying, path);
        if (type == typeof(string)) return Scalar(node, path, "text", s => s);
        if (type == typeof(double)) return Scalar(node, path, "a number", ParseDouble);
        if (type == typeof(int)) return Scalar(node, path, "a whole number", s => ParseWhole(s, int.MinValue, int.MaxValue) is { } v ? (object)(int)v : null);
        if (type == typeof(long)) return Scalar(node, path, "a whole number", s => ParseWhole(s, long.MinValue, long.MaxValue) is { } v ? (object)(long)v : null);
        if (type == typeof(ulong)) return Scalar(node, path, "a whole number ≥ 0", ParseUnsigned);
        if (type == typeof(bool)) return Scalar(node, path, "true or false", ParseBool);
        if (type == typeof(DateOnly)) return Scalar(node, path, "a date YYYY-MM-DD", ParseDate);
        if (type == typeof(RawYaml)) return new RawYaml(node); // interpreted by the settings' own code
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return BindList(node, type, path);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>)) return BindDictionary(node, type, path);
        if (type.IsClass) return BindObject(node, type, path);
        throw new NotSupportedException($"scenario property type {type} has no binding rule");
    }

    private object? BindObject(YNode node, Type type, string path)
    {
        if (node is not YMap map)
        {
            Problem(node.Mark, path, $"expected a mapping of keys to values, found {YamlTree.Show(node)}");
            StructureBroken = true;
            return null;
        }
        var target = Activator.CreateInstance(type)!;
        var properties = Properties(type);
        foreach (var (key, entry) in map.Entries)
        {
            string childPath = Join(path, key);
            if (!properties.TryGetValue(key, out var property))
            {
                Marks[childPath] = entry.KeyMark;
                Problem(entry.KeyMark, childPath, $"unknown key '{key}'{KeySuggestions.For(key, properties.Keys)}");
                continue;
            }
            var value = BindValue(entry.Value, property.PropertyType, childPath);
            Marks[childPath] = entry.KeyMark;
            if (value is not null || Nullable.GetUnderlyingType(property.PropertyType) is not null || IsNullableReference(property))
                property.SetValue(target, value);
        }
        return target;
    }

    private IList? BindList(YNode node, Type type, string path)
    {
        if (node is YScalar { IsNull: true }) return (IList)Activator.CreateInstance(type)!;
        if (node is not YSeq seq)
        {
            Problem(node.Mark, path, $"expected a list such as [a, b], found {YamlTree.Show(node)}");
            StructureBroken = true;
            return null;
        }
        var element = type.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(type)!;
        for (int i = 0; i < seq.Items.Count; i++)
            if (BindValue(seq.Items[i], element, $"{path}[{i}]") is { } value) list.Add(value);
        return list;
    }

    private IDictionary? BindDictionary(YNode node, Type type, string path)
    {
        if (node is YScalar { IsNull: true }) return (IDictionary)Activator.CreateInstance(type)!;
        if (node is not YMap map)
        {
            Problem(node.Mark, path, $"expected a mapping of ids to values, found {YamlTree.Show(node)}");
            StructureBroken = true;
            return null;
        }
        var element = type.GetGenericArguments()[1];
        var dictionary = (IDictionary)Activator.CreateInstance(type)!;
        foreach (var (key, entry) in map.Entries)
        {
            string childPath = Join(path, key);
            if (entry.Value is YScalar { IsNull: true } && Nullable.GetUnderlyingType(element) is null)
            {
                // What is left of a '~' after merging: an id the base does not have (removals of ids it has are gone).
                Marks[childPath] = entry.KeyMark;
                var known = map.Entries.Where(e => e.Value.Value is not YScalar { IsNull: true }).Select(e => e.Key).ToList();
                Problem(entry.KeyMark, childPath,
                    $"'~' removes an inherited entry, but there is no '{key}' to remove{KeySuggestions.For(key, known)}");
                continue;
            }
            if (BindValue(entry.Value, element, childPath) is { } value) dictionary[key] = value;
            Marks[childPath] = entry.KeyMark;
        }
        return dictionary;
    }

    private object? Scalar(YNode node, string path, string expected, Func<string, object?> parse)
    {
        if (node is not YScalar scalar || scalar.IsNull)
        {
            Problem(node.Mark, path, $"expected {expected}, found {YamlTree.Show(node)}");
            return null;
        }
        var value = parse(scalar.Value);
        if (value is null) Problem(node.Mark, path, $"expected {expected}, found {YamlTree.Show(node)}");
        return value;
    }

    private static object? ParseDouble(string s)
    {
        // Finite only: YAML's .nan and .inf, and .NET's "NaN" and "Infinity", would silently poison every sum downstream.
        return double.TryParse(Digits(s), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;
    }

    private static long? ParseWhole(string s, long min, long max)
    {
        string text = Digits(s);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            return v >= min && v <= max ? v : null;
        // Scientific notation (agents: 1e6) is the natural way to write large counts; accept it when it is whole.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && double.IsFinite(d) && d == Math.Floor(d) && d >= min && d <= max)
            return (long)d;
        return null;
    }

    private static object? ParseUnsigned(string s) =>
        ulong.TryParse(Digits(s), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : null;

    private static object? ParseBool(string s) => s switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    private static object? ParseDate(string s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>YAML allows digit separators ("1_000_000"); .NET's parsers do not.</summary>
    private static string Digits(string s) => s.Contains('_') ? s.Replace("_", "", StringComparison.Ordinal) : s;

    private static readonly Dictionary<Type, Dictionary<string, PropertyInfo>> PropertyCache = new();

    /// <summary>Settable properties by file key; <see cref="Scenario.Extends"/> is not one, since the loader resolves it.</summary>
    internal static Dictionary<string, PropertyInfo> Properties(Type type)
    {
        lock (PropertyCache)
        {
            if (PropertyCache.TryGetValue(type, out var known)) return known;
            var map = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && !(type == typeof(Scenario) && p.Name == nameof(Scenario.Extends)))
                .ToDictionary(p => ScenarioValidator.ToKey(p.Name), StringComparer.Ordinal);
            PropertyCache[type] = map;
            return map;
        }
    }

    private static bool IsNullableReference(PropertyInfo p) =>
        new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable;

    private void Problem(SourceMark mark, string path, string message) =>
        problems.Add(new ScenarioProblem(mark.File, mark.Line, mark.Column, path, message));

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

}
