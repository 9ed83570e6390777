using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketSim.ScenarioFiles;

/// <summary>
/// Turns a scenario file and its <c>extends</c> chain, plus command-line overrides, into one tree.
/// Maps merge key by key, lists and scalars replace, and a null value (<c>~</c>) removes a key inherited from the
/// base: a child file says only what differs, and a list in a child means exactly that list (merging lists by
/// index, as configuration layering does, silently mixes two scenarios).
/// </summary>
internal static partial class ScenarioComposer
{
    /// <summary>Where command-line overrides say they come from in messages.</summary>
    public const string CommandLine = "command line";

    /// <summary>Longest <c>extends</c> chain accepted; deeper chains are almost certainly a mistake.</summary>
    private const int MaxDepth = 16;

    /// <summary>Reads <paramref name="path"/> and everything it extends; problems are added, null returned on failure.</summary>
    public static YMap? Compose(string path, string displayPath, List<ScenarioProblem> problems, List<string> files,
        out string? extendsPath, string? text = null, List<Removal>? removals = null)
    {
        extendsPath = null;
        if (InputFiles.CheckPath(path) is { } invalid)
        {
            problems.Add(new ScenarioProblem(displayPath, 0, 0, "", $"cannot read the scenario: {invalid}"));
            return null;
        }
        var chain = new List<string>();
        return Read(Path.GetFullPath(path), displayPath, null, chain, problems, files, ref extendsPath, removals, text);
    }

    private static YMap? Read(string fullPath, string display, (SourceMark Mark, string Key)? from, List<string> chain,
        List<ScenarioProblem> problems, List<string> files, ref string? topExtends, List<Removal>? removals, string? givenText = null)
    {
        if (chain.Contains(fullPath))
        {
            var loop = chain.SkipWhile(f => f != fullPath).Append(fullPath).Select(Path.GetFileName);
            Add(problems, from!.Value.Mark, "extends", $"files extend each other in a loop: {string.Join(" → ", loop)}");
            return null;
        }
        if (chain.Count >= MaxDepth)
        {
            Add(problems, from!.Value.Mark, "extends", $"expected at most {MaxDepth} levels of 'extends', found more");
            return null;
        }
        InputFileFault? fault = null;
        string? text = givenText ?? InputFiles.TryReadText(fullPath, out fault);
        if (text is null)
        {
            if (fault!.Line > 0) problems.Add(new ScenarioProblem(display, fault.Line, fault.Column, "", fault.Message));
            else if (from is { } f) Add(problems, f.Mark, f.Key, $"cannot read '{display}': {fault.Message}");
            else problems.Add(new ScenarioProblem(display, 0, 0, "", $"cannot read the scenario: {fault.Message}"));
            return null;
        }
        if (givenText is null) files.Add(fullPath);

        YNode root;
        try
        {
            root = YamlTree.Parse(text, display);
        }
        catch (YamlTree.SyntaxError e)
        {
            Add(problems, e.Where, "", e.Message);
            return null;
        }
        if (root is not YMap map)
        {
            Add(problems, root.Mark, "", $"expected a mapping of keys such as 'name:' and 'platforms:' at the top of the file, found {YamlTree.Show(root)}");
            return null;
        }
        // Targets are read relative to the file that names them, before merging, like 'extends'.
        TargetsCsv.Expand(map, Path.GetDirectoryName(fullPath)!, Path.GetDirectoryName(display) ?? "", problems);
        if (!map.Entries.Remove("extends", out var ext)) return map;

        if (ext.Value is not YScalar { IsNull: false } parentName)
        {
            Add(problems, ext.KeyMark, "extends", $"expected the path of the scenario file this one extends, found {YamlTree.Show(ext.Value)}");
            return null;
        }
        if (InputFiles.CheckPath(parentName.Value) is { } badPath)
        {
            Add(problems, parentName.Mark, "extends", $"expected the path of a scenario file: {badPath}");
            return null;
        }
        if (!IsYamlFileName(parentName.Value))
        {
            Add(problems, parentName.Mark, "extends",
                $"expected a scenario file ending in .yaml or .yml, found {YamlTree.Show(parentName)}");
            return null;
        }
        string dir = Path.GetDirectoryName(fullPath)!;
        string parentFull = Path.GetFullPath(Path.Combine(dir, parentName.Value));
        string parentDisplay = Path.Combine(Path.GetDirectoryName(display) ?? "", parentName.Value);
        if (chain.Count == 0) topExtends = parentFull;

        chain.Add(fullPath);
        var parent = Read(parentFull, parentDisplay, (parentName.Mark, "extends"), chain, problems, files, ref topExtends, removals);
        chain.RemoveAt(chain.Count - 1);
        if (parent is null) return null;
        // A title names one file's scenario: a child that sets none must not show its parent's ("alliance, more
        // traffic" titled as the alliance), so it falls back to its own name.
        if (!map.Entries.ContainsKey("title")) parent.Entries.Remove("title");
        return (YMap)Merge(parent, map, removals);
    }

