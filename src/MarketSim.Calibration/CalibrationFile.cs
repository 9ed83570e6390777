using System.Globalization;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;
using MarketSim.Sweeps;

namespace MarketSim.Calibration;

/// <summary>What loading a calibration file gave: the checked calibration, or every problem found.</summary>
/// <param name="Problem">The calibration; null when there are problems.</param>
/// <param name="Problems">Each problem names file, line, column and key.</param>
public sealed record CalibrationLoadResult(CalibrationProblem? Problem, IReadOnlyList<ScenarioProblem> Problems)
{
    /// <summary>True when the calibration can run.</summary>
    public bool Ok => Problem is not null && Problems.Count == 0;
}

/// <summary>
/// Reads and checks a calibration file completely before anything runs: its keys and values, the scenario with the
/// calibration's agents and targets, every parameter path at both bounds, and that every target lies within the
/// scenario's calendar and at least one is fitted.
/// </summary>
public static class CalibrationFile
{
    /// <summary>Agents accepted per simulation.</summary>
    public const long MinAgents = 100, MaxAgents = 100_000_000;

    /// <summary>Replications accepted per evaluation.</summary>
    public const int MaxReplications = 64;

    /// <summary>Loads <paramref name="path"/>; messages name it as <paramref name="displayPath"/> (default: as given).</summary>
    /// <param name="path">The calibration file.</param>
    /// <param name="displayPath">How messages name it.</param>
    /// <param name="commandLine">
    /// <c>--agents</c> (replaces the file's <c>agents:</c>) and <c>--set</c> values for the scenario, which the fit then
    /// holds fixed; <c>calibrated.yaml</c> sets them too, so that it is the scenario that was fitted. A fitted path, a
    /// path with a list index or a seed cannot be set this way.
    /// </param>
    public static CalibrationLoadResult Load(string path, string? displayPath = null, ScenarioOverrides? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string display = displayPath ?? path;
        var bound = SettingsFile.Load<CalibrationFileSpec>(path, display);
        if (bound.Value is not { } spec) return new CalibrationLoadResult(null, bound.Problems);
        var problems = new List<ScenarioProblem>();
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string displayDir = Path.GetDirectoryName(display) ?? "";

        // The command line's values: its agents replace the file's, its settings are checked against the fit.
        var settings = new List<(string Path, string Value)>();
        bool agentsFromCommandLine = false;
        foreach (var (key, value) in commandLine ?? [])
        {
            string origin = commandLine!.Origin(key);
            if (key == "population.agents")
            {
                if (!origin.StartsWith("--agents", StringComparison.Ordinal))
                    problems.Add(new ScenarioProblem(origin, 0, 0, "", "the agents of every evaluation are set with --agents (or agents: in the file)"));
                else if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n is < MinAgents or > MaxAgents)
                    problems.Add(new ScenarioProblem(origin, 0, 0, "", $"expected a whole number from {MinAgents} to {MaxAgents:N0}"));
                else
                {
                    spec.Agents = n;
                    agentsFromCommandLine = true;
                }
                continue;
            }
            if (key == "seed")
            {
                problems.Add(new ScenarioProblem(origin, 0, 0, "", "the replications' seeds come from the calibration file (seed:), not the scenario"));
                continue;
            }
            if (key.Contains('[', StringComparison.Ordinal))
            {
                problems.Add(new ScenarioProblem(origin, 0, 0, key, "expected a path of keys without list indices (calibrated.yaml sets it by extending the scenario, and lists replace)"));
                continue;
            }
            if (ScenarioPaths.Explain(key) is { } unknown) { problems.Add(new ScenarioProblem(origin, 0, 0, key, unknown)); continue; }
            if (spec.Parameters.Keys.FirstOrDefault(p => key == p || key.StartsWith(p + ".", StringComparison.Ordinal) || p.StartsWith(key + ".", StringComparison.Ordinal)) is { } fitted)
            {
                problems.Add(new ScenarioProblem(origin, 0, 0, key, $"parameters.{fitted} is fitted by this calibration; a value set here would be overwritten by every evaluation"));
                continue;
            }
            settings.Add((key, value));
        }

