namespace MarketSim.Calibration;

/// <summary>
/// A calibration file as written (keys in snake_case, bound by the scenario binder so that problems name file, line,
/// column and key). <see cref="CalibrationFile.Load"/> checks it and resolves it into a <see cref="CalibrationProblem"/>.
/// </summary>
public sealed class CalibrationFileSpec
{
    /// <summary>The scenario to fit, relative to the calibration file.</summary>
    public string Scenario { get; set; } = "";

    /// <summary>A targets CSV relative to the calibration file; empty: the scenario's own targets.</summary>
    public string Targets { get; set; } = "";

    /// <summary>Targets dated after this day are out of sample: reported, not fitted. Null: every target is fitted.</summary>
    public DateOnly? HoldoutAfter { get; set; }

    /// <summary>Agents per simulation (the scenario's <c>population.agents</c> is replaced).</summary>
    public long Agents { get; set; } = 20_000;

    /// <summary>Replications per evaluation; their seeds are fixed (common random numbers).</summary>
    public int Replications { get; set; } = 2;

    /// <summary>Master seed of the replication seeds; null: the scenario's seed.</summary>
    public ulong? Seed { get; set; }

    /// <summary><c>relative</c> (squared relative errors) or <c>log_ratio</c> (squared log ratios).</summary>
    public string Objective { get; set; } = "relative";

    /// <summary>Parameters to fit by scenario path (the paths sweeps use), in order.</summary>
    public OrderedDictionary<string, CalibrationParameterSpec> Parameters { get; set; } = new();

    /// <summary>How many evaluations each stage may spend.</summary>
    public CalibrationBudgetSpec Budget { get; set; } = new();

    /// <summary>Rolling-origin validation (<c>calibrate --validate</c>); null when the file declares none.</summary>
    public CalibrationValidationSpec? Validation { get; set; }

    /// <summary><c>optimise</c> (a best point: design + Nelder–Mead) or <c>posterior</c> (history matching + ABC-SMC, <see cref="Posterior"/>).</summary>
    public string Method { get; set; } = "optimise";

    /// <summary>The posterior's settings (<c>method: posterior</c>); null: the defaults.</summary>
    public PosteriorSpec? Posterior { get; set; }
}

/// <summary>
/// The <c>validation:</c> section: refit at each origin on the figures dated up to it, then forecast the figures 1 to
/// <see cref="Horizons"/> quarters after it (never after <c>holdout_after</c>).
/// </summary>
public sealed class CalibrationValidationSpec
{
    /// <summary>Forecast origins: last days of quarters, ascending, inside the targets' dates and before <c>holdout_after</c>.</summary>
    public List<DateOnly> Origins { get; set; } = new();

    /// <summary>Quarters ahead forecast from each origin (1 to <see cref="CalibrationFile.MaxHorizons"/>).</summary>
    public int Horizons { get; set; } = 4;

    /// <summary>The search budget of each origin's refit; a key left out takes the file's <c>budget:</c> value.</summary>
    public CalibrationBudgetSpec? Budget { get; set; }

    /// <summary>
    /// Values of fitted parameters whose effect starts after an origin (an intervention, streamer community or alliance
    /// starting later): at such an origin the data cannot size them, so they are held here instead of fitted. A late
    /// parameter not listed is held at its lower bound.
    /// </summary>
    public OrderedDictionary<string, double> Held { get; set; } = new();
}

/// <summary>One fitted parameter's bounds and scale.</summary>
public sealed class CalibrationParameterSpec
{
    /// <summary>Lower bound.</summary>
    public double Min { get; set; }

    /// <summary>Upper bound (greater than <see cref="Min"/>).</summary>
    public double Max { get; set; }

    /// <summary><c>linear</c>, or <c>log</c> (searched uniformly in log space; needs min &gt; 0).</summary>
    public string Scale { get; set; } = "linear";
}

/// <summary>The search budget.</summary>
public sealed class CalibrationBudgetSpec
{
    /// <summary>Points of the global stage.</summary>
    public int GlobalPoints { get; set; } = 16;

    /// <summary>Global design: <c>lhs</c> or <c>sobol</c>.</summary>
    public string Design { get; set; } = "lhs";

    /// <summary>Seed of an LHS design.</summary>
    public ulong DesignSeed { get; set; } = 1;

    /// <summary>Objective evaluations the local stage may request (cached repeats included), over all its starts.</summary>
    public int LocalEvaluations { get; set; } = 40;

    /// <summary>Best distinct global points the local stage starts from (the budget is split between them).</summary>
    public int LocalStarts { get; set; } = 1;

    /// <summary>Nelder–Mead stops when the simplex's objective values agree to this relative range.</summary>
    public double Tolerance { get; set; } = 1e-4;
}