    /// <summary>
    /// The rule for what <c>extends</c> may name: a YAML file by its extension (and, when read, a regular file within
    /// <see cref="InputFiles.MaxBytes"/>), anywhere the user can read. Shared baselines named by absolute path are a
    /// normal use, so the folder tree is not a boundary; the extension keeps system files (<c>/etc/passwd</c>,
    /// <c>/proc/self/environ</c>, devices) from being read and quoted in messages.
    /// </summary>
    internal static bool IsYamlFileName(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>An entry of the base removed by a child's <c>~</c>: its dotted path and where the <c>~</c> was written.</summary>
    internal sealed record Removal(string Path, SourceMark Mark);

    /// <summary>The child's tree laid over the base's; removals by <c>~</c> are added to <paramref name="removals"/>.</summary>
    internal static YNode Merge(YNode baseNode, YNode child, List<Removal>? removals = null, string path = "")
    {
        if (baseNode is not YMap b || child is not YMap c) return child;
        var merged = new YMap(c.Mark);
        foreach (var (key, entry) in b.Entries)
        {
            string childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!c.Entries.TryGetValue(key, out var over)) merged.Entries[key] = entry;
            else if (over.Value is YScalar { IsNull: true }) removals?.Add(new Removal(childPath, over.KeyMark));
            else merged.Entries[key] = new YEntry(over.KeyMark, Merge(entry.Value, over.Value, removals, childPath));
        }
        // A '~' for a key the base does not have removes nothing: it is kept, so that the binder reports a misspelt or
        // unknown key (or an entry that is not there to remove) instead of the merge dropping it unseen.
        foreach (var (key, entry) in c.Entries)
            if (!b.Entries.ContainsKey(key))
                merged.Entries[key] = entry;
        return merged;
    }

    [GeneratedRegex(@"^(?<key>[^.\[\]]+)(?<index>\[[0-9]+\])*$")]
    private static partial Regex SegmentPattern();

    /// <summary>
    /// Applies <c>path=value</c> overrides (for example <c>population.agents=2000000</c> or
    /// <c>alliances.jd-kuaishou.traffic[0].share=0.5</c>). Values are YAML, so lists and maps can be given in flow
    /// style; missing maps on the path are created, so an override can add what the file leaves to defaults.
    /// </summary>
    /// <remarks>
    /// A <c>~</c> value removes the entry; a removal of an entry that exists is added to <paramref name="removals"/>, so that
    /// the references left behind are blamed on the option (<c>--set platforms.kuaishou=~</c>), not on the base file.
    /// </remarks>
    public static void ApplyOverrides(YMap root, IReadOnlyDictionary<string, string> overrides, List<ScenarioProblem> problems,
        List<Removal>? removals = null)
    {
        foreach (var (path, text) in overrides)
        {
            // Problems name the option the value came from (--set path=value) when the caller says which it was.
            var valueMark = new SourceMark(overrides is ScenarioOverrides named ? named.Origin(path) : CommandLine, 0, 0);
            YNode value;
            try
            {
                value = Relocate(YamlTree.Parse(text.Length == 0 ? "''" : text, CommandLine), valueMark);
            }
            catch (YamlTree.SyntaxError e)
            {
                Add(problems, valueMark, path, $"the value '{text}' is not valid YAML: {e.Message}");
                continue;
            }
            var steps = ParsePath(path, out string? pathProblem);
            if (steps is null)
            {
                Add(problems, valueMark, path, pathProblem!);
                continue;
            }
            string? error = Set(root, steps, value, valueMark, removed => removals?.Add(new Removal(path, valueMark)));
            if (error is not null) Add(problems, valueMark, path, error);
        }
    }