        // Values of the file itself.
        if (!bound.Has("scenario") || spec.Scenario.Trim().Length == 0)
            problems.Add(bound.At("scenario", "missing: the scenario file to fit, relative to this file"));
        if (!agentsFromCommandLine && spec.Agents is < MinAgents or > MaxAgents)
            problems.Add(bound.At("agents", $"expected a whole number from {MinAgents} to {MaxAgents:N0}, got {spec.Agents}"));
        if (spec.Replications is < 1 or > MaxReplications)
            problems.Add(bound.At("replications", $"expected a whole number from 1 to {MaxReplications}, got {spec.Replications}"));
        ObjectiveKind objective = ObjectiveKind.Relative;
        if (spec.Objective == "log_ratio") objective = ObjectiveKind.LogRatio;
        else if (spec.Objective != "relative")
            problems.Add(bound.At("objective", $"expected 'relative' or 'log_ratio', got '{spec.Objective}'"));
        var b = spec.Budget;
        if (b.GlobalPoints is < 1 or > 100_000) problems.Add(bound.At("budget.global_points", $"expected a whole number from 1 to 100000, got {b.GlobalPoints}"));
        if (b.LocalEvaluations is < 0 or > 100_000) problems.Add(bound.At("budget.local_evaluations", $"expected a whole number from 0 to 100000, got {b.LocalEvaluations}"));
        if (b.LocalStarts < 1 || b.LocalStarts > b.GlobalPoints) problems.Add(bound.At("budget.local_starts", $"expected a whole number from 1 to budget.global_points ({b.GlobalPoints}), got {b.LocalStarts}"));
        if (b.Design is not ("lhs" or "sobol")) problems.Add(bound.At("budget.design", $"expected 'lhs' or 'sobol', got '{b.Design}'"));
        if (b.Design == "sobol" && spec.Parameters.Count > SobolSequence.MaxDimensions)
            problems.Add(bound.At("budget.design", $"sobol supports at most {SobolSequence.MaxDimensions} parameters"));
        if (!(b.Tolerance > 0 && b.Tolerance < 1)) problems.Add(bound.At("budget.tolerance", $"expected a number in (0, 1), got {F(b.Tolerance)}"));

        var parameters = new List<FitParameter>();
        if (spec.Parameters.Count == 0) problems.Add(bound.At("parameters", "expected at least one parameter to fit, e.g. 'platforms.pdd.brand: {min: 0, max: 1.5}'"));
        foreach (var (p, range) in spec.Parameters)
        {
            string key = "parameters." + p;
            if (p.Contains('[', StringComparison.Ordinal))
            {
                problems.Add(bound.At(key, "expected a path of keys without list indices (the calibrated scenario sets it by extending the scenario, and lists replace)"));
                continue;
            }
            if (ScenarioPaths.Explain(p) is { } why) { problems.Add(bound.At(key, why)); continue; }
            if (ScenarioPaths.KindOf(ScenarioPaths.FieldType(p)) != ParameterKind.Real)
            {
                problems.Add(bound.At(key, "expected a path to a real-valued scenario field (whole numbers, text and dates cannot be fitted)"));
                continue;
            }
            bool log = range.Scale == "log";
            if (range.Scale is not ("linear" or "log")) { problems.Add(bound.At(key + ".scale", $"expected 'linear' or 'log', got '{range.Scale}'")); continue; }
            if (!bound.Has(key + ".min") || !bound.Has(key + ".max")) { problems.Add(bound.At(key, "expected both min: and max:")); continue; }
            if (!(range.Min < range.Max)) { problems.Add(bound.At(key + ".max", $"expected a number greater than min ({F(range.Min)}), got {F(range.Max)}")); continue; }
            if (log && range.Min <= 0) { problems.Add(bound.At(key + ".min", $"scale: log needs min > 0, got {F(range.Min)}")); continue; }
            parameters.Add(new FitParameter(p, ScenarioPaths.ColumnName(p), range.Min, range.Max, log));
        }
        if (problems.Count > 0) return new CalibrationLoadResult(null, problems);

