using System.Collections;
using System.Globalization;

namespace MarketSim.ScenarioFiles;

/// <summary>
/// Scenario overrides from the command line (<c>--set path=value</c>, <c>--agents</c>, <c>--seed</c>), in the order
/// given, each remembering the option it came from so that a value the scenario refuses is reported as
/// <c>error: --set alliances.jd-kuaishou.traffic[0].share=1.6: …</c>. Every command that runs scenarios parses its
/// options here, so <c>run</c>, <c>compare</c> and <c>sweep</c> accept and check them alike; the values themselves are
/// applied and validated by <see cref="ScenarioLoader"/> exactly as if they were in the file.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Named for what users give (--set overrides); a read-only view, not a general-purpose dictionary.")]
public sealed class ScenarioOverrides : IReadOnlyDictionary<string, string>
{
    private readonly List<string> order = [];
    private readonly Dictionary<string, (string Value, string Origin)> entries = new(StringComparer.Ordinal);

    /// <summary>Characters of a <c>--set</c> option that messages show before cutting it short.</summary>
    public const int MaxShownLength = 120;

    /// <summary>No overrides.</summary>
    public ScenarioOverrides() { }

    /// <summary>A copy of <paramref name="source"/>, keeping the origins when it is a <see cref="ScenarioOverrides"/>.</summary>
    public ScenarioOverrides(IReadOnlyDictionary<string, string> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var (path, value) in source) Set(path, value, source is ScenarioOverrides o ? o.Origin(path) : ScenarioComposer.CommandLine);
    }

    /// <summary>
    /// Parses the options of a command: <c>--agents</c> and <c>--seed</c> (when given) and every <c>--set path=value</c>.
    /// Malformed or conflicting options are added to <paramref name="errors"/> as one line each, naming the option.
    /// </summary>
    public static ScenarioOverrides FromOptions(long? agents, ulong? seed, IEnumerable<string>? sets, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var o = new ScenarioOverrides();
        if (agents is { } a) o.Set("population.agents", a.ToString(CultureInfo.InvariantCulture), $"--agents {a.ToString(CultureInfo.InvariantCulture)}");
        if (seed is { } s) o.Set("seed", s.ToString(CultureInfo.InvariantCulture), $"--seed {s.ToString(CultureInfo.InvariantCulture)}");
        foreach (string set in sets ?? [])
        {
            // Messages name the option as typed, cut short when long (a value may be up to a response file's 1 MiB).
            string origin = $"--set {(set.Length <= MaxShownLength ? set : set[..MaxShownLength] + "…")}";
            int eq = set.IndexOf('=', StringComparison.Ordinal);
            string path = eq > 0 ? set[..eq].Trim() : "";
            if (path.Length > 0 && ScenarioComposer.ParsePath(path) is null && ScenarioComposer.PathProblem(path) is { } bad && bad.StartsWith("list index", StringComparison.Ordinal))
            {
                errors.Add($"{origin}: {bad}");
                continue;
            }
            if (path.Length == 0 || ScenarioComposer.ParsePath(path) is null)
            {
                errors.Add($"{origin}: expected path=value with a scenario key path, e.g. --set population.agents=200000 or " +
                           "--set alliances.jd-kuaishou.traffic[0].share=0.5");
                continue;
            }
            if (o.entries.TryGetValue(path, out var earlier))
            {
                errors.Add($"{origin}: {path} is already set by {earlier.Origin}");
                continue;
            }
            o.Set(path, set[(eq + 1)..].Trim(), origin);
        }
        return o;
    }

    /// <summary>
    /// Why <paramref name="path"/> is not a key path of the form <c>a.b[1].c</c> (malformed, or a list index out of range,
    /// read without overflow); null when it is one. Sweep and calibration parameter paths are checked by the same rule.
    /// </summary>
    public static string? PathProblem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ScenarioComposer.PathProblem(path);
    }

    /// <summary>Adds or replaces an override; <paramref name="origin"/> is how messages name it.</summary>
    public void Set(string path, string value, string origin)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!entries.ContainsKey(path)) order.Add(path);
        entries[path] = (value, origin);
    }

    /// <summary>The option an override came from, e.g. <c>--set calendar.steps=52</c>; "command line" when unknown.</summary>
    public string Origin(string path) => entries.TryGetValue(path, out var e) ? e.Origin : ScenarioComposer.CommandLine;

    /// <inheritdoc />
    public string this[string key] => entries[key].Value;

    /// <inheritdoc />
    public IEnumerable<string> Keys => order;

    /// <inheritdoc />
    public IEnumerable<string> Values => order.Select(k => entries[k].Value);

    /// <inheritdoc />
    public int Count => order.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out string value)
    {
        bool found = entries.TryGetValue(key, out var e);
        value = e.Value ?? "";
        return found;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        order.Select(k => new KeyValuePair<string, string>(k, entries[k].Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
