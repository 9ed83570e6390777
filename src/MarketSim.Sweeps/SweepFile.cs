using MarketSim.Scenarios;
using System.Globalization;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Sweeps;

/// <summary>What loading a sweep file gave: the sweep, or every problem found in it.</summary>
/// <param name="Spec">The validated sweep; null when there are problems.</param>
/// <param name="Problems">Every problem, each naming the file, line, column and key.</param>
public sealed record SweepLoadResult(SweepSpec? Spec, IReadOnlyList<ScenarioProblem> Problems)
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
public static class SweepFile
{
    /// <summary>Keys a sweep file may have.</summary>
    public static readonly IReadOnlyList<string> TopKeys =
        ["name", "description", "scenario", "parameters", "design", "replications", "master_seed", "agents", "overrides", "outputs",
            "effect_of", "analysis"];

    /// <summary>Column names of runs.parquet that parameters may not take.</summary>
    public static readonly IReadOnlyList<string> ReservedColumns =
        ["run", "point", "replication", "seed", "scenario_sha256", "status", "error"];

    /// <summary>
    /// Loads and validates a sweep file; <paramref name="displayPath"/> is how messages name it (default: as given).
    /// <paramref name="commandLine"/> (<c>--agents</c>, <c>--set</c>) replaces the file's fixed overrides of the same
    /// paths and is checked like them; its problems name the option.
    /// </summary>
    public static SweepLoadResult Load(string path, string? displayPath = null, ScenarioOverrides? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string display = displayPath ?? path;
        var problems = new List<ScenarioProblem>();
        void Add(Mark at, string key, string message) =>
            problems.Add(new ScenarioProblem(display, (int)at.Line, (int)at.Column, key, message));

        if (InputFiles.TryReadText(path, out var fault) is not { } text)
            return new SweepLoadResult(null, [fault!.Line > 0
                ? new ScenarioProblem(display, fault.Line, fault.Column, "", fault.Message)
                : new ScenarioProblem(display, 0, 0, "", $"cannot read the sweep file: {fault.Message}")]);
        // Depth, aliases and complex keys are checked on parser events first: YamlStream builds its tree recursively.
        if (YamlLimits.Check(text, display) is { } limit) return new SweepLoadResult(null, [limit]);

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
                return new SweepLoadResult(null, [new ScenarioProblem(display, 1, 1, "", "expected one mapping with keys such as 'scenario:' and 'parameters:'")]);
            root = map;
        }
        catch (YamlException e)
        {
            string message = e.InnerException?.Message ?? e.Message;
            int cut = message.LastIndexOf("): ", StringComparison.Ordinal);
            if (cut >= 0) message = message[(cut + 3)..];
            return new SweepLoadResult(null, [new ScenarioProblem(display, (int)e.Start.Line, (int)e.Start.Column, "", "invalid YAML: " + message.Trim())]);
        }
        catch (InvalidOperationException)
        {
            return new SweepLoadResult(null, [new ScenarioProblem(display, 1, 1, "", "invalid YAML: a list '[' or mapping '{' is not closed")]);
        }

