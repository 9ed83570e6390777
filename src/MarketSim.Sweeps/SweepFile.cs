using System.Globalization;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Sweeps;

/// <summary>What loading a sweep file gave: the sweep, or every problem found in it.</summary>
/// <param name="Spec">The validated sweep; null when there are problems.</param>
/// <param name="Problems">Every problem, each naming the file, line, column and key.</param>
/// <param name="PlanBytes">
/// When the file is valid but its plan would not fit in the memory the caller allows: the bytes it would need (Spec is
/// then null and Problems empty); 0 otherwise.
/// </param>
public sealed record SweepLoadResult(SweepSpec? Spec, IReadOnlyList<ScenarioProblem> Problems, long PlanBytes = 0)
{
    /// <summary>True when the sweep is valid.</summary>
    public bool Ok => Spec is not null && Problems.Count == 0;
}

/// <summary>
/// Reads and checks a sweep file completely before anything runs: its own keys and values, then the base scenario
/// with the fixed overrides and every parameter at the lower and at the upper end of its range (which catches
/// parameter paths the scenario does not have and values its validator refuses). Problems in overrides are reported
/// at the sweep file's line for that parameter.
/// </summary>
public static partial class SweepFile
{
    /// <summary>Column names of runs.parquet that parameters may not take.</summary>
    public static readonly IReadOnlyList<string> ReservedColumns =
        ["run", "point", "replication", "seed", "scenario_sha256", "status", "error"];

    /// <summary>
    /// Loads and validates a sweep file; <paramref name="displayPath"/> is how messages name it (default: as given).
    /// <paramref name="commandLine"/> (<c>--agents</c>, <c>--set</c>) replaces the file's fixed overrides of the same
    /// paths and is checked like them; its problems name the option.
    /// </summary>
    /// <param name="path">The sweep file.</param>
    /// <param name="displayPath">How messages name it.</param>
    /// <param name="commandLine">The command line's overrides.</param>
    /// <param name="availableBytes">Memory the plan may take; a larger plan is not built (see <see cref="SweepLoadResult.PlanBytes"/>).</param>
    public static SweepLoadResult Load(string path, string? displayPath = null, ScenarioOverrides? commandLine = null, long? availableBytes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string display = displayPath ?? path;
        // The scenario binder reads the file (limits, syntax, unknown keys, types, positions), as for scenario files;
        // the loader's sections check values and interpret the raw sections. The partly bound file is checked too, so
        // that every problem is reported at once.
        var bound = SettingsFile.Load<SweepFileSpec>(path, display);
        if (bound.Partial is not { } file) return new SweepLoadResult(null, bound.Problems);
        return new Loader(path, display, bound, file, commandLine, availableBytes).Run();
    }

