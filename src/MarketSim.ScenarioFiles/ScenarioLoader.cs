using System.Security.Cryptography;
using System.Text;
using MarketSim.Scenarios;

namespace MarketSim.ScenarioFiles;

/// <summary>What loading a scenario gave: the scenario, or every problem found in it.</summary>
public sealed class ScenarioLoadResult
{
    internal ScenarioLoadResult(Scenario? scenario, IReadOnlyList<ScenarioProblem> problems, string resolvedYaml,
        IReadOnlyList<string> files, string? extendsPath, IReadOnlyList<ScenarioProblem>? warnings = null)
    {
        Warnings = warnings ?? [];
        Scenario = scenario;
        Problems = problems;
        ResolvedYaml = resolvedYaml;
        Sha256 = resolvedYaml.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedYaml)));
        Files = files;
        ExtendsPath = extendsPath;
    }

    /// <summary>The validated scenario; null when there are problems.</summary>
    public Scenario? Scenario { get; }

    /// <summary>Every problem found, in file order within each stage (syntax, keys and types, then model rules).</summary>
    public IReadOnlyList<ScenarioProblem> Problems { get; }

    /// <summary>
    /// What a valid scenario probably did not mean (<see cref="ScenarioValidator.Warnings"/>), located like problems;
    /// commands print them as <c>warning:</c> lines and go ahead.
    /// </summary>
    public IReadOnlyList<ScenarioProblem> Warnings { get; }

    /// <summary>True when the scenario loaded and passed validation.</summary>
    public bool Ok => Scenario is not null && Problems.Count == 0;

    /// <summary>The scenario with every parameter written out (<see cref="ScenarioYaml.Write"/>); empty on failure.</summary>
    public string ResolvedYaml { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="ResolvedYaml"/>: equal hashes mean equal model inputs.</summary>
    public string Sha256 { get; }

    /// <summary>Full paths of every file read, the scenario first, then what it extends, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Full path of the file the scenario extends directly, if any (the natural baseline to compare with).</summary>
    public string? ExtendsPath { get; }
}

