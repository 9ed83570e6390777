using System.Globalization;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Sweeps;

/// <content>The sweep file's checks, one method per section (<see cref="SweepFile.Load"/> runs them).</content>
public static partial class SweepFile
{
    /// <summary>One sweep file being checked: one method per section, in file order; each adds its problems and keeps what it found.</summary>
    private sealed class Loader(string path, string display, BoundSettings<SweepFileSpec> bound, SweepFileSpec file, ScenarioOverrides? commandLine,
        long? availableBytes)
    {
        private readonly string path = path, display = display;
        private readonly BoundSettings<SweepFileSpec> bound = bound;
        private readonly SweepFileSpec file = file;
        private readonly ScenarioOverrides? commandLine = commandLine;
        private readonly YamlPosition top = new(display, 1, 1);
        private List<ScenarioProblem> problems = [.. bound.Problems];

        // What each section found, read by the sections after it.
        private string name = "", scenarioRef = "", scenarioPath = "", sha = "";
        private int replications = 1;
        private ulong masterSeed;
        private readonly List<KeyValuePair<string, string>> overrides = [];
        private readonly Dictionary<string, YamlPosition> overrideMarks = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> cliOrigins = new(StringComparer.Ordinal);
        private DesignType? designType;
        private string? designFile;
        private YamlPosition? fileMark;
        private List<double[]>? designValues;
        private string designFileSha = "";
        private int? points, designBase, designLevels;
        private ulong? designSeed;
        private string baseKey = "base";
        private bool secondOrder;
        private YamlPosition? baseMark, levelsMark, secondOrderMark;
        private YamlPosition designMark;
        private readonly List<SweepParameter> parameters = [];
        private readonly Dictionary<string, YamlPosition> parameterMarks = new(StringComparer.Ordinal);
        // Parameters given as {plausible: true}: their range is read from the scenario's assumptions: section once the
        // file's parameters are parsed (PlausibleRanges), at their place in the file's order.
        private readonly List<(int Index, string Path, ParameterKind Kind, int? Levels, YamlPosition At)> plausible = [];
        private OutputSelection kept = OutputSelection.SweepDefault;
        private readonly List<(NamedOutput Output, YamlPosition Mark, IReadOnlyList<(string Id, YamlPosition At)> Tiers, IReadOnlyList<(string Id, YamlPosition At)> Platforms)> named = [];
        private readonly List<(string Path, YamlPosition At)> effectOf = [];
        private AnalysisOptions? analysis;
        private Scenario? lowerScenario;

        private void Add(YamlPosition at, string key, string message) => problems.Add(at.Problem(key, message));

        private void AddAt(string key, string message) => problems.Add(bound.At(key, message));

        public SweepLoadResult Run()
        {
            masterSeed = file.MasterSeed ?? 1;
            designMark = bound.PositionOf("design") ?? top;
            Name();
            ScenarioFile();
            Counts();
            Overrides();
            CommandLine();
            Design();
            Parameters();
            SweptOverPlausibleRanges();
            DesignAndParameters();
            Columns();
            Outputs();
            EffectOf();
            Analysis();
            Corners();
            AgainstScenario();
            return Result();
        }

        /// <summary>name: letters, digits, '-', '_', '.'.</summary>
        private void Name()
        {
            // name
            if (!bound.Has("name")) AddAt("name", "missing: give the sweep a name (letters, digits, '-', '_', '.')");
            else if (file.Name is { } n)
            {
                if (n.Length == 0 || !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || n.StartsWith('.'))
                    AddAt("name", $"expected a name of letters, digits, '-', '_' or '.', found {Quote(n)}");
                else name = n;
            }
        }

        /// <summary>scenario: the base scenario file, relative to the sweep file.</summary>
        private void ScenarioFile()
        {
            // scenario
            if (!bound.Has("scenario")) AddAt("scenario", "missing: the base scenario file, relative to this sweep file");
            else if (file.Scenario is { } s)
            {
                if (s.Length == 0) AddAt("scenario", $"expected a scenario file path, found {Quote(s)}");
                else if (InputFiles.CheckPath(s) is { } badPath) AddAt("scenario", $"expected a scenario file path: {badPath}");
                else
                {
                    scenarioRef = s;
                    scenarioPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, s));
                    if (!File.Exists(scenarioPath)) AddAt("scenario", $"scenario file '{s}' not found (looked for {scenarioPath})");
                    else if (InputFiles.TryReadText(scenarioPath, out var scenarioFault) is null && scenarioFault!.Line == 0)
                    {
                        AddAt("scenario", $"cannot read '{s}': {scenarioFault.Message}");
                        scenarioPath = "";
                    }
                }
            }
        }

        /// <summary>replications (master_seed needs no check).</summary>
        private void Counts()
        {
            // replications, master seed, agents
            if (file.Replications is { } reps)
            {
                if (reps is >= 1 and <= 1_000_000) replications = reps;
                else AddAt("replications", $"expected a whole number from 1 to 1000000, found {reps}");
            }
        }

        /// <summary>agents: and overrides: (agents is a shorthand for population.agents).</summary>
        private void Overrides()
        {
            // fixed overrides (agents is a shorthand for population.agents)
            if (file.Agents is { } a)
            {
                if (a >= 1) { overrides.Add(new("population.agents", a.ToString(CultureInfo.InvariantCulture))); overrideMarks["population.agents"] = bound.PositionOf("agents")!.Value; }
                else AddAt("agents", $"expected a whole number ≥ 1, found {a}");
            }
            if (file.Overrides is { } ovNode)
            {
                if (!ovNode.IsMapping) Add(ovNode.Position, "overrides", $"expected a mapping of scenario paths to values, e.g. {{calendar.steps: 52}}, found {ovNode.Show()}");
                else
                    foreach (var (key, kAt, v) in ovNode.Entries)
                    {
                        if (key == "seed") { Add(kAt, "overrides.seed", "the seed of each run is derived from master_seed and the replication; set master_seed instead"); continue; }
                        if (Flow(v) is not { } value) { Add(v.Position, $"overrides.{key}", $"expected a value or a [list] of values, found {v.Show()}"); continue; }
                        if (overrideMarks.ContainsKey(key)) { Add(kAt, $"overrides.{key}", "set twice (agents: is population.agents)"); continue; }
                        if (ScenarioPaths.Explain(key) is { } unknown) { Add(kAt, $"overrides.{key}", unknown); continue; }
                        overrides.Add(new(key, value));
                        overrideMarks[key] = kAt;
                    }
            }
        }

        /// <summary>--agents and --set: they replace the file's overrides of the same paths.</summary>
        private void CommandLine()
        {
            // command-line overrides replace the file's for the same path
            foreach (var (key, value) in commandLine ?? [])
            {
                string origin = commandLine!.Origin(key);
                if (key == "seed") { problems.Add(new ScenarioProblem(origin, 0, 0, "", "the seed of each run is derived from master_seed and the replication; a sweep takes no seed")); continue; }
                if (ScenarioPaths.Explain(key) is { } unknown) { problems.Add(new ScenarioProblem(origin, 0, 0, key, unknown)); continue; }
                overrides.RemoveAll(o => o.Key == key);
                overrides.Add(new(key, value));
                cliOrigins[key] = origin;
            }
        }

        /// <summary>design: its type and the keys each type takes.</summary>
        private void Design()
        {
            // design
            if (!bound.Has("design")) AddAt("design", "missing: e.g. {type: lhs, points: 20, seed: 1} or {type: grid}");
            else if (file.Design is { } d)
            {
                if (!bound.Has("design.type")) AddAt("design.type", "missing: grid, random, lhs, sobol, saltelli, morris or points");
                else if (d.Type is { } type)
                {
                    designType = type switch
                    {
                        "grid" => DesignType.Grid,
                        "random" => DesignType.Random,
                        "lhs" => DesignType.Lhs,
                        "sobol" => DesignType.Sobol,
                        "saltelli" => DesignType.Saltelli,
                        "morris" => DesignType.Morris,
                        "points" => DesignType.Points,
                        _ => null,
                    };
                    if (designType is null) AddAt("design.type", $"expected grid, random, lhs, sobol, saltelli, morris or points, found {Quote(type)}");
                }
                if (d.Points is { } p)
                {
                    if (p is >= 1 and <= 10_000_000) points = p;
                    else AddAt("design.points", $"expected a whole number from 1 to 10000000, found {p}");
                }
                designSeed = d.Seed;
                if (d.Base is not null && d.Trajectories is not null)
                    AddAt("design.trajectories", "give base: (saltelli) or trajectories: (morris), not both");
                foreach (var (key, given) in new[] { ("base", d.Base), ("trajectories", d.Trajectories) })
                {
                    if (given is not { } bp) continue;
                    if (bp is >= 2 and <= 1_000_000) { designBase = bp; baseKey = key; baseMark = bound.PositionOf($"design.{key}"); }
                    else AddAt($"design.{key}", $"expected a whole number from 2 to 1000000, found {bp}");
                }
                if (d.Levels is { } lv)
                {
                    if (lv is >= 2 and <= 1000 && lv % 2 == 0) { designLevels = lv; levelsMark = bound.PositionOf("design.levels"); }
                    else AddAt("design.levels", $"expected an even whole number from 2 to 1000 (Morris's step p/(2(p−1)) must be whole grid steps), found {lv}");
                }
                if (d.SecondOrder is { } so) { secondOrder = so; secondOrderMark = bound.PositionOf("design.second_order"); }
                if (d.File is { } f) { designFile = f; fileMark = bound.PositionOf("design.file") ?? designMark; }
            }
        }

        /// <summary>parameters: each a scenario path with a range or values.</summary>
        private void Parameters()
        {
            // parameters
            if (!bound.Has("parameters")) AddAt("parameters", "missing: at least one scenario path with {min:, max:} or {values: [...]}");
            else if (file.Parameters is not { IsMapping: true, Entries.Count: > 0 } paramsMap)
                AddAt("parameters", $"expected a mapping of scenario paths to {{min:, max:}} or {{values: [...]}}, found {file.Parameters?.Show() ?? "nothing"}");
            else
                foreach (var (p, kAt, v) in paramsMap.Entries) Parameter(p, kAt, v);
        }

        /// <summary>
        /// Ranges of {plausible: true} parameters from the scenario's <c>assumptions:</c> section (with the file's fixed
        /// overrides, <see cref="MarketSim.Scenarios.PlausibleRanges"/>: the path's own entry or the nearest above it): the one place a plausible
        /// range is stated (docs/model.md), read as the studio and the posterior read it, so a sweep cannot drift from it.
        /// </summary>
        private void SweptOverPlausibleRanges()
        {
            if (plausible.Count == 0 || scenarioPath.Length == 0 || !File.Exists(scenarioPath)) return;
            var loaded = ScenarioLoader.Load(scenarioPath, overrides.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal));
            if (!loaded.Ok) return; // the corners report the scenario's problems
            // From the last, so that each index is still the parameter's place in the file's order.
            foreach (var (index, p, kind, levels, at) in Enumerable.Reverse(plausible))
            {
                if (MarketSim.Scenarios.PlausibleRanges.For(loaded.Scenario!, p) is not { } range)
                {
                    Add(at, $"parameters.{p}", $"plausible: true, but the scenario states no plausible range for {p}: add `{p}: {{plausible: [low, high], source: \"…\"}}` " +
                                               "to its assumptions: section, or give min: and max: here");
                    continue;
                }
                var (lo, hi) = (range.Low, range.High);
                if (kind == ParameterKind.Integer && (lo != Math.Floor(lo) || hi != Math.Floor(hi)))
                {
                    Add(at, $"parameters.{p}", $"the scenario's plausible range [{Fmt(lo)}, {Fmt(hi)}] is not whole numbers; the field is an integer: give min: and max: here");
                    continue;
                }
                parameters.Insert(index, new SweepParameter(p, ScenarioPaths.ColumnName(p), kind, lo, hi, levels, null));
            }
        }

        /// <summary>The design against the parameters: levels, derived points, limits.</summary>
        private void DesignAndParameters()
        {
            // design × parameters
            if (designType is { } typed && typed != DesignType.Points && fileMark is { } fm)
                Add(fm, "design.file", "file: applies to points designs only (type: points)");
            if (designType is { } dt && parameters.Count > 0)
            {
                if (dt == DesignType.Points)
                {
                    if (designSeed is not null) Add(designMark, "design.seed", "a points design is read from its file: remove seed");
                    if (designBase is not null) Add(baseMark!.Value, $"design.{baseKey}", $"{baseKey}: applies to {(baseKey == "base" ? "saltelli" : "morris")} designs only");
                    if (designLevels is not null) Add(levelsMark!.Value, "design.levels", "levels apply to morris designs only");
                    if (secondOrderMark is { } som) Add(som, "design.second_order", "second_order applies to saltelli designs only");
                    if (points is not null) Add(designMark, "design.points", "a points design has one point per row of its file: remove points");
                    foreach (var p in parameters.Where(p => !p.IsRange || p.Levels is not null))
                        Add(parameterMarks[p.Path], $"parameters.{p.Path}", "a points design needs a range {min:, max:} (its file's values are checked against it)");
                    if (designFile is null) Add(designMark, "design.file", "missing: the CSV file of the points (a header of parameter paths, one row per point)");
                    else if (parameters.All(p => p.IsRange && p.Levels is null)) ReadPoints(designFile, fileMark!.Value);
                }
                else if (dt == DesignType.Grid)
                {
                    foreach (var p in parameters.Where(p => p.IsRange && p.Levels is null))
                        Add(parameterMarks[p.Path], $"parameters.{p.Path}", "a grid needs levels: for a range (e.g. {min: 0.1, max: 0.6, levels: 6})");
                    if (designSeed is not null) Add(designMark, "design.seed", "a grid is not random: remove seed");
                    if (designBase is not null) Add(baseMark!.Value, $"design.{baseKey}", $"{baseKey}: applies to {(baseKey == "base" ? "saltelli" : "morris")} designs only");
                    if (designLevels is not null) Add(levelsMark!.Value, "design.levels", "levels apply to morris designs only (a grid's levels are given per parameter)");
                    if (secondOrderMark is { } som) Add(som, "design.second_order", "second_order applies to saltelli designs only");
                    // Saturating: once past the limit the product stays past it instead of wrapping (to 0, or negative).
                    long product = parameters.Aggregate(1L, (acc, p) => acc > 10_000_000 ? acc : acc * Math.Max(1, p.GridCount));
                    if (product > 10_000_000) Add(designMark, "design", "the grid has more than 10000000 points (the product of the levels); at most 10000000");
                    else if (points is { } given && given != product) Add(designMark, "design.points", $"a grid's points are the product of its levels ({product}), found {given}: remove points");
                    else points = (int)product;
                }
                else if (dt is DesignType.Saltelli or DesignType.Morris)
                {
                    string dn = dt.ToString().ToLowerInvariant();
                    string wantBase = dt == DesignType.Saltelli ? "base" : "trajectories";
                    foreach (var p in parameters.Where(p => p.Levels is not null))
                        Add(parameterMarks[p.Path], $"parameters.{p.Path}.levels", $"levels only apply to grid designs; {dn} draws from the whole range");
                    if (points is not null) Add(designMark, "design.points", $"a {dn} design's points are derived ({(dt == DesignType.Saltelli ? "N·(k+2) from base: N" : "r·(k+1) from trajectories: r")}): remove points");
                    // A base or trajectories given but refused is reported already; "missing" would only repeat it.
                    if (designBase is null && !bound.Has("design.base") && !bound.Has("design.trajectories")) Add(designMark, $"design.{wantBase}", dt == DesignType.Saltelli
                        ? "missing: the number N of base points (the design has N·(k+2) points), e.g. base: 64"
                        : "missing: the number r of trajectories (the design has r·(k+1) points), e.g. trajectories: 10");
                    // A refused base or trajectories (reported above) has no key or mark to compare.
                    else if (designBase is not null && baseKey != wantBase) Add(baseMark!.Value, $"design.{baseKey}", $"a {dn} design takes {wantBase}:, not {baseKey}:");
                    if (dt == DesignType.Saltelli)
                    {
                        if (designSeed is not null) Add(designMark, "design.seed", "the Saltelli sample uses the plain Sobol sequence: remove seed");
                        if (designLevels is not null) Add(levelsMark!.Value, "design.levels", "levels apply to morris designs only");
                        if (2 * parameters.Count > SobolSequence.MaxDimensions)
                            Add(designMark, "design.type", $"saltelli needs a Sobol sequence of dimension 2k ≤ {SobolSequence.MaxDimensions}: at most {SobolSequence.MaxDimensions / 2} parameters, found {parameters.Count}");
                        if (designBase is { } nb) points = nb * Designs.SaltelliBlock(parameters.Count, secondOrder);
                    }
                    else
                    {
                        if (secondOrderMark is { } som) Add(som, "design.second_order", "second_order applies to saltelli designs only");
                        designLevels ??= 4;
                        if (designBase is { } r) points = r * (parameters.Count + 1);
                    }
                    foreach (var p in parameters.Where(p => !p.IsRange))
                        Add(parameterMarks[p.Path], $"parameters.{p.Path}", $"a {dn} design needs a range {{min:, max:}}: its estimators need ordered, continuous inputs");
                }
                else
                {
                    if (designBase is not null) Add(baseMark!.Value, $"design.{baseKey}", $"{baseKey}: applies to {(baseKey == "base" ? "saltelli" : "morris")} designs only");
                    if (designLevels is not null) Add(levelsMark!.Value, "design.levels", "levels apply to morris designs only");
                    if (secondOrderMark is { } som) Add(som, "design.second_order", "second_order applies to saltelli designs only");
                    foreach (var p in parameters.Where(p => p.Levels is not null))
                        Add(parameterMarks[p.Path], $"parameters.{p.Path}.levels", $"levels only apply to grid designs; {dt.ToString().ToLowerInvariant()} draws from the whole range");
                    if (points is null && !bound.Has("design.points")) Add(designMark, "design.points", $"missing: how many points the {dt.ToString().ToLowerInvariant()} design has");
                    if (dt == DesignType.Sobol)
                    {
                        if (designSeed is not null) Add(designMark, "design.seed", "the Sobol sequence is not randomised: remove seed");
                        if (parameters.Count > SobolSequence.MaxDimensions) Add(designMark, "design.type", $"sobol supports at most {SobolSequence.MaxDimensions} parameters, found {parameters.Count}");
                    }
                }
                if (points is { } np && (long)np * replications > 100_000_000) Add(designMark, "design", $"{np} points × {replications} replications is more than 100000000 runs");
            }
        }

        /// <summary>
        /// A points design's CSV (relative to the sweep file): a header naming every parameter once (its path or its
        /// runs.parquet column name, in any order), then one row per point of invariant-culture numbers inside each
        /// parameter's range (whole numbers for integer fields). Problems name the CSV file, its line and column.
        /// </summary>
        private void ReadPoints(string relative, YamlPosition at)
        {
            string csv = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, relative));
            string shown = relative;
            string[] lines;
            try
            {
                lines = File.ReadAllLines(csv);
                designFileSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csv)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Add(at, "design.file", $"cannot read {csv}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
                return;
            }
            void Bad(int line, int column, string message) => problems.Add(new ScenarioProblem(shown, line, column, "", message));
            if (lines.Length == 0 || lines[0].Trim().Length == 0)
            {
                Bad(1, 1, "expected a header naming the parameters (" + string.Join(",", parameters.Select(p => p.Path)) + ")");
                return;
            }
            var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
            var index = new int[parameters.Count];
            for (int d = 0; d < parameters.Count; d++)
            {
                index[d] = Array.FindIndex(header, h => h == parameters[d].Path || h == parameters[d].Column);
                if (index[d] < 0) Bad(1, 1, $"no column for the parameter {parameters[d].Path} (header: {lines[0].Trim()})");
            }
            for (int c = 0; c < header.Length; c++)
                if (!index.Contains(c)) Bad(1, 1, $"column '{header[c]}' is not a parameter of the sweep");
            if (index.Any(i => i < 0) || header.Length != parameters.Count) return;
            var values = new List<double[]>();
            for (int l = 1; l < lines.Length; l++)
            {
                if (lines[l].Trim().Length == 0) continue;
                var cells = lines[l].Split(',');
                if (cells.Length != header.Length)
                {
                    Bad(l + 1, 1, $"expected {header.Length} values, found {cells.Length}");
                    continue;
                }
                var v = new double[parameters.Count];
                for (int d = 0; d < parameters.Count; d++)
                {
                    var p = parameters[d];
                    string text = cells[index[d]].Trim();
                    int column = 1 + cells.Take(index[d]).Sum(x => x.Length + 1);
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                        Bad(l + 1, column, $"{p.Path}: expected a number, found '{text}'");
                    else if (x < p.Min || x > p.Max)
                        Bad(l + 1, column, $"{p.Path}: {text} is outside the parameter's range [{Fmt(p.Min!.Value)}, {Fmt(p.Max!.Value)}]");
                    else if (p.Kind == ParameterKind.Integer && x != Math.Floor(x))
                        Bad(l + 1, column, $"{p.Path}: expected a whole number, found {text}");
                    v[d] = x;
                }
                values.Add(v);
            }
            if (values.Count == 0) Bad(lines.Length, 1, "no points: expected one row per point after the header");
            else if (values.Count > 10_000_000) Bad(lines.Length, 1, "more than 10000000 points");
            else
            {
                designValues = values;
                points = values.Count;
            }
        }

        /// <summary>Parameters' column names in runs.parquet: not reserved, not twice.</summary>
        private void Columns()
        {
            // column names
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in parameters)
            {
                if (p.Column.Length == 0 || ReservedColumns.Contains(p.Column))
                    Add(parameterMarks[p.Path], $"parameters.{p.Path}", $"its column name '{p.Column}' is reserved in runs.parquet");
                else if (!columns.TryAdd(p.Column, p.Path))
                    Add(parameterMarks[p.Path], $"parameters.{p.Path}", $"its column name '{p.Column}' is the same as that of '{columns[p.Column]}'");
            }
        }

        /// <summary>outputs: table switches and named outputs.</summary>
        private void Outputs()
        {
            // outputs
            if (file.Outputs is { } outNode)
            {
                string tableFlags = string.Join(", ", OutputTables.Selectable.Select(t => $"{t.Key}: {(t.InSweepByDefault ? "true" : "false")}"));
                if (!outNode.IsMapping) Add(outNode.Position, "outputs", $"expected a mapping such as {{{tableFlags}}}, found {outNode.Show()}");
                else
                    foreach (var (key, kAt, v) in outNode.Entries)
                    {
                        var table = OutputTables.ByKey(key);
                        if (v.IsMapping && table is null)
                        {
                            if (ParseNamed(key, kAt, v, Add) is { } parsed)
                            {
                                if (named.Any(n => n.Output.Name == key)) Add(kAt, $"outputs.{key}", "named twice");
                                // summary.parquet holds parameters and outputs side by side: one name, one column.
                                else if (new[] { key, key + "_scenario", key + "_baseline" }.FirstOrDefault(c => parameters.Any(p => p.Column == c)) is { } clash)
                                    Add(kAt, $"outputs.{key}", $"'{clash}' is the column of parameter '{parameters.First(p => p.Column == clash).Path}' in summary.parquet: give the output another name");
                                else named.Add(parsed);
                            }
                            continue;
                        }
                        bool? flag = Scalar(v) switch { "true" or "True" => true, "false" or "False" => false, _ => null };
                        if (table is null) { Add(kAt, $"outputs.{key}", $"unknown key '{key}'{KeySuggestions.For(key, OutputTables.Keys)}; a named output is a mapping such as {{metric: annual_active, platforms: [jd], at: end}}"); continue; }
                        if (flag is null) { Add(v.Position, $"outputs.{key}", $"expected true or false, found {Show(v)}"); continue; }
                        kept = kept.With(table, flag.Value);
                    }
            }
        }

        /// <summary>effect_of: parts switched off in each run's baseline arm.</summary>
        private void EffectOf()
        {
            // effect_of: parts switched off in each run's baseline arm
            if (file.EffectOf is { } effNode)
            {
                var items = effNode.IsList ? effNode.Items : [effNode];
                foreach (var item in items)
                {
                    if (item.Text is not { Length: > 0 } ep)
                        Add(item.Position, "effect_of", $"expected alliances.ID, alliances.ID.CLAUSE or interventions.ID (or a list of them), found {Show(item)}");
                    else if (effectOf.Any(e => e.Path == ep)) Add(item.Position, "effect_of", $"'{ep}' listed twice");
                    else effectOf.Add((ep, item.Position));
                }
            }
            if (effectOf.Count > 0 && named.Count == 0)
                AddAt("effect_of", "an effect needs named outputs to measure: add e.g. outputs: {jd_gain: {metric: annual_active, platforms: [jd], at: end}}");
        }

        /// <summary>analysis: what analyze does after the sweep.</summary>
        private void Analysis()
        {
            // analysis
            if (file.Analysis is { } an)
            {
                var o = AnalysisOptions.Default;
                if (an.AfterSweep is { } after) o = o with { AfterSweep = after };
                if (an.Bootstrap is { } bs)
                {
                    if (bs is >= 10 and <= 100_000) o = o with { Bootstrap = bs };
                    else AddAt("analysis.bootstrap", $"expected a whole number from 10 to 100000, found {bs}");
                }
                if (an.Seed is { } aseed) o = o with { Seed = aseed };
                if (an.Bins is { } nbins)
                {
                    if (nbins is >= 2 and <= 100) o = o with { Bins = nbins };
                    else AddAt("analysis.bins", $"expected a whole number from 2 to 100, found {nbins}");
                }
                if (o.AfterSweep && named.Count == 0) AddAt("analysis.after_sweep", "nothing to analyse: the sweep has no named outputs");
                analysis = o;
            }
        }

        /// <summary>The scenario with the fixed overrides and the parameters at each end of their ranges.</summary>
        private void Corners()
        {
            // The scenario with the fixed overrides and the parameters at each end of their ranges.
            if (scenarioPath.Length > 0 && File.Exists(scenarioPath) && parameters.Count > 0)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (bool upper in new[] { false, true })
                {
                    var corner = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (k, v) in overrides) corner[k] = v;
                    foreach (var p in parameters)
                    {
                        object end = !p.IsRange ? p.AtLevel(upper ? p.Values!.Count - 1 : 0)
                            : p.Kind == ParameterKind.Integer ? (long)(upper ? p.Max!.Value : p.Min!.Value)
                            : upper ? p.Max!.Value : p.Min!.Value;
                        corner[p.Path] = SweepParameter.OverrideText(end);
                    }
                    var loaded = ScenarioLoader.Load(scenarioPath, corner);
                    if (loaded.Ok) { if (!upper) { sha = loaded.Sha256; lowerScenario = loaded.Scenario; } continue; }
                    foreach (var problem in loaded.Problems)
                    {
                        string? where = problem.File == "command line" ? Owner(problem.Key, corner.Keys) : null;
                        if (where is not null)
                        {
                            bool isParameter = parameters.Any(p => p.Path == where);
                            if (!isParameter && cliOrigins.TryGetValue(where, out string? option))
                            {
                                var fromOption = new ScenarioProblem(option, 0, 0, problem.Key, problem.Message);
                                if (seen.Add(fromOption.ToString())) problems.Add(fromOption);
                                continue;
                            }
                            var mark = isParameter ? parameterMarks[where] : overrideMarks[where];
                            string inner = problem.Key != where && problem.Key.Length > 0 ? $" (scenario key {problem.Key})" : "";
                            // With several parameters the corner is a point of the plan: all its values are named, for a rule
                            // that only their combination breaks.
                            string others = string.Join(", ", parameters.Where(p => p.Path != where).Select(p => $"{p.Path}={corner[p.Path]}"));
                            string context = !isParameter ? $"value {corner[where]}: "
                                : $"at the {(upper ? "upper" : "lower")} end {corner[where]}{(others.Length > 0 ? $" (with {others})" : "")}: ";
                            if (seen.Add($"{where}|{problem.Message}"))
                                problems.Add(new ScenarioProblem(display, mark.Line, mark.Column,
                                    isParameter ? $"parameters.{where}" : $"overrides.{where}", context + problem.Message + inner));
                        }
                        else if (seen.Add(problem.ToString()))
                        {
                            // A rule broken by the combination (no single override to blame): the sweep file made this point,
                            // so the sweep file's parameters are blamed, with the point and the scenario's own finding.
                            string point = string.Join(", ", parameters.Select(p => $"{p.Path}={corner[p.Path]}"));
                            problems.Add(bound.At("parameters", $"at the {(upper ? "upper" : "lower")} corner ({point}) the scenario is invalid: {problem}"));
                        }
                    }
                }
            }
        }

        /// <summary>Named outputs and effect_of against the scenario: ids it has, dates inside its calendar.</summary>
        private void AgainstScenario()
        {
            // Named outputs and effect_of against the scenario: ids it has, dates inside its calendar.
            if (lowerScenario is { } sc)
            {
                var model = new MarketSim.Model.MarketModel(sc);
                DateOnly first = model.StepDate(0), end = model.StepDate(model.Steps).AddDays(-1);
                foreach (var (o, mark, tiers, platforms) in named)
                {
                    foreach (var (id, at) in tiers)
                        if (!sc.Tiers.ContainsKey(id)) Add(at, $"outputs.{o.Name}.tiers", $"the scenario has no tier '{id}'{KeySuggestions.For(id, sc.Tiers.Keys.ToList())}");
                    foreach (var (id, at) in platforms)
                        if (!sc.Platforms.ContainsKey(id)) Add(at, $"outputs.{o.Name}.platforms", $"the scenario has no platform '{id}'{KeySuggestions.For(id, sc.Platforms.Keys.ToList())}");
                    foreach (var d in new[] { o.At, o.From, o.To })
                        if (d is { } day && (day < first || day > end))
                            Add(mark, $"outputs.{o.Name}", $"{day:yyyy-MM-dd} is outside the scenario's calendar ({first:yyyy-MM-dd} to {end:yyyy-MM-dd})");
                    if (o.IsPeriod && o.StepRange(model) is var (f, l) && l < f)
                        Add(mark, $"outputs.{o.Name}", $"no step starts between {o.From:yyyy-MM-dd} and {o.To:yyyy-MM-dd}");
                }
                foreach (var (ep, at) in effectOf)
                    if (ScenarioClauses.Explain(sc, ep) is { } why) Add(at, "effect_of", why);
            }
        }

        /// <summary>One parameter: a scenario path with {min:, max:, levels:} or {values: [...]}.</summary>
        private void Parameter(string p, YamlPosition kAt, RawYaml v)
        {
            string key = $"parameters.{p}";
            parameterMarks[p] = kAt;
            if (p == "seed") { Add(kAt, key, "the seed is not a parameter: replications vary it (derived from master_seed)"); return; }
            if (cliOrigins.TryGetValue(p, out string? cli)) { problems.Add(new ScenarioProblem(cli, 0, 0, "", $"{p} is swept by the sweep file's parameters: a path is either fixed or swept")); return; }
            if (overrideMarks.ContainsKey(p)) { Add(kAt, key, "also set in overrides (or agents): a path is either fixed or swept"); return; }
            if (ScenarioPaths.Explain(p) is { } unknown) { Add(kAt, key, unknown); return; }
            if (!v.IsMapping) { Add(v.Position, key, $"expected {{min: a, max: b}} or {{values: [...]}}, found {v.Show()}"); return; }
            var fieldType = ScenarioPaths.FieldType(p);
            var kind = ScenarioPaths.KindOf(fieldType);
            double? min = null, max = null;
            int? levels = null;
            List<string>? values = null;
            bool bad = false, fromAssumptions = false;
            foreach (var (sub, pkAt, pv) in v.Entries)
            {
                switch (sub)
                {
                    case "plausible":
                        if (pv.IsScalar && pv.Text == "true") fromAssumptions = true;
                        else { Add(pv.Position, $"{key}.plausible", $"expected true (the range is the scenario's assumptions: plausible range), found {Show(pv)}"); bad = true; }
                        break;
                    case "min" or "max":
                        if (Number(pv) is { } x)
                        {
                            if (kind == ParameterKind.Integer && x != Math.Floor(x)) { Add(pv.Position, $"{key}.{sub}", $"expected a whole number (the scenario field is an integer), found {Show(pv)}"); bad = true; }
                            if (sub == "min") min = x; else max = x;
                        }
                        else { Add(pv.Position, $"{key}.{sub}", $"expected a number, found {Show(pv)}"); bad = true; }
                        break;
                    case "levels":
                        if (Whole(pv) is { } l and >= 2 and <= 1_000_000) levels = (int)l;
                        else { Add(pv.Position, $"{key}.levels", $"expected a whole number ≥ 2, found {Show(pv)}"); bad = true; }
                        break;
                    case "values":
                        if (!pv.IsList || pv.Items.Count == 0 || pv.Items.Any(c => !c.IsScalar))
                        { Add(pv.Position, $"{key}.values", $"expected a non-empty list of values, found {pv.Show()}"); bad = true; break; }
                        values = [];
                        foreach (var item in pv.Items)
                        {
                            string iv = item.Text ?? "";
                            if (kind != ParameterKind.Text)
                            {
                                if (Number(item) is not { } nv) { Add(item.Position, $"{key}.values", $"expected a number (the scenario field is numeric), found {Show(item)}"); bad = true; continue; }
                                if (kind == ParameterKind.Integer && nv != Math.Floor(nv)) { Add(item.Position, $"{key}.values", $"expected a whole number (the scenario field is an integer), found {Show(item)}"); bad = true; continue; }
                                iv = kind == ParameterKind.Integer ? ((long)nv).ToString(CultureInfo.InvariantCulture) : nv.ToString("R", CultureInfo.InvariantCulture);
                            }
                            values.Add(iv);
                        }
                        break;
                    default:
                        Add(pkAt, $"{key}.{sub}", $"unknown key '{sub}'{KeySuggestions.For(sub, ["min", "max", "levels", "values", "plausible"])}");
                        bad = true;
                        break;
                }
            }
            if (values is not null && (min is not null || max is not null || levels is not null))
            { Add(v.Position, key, "give either values: [...] or min:/max:, not both"); return; }
            if (fromAssumptions)
            {
                if (values is not null || min is not null || max is not null)
                { Add(v.Position, key, "give either plausible: true (the scenario's range) or min:/max: or values: [...], not both"); return; }
                if (fieldType is not null && kind == ParameterKind.Text) { Add(v.Position, key, $"the scenario field is {Describe(fieldType)}, not a number: list its values: [...]"); return; }
                if (!bad) plausible.Add((parameters.Count, p, kind, levels, v.Position));
                return;
            }
            if (values is null && !bad)
            {
                if (min is null || max is null) { Add(v.Position, key, "expected both min: and max: (or values: [...])"); return; }
                if (fieldType is not null && kind == ParameterKind.Text) { Add(v.Position, key, $"the scenario field is {Describe(fieldType)}, not a number: list its values: [...]"); return; }
                if (min > max) { Add(v.Position, key, $"min {Fmt(min.Value)} is greater than max {Fmt(max.Value)}"); return; }
            }
            if (bad) return;
            parameters.Add(new SweepParameter(p, ScenarioPaths.ColumnName(p), kind, min, max, levels, values));
        }

        /// <summary>The spec when nothing is wrong (then the design's points are checked too), else every problem in file order.</summary>
        private SweepLoadResult Result()
        {
            // File order, whatever the order of the checks (the scenario's own file, if any, after the sweep file's lines).
            problems = problems.Select((p, i) => (p, i)).OrderBy(x => x.p.File == display ? 0 : 1).ThenBy(x => x.p.Line).ThenBy(x => x.p.Column)
                .ThenBy(x => x.i).Select(x => x.p).ToList();
            if (problems.Count > 0 || designType is null || points is null) return new SweepLoadResult(null, problems);
            var design = new DesignSpec(designType.Value, points.Value, designType is DesignType.Random or DesignType.Lhs or DesignType.Morris ? designSeed ?? 1 : 0,
                designBase ?? 0, designType == DesignType.Morris ? designLevels ?? 4 : 0, designType == DesignType.Saltelli && secondOrder,
                designValues, designFileSha);
            var spec = new SweepSpec(name, Path.GetFullPath(path), scenarioRef, scenarioPath, sha, parameters, design, replications, masterSeed,
                overrides, kept, named.Select(n => n.Output).ToList(), effectOf.Select(e => e.Path).ToList(), analysis);
            // The plan (every point and run) is built to check each point: refused before it is built when it cannot fit.
            long planBytes = SweepPlan.EstimateBytes(points.Value, replications, parameters.Count);
            if (planBytes > availableBytes) return new SweepLoadResult(null, [], planBytes);
            problems.AddRange(SweepPointCheck.Check(new SweepPlan(spec, ""), display, where => (parameterMarks[where].Line, parameterMarks[where].Column),
                (designMark.Line, designMark.Column), Owner));
            return problems.Count > 0 ? new SweepLoadResult(null, problems) : new SweepLoadResult(spec, problems);
        }
    }
}