        // The scenario with the calibration's agents and targets.
        if (InputFiles.CheckPath(spec.Scenario) is { } badScenario)
            return new CalibrationLoadResult(null, [bound.At("scenario", $"expected a scenario file path: {badScenario}")]);
        string scenarioFull = Path.GetFullPath(Path.Combine(dir, spec.Scenario));
        string scenarioDisplay = Path.Combine(displayDir, spec.Scenario);
        var overrides = new ScenarioOverrides();
        foreach (var (key, value) in settings) overrides.Set(key, value, commandLine!.Origin(key));
        overrides.Set("population.agents", spec.Agents.ToString(CultureInfo.InvariantCulture), display + ": agents");
        string? targetsRead = null;
        if (spec.Targets.Length > 0)
        {
            if (InputFiles.CheckPath(spec.Targets) is { } badTargets)
                return new CalibrationLoadResult(null, [bound.At("targets", $"expected a targets file path: {badTargets}")]);
            string targetsFull = Path.GetFullPath(Path.Combine(dir, spec.Targets));
            if (!File.Exists(targetsFull))
                return new CalibrationLoadResult(null, [bound.At("targets", $"targets file '{spec.Targets}' not found (looked for {targetsFull})")]);
            // A device, FIFO or over-long file is this line's mistake: blamed here, not on the file it names.
            if (InputFiles.TryReadText(targetsFull, out var targetsFault) is null && targetsFault!.Line == 0)
                return new CalibrationLoadResult(null, [bound.At("targets", $"cannot read '{spec.Targets}': {targetsFault.Message}")]);
            targetsRead = targetsFull;
            // Relative to the working folder, so that messages about its cells name it the way the user would.
            string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), targetsFull);
            overrides.Set("calibration", "{targets: " + Quote(shown) + "}", display + ": targets");
        }
        if (!File.Exists(scenarioFull))
            return new CalibrationLoadResult(null, [bound.At("scenario", $"scenario file '{spec.Scenario}' not found (looked for {scenarioFull})")]);
        if (InputFiles.TryReadText(scenarioFull, out var scenarioFault) is null && scenarioFault!.Line == 0)
            return new CalibrationLoadResult(null, [bound.At("scenario", $"cannot read '{spec.Scenario}': {scenarioFault.Message}")]);
        var loaded = ScenarioLoader.Load(scenarioDisplay, overrides);
        if (!loaded.Ok || loaded.Scenario is not { } scenario) return new CalibrationLoadResult(null, loaded.Problems);

        // Every parameter at both bounds, the way sweeps check their ranges.
        string baseDir = Path.GetDirectoryName(scenarioFull)!;
        foreach (var end in new[] { 0.0, 1.0 })
        {
            var o = new Dictionary<string, string>();
            foreach (var p in parameters) o[p.Path] = p.AtUnit(end).ToString("R", CultureInfo.InvariantCulture);
            var atEnd = ScenarioLoader.LoadText(loaded.ResolvedYaml, scenarioDisplay, baseDir, o);
            foreach (var q in atEnd.Problems)
            {
                var p = parameters.FirstOrDefault(x => q.Key.StartsWith(x.Path, StringComparison.Ordinal));
                problems.Add(bound.At(p is null ? "parameters" : "parameters." + p.Path,
                    $"at {(end == 0 ? "min" : "max")} the scenario is invalid: {(q.Key.Length > 0 ? q.Key + ": " : "")}{q.Message}"));
            }
        }
        if (problems.Count > 0) return new CalibrationLoadResult(null, problems.Distinct().ToList());

        // Targets: within the calendar, at least one fitted.
        var model = new MarketModel(scenario);
        var targets = scenario.Calibration;
        string where = spec.Targets.Length > 0 ? "targets" : "scenario";
        if (targets.Count == 0)
            problems.Add(bound.At(where, "no calibration targets: name a targets CSV here or give the scenario 'calibration: {targets: FILE.csv}'"));
        for (int i = 0; i < targets.Count; i++)
            if (!CalibrationTracker.Covers(model, targets[i]))
                problems.Add(bound.At(where, $"target {i + 1} ({targets[i].Metric} {targets[i].Platform} to {targets[i].Date:yyyy-MM-dd}) lies outside the scenario's " +
                                             $"calendar ({model.Start:yyyy-MM-dd} to {model.StepDate(model.Steps).AddDays(-1):yyyy-MM-dd}) or covers too little of its period"));
        if (targets.Count > 0 && !targets.Any(t => CalibrationProblem.IsFitted(t, spec.HoldoutAfter)))
            problems.Add(bound.At(spec.HoldoutAfter is null ? where : "holdout_after",
                "no target is fitted: every target is out of sample, weighted 0, or dated after holdout_after"));
        if (problems.Count > 0) return new CalibrationLoadResult(null, problems);

        ulong master = spec.Seed ?? scenario.Seed;
        var seeds = Enumerable.Range(0, spec.Replications).Select(r => SweepPlan.ReplicationSeed(master, r)).ToList();
        var names = model.Dimensions.PlatformNames;
        return new CalibrationLoadResult(new CalibrationProblem(Path.GetFullPath(path), display, scenarioFull, loaded.ResolvedYaml, targets,
            spec.HoldoutAfter, parameters, spec.Agents, seeds, objective, spec.Budget, names, settings)
        {
            InputFiles = [Path.GetFullPath(path), .. loaded.Files.Select(Path.GetFullPath), .. targetsRead is null ? [] : new[] { targetsRead }],
        }, []);
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