    /// <summary>One named output's mapping; null (problems added) when it is wrong. Ids are checked against the scenario later.</summary>
    private static (NamedOutput, YamlPosition, IReadOnlyList<(string, YamlPosition)>, IReadOnlyList<(string, YamlPosition)>)? ParseNamed(
        string name, YamlPosition mark, RawYaml map, Action<YamlPosition, string, string> add)
    {
        string key = $"outputs.{name}";
        bool bad = false;
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        { add(mark, key, "a named output's name is a column name: letters, digits and '_', starting with a letter"); bad = true; }
        else if (ReservedColumns.Contains(name) || name.EndsWith("_scenario", StringComparison.Ordinal) || name.EndsWith("_baseline", StringComparison.Ordinal))
        { add(mark, key, $"'{name}' is reserved in summary.parquet (run columns, and the _scenario/_baseline suffixes of effects)"); bad = true; }
        string? metric = null;
        var tiers = new List<(string, YamlPosition)>();
        var platforms = new List<(string, YamlPosition)>();
        DateOnly? at = null, from = null, to = null;
        bool atEnd = false;
        foreach (var (sub, kAt, v) in map.Entries)
        {
            switch (sub)
            {
                case "metric":
                    if (Scalar(v) is { } m && NamedOutput.Metrics.Contains(m)) metric = m;
                    else { add(v.Position, $"{key}.metric", $"expected one of {string.Join(", ", NamedOutput.Metrics)}, found {Show(v)}{(Scalar(v) is { } mm ? KeySuggestions.For(mm, NamedOutput.Metrics, listWhenFar: false) : "")}"); bad = true; }
                    break;
                case "tiers" or "platforms":
                    var list = sub == "tiers" ? tiers : platforms;
                    var items = v.IsList ? v.Items : [v];
                    foreach (var item in items)
                    {
                        if (item.Text is { Length: > 0 } id) list.Add((id, item.Position));
                        else { add(item.Position, $"{key}.{sub}", $"expected {sub[..^1]} ids, found {Show(item)}"); bad = true; }
                    }
                    break;
                case "at" or "from" or "to":
                    if (sub == "at" && Scalar(v) == "end") { atEnd = true; break; }
                    if (Scalar(v) is { } ds && DateOnly.TryParseExact(ds, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    {
                        if (sub == "at") at = day; else if (sub == "from") from = day; else to = day;
                    }
                    else { add(v.Position, $"{key}.{sub}", $"expected a date YYYY-MM-DD{(sub == "at" ? " or end" : "")}, found {Show(v)}"); bad = true; }
                    break;
                default:
                    add(kAt, $"{key}.{sub}", $"unknown key '{sub}'{KeySuggestions.For(sub, ["metric", "tiers", "platforms", "at", "from", "to"])}");
                    bad = true;
                    break;
            }
        }
        if (metric is null && !bad) { add(map.Position, $"{key}.metric", $"missing: one of {string.Join(", ", NamedOutput.Metrics)}"); bad = true; }
        bool period = from is not null || to is not null;
        if (period && (at is not null || atEnd)) { add(map.Position, key, "give either at: (one step) or from:/to: (a period), not both"); bad = true; }
        else if (period && (from is null || to is null)) { add(map.Position, key, "a period needs both from: and to:"); bad = true; }
        else if (period && from > to) { add(map.Position, key, $"from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}"); bad = true; }
        else if (!period && at is null && !atEnd && !bad) { add(map.Position, $"{key}.at", "missing: at: DATE or at: end (one step), or from:/to: (a period)"); bad = true; }
        if (bad) return null;
        var output = new NamedOutput(name, metric!, tiers.Select(t => t.Item1).ToList(), platforms.Select(p => p.Item1).ToList(), at, from, to);
        return (output, mark, tiers, platforms);
    }

    /// <summary>The override path a loader problem belongs to: equal, the problem inside it, or it below the problem's key.</summary>
    internal static string? Owner(string key, IEnumerable<string> paths)
    {
        string? best = null;
        foreach (var p in paths)
        {
            bool related = key == p || key.StartsWith(p + ".", StringComparison.Ordinal) || key.StartsWith(p + "[", StringComparison.Ordinal)
                           || p.StartsWith(key + ".", StringComparison.Ordinal) || p.StartsWith(key + "[", StringComparison.Ordinal);
            if (related && (best is null || p.Length > best.Length)) best = p;
        }
        return best;
    }

    private static string? Scalar(RawYaml node) => node.Text;

    private static double? Number(RawYaml node) =>
        Scalar(node) is { } s && double.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d : null;

    private static long? Whole(RawYaml node) => Number(node) is { } d && d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : null;

    /// <summary>A scalar or a list of scalars as a YAML override value; null for anything else.</summary>
    private static string? Flow(RawYaml node) =>
        node.Text is { } v ? (node.Quoted ? SweepParameter.Quote(v) : v)
        : node.IsList && node.Items.All(c => c.IsScalar) ? "[" + string.Join(", ", node.Items.Select(Flow)) + "]"
        : null;

    private static string Show(RawYaml node) => node.Show();

    /// <summary>A bound text value as messages show it (as <see cref="RawYaml.Show"/> shows a scalar).</summary>
    private static string Quote(string text) => "'" + (text.Length > 40 ? text[..40] + "…" : text) + "'";

    private static string Describe(Type t) =>
        t == typeof(DateOnly) ? "a date" : t == typeof(bool) ? "true/false" : t == typeof(string) ? "text" : t.Name;

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);

}
