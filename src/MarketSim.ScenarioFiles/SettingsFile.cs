namespace MarketSim.ScenarioFiles;

/// <summary>A settings file bound onto <typeparamref name="T"/>, with every problem and the position of every key.</summary>
/// <typeparam name="T">The settings class.</typeparam>
public sealed class BoundSettings<T> where T : class
{
    private readonly Dictionary<string, SourceMark> marks;
    private readonly string display;

    internal BoundSettings(T? value, IReadOnlyList<ScenarioProblem> problems, Dictionary<string, SourceMark> marks, string display, T? partial = null)
    {
        Value = value;
        Partial = partial ?? value;
        Problems = problems;
        this.marks = marks;
        this.display = display;
    }

    /// <summary>The bound settings; null when the file could not be read or bound.</summary>
    public T? Value { get; }

    /// <summary>
    /// What could be bound even when there are binding problems (wrong or unknown keys are left at their defaults), so
    /// that a caller can check the rest and report every problem at once; null when the file could not be read, parsed
    /// or was not a mapping.
    /// </summary>
    public T? Partial { get; }

    /// <summary>Syntax and binding problems, each with file, line, column and key.</summary>
    public IReadOnlyList<ScenarioProblem> Problems { get; }

    /// <summary>True when the file had a key at <paramref name="key"/> (a dotted path such as <c>budget.global_points</c>).</summary>
    public bool Has(string key) => marks.ContainsKey(key);

    /// <summary>Where the key at <paramref name="key"/> is written; null when the file does not have it.</summary>
    public YamlPosition? PositionOf(string key) => marks.TryGetValue(key, out var m) ? YamlPosition.Of(m) : null;

    /// <summary>A problem located at <paramref name="key"/>, or at its closest written ancestor (the file's start when none is).</summary>
    public ScenarioProblem At(string key, string message)
    {
        ArgumentNullException.ThrowIfNull(key);
        string p = key;
        while (p.Length > 0)
        {
            if (marks.TryGetValue(p, out var m)) return new ScenarioProblem(m.File, m.Line, m.Column, key, message);
            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : "";
        }
        return new ScenarioProblem(display, 1, 1, key, message);
    }
}

/// <summary>
/// Reads a YAML settings file other than a scenario (a calibration file) with the scenario loader's YAML reader and
/// binder: the same limits, syntax messages, unknown-key suggestions and file:line:column positions.
/// </summary>
public static class SettingsFile
{
    /// <summary>Reads and binds <paramref name="path"/>; messages name it as <paramref name="displayPath"/>.</summary>
    public static BoundSettings<T> Load<T>(string path, string? displayPath = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(path);
        string display = displayPath ?? path;
        var problems = new List<ScenarioProblem>();
        var none = new Dictionary<string, SourceMark>();
        if (InputFiles.TryReadText(path, out var fault) is not { } text)
        {
            problems.Add(fault!.Line > 0
                ? new ScenarioProblem(display, fault.Line, fault.Column, "", fault.Message)
                : new ScenarioProblem(display, 0, 0, "", $"cannot read the file: {fault.Message}"));
            return new BoundSettings<T>(null, problems, none, display);
        }
        YNode root;
        try
        {
            root = YamlTree.Parse(text, display);
        }
        catch (YamlTree.SyntaxError e)
        {
            problems.Add(new ScenarioProblem(e.Where.File, e.Where.Line, e.Where.Column, "", e.Message));
            return new BoundSettings<T>(null, problems, none, display);
        }
        if (root is not YMap map)
        {
            problems.Add(new ScenarioProblem(display, root.Mark.Line, root.Mark.Column, "", $"expected a mapping of keys to values, found {YamlTree.Show(root)}"));
            return new BoundSettings<T>(null, problems, none, display);
        }
        var binder = new ScenarioBinder(problems);
        var value = binder.BindAs<T>(map);
        return new BoundSettings<T>(problems.Count == 0 ? value : null, problems, binder.Marks, display, value);
    }
}