        var entries = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (k, v) in root.Children)
        {
            if (k is not YamlScalarNode { Value: { } key })
            {
                Add(k.Start, "", "expected a plain key");
                continue;
            }
            if (!TopKeys.Contains(key)) Add(k.Start, key, $"unknown key '{key}'{KeySuggestions.For(key, TopKeys)}");
            else entries[key] = (k, v);
        }
        YamlNode? Get(string key) => entries.TryGetValue(key, out var e) ? e.Value : null;

        // name
        string name = "";
        if (Get("name") is not { } nameNode) Add(root.Start, "name", "missing: give the sweep a name (letters, digits, '-', '_', '.')");
        else if (Scalar(nameNode) is not { Length: > 0 } n || !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || n.StartsWith('.'))
            Add(nameNode.Start, "name", $"expected a name of letters, digits, '-', '_' or '.', found {Show(nameNode)}");
        else name = n;
        if (Get("description") is { } descNode && descNode is not YamlScalarNode) Add(descNode.Start, "description", $"expected text, found {Show(descNode)}");

        // scenario
        string scenarioRef = "", scenarioPath = "";
        if (Get("scenario") is not { } scenarioNode) Add(root.Start, "scenario", "missing: the base scenario file, relative to this sweep file");
        else if (Scalar(scenarioNode) is not { Length: > 0 } s) Add(scenarioNode.Start, "scenario", $"expected a scenario file path, found {Show(scenarioNode)}");
        else
        {
            if (InputFiles.CheckPath(s) is { } badPath) Add(scenarioNode.Start, "scenario", $"expected a scenario file path: {badPath}");
            else
            {
                scenarioRef = s;
                scenarioPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, s));
                if (!File.Exists(scenarioPath)) Add(scenarioNode.Start, "scenario", $"scenario file '{s}' not found (looked for {scenarioPath})");
                else if (InputFiles.TryReadText(scenarioPath, out var scenarioFault) is null && scenarioFault!.Line == 0)
                {
                    Add(scenarioNode.Start, "scenario", $"cannot read '{s}': {scenarioFault.Message}");
                    scenarioPath = "";
                }
            }
        }

        // replications, master seed, agents
        int replications = 1;
        if (Get("replications") is { } repNode)
        {
            if (Whole(repNode) is { } r and >= 1 and <= 1_000_000) replications = (int)r;
            else Add(repNode.Start, "replications", $"expected a whole number from 1 to 1000000, found {Show(repNode)}");
        }
        ulong masterSeed = 1;
        if (Get("master_seed") is { } seedNode)
        {
            if (Scalar(seedNode) is { } st && ulong.TryParse(st.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out ulong ms)) masterSeed = ms;
            else Add(seedNode.Start, "master_seed", $"expected a whole number ≥ 0, found {Show(seedNode)}");
        }

        // fixed overrides (agents is a shorthand for population.agents)
        var overrides = new List<KeyValuePair<string, string>>();
        var overrideMarks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        if (Get("agents") is { } agentsNode)
        {
            if (Whole(agentsNode) is { } a and >= 1) { overrides.Add(new("population.agents", a.ToString(CultureInfo.InvariantCulture))); overrideMarks["population.agents"] = agentsNode.Start; }
            else Add(agentsNode.Start, "agents", $"expected a whole number ≥ 1, found {Show(agentsNode)}");
        }
        if (Get("overrides") is { } ovNode)
        {
            if (ovNode is not YamlMappingNode ovMap) Add(ovNode.Start, "overrides", $"expected a mapping of scenario paths to values, e.g. {{calendar.steps: 52}}, found {Show(ovNode)}");
            else
                foreach (var (k, v) in ovMap.Children)
                {
                    string key = Scalar(k) ?? "";
                    if (key == "seed") { Add(k.Start, "overrides.seed", "the seed of each run is derived from master_seed and the replication; set master_seed instead"); continue; }
                    if (Flow(v) is not { } value) { Add(v.Start, $"overrides.{key}", $"expected a value or a [list] of values, found {Show(v)}"); continue; }
                    if (overrideMarks.ContainsKey(key)) { Add(k.Start, $"overrides.{key}", "set twice (agents: is population.agents)"); continue; }
                    if (ScenarioPaths.Explain(key) is { } unknown) { Add(k.Start, $"overrides.{key}", unknown); continue; }
                    overrides.Add(new(key, value));
                    overrideMarks[key] = k.Start;
                }
        }

        // command-line overrides replace the file's for the same path
        var cliOrigins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in commandLine ?? [])
        {
            string origin = commandLine!.Origin(key);
            if (key == "seed") { problems.Add(new ScenarioProblem(origin, 0, 0, "", "the seed of each run is derived from master_seed and the replication; a sweep takes no seed")); continue; }
            if (ScenarioPaths.Explain(key) is { } unknown) { problems.Add(new ScenarioProblem(origin, 0, 0, key, unknown)); continue; }
            overrides.RemoveAll(o => o.Key == key);
            overrides.Add(new(key, value));
            cliOrigins[key] = origin;
        }

        // design
        DesignType? designType = null;
        int? points = null;
        ulong? designSeed = null;
        int? designBase = null, designLevels = null;
        string baseKey = "base";
        bool secondOrder = false;
        Mark? baseMark = null, levelsMark = null, secondOrderMark = null;
        Mark designMark = root.Start;
        if (Get("design") is not { } designNode) Add(root.Start, "design", "missing: e.g. {type: lhs, points: 20, seed: 1} or {type: grid}");
        else if (designNode is not YamlMappingNode designMap) Add(designNode.Start, "design", $"expected a mapping such as {{type: lhs, points: 20, seed: 1}}, found {Show(designNode)}");
        else
        {
            designMark = designMap.Start;
            foreach (var (k, v) in designMap.Children)
            {
                string key = Scalar(k) ?? "";
                switch (key)
                {
                    case "type":
                        designType = Scalar(v) switch
                        {
                            "grid" => DesignType.Grid, "random" => DesignType.Random, "lhs" => DesignType.Lhs, "sobol" => DesignType.Sobol,
                            "saltelli" => DesignType.Saltelli, "morris" => DesignType.Morris, _ => null,
                        };
                        if (designType is null) Add(v.Start, "design.type", $"expected grid, random, lhs, sobol, saltelli or morris, found {Show(v)}");
                        break;
                    case "points":
                        if (Whole(v) is { } p and >= 1 and <= 10_000_000) points = (int)p;
                        else Add(v.Start, "design.points", $"expected a whole number from 1 to 10000000, found {Show(v)}");
                        break;
                    case "seed":
                        if (Scalar(v) is { } ds && ulong.TryParse(ds.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out ulong dseed)) designSeed = dseed;
                        else Add(v.Start, "design.seed", $"expected a whole number ≥ 0, found {Show(v)}");
                        break;
                    case "base" or "trajectories":
                        if (Whole(v) is { } bp and >= 2 and <= 1_000_000) { designBase = (int)bp; baseKey = key; baseMark = k.Start; }
                        else Add(v.Start, $"design.{key}", $"expected a whole number from 2 to 1000000, found {Show(v)}");
                        break;
                    case "levels":
                        if (Whole(v) is { } lv and >= 2 and <= 1000 && lv % 2 == 0) { designLevels = (int)lv; levelsMark = k.Start; }
                        else Add(v.Start, "design.levels", $"expected an even whole number from 2 to 1000 (Morris's step p/(2(p−1)) must be whole grid steps), found {Show(v)}");
                        break;
                    case "second_order":
                        bool? so = Scalar(v) switch { "true" or "True" => true, "false" or "False" => false, _ => null };
                        if (so is null) Add(v.Start, "design.second_order", $"expected true or false, found {Show(v)}");
                        else { secondOrder = so.Value; secondOrderMark = k.Start; }
                        break;
                    default:
                        Add(k.Start, $"design.{key}", $"unknown key '{key}'{KeySuggestions.For(key, ["type", "points", "seed", "base", "trajectories", "levels", "second_order"])}");
                        break;
                }
            }
            if (!designMap.Children.ContainsKey(new YamlScalarNode("type"))) Add(designMap.Start, "design.type", "missing: grid, random, lhs, sobol, saltelli or morris");
        }

        // parameters
        var parameters = new List<SweepParameter>();
        var parameterMarks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        if (Get("parameters") is not { } paramsNode) Add(root.Start, "parameters", "missing: at least one scenario path with {min:, max:} or {values: [...]}");
        else if (paramsNode is not YamlMappingNode paramsMap || paramsMap.Children.Count == 0)
            Add(paramsNode.Start, "parameters", $"expected a mapping of scenario paths to {{min:, max:}} or {{values: [...]}}, found {Show(paramsNode)}");
        else
            foreach (var (k, v) in paramsMap.Children)
            {
                string p = Scalar(k) ?? "";
                string key = $"parameters.{p}";
                parameterMarks[p] = k.Start;
                if (p == "seed") { Add(k.Start, key, "the seed is not a parameter: replications vary it (derived from master_seed)"); continue; }
                if (cliOrigins.TryGetValue(p, out string? cli)) { problems.Add(new ScenarioProblem(cli, 0, 0, "", $"{p} is swept by the sweep file's parameters: a path is either fixed or swept")); continue; }
                if (overrideMarks.ContainsKey(p)) { Add(k.Start, key, "also set in overrides (or agents): a path is either fixed or swept"); continue; }
                if (ScenarioPaths.Explain(p) is { } unknown) { Add(k.Start, key, unknown); continue; }
                if (v is not YamlMappingNode pm) { Add(v.Start, key, $"expected {{min: a, max: b}} or {{values: [...]}}, found {Show(v)}"); continue; }
                var fieldType = ScenarioPaths.FieldType(p);
                var kind = ScenarioPaths.KindOf(fieldType);
                double? min = null, max = null;
                int? levels = null;
                List<string>? values = null;
                bool bad = false;
                foreach (var (pk, pv) in pm.Children)
                {
                    string sub = Scalar(pk) ?? "";
                    switch (sub)
                    {
                        case "min" or "max":
                            if (Number(pv) is { } x)
                            {
                                if (kind == ParameterKind.Integer && x != Math.Floor(x)) { Add(pv.Start, $"{key}.{sub}", $"expected a whole number (the scenario field is an integer), found {Show(pv)}"); bad = true; }
                                if (sub == "min") min = x; else max = x;
                            }
                            else { Add(pv.Start, $"{key}.{sub}", $"expected a number, found {Show(pv)}"); bad = true; }
                            break;
                        case "levels":
                            if (Whole(pv) is { } l and >= 2 and <= 1_000_000) levels = (int)l;
                            else { Add(pv.Start, $"{key}.levels", $"expected a whole number ≥ 2, found {Show(pv)}"); bad = true; }
                            break;
                        case "values":
                            if (pv is not YamlSequenceNode seq || seq.Children.Count == 0 || seq.Children.Any(c => c is not YamlScalarNode))
                            { Add(pv.Start, $"{key}.values", $"expected a non-empty list of values, found {Show(pv)}"); bad = true; break; }
                            values = [];
                            foreach (var item in seq.Children)
                            {
                                string iv = ((YamlScalarNode)item).Value ?? "";
                                if (kind != ParameterKind.Text)
                                {
                                    if (Number(item) is not { } nv) { Add(item.Start, $"{key}.values", $"expected a number (the scenario field is numeric), found {Show(item)}"); bad = true; continue; }
                                    if (kind == ParameterKind.Integer && nv != Math.Floor(nv)) { Add(item.Start, $"{key}.values", $"expected a whole number (the scenario field is an integer), found {Show(item)}"); bad = true; continue; }
                                    iv = kind == ParameterKind.Integer ? ((long)nv).ToString(CultureInfo.InvariantCulture) : nv.ToString("R", CultureInfo.InvariantCulture);
                                }
                                values.Add(iv);
                            }
                            break;
                        default:
                            Add(pk.Start, $"{key}.{sub}", $"unknown key '{sub}'{KeySuggestions.For(sub, ["min", "max", "levels", "values"])}");
                            bad = true;
                            break;
                    }
                }
                if (values is not null && (min is not null || max is not null || levels is not null))
                { Add(v.Start, key, "give either values: [...] or min:/max:, not both"); continue; }
                if (values is null && !bad)
                {
                    if (min is null || max is null) { Add(v.Start, key, "expected both min: and max: (or values: [...])"); continue; }
                    if (fieldType is not null && kind == ParameterKind.Text) { Add(v.Start, key, $"the scenario field is {Describe(fieldType)}, not a number: list its values: [...]"); continue; }
                    if (min > max) { Add(v.Start, key, $"min {Fmt(min.Value)} is greater than max {Fmt(max.Value)}"); continue; }
                }
                if (bad) continue;
                parameters.Add(new SweepParameter(p, ScenarioPaths.ColumnName(p), kind, min, max, levels, values));
            }

        // design × parameters
        if (designType is { } dt && parameters.Count > 0)
        {
            if (dt == DesignType.Grid)
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
                if (designBase is null) Add(designMark, $"design.{wantBase}", dt == DesignType.Saltelli
                    ? "missing: the number N of base points (the design has N·(k+2) points), e.g. base: 64"
                    : "missing: the number r of trajectories (the design has r·(k+1) points), e.g. trajectories: 10");
                else if (baseKey != wantBase) Add(baseMark!.Value, $"design.{baseKey}", $"a {dn} design takes {wantBase}:, not {baseKey}:");
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
                if (points is null) Add(designMark, "design.points", $"missing: how many points the {dt.ToString().ToLowerInvariant()} design has");
                if (dt == DesignType.Sobol)
                {
                    if (designSeed is not null) Add(designMark, "design.seed", "the Sobol sequence is not randomised: remove seed");
                    if (parameters.Count > SobolSequence.MaxDimensions) Add(designMark, "design.type", $"sobol supports at most {SobolSequence.MaxDimensions} parameters, found {parameters.Count}");
                }
            }
            if (points is { } np && (long)np * replications > 100_000_000) Add(designMark, "design", $"{np} points × {replications} replications is more than 100000000 runs");
        }

        // column names
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (p.Column.Length == 0 || ReservedColumns.Contains(p.Column))
                Add(parameterMarks[p.Path], $"parameters.{p.Path}", $"its column name '{p.Column}' is reserved in runs.parquet");
            else if (!columns.TryAdd(p.Column, p.Path))
                Add(parameterMarks[p.Path], $"parameters.{p.Path}", $"its column name '{p.Column}' is the same as that of '{columns[p.Column]}'");
        }

        // outputs
        var kept = OutputSelection.SweepDefault;
        var named = new List<(NamedOutput Output, Mark Mark, IReadOnlyList<(string Id, Mark At)> Tiers, IReadOnlyList<(string Id, Mark At)> Platforms)>();
        if (Get("outputs") is { } outNode)
        {
            string tableFlags = string.Join(", ", OutputTables.Selectable.Select(t => $"{t.Key}: {(t.InSweepByDefault ? "true" : "false")}"));
            if (outNode is not YamlMappingNode outMap) Add(outNode.Start, "outputs", $"expected a mapping such as {{{tableFlags}}}, found {Show(outNode)}");
            else
                foreach (var (k, v) in outMap.Children)
                {
                    string key = Scalar(k) ?? "";
                    var table = OutputTables.ByKey(key);
                    if (v is YamlMappingNode namedMap && table is null)
                    {
                        if (ParseNamed(key, k.Start, namedMap, Add) is { } parsed)
                        {
                            if (named.Any(n => n.Output.Name == key)) Add(k.Start, $"outputs.{key}", "named twice");
                            else named.Add(parsed);
                        }
                        continue;
                    }
                    bool? flag = Scalar(v) switch { "true" or "True" => true, "false" or "False" => false, _ => null };
                    if (table is null) { Add(k.Start, $"outputs.{key}", $"unknown key '{key}'{KeySuggestions.For(key, OutputTables.Keys)}; a named output is a mapping such as {{metric: annual_active, platforms: [jd], at: end}}"); continue; }
                    if (flag is null) { Add(v.Start, $"outputs.{key}", $"expected true or false, found {Show(v)}"); continue; }
                    kept = kept.With(table, flag.Value);
                }
        }

        // effect_of: parts switched off in each run's baseline arm
        var effectOf = new List<(string Path, Mark At)>();
        if (Get("effect_of") is { } effNode)
        {
            var items = effNode is YamlSequenceNode effSeq ? effSeq.Children.ToList() : [effNode];
            foreach (var item in items)
            {
                if (Scalar(item) is not { Length: > 0 } ep || item is not YamlScalarNode)
                    Add(item.Start, "effect_of", $"expected alliances.ID, alliances.ID.CLAUSE or interventions.ID (or a list of them), found {Show(item)}");
                else if (effectOf.Any(e => e.Path == ep)) Add(item.Start, "effect_of", $"'{ep}' listed twice");
                else effectOf.Add((ep, item.Start));
            }
        }
        if (effectOf.Count > 0 && named.Count == 0)
            Add(entries["effect_of"].Key.Start, "effect_of", "an effect needs named outputs to measure: add e.g. outputs: {jd_gain: {metric: annual_active, platforms: [jd], at: end}}");

        // analysis
        AnalysisOptions? analysis = null;
        if (Get("analysis") is { } anNode)
        {
            if (anNode is not YamlMappingNode anMap) Add(anNode.Start, "analysis", $"expected a mapping such as {{after_sweep: true, bootstrap: 1000, seed: 1, bins: 5}}, found {Show(anNode)}");
            else
            {
                var a = AnalysisOptions.Default;
                foreach (var (k, v) in anMap.Children)
                {
                    string key = Scalar(k) ?? "";
                    switch (key)
                    {
                        case "after_sweep":
                            bool? f = Scalar(v) switch { "true" or "True" => true, "false" or "False" => false, _ => null };
                            if (f is null) Add(v.Start, "analysis.after_sweep", $"expected true or false, found {Show(v)}");
                            else a = a with { AfterSweep = f.Value };
                            break;
                        case "bootstrap":
                            if (Whole(v) is { } bs and >= 10 and <= 100_000) a = a with { Bootstrap = (int)bs };
                            else Add(v.Start, "analysis.bootstrap", $"expected a whole number from 10 to 100000, found {Show(v)}");
                            break;
                        case "seed":
                            if (Scalar(v) is { } ast && ulong.TryParse(ast.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out ulong aseed)) a = a with { Seed = aseed };
                            else Add(v.Start, "analysis.seed", $"expected a whole number ≥ 0, found {Show(v)}");
                            break;
                        case "bins":
                            if (Whole(v) is { } nbins and >= 2 and <= 100) a = a with { Bins = (int)nbins };
                            else Add(v.Start, "analysis.bins", $"expected a whole number from 2 to 100, found {Show(v)}");
                            break;
                        default:
                            Add(k.Start, $"analysis.{key}", $"unknown key '{key}'{KeySuggestions.For(key, ["after_sweep", "bootstrap", "seed", "bins"])}");
                            break;
                    }
                }
                if (a.AfterSweep && named.Count == 0) Add(anMap.Start, "analysis.after_sweep", "nothing to analyse: the sweep has no named outputs");
                analysis = a;
            }
        }

        // The scenario with the fixed overrides and the parameters at each end of their ranges.
        string sha = "";
        Scenario? lowerScenario = null;
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
                        string context = isParameter ? $"at the {(upper ? "upper" : "lower")} end {corner[where]}: " : $"value {corner[where]}: ";
                        if (seen.Add($"{where}|{problem.Message}"))
                            problems.Add(new ScenarioProblem(display, (int)mark.Line, (int)mark.Column,
                                isParameter ? $"parameters.{where}" : $"overrides.{where}", context + problem.Message + inner));
                    }
                    else
                    {
                        var located = problem with { Message = problem.Message + $" (with every parameter at its {(upper ? "upper" : "lower")} end)" };
                        if (seen.Add(problem.ToString())) problems.Add(located);
                    }
                }
            }
        }

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

        // File order, whatever the order of the checks (the scenario's own file, if any, after the sweep file's lines).
        problems = problems.Select((p, i) => (p, i)).OrderBy(x => x.p.File == display ? 0 : 1).ThenBy(x => x.p.Line).ThenBy(x => x.p.Column)
            .ThenBy(x => x.i).Select(x => x.p).ToList();
        if (problems.Count > 0 || designType is null || points is null) return new SweepLoadResult(null, problems);
        var design = new DesignSpec(designType.Value, points.Value, designType is DesignType.Random or DesignType.Lhs or DesignType.Morris ? designSeed ?? 1 : 0,
            designBase ?? 0, designType == DesignType.Morris ? designLevels ?? 4 : 0, designType == DesignType.Saltelli && secondOrder);
        var spec = new SweepSpec(name, Path.GetFullPath(path), scenarioRef, scenarioPath, sha, parameters, design, replications, masterSeed,
            overrides, kept, named.Select(n => n.Output).ToList(), effectOf.Select(e => e.Path).ToList(), analysis);
        problems.AddRange(SweepPointCheck.Check(new SweepPlan(spec, ""), display, where => ((int)parameterMarks[where].Line, (int)parameterMarks[where].Column),
            ((int)designMark.Line, (int)designMark.Column), Owner));
        return problems.Count > 0 ? new SweepLoadResult(null, problems) : new SweepLoadResult(spec, problems);
    }

    /// <summary>One named output's mapping; null (problems added) when it is wrong. Ids are checked against the scenario later.</summary>
    private static (NamedOutput, Mark, IReadOnlyList<(string, Mark)>, IReadOnlyList<(string, Mark)>)? ParseNamed(
        string name, Mark mark, YamlMappingNode map, Action<Mark, string, string> add)
    {
        string key = $"outputs.{name}";
        bool bad = false;
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        { add(mark, key, "a named output's name is a column name: letters, digits and '_', starting with a letter"); bad = true; }
        else if (ReservedColumns.Contains(name) || name.EndsWith("_scenario", StringComparison.Ordinal) || name.EndsWith("_baseline", StringComparison.Ordinal))
        { add(mark, key, $"'{name}' is reserved in summary.parquet (run columns, and the _scenario/_baseline suffixes of effects)"); bad = true; }
        string? metric = null;
        var tiers = new List<(string, Mark)>();
        var platforms = new List<(string, Mark)>();
        DateOnly? at = null, from = null, to = null;
        bool atEnd = false;
        foreach (var (k, v) in map.Children)
        {
            string sub = Scalar(k) ?? "";
            switch (sub)
            {
                case "metric":
                    if (Scalar(v) is { } m && NamedOutput.Metrics.Contains(m)) metric = m;
                    else { add(v.Start, $"{key}.metric", $"expected one of {string.Join(", ", NamedOutput.Metrics)}, found {Show(v)}{(Scalar(v) is { } mm ? KeySuggestions.For(mm, NamedOutput.Metrics, listWhenFar: false) : "")}"); bad = true; }
                    break;
                case "tiers" or "platforms":
                    var list = sub == "tiers" ? tiers : platforms;
                    var items = v is YamlSequenceNode seq ? seq.Children.ToList() : [v];
                    foreach (var item in items)
                    {
                        if (item is YamlScalarNode { Value: { Length: > 0 } id }) list.Add((id, item.Start));
                        else { add(item.Start, $"{key}.{sub}", $"expected {sub[..^1]} ids, found {Show(item)}"); bad = true; }
                    }
                    break;
                case "at" or "from" or "to":
                    if (sub == "at" && Scalar(v) == "end") { atEnd = true; break; }
                    if (Scalar(v) is { } ds && DateOnly.TryParseExact(ds, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    {
                        if (sub == "at") at = day; else if (sub == "from") from = day; else to = day;
                    }
                    else { add(v.Start, $"{key}.{sub}", $"expected a date YYYY-MM-DD{(sub == "at" ? " or end" : "")}, found {Show(v)}"); bad = true; }
                    break;
                default:
                    add(k.Start, $"{key}.{sub}", $"unknown key '{sub}'{KeySuggestions.For(sub, ["metric", "tiers", "platforms", "at", "from", "to"])}");
                    bad = true;
                    break;
            }
        }
        if (metric is null && !bad) { add(map.Start, $"{key}.metric", $"missing: one of {string.Join(", ", NamedOutput.Metrics)}"); bad = true; }
        bool period = from is not null || to is not null;
        if (period && (at is not null || atEnd)) { add(map.Start, key, "give either at: (one step) or from:/to: (a period), not both"); bad = true; }
        else if (period && (from is null || to is null)) { add(map.Start, key, "a period needs both from: and to:"); bad = true; }
        else if (period && from > to) { add(map.Start, key, $"from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}"); bad = true; }
        else if (!period && at is null && !atEnd && !bad) { add(map.Start, $"{key}.at", "missing: at: DATE or at: end (one step), or from:/to: (a period)"); bad = true; }
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

    private static string? Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    private static double? Number(YamlNode node) =>
        Scalar(node) is { } s && double.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d : null;

    private static long? Whole(YamlNode node) => Number(node) is { } d && d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : null;

    /// <summary>A scalar or a list of scalars as a YAML override value; null for anything else.</summary>
    private static string? Flow(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } v } s => s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? SweepParameter.Quote(v) : v,
        YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) =>
            "[" + string.Join(", ", seq.Children.Select(c => Flow(c))) + "]",
        _ => null,
    };

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" or "~" or "null" } => "nothing",
        YamlScalarNode s => "'" + (s.Value!.Length > 40 ? s.Value[..40] + "…" : s.Value) + "'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "?",
    };

    private static string Describe(Type t) =>
        t == typeof(DateOnly) ? "a date" : t == typeof(bool) ? "true/false" : t == typeof(string) ? "text" : t.Name;

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);

}
