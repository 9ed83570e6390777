using System.Globalization;
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
public static partial class CalibrationFile
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

        // The command line's values: its agents replace the file's, its settings are checked against the fit.
        var settings = CommandLineSettings(spec, commandLine, problems, out bool agentsFromCommandLine);

        // Values of the file itself, section by section.
        var objective = FileValues(bound, spec, agentsFromCommandLine, problems);
        var parameters = FitParameters(bound, spec, problems);
        var budget = ValidationValues(bound, spec, parameters, problems);
        if (problems.Count > 0) return new CalibrationLoadResult(null, problems);

        // The scenario with the calibration's agents and targets.
        var files = new FileNames(path, display, spec.Scenario);
        var (loaded, targetsRead, fault) = ScenarioWithTargets(bound, spec, files, settings, commandLine);
        if (fault is not null) return new CalibrationLoadResult(null, [fault]);
        if (!loaded!.Ok || loaded.Scenario is not { } scenario) return new CalibrationLoadResult(null, loaded.Problems);

        // Every parameter at both bounds, the way sweeps check their ranges.
        AtBothBounds(bound, loaded, files.ScenarioDisplay, Path.GetDirectoryName(files.ScenarioFull)!, parameters, problems);
        if (problems.Count > 0) return new CalibrationLoadResult(null, problems.Distinct().ToList());

        // Targets: within the calendar, at least one fitted; the validation's origins among them.
        var model = new MarketModel(scenario);
        var targets = scenario.Calibration;
        TargetProblems(bound, spec, model, targets, problems);
        var validation = ValidationAgainstTargets(bound, spec, scenario, parameters, budget, targets, problems);
        if (problems.Count > 0) return new CalibrationLoadResult(null, problems);

        ulong master = spec.Seed ?? scenario.Seed;
        var seeds = Enumerable.Range(0, spec.Replications).Select(r => SweepPlan.ReplicationSeed(master, r)).ToList();
        var names = model.Dimensions.PlatformNames;
        return new CalibrationLoadResult(new CalibrationProblem(Path.GetFullPath(path), display, files.ScenarioFull, loaded.ResolvedYaml, targets,
            spec.HoldoutAfter, parameters, spec.Agents, seeds, objective, spec.Budget, names, settings)
        {
            InputFiles = [Path.GetFullPath(path), .. loaded.Files.Select(Path.GetFullPath), .. targetsRead is null ? [] : new[] { targetsRead }],
            Validation = validation,
        }, []);
    }

    /// <summary>The calibration file's and its scenario's paths: full, and as messages name them.</summary>
    private sealed record FileNames(string Path, string Display, string Scenario)
    {
        public string Dir => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

        public string ScenarioFull => System.IO.Path.GetFullPath(System.IO.Path.Combine(Dir, Scenario));

        public string ScenarioDisplay => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Display) ?? "", Scenario);
    }

    /// <summary>The command line's <c>--agents</c> (into <paramref name="spec"/>) and <c>--set</c> values, checked against the fit.</summary>
    private static List<(string Path, string Value)> CommandLineSettings(CalibrationFileSpec spec, ScenarioOverrides? commandLine,
        List<ScenarioProblem> problems, out bool agentsFromCommandLine)
    {
        var settings = new List<(string Path, string Value)>();
        agentsFromCommandLine = false;
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
        return settings;
    }

    /// <summary>The file's own values (scenario, agents, replications, objective, budget); the objective they give.</summary>
    private static ObjectiveKind FileValues(BoundSettings<CalibrationFileSpec> bound, CalibrationFileSpec spec, bool agentsFromCommandLine,
        List<ScenarioProblem> problems)
    {
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
        BudgetValues(bound, "budget", spec.Budget, spec.Parameters.Count, problems);
        return objective;
    }

    /// <summary>A budget's values (the file's <c>budget:</c> or the validation's), each problem at its key under <paramref name="at"/>.</summary>
    private static void BudgetValues(BoundSettings<CalibrationFileSpec> bound, string at, CalibrationBudgetSpec b, int parameterCount,
        List<ScenarioProblem> problems)
    {
        if (b.GlobalPoints is < 1 or > 100_000) problems.Add(bound.At(at + ".global_points", $"expected a whole number from 1 to 100000, got {b.GlobalPoints}"));
        if (b.LocalEvaluations is < 0 or > 100_000) problems.Add(bound.At(at + ".local_evaluations", $"expected a whole number from 0 to 100000, got {b.LocalEvaluations}"));
        if (b.LocalStarts < 1 || b.LocalStarts > b.GlobalPoints) problems.Add(bound.At(at + ".local_starts", $"expected a whole number from 1 to {at}.global_points ({b.GlobalPoints}), got {b.LocalStarts}"));
        if (b.Design is not ("lhs" or "sobol")) problems.Add(bound.At(at + ".design", $"expected 'lhs' or 'sobol', got '{b.Design}'"));
        if (b.Design == "sobol" && parameterCount > SobolSequence.MaxDimensions)
            problems.Add(bound.At(at + ".design", $"sobol supports at most {SobolSequence.MaxDimensions} parameters"));
        if (!(b.Tolerance > 0 && b.Tolerance < 1)) problems.Add(bound.At(at + ".tolerance", $"expected a number in (0, 1), got {F(b.Tolerance)}"));
    }

    /// <summary>The fitted parameters: real-valued scenario paths with a range and a scale.</summary>
    private static List<FitParameter> FitParameters(BoundSettings<CalibrationFileSpec> bound, CalibrationFileSpec spec, List<ScenarioProblem> problems)
    {
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
        return parameters;
    }

    /// <summary>
    /// The scenario file and the targets file, their paths checked, loaded with the calibration's settings, agents and
    /// targets; a problem of the calibration file's own lines is returned as the fault.
    /// </summary>
    private static (ScenarioLoadResult? Loaded, string? TargetsRead, ScenarioProblem? Fault) ScenarioWithTargets(
        BoundSettings<CalibrationFileSpec> bound, CalibrationFileSpec spec, FileNames files, List<(string Path, string Value)> settings,
        ScenarioOverrides? commandLine)
    {
        if (InputFiles.CheckPath(spec.Scenario) is { } badScenario)
            return (null, null, bound.At("scenario", $"expected a scenario file path: {badScenario}"));
        var overrides = new ScenarioOverrides();
        foreach (var (key, value) in settings) overrides.Set(key, value, commandLine!.Origin(key));
        overrides.Set("population.agents", spec.Agents.ToString(CultureInfo.InvariantCulture), files.Display + ": agents");
        string? targetsRead = null;
        if (spec.Targets.Length > 0)
        {
            if (InputFiles.CheckPath(spec.Targets) is { } badTargets)
                return (null, null, bound.At("targets", $"expected a targets file path: {badTargets}"));
            string targetsFull = Path.GetFullPath(Path.Combine(files.Dir, spec.Targets));
            if (!File.Exists(targetsFull))
                return (null, null, bound.At("targets", $"targets file '{spec.Targets}' not found (looked for {targetsFull})"));
            // A device, FIFO or over-long file is this line's mistake: blamed here, not on the file it names.
            if (InputFiles.TryReadText(targetsFull, out var targetsFault) is null && targetsFault!.Line == 0)
                return (null, null, bound.At("targets", $"cannot read '{spec.Targets}': {targetsFault.Message}"));
            targetsRead = targetsFull;
            // Relative to the working folder, so that messages about its cells name it the way the user would.
            string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), targetsFull);
            overrides.Set("calibration", "{targets: " + Quote(shown) + "}", files.Display + ": targets");
        }
        if (!File.Exists(files.ScenarioFull))
            return (null, null, bound.At("scenario", $"scenario file '{spec.Scenario}' not found (looked for {files.ScenarioFull})"));
        if (InputFiles.TryReadText(files.ScenarioFull, out var scenarioFault) is null && scenarioFault!.Line == 0)
            return (null, null, bound.At("scenario", $"cannot read '{spec.Scenario}': {scenarioFault.Message}"));
        return (ScenarioLoader.Load(files.ScenarioDisplay, overrides), targetsRead, null);
    }

    /// <summary>The scenario with every parameter at its lower, then its upper bound: the problems, each at the parameter's line.</summary>
    private static void AtBothBounds(BoundSettings<CalibrationFileSpec> bound, ScenarioLoadResult loaded, string scenarioDisplay, string baseDir,
        List<FitParameter> parameters, List<ScenarioProblem> problems)
    {
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
    }

    /// <summary>The calibration targets: some, each within the scenario's calendar, at least one fitted.</summary>
    private static void TargetProblems(BoundSettings<CalibrationFileSpec> bound, CalibrationFileSpec spec, MarketModel model,
        List<CalibrationTargetSpec> targets, List<ScenarioProblem> problems)
    {
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
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