/// <summary>
/// Reads a scenario file: YAML syntax, <c>extends</c> chain, overrides, keys and types, then the model's own rules
/// (<see cref="ScenarioValidator"/>). Nothing is run or written here, so a caller can refuse a bad scenario before any
/// output exists.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads and validates <paramref name="path"/>, with optional <c>key.path → YAML value</c> overrides.</summary>
    public static ScenarioLoadResult Load(string path, IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(path, path, null, overrides);
    }

    /// <summary>
    /// Loads a scenario held in memory, such as the resolved YAML saved with a run or a checkpoint. Messages name
    /// <paramref name="displayName"/>; a relative <c>extends</c> is resolved against <paramref name="directory"/>.
    /// </summary>
    public static ScenarioLoadResult LoadText(string yaml, string displayName, string? directory = null,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(displayName);
        string path = Path.Combine(directory ?? Directory.GetCurrentDirectory(), Path.GetFileName(displayName));
        return Load(path, displayName, yaml, overrides);
    }

    private static ScenarioLoadResult Load(string path, string display, string? text, IReadOnlyDictionary<string, string>? overrides)
    {
        var problems = new List<ScenarioProblem>();
        var files = new List<string>();
        var removals = new List<ScenarioComposer.Removal>();
        var root = ScenarioComposer.Compose(path, display, problems, files, out string? extendsPath, text, removals);
        if (root is null || problems.Count > 0) return Failed(problems, files, extendsPath);

        if (overrides is { Count: > 0 })
        {
            ScenarioComposer.ApplyOverrides(root, overrides, problems, removals);
            // An override may name a targets file (calibrate does): relative to the working folder.
            TargetsCsv.Expand(root, Directory.GetCurrentDirectory(), "", problems);
        }
        if (problems.Count > 0) return Failed(problems, files, extendsPath);

        var binder = new ScenarioBinder(problems);
        var scenario = binder.Bind(root);
        scenario.Extends = extendsPath;

        // The model's rules are checked even when some keys or values could not be read, so that a person sees every
        // problem at once; a rule touching a key that could not be read would only repeat that problem, so it is left out.
        var unreadable = problems.Select(p => p.Key).ToList();
        var findings = new List<ScenarioProblem>();
        foreach (var issue in binder.StructureBroken ? [] : ScenarioValidator.Validate(scenario))
        {
            if (unreadable.Any(key => Overlaps(key, issue.Path))) continue;
            var (key, mark) = Blame(issue, binder.Marks, root.Mark, display);
            findings.Add(new ScenarioProblem(mark.File, mark.Line, mark.Column, key, issue.Message));
        }
        problems.AddRange(AtRemovals(findings, removals));
        NoSnapshotDates(scenario, binder.Marks, problems);
        if (problems.Count > 0) return Failed(problems, files, extendsPath);

        // Extends is a property of the file, not of the model: the resolved form must not depend on where files lie.
        scenario.Extends = null;
        string resolved = ScenarioYaml.Write(scenario);
        scenario.Extends = extendsPath;
        // The resolved scenario is written beside every output and read back by --resume, sweeps and compare: it must be
        // a scenario the loader accepts, so it is held to the same 1 MiB (a long --set value, or aliases, could pass it).
        int bytes = System.Text.Encoding.UTF8.GetByteCount(resolved);
        if (bytes > InputFiles.MaxBytes)
        {
            string message = $"the resolved scenario would be {bytes:N0} bytes, over the {InputFiles.MaxBytes:N0} bytes (1 MiB) a scenario may have, " +
                             "so scenario.resolved.yaml could not be run again";
            if (overrides is { Count: > 0 } && overrides.MaxBy(o => o.Value.Length) is var longest && longest.Value.Length > 0)
                problems.Add(new ScenarioProblem(overrides is ScenarioOverrides named ? named.Origin(longest.Key) : ScenarioComposer.CommandLine, 0, 0, longest.Key,
                    message + $" (this value is {longest.Value.Length:N0} characters)"));
            else problems.Add(new ScenarioProblem(root.Mark.File, root.Mark.Line, root.Mark.Column, "", message));
            return Failed(problems, files, extendsPath);
        }

        var warnings = ScenarioValidator.Warnings(scenario).Select(w =>
        {
            var mark = Locate(binder.Marks, w.Path, root.Mark);
            return new ScenarioProblem(mark.File, mark.Line, mark.Column, w.Path, w.Message);
        }).ToList();
        return new ScenarioLoadResult(scenario, problems, resolved, files, extendsPath, warnings);
    }

    /// <summary>
    /// An <c>outputs.agent_snapshots</c> section that records nothing: no <c>dates:</c>, or an empty list with a sample of
    /// its own. Written by a person, that is a mistake (no agents.parquet would appear); the resolved form of every
    /// scenario spells out the default, <c>{dates: [], sample: 0.01}</c>, which means "none" and stays accepted.
    /// </summary>
    private static void NoSnapshotDates(Scenario scenario, Dictionary<string, SourceMark> marks, List<ScenarioProblem> problems)
    {
        const string path = "outputs.agent_snapshots";
        var spec = scenario.Outputs.AgentSnapshots;
        if (!marks.TryGetValue(path, out var mark) || spec.Dates.Count > 0) return;
        bool noDatesKey = !marks.ContainsKey(path + ".dates");
        if (!noDatesKey && spec.Sample == new AgentSnapshotSpec().Sample) return;
        var at = marks.GetValueOrDefault(path + ".dates", mark);
        problems.Add(new ScenarioProblem(at.File, at.Line, at.Column, path + ".dates",
            "no dates: no agent would be recorded; give the dates to snapshot, e.g. dates: [2020-06-18], or remove agent_snapshots"));
    }

    /// <summary>Collections whose ids other settings refer to, with the word the validator uses for such a reference.</summary>
    private static readonly (string Prefix, string Kind)[] Referenced =
        [("platforms.", "platform"), ("tiers.", "tier"), ("calendar.festivals.", "festival")];

    /// <summary>
    /// Removing a platform, tier or festival that the base still refers to makes every reference unknown, each reported
    /// in the base file, far from the cause. Those findings become one problem at the '~' naming the references.
    /// </summary>
    private static List<ScenarioProblem> AtRemovals(List<ScenarioProblem> findings, List<ScenarioComposer.Removal> removals)
    {
        var taken = new HashSet<ScenarioProblem>();
        var result = new List<ScenarioProblem>();
        foreach (var removal in removals)
        {
            var (prefix, kind) = Referenced.FirstOrDefault(r => removal.Path.StartsWith(r.Prefix, StringComparison.Ordinal)
                                                                && removal.Path.IndexOf('.', r.Prefix.Length) < 0);
            if (prefix is null) continue;
            string id = removal.Path[prefix.Length..];
            var references = findings.Where(f => !taken.Contains(f) && f.Message.StartsWith($"unknown {kind} '{id}'", StringComparison.Ordinal)).ToList();
            if (references.Count == 0) continue;
            taken.UnionWith(references);
            var listed = references.Take(8).Select(f => $"{f.Key} ({Path.GetFileName(f.File)}:{f.Line})");
            string more = references.Count > 8 ? $" and {references.Count - 8} more" : "";
            result.Add(new ScenarioProblem(removal.Mark.File, removal.Mark.Line, removal.Mark.Column, removal.Path,
                $"removes {kind} '{id}', but {references.Count} setting{(references.Count == 1 ? " still refers" : "s still refer")} to it: " +
                $"{string.Join(", ", listed)}{more}; remove or change {(references.Count == 1 ? "it" : "them")} too"));
        }
        result.AddRange(findings.Where(f => !taken.Contains(f)));
        return result;
    }

    private static bool Overlaps(string a, string b) =>
        a.Length == 0 || b.Length == 0 || IsWithin(a, b) || IsWithin(b, a);

    private static bool IsWithin(string path, string ancestor) =>
        path.StartsWith(ancestor, StringComparison.Ordinal)
        && (path.Length == ancestor.Length || path[ancestor.Length] is '.' or '[');

    /// <summary>
    /// Where an issue is reported: at its path, unless one of the other keys that bring it about (<see cref="ScenarioIssue.Also"/>)
    /// was set later (on the command line, or in the file given while the path's value comes from a file it extends):
    /// then at that key, so that a limit reached by a child's value is blamed at the child's line.
    /// </summary>
    private static (string Key, SourceMark Mark) Blame(ScenarioIssue issue, Dictionary<string, SourceMark> marks, SourceMark root, string topFile)
    {
        var mark = Locate(marks, issue.Path, root);
        int Rank(SourceMark m) => m.Line == 0 ? 0 : m.File == topFile ? 1 : 2;   // option, file given, a file it extends
        var best = (Key: issue.Path, Mark: mark);
        foreach (var other in issue.Also)
            if (marks.TryGetValue(other, out var at) && Rank(at) < Rank(best.Mark)) best = (other, at);
        return best;
    }

    /// <summary>The position of a path, or of its closest ancestor in the file when the value was left to its default.</summary>
    private static SourceMark Locate(Dictionary<string, SourceMark> marks, string path, SourceMark fallback)
    {
        string p = path;
        while (p.Length > 0)
        {
            if (marks.TryGetValue(p, out var mark)) return mark;
            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : "";
        }
        return fallback;
    }

    private static ScenarioLoadResult Failed(List<ScenarioProblem> problems, List<string> files, string? extendsPath) =>
        new(null, problems, "", files, extendsPath);
}
