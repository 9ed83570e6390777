using System.Globalization;
using MarketSim.Calibration.Posterior;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;
using MarketSim.Sweeps;

namespace MarketSim.Calibration;

/// <summary>What loading a calibration file with its method gave: an optimisation, a posterior, or every problem found.</summary>
/// <param name="Optimise">The calibration when its method is <c>optimise</c>.</param>
/// <param name="Posterior">The posterior when its method is <c>posterior</c>.</param>
/// <param name="Problems">Each problem names file, line, column and key.</param>
public sealed record CalibrationMethodResult(CalibrationProblem? Optimise, PosteriorProblem? Posterior, IReadOnlyList<ScenarioProblem> Problems)
{
    /// <summary>True when one of the two can run.</summary>
    public bool Ok => Problems.Count == 0 && (Optimise is not null || Posterior is not null);
}

public static partial class CalibrationFile
{
    /// <summary>Most waves, generations and points a posterior accepts.</summary>
    public const int MaxWaves = 20, MaxGenerations = 100, MaxPopulation = 100_000;

    /// <summary>
    /// Loads a calibration file with its <c>method:</c>: <see cref="Load"/>'s checks, then for <c>method: posterior</c> the
    /// <c>posterior:</c> section (settings, the assumed parameters' priors: a path the scenario has, real-valued, not fitted
    /// or set, with a range given or plausible in the scenario's <c>assumptions:</c>, and the scenario valid at both ends).
    /// </summary>
    public static CalibrationMethodResult LoadWithMethod(string path, string? displayPath = null, ScenarioOverrides? commandLine = null)
    {
        var loaded = Load(path, displayPath, commandLine);
        if (!loaded.Ok || loaded.Problem is not { } problem) return new CalibrationMethodResult(null, null, loaded.Problems);
        var bound = SettingsFile.Load<CalibrationFileSpec>(path, displayPath ?? path);
        var spec = bound.Value!;
        var problems = new List<ScenarioProblem>();
        if (spec.Method == "optimise")
        {
            if (spec.Posterior is not null) problems.Add(bound.At("posterior", "a posterior: section is read only with method: posterior"));
            return new CalibrationMethodResult(problems.Count == 0 ? problem : null, null, problems);
        }
        if (spec.Method != "posterior")
            return new CalibrationMethodResult(null, null, [bound.At("method", $"expected 'optimise' (a best point) or 'posterior' (history matching, then ABC-SMC), got '{spec.Method}'")]);
        var p = spec.Posterior ?? new PosteriorSpec();
        PosteriorSettings(bound, p, problems);

        // The assumed parameters: each a path with a prior range, checked against the scenario at both ends.
        string scenarioDir = Path.GetDirectoryName(problem.ScenarioPath)!, scenarioName = Path.GetFileName(problem.ScenarioPath);
        var scenario = ScenarioLoader.LoadText(problem.BaseYaml, scenarioName, scenarioDir, new Dictionary<string, string>()).Scenario!;
        var assumed = new List<FitParameter>();
        var sources = new List<string>();
        foreach (var (key, prior) in p.Assumed)
        {
            string at = "posterior.assumed." + key;
            if (key.Contains('[', StringComparison.Ordinal)) { problems.Add(bound.At(at, "expected a path of keys without list indices")); continue; }
            if (ScenarioPaths.Explain(key) is { } why) { problems.Add(bound.At(at, why)); continue; }
            if (ScenarioPaths.KindOf(ScenarioPaths.FieldType(key)) != ParameterKind.Real)
            { problems.Add(bound.At(at, "expected a path to a real-valued scenario field (whole numbers, text and dates cannot be sampled)")); continue; }
            if (Overlaps(key, problem.Parameters.Select(x => x.Path)) is { } fitted)
            { problems.Add(bound.At(at, $"parameters.{fitted} is fitted: its prior is its bounds; an assumed parameter is one the file does not fit")); continue; }
            if (Overlaps(key, problem.Settings.Select(x => x.Path)) is { } set)
            { problems.Add(bound.At(at, $"{set} is set on the command line (--set): a value held fixed cannot also be sampled")); continue; }
            if (Overlaps(key, assumed.Select(x => x.Path)) is { } twice)
            { problems.Add(bound.At(at, $"overlaps posterior.assumed.{twice}: each value is sampled once")); continue; }
            if (prior.Scale is not ("linear" or "log")) { problems.Add(bound.At(at + ".scale", $"expected 'linear' or 'log', got '{prior.Scale}'")); continue; }
            double min, max;
            string source;
            if (prior.Min is { } a && prior.Max is { } b) { min = a; max = b; source = "given in the calibration file"; }
            else if (prior.Min is not null || prior.Max is not null) { problems.Add(bound.At(at, "expected both min: and max:, or neither (the scenario's plausible range)")); continue; }
            else if (PlausibleRanges.For(scenario, key) is { } range)
            { min = range.Low; max = range.High; source = $"assumptions.{range.Key}: plausible [{F(range.Low)}, {F(range.High)}]"; }
            else
            {
                problems.Add(bound.At(at, "the scenario's assumptions: give no plausible range for this path: give min: and max: here, " +
                                          "or add 'plausible: [low, high]' to its entry in the scenario"));
                continue;
            }
            if (!(min < max)) { problems.Add(bound.At(at + (prior.Max is null ? "" : ".max"), $"expected min < max, got [{F(min)}, {F(max)}]")); continue; }
            if (prior.Scale == "log" && min <= 0) { problems.Add(bound.At(at + (prior.Min is null ? "" : ".min"), $"scale: log needs min > 0, got {F(min)}")); continue; }
            var parameter = new FitParameter(key, ScenarioPaths.ColumnName(key), min, max, prior.Scale == "log");
            // The prior's ends must be scenarios the validator accepts (its limits): the same check as a fitted parameter's bounds.
            foreach (var end in new[] { 0.0, 1.0 })
            {
                var atEnd = ScenarioLoader.LoadText(problem.BaseYaml, scenarioName, scenarioDir,
                    new Dictionary<string, string> { [key] = parameter.AtUnit(end).ToString("R", CultureInfo.InvariantCulture) });
                foreach (var q in atEnd.Problems)
                    problems.Add(bound.At(at, $"at the prior's {(end == 0 ? "min" : "max")} ({F(parameter.AtUnit(end))}) the scenario is invalid: " +
                                              $"{(q.Key.Length > 0 ? q.Key + ": " : "")}{q.Message}"));
            }
            assumed.Add(parameter);
            sources.Add(source);
        }
        if (problems.Count > 0) return new CalibrationMethodResult(null, null, problems.Distinct().ToList());

        var all = problem.Parameters.Concat(assumed).ToList();
        var start = StartRegion(p.Region, scenario, all);
        // The region is part of the problem: a log made from another region is another calibration's.
        string regionKey = p.Region is null ? "" : ":region=" + string.Join(",", start.Low.Concat(start.High).Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
        var extended = new CalibrationProblem(problem.FilePath, problem.DisplayPath, problem.ScenarioPath, problem.BaseYaml, problem.Targets,
            problem.HoldoutAfter, all, problem.Agents, problem.Seeds, problem.Objective, problem.Budget, problem.PlatformNames, problem.Settings,
            fingerprintExtra: "posterior" + regionKey)
        {
            InputFiles = problem.InputFiles,
        };
        var priorSources = problem.Parameters.Select(x => $"fitted: its bounds, {(x.Log ? "log-uniform" : "uniform")}")
            .Concat(sources.Select((s, i) => $"assumed: {s}, {(assumed[i].Log ? "log-uniform" : "uniform")}")).ToList();
        var hm = new HistoryMatchingSettings(p.HistoryMatching.Waves, p.HistoryMatching.Points, p.HistoryMatching.Cutoff, p.Seed, p.HistoryMatching.Rank);
        var abc = new AbcSettings(p.Abc.Population, p.Abc.Quantile, p.Abc.MinEpsilon, p.Abc.MinAcceptance, p.Abc.MaxGenerations, p.Seed);
        return new CalibrationMethodResult(null, new PosteriorProblem(extended, problem.Parameters.Count, priorSources, p.Discrepancy, hm, abc,
            p.Region is null ? null : (start, p.Region.HalfWidth)), []);
    }

    /// <summary>The posterior's own numbers, each at its key.</summary>
    private static void PosteriorSettings(BoundSettings<CalibrationFileSpec> bound, PosteriorSpec p, List<ScenarioProblem> problems)
    {
        if (!(p.Discrepancy >= 0 && p.Discrepancy <= 1))
            problems.Add(bound.At("posterior.discrepancy", $"expected a share of each figure from 0 to 1 (the model discrepancy's standard deviation), got {F(p.Discrepancy)}"));
        var h = p.HistoryMatching;
        if (h.Waves is < 0 or > MaxWaves) problems.Add(bound.At("posterior.history_matching.waves", $"expected a whole number from 0 to {MaxWaves}, got {h.Waves}"));
        if (h.Points is < 2 or > MaxPopulation) problems.Add(bound.At("posterior.history_matching.points", $"expected a whole number from 2 to {MaxPopulation}, got {h.Points}"));
        if (!(h.Cutoff > 0 && h.Cutoff <= 10)) problems.Add(bound.At("posterior.history_matching.cutoff", $"expected a number in (0, 10] (3: the three-sigma rule), got {F(h.Cutoff)}"));
        if (h.Rank is < 1 or > 3) problems.Add(bound.At("posterior.history_matching.rank", $"expected 1 (the largest implausibility decides), 2 or 3, got {h.Rank}"));
        var a = p.Abc;
        if (a.Population is < 2 or > MaxPopulation) problems.Add(bound.At("posterior.abc.population", $"expected a whole number from 2 to {MaxPopulation}, got {a.Population}"));
        if (!(a.Quantile > 0 && a.Quantile < 1)) problems.Add(bound.At("posterior.abc.quantile", $"expected a number in (0, 1), got {F(a.Quantile)}"));
        if (!(a.MinEpsilon >= 0 && double.IsFinite(a.MinEpsilon))) problems.Add(bound.At("posterior.abc.min_epsilon", $"expected a number ≥ 0, got {F(a.MinEpsilon)}"));
        if (!(a.MinAcceptance > 0 && a.MinAcceptance <= 1)) problems.Add(bound.At("posterior.abc.min_acceptance", $"expected a share in (0, 1], got {F(a.MinAcceptance)}"));
        if (a.MaxGenerations is < 0 or > MaxGenerations) problems.Add(bound.At("posterior.abc.max_generations", $"expected a whole number from 0 to {MaxGenerations}, got {a.MaxGenerations}"));
        if (p.Region is { } r)
        {
            if (r.Around != "scenario") problems.Add(bound.At("posterior.region.around", $"expected 'scenario' (the values the scenario file states), got '{r.Around}'"));
            if (!(r.HalfWidth > 0 && r.HalfWidth <= 0.5)) problems.Add(bound.At("posterior.region.half_width", $"expected a share of each prior's range in (0, 0.5], got {F(r.HalfWidth)}"));
        }
    }

    /// <summary>
    /// The starting region: the unit cube, or the box of ± half-width around each sampled parameter's value in the
    /// scenario (its unit coordinate under the prior, clipped to [0, 1]).
    /// </summary>
    private static Box StartRegion(RegionSpec? region, Scenario scenario, List<FitParameter> parameters)
    {
        if (region is null) return Box.Unit(parameters.Count);
        var values = ScenarioValues.Of(scenario).ToDictionary(v => v.Path, StringComparer.Ordinal);
        var centre = parameters.Select(p => Math.Clamp(p.ToUnit(values[p.Path].Number), 0, 1)).ToArray();
        return new Box([.. centre.Select(c => Math.Max(0, c - region.HalfWidth))], [.. centre.Select(c => Math.Min(1, c + region.HalfWidth))]);
    }

    /// <summary>The first of <paramref name="paths"/> equal to <paramref name="key"/>, above it or below it; null when none is.</summary>
    private static string? Overlaps(string key, IEnumerable<string> paths) => paths.FirstOrDefault(p =>
        key == p || key.StartsWith(p + ".", StringComparison.Ordinal) || p.StartsWith(key + ".", StringComparison.Ordinal));
}
