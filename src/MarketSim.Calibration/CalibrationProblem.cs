using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>How target errors are combined into the objective.</summary>
public enum ObjectiveKind
{
    /// <summary>Σ weight · ((simulated − reported) / reported)².</summary>
    Relative,

    /// <summary>Σ weight · ln(simulated / reported)²: symmetric in over- and under-shooting.</summary>
    LogRatio,
}

/// <summary>
/// One fitted parameter: its scenario path and bounds. The search works in the unit cube (u ∈ [0, 1] per parameter,
/// linear or logarithmic between the bounds), and the local stage in logit(u), so that every point it proposes maps
/// back inside the bounds.
/// </summary>
/// <param name="Path">Scenario path, e.g. <c>platforms.pdd.brand</c>.</param>
/// <param name="Column">Column name in evaluations.parquet.</param>
/// <param name="Min">Lower bound.</param>
/// <param name="Max">Upper bound.</param>
/// <param name="Log">True when searched uniformly in log space.</param>
public sealed record FitParameter(string Path, string Column, double Min, double Max, bool Log)
{
    /// <summary>The value at unit coordinate <paramref name="u"/> (clamped to [0, 1]).</summary>
    public double AtUnit(double u)
    {
        u = Math.Clamp(u, 0, 1);
        double x = Log ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        return Math.Clamp(x, Min, Max);
    }

    /// <summary>The unit coordinate of value <paramref name="x"/>.</summary>
    public double ToUnit(double x) =>
        Log ? (Math.Log(x) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (x - Min) / (Max - Min);
}

/// <summary>A checked calibration: everything an evaluation needs, resolved from the calibration file.</summary>
public sealed class CalibrationProblem
{
    internal CalibrationProblem(string file, string display, string scenarioPath, string baseYaml, IReadOnlyList<CalibrationTargetSpec> targets,
        DateOnly? holdoutAfter, IReadOnlyList<FitParameter> parameters, long agents, IReadOnlyList<ulong> seeds, ObjectiveKind objective,
        CalibrationBudgetSpec budget, IReadOnlyList<string> platformNames, IReadOnlyList<(string Path, string Value)> settings,
        IReadOnlyList<bool>? fitted = null, string fingerprintExtra = "")
    {
        Settings = settings;
        FilePath = file;
        DisplayPath = display;
        ScenarioPath = scenarioPath;
        BaseYaml = baseYaml;
        Targets = targets;
        HoldoutAfter = holdoutAfter;
        Fitted = fitted is null ? [.. targets.Select(t => IsFitted(t, holdoutAfter))] : [.. fitted];
        Parameters = parameters;
        Agents = agents;
        Seeds = seeds;
        Objective = objective;
        Budget = budget;
        PlatformNames = platformNames;
        var sb = new StringBuilder();
        sb.Append(baseYaml).Append('\n').Append(objective).Append('\n').Append(holdoutAfter?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var p in parameters) sb.Append(p.Path).Append(' ').Append(p.Min.ToString("R", CultureInfo.InvariantCulture)).Append(' ')
            .Append(p.Max.ToString("R", CultureInfo.InvariantCulture)).Append(p.Log ? " log\n" : " linear\n");
        foreach (var s in seeds) sb.Append(s.ToString(CultureInfo.InvariantCulture)).Append(' ');
        // A validation origin's scenario holds no targets (later figures are not even in memory): its own come here.
        sb.Append(fingerprintExtra);
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Scenario values set on the command line (<c>--set</c>), held fixed by the fit and written into <c>calibrated.yaml</c>.</summary>
    public IReadOnlyList<(string Path, string Value)> Settings { get; }

    /// <summary>
    /// True when a target is fitted: in sample, weighted, and about a time up to the holdout date: a figure at a date
    /// on or before it, or a figure over a period that starts on or before it. Reported GMV comes only as years (2019;
    /// Alibaba's April 2019 to March 2020): held out by their end, they would leave every order value unfitted.
    /// </summary>
    public static bool IsFitted(CalibrationTargetSpec target, DateOnly? holdoutAfter)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.InSample && target.Weight > 0 && (holdoutAfter is not { } h || (target.PeriodStart ?? target.Date) <= h);
    }

    /// <summary>Full path of the calibration file.</summary>
    public string FilePath { get; }

    /// <summary>The calibration file as the user named it.</summary>
    public string DisplayPath { get; }

    /// <summary>
    /// Full paths of every file the calibration reads: the calibration file, the scenario and the files it extends, the
    /// targets CSV. An output folder holding one of them is refused (the outputs would mix with, or overwrite, the input).
    /// </summary>
    public IReadOnlyList<string> InputFiles { get; init; } = [];

    /// <summary>The rolling-origin validation the file declares (<c>validation:</c>); null when it declares none.</summary>
    public ValidationPlan? Validation { get; init; }

    /// <summary>Paths among <see cref="Settings"/> held by a validation origin (their effect starts after it); empty otherwise.</summary>
    public IReadOnlyList<string> HeldPaths { get; init; } = [];

    /// <summary>Full path of the scenario being fitted.</summary>
    public string ScenarioPath { get; }

    /// <summary>
    /// The scenario resolved with the calibration's agents and targets (no <c>extends</c>, targets inline): each
    /// evaluation loads it with the parameters and a replication seed as overrides.
    /// </summary>
    public string BaseYaml { get; }

    /// <summary>Every target, fitted or not, in file order.</summary>
    public IReadOnlyList<CalibrationTargetSpec> Targets { get; }

    /// <summary>Per target: fitted (in the objective) or held out.</summary>
    public IReadOnlyList<bool> Fitted { get; }

    /// <summary>The holdout date, if any.</summary>
    public DateOnly? HoldoutAfter { get; }

    /// <summary>The fitted parameters, in file order.</summary>
    public IReadOnlyList<FitParameter> Parameters { get; }

    /// <summary>Agents per simulation.</summary>
    public long Agents { get; }

    /// <summary>Scenario seed of each replication (the same at every point: common random numbers).</summary>
    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>How target errors are combined.</summary>
    public ObjectiveKind Objective { get; }

    /// <summary>The search budget.</summary>
    public CalibrationBudgetSpec Budget { get; }

    /// <summary>Platform display names by id order of the scenario.</summary>
    public IReadOnlyList<string> PlatformNames { get; }

    /// <summary>
    /// SHA-256 of everything that decides an evaluation's result (scenario, targets, agents, seeds, parameters, bounds,
    /// objective, holdout), but not the budget: an evaluation log is reused only by a calibration with the same
    /// fingerprint, and a larger budget continues where a smaller one stopped.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The last in-sample target date, for the calibrated file's header.</summary>
    public DateOnly? LastFittedDate => Enumerable.Range(0, Targets.Count).Where(i => Fitted[i]).Select(i => (DateOnly?)Targets[i].Date).Max();
}