    /// <summary>
    /// Largest list index a key path may hold (<c>traffic[1000000]</c>): far beyond any list of a scenario (whose file is
    /// at most 1 MiB), and read without overflow however many digits are typed.
    /// </summary>
    public const int MaxListIndex = 1_000_000;

    /// <summary>Splits <c>a.b[1].c</c> into keys and indices; null when malformed (see <see cref="PathProblem"/>).</summary>
    internal static List<object>? ParsePath(string path) => ParsePath(path, out _);

    /// <summary>
    /// Why <paramref name="path"/> is not a key path (malformed, or a list index above <see cref="MaxListIndex"/>);
    /// null when it is one.
    /// </summary>
    public static string? PathProblem(string path)
    {
        ParsePath(path, out string? problem);
        return problem;
    }

    private static List<object>? ParsePath(string path, out string? problem)
    {
        problem = "expected a key path such as 'population.agents' or 'alliances.jd-kuaishou.traffic[0].share'";
        if (string.IsNullOrWhiteSpace(path)) return null;
        var steps = new List<object>();
        foreach (var segment in path.Split('.'))
        {
            var m = SegmentPattern().Match(segment);
            if (!m.Success) return null;
            steps.Add(m.Groups["key"].Value);
            foreach (Capture c in m.Groups["index"].Captures)
            {
                // Digits of any length match the pattern: read them wide, then check the range (never an overflow).
                var digits = c.Value.AsSpan(1, c.Value.Length - 2);
                if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long index) || index > MaxListIndex)
                {
                    problem = $"list index {c.Value} is out of range: at most [{MaxListIndex.ToString(CultureInfo.InvariantCulture)}]";
                    return null;
                }
                steps.Add((int)index);
            }
        }
        problem = null;
        return steps;
    }

    private static string? Set(YMap root, List<object> steps, YNode value, SourceMark mark, Action<string> removed)
    {
        YNode current = root;
        for (int i = 0; i < steps.Count; i++)
        {
            bool last = i == steps.Count - 1;
            switch (steps[i], current)
            {
                case (string key, YMap map):
                    if (last)
                    {
                        if (value is YScalar { IsNull: true })
                        {
                            if (map.Entries.Remove(key)) removed(key);
                        }
                        else map.Entries[key] = new YEntry(mark, value);
                        return null;
                    }
                    if (!map.Entries.TryGetValue(key, out var next))
                    {
                        YNode created = steps[i + 1] is int ? new YSeq(mark) : new YMap(mark);
                        map.Entries[key] = next = new YEntry(mark, created);
                    }
                    current = next.Value;
                    break;
                case (int index, YSeq seq):
                    if (index >= seq.Items.Count)
                        return $"index [{index}] is past the end of a list of {seq.Items.Count}";
                    if (last)
                    {
                        seq.Items[index] = value;
                        return null;
                    }
                    current = seq.Items[index];
                    break;
                case (string key, _):
                    return $"cannot set '{key}' inside {YamlTree.Show(current)}: expected a mapping there";
                case (int index, _):
                    return $"cannot take [{index}] of {YamlTree.Show(current)}: expected a list there";
            }
        }
        return null;
    }

    private static YNode Relocate(YNode node, SourceMark mark) => node switch
    {
        YScalar s => new YScalar(mark, s.Value, s.Style),
        YSeq s => Fill(new YSeq(mark), s.Items.Select(i => Relocate(i, mark))),
        YMap m => FillMap(new YMap(mark), m, mark),
        _ => node,
    };

    private static YSeq Fill(YSeq seq, IEnumerable<YNode> items)
    {
        seq.Items.AddRange(items);
        return seq;
    }

    private static YMap FillMap(YMap target, YMap source, SourceMark mark)
    {
        foreach (var (k, e) in source.Entries) target.Entries[k] = new YEntry(mark, Relocate(e.Value, mark));
        return target;
    }

    private static void Add(List<ScenarioProblem> problems, SourceMark mark, string key, string message) =>
        problems.Add(new ScenarioProblem(mark.File, mark.Line, mark.Column, key, message));
}
