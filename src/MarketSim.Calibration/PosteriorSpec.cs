namespace MarketSim.Calibration;

/// <summary>
/// The <c>posterior:</c> section of a calibration file (<c>method: posterior</c>): the priors of assumed parameters sampled
/// beside the fitted ones, the model discrepancy, history matching's waves and ABC-SMC's generations. The priors of the
/// fitted parameters are their bounds: uniform, or log-uniform with <c>scale: log</c>.
/// </summary>
public sealed class PosteriorSpec
{
    /// <summary>Seed of the waves' designs and ABC's prior sample and proposals.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>
    /// Model discrepancy: its standard deviation as a share of each figure (the model's own error, beyond the figure's
    /// observation error, which is its tolerance).
    /// </summary>
    public double Discrepancy { get; set; } = 0.05;

    /// <summary>Assumed parameters sampled too, by scenario path: their range from the scenario's <c>assumptions:</c> (<c>{}</c>) or given.</summary>
    public OrderedDictionary<string, AssumedPriorSpec> Assumed { get; set; } = new();

    /// <summary>History matching's waves.</summary>
    public HistoryMatchingSpec HistoryMatching { get; set; } = new();

    /// <summary>ABC-SMC's generations.</summary>
    public AbcSpec Abc { get; set; } = new();

    /// <summary>Where the search starts: null for the whole prior.</summary>
    public RegionSpec? Region { get; set; }
}

/// <summary>
/// A starting region inside the prior: the box of ± <see cref="HalfWidth"/> (in each prior's unit coordinate, linear or
/// logarithmic) around the scenario's own values (for a calibrated scenario, the best point of its optimisation),
/// clipped to the prior. History matching's first wave and ABC's prior sample fill it, and ABC never leaves it: the
/// posterior is the prior restricted to it, which the report says.
/// </summary>
public sealed class RegionSpec
{
    /// <summary>The centre: <c>scenario</c> (the values the scenario file states).</summary>
    public string Around { get; set; } = "scenario";

    /// <summary>Half the box's width as a share of each prior's range (unit coordinate), in (0, 0.5].</summary>
    public double HalfWidth { get; set; } = 0.2;
}

/// <summary>An assumed parameter's prior: uniform (or log-uniform) over [min, max]; without min and max, the scenario's plausible range.</summary>
public sealed class AssumedPriorSpec
{
    /// <summary>Lower bound; null: the plausible range's.</summary>
    public double? Min { get; set; }

    /// <summary>Upper bound; null: the plausible range's.</summary>
    public double? Max { get; set; }

    /// <summary><c>linear</c> (uniform) or <c>log</c> (log-uniform; needs min &gt; 0).</summary>
    public string Scale { get; set; } = "linear";
}

/// <summary>History matching's settings.</summary>
public sealed class HistoryMatchingSpec
{
    /// <summary>Waves (0: ABC starts from the whole prior).</summary>
    public int Waves { get; set; } = 3;

    /// <summary>Points per wave (a Latin hypercube in the region left).</summary>
    public int Points { get; set; } = 64;

    /// <summary>Implausibility cut-off (3: Pukelsheim's three-sigma rule).</summary>
    public double Cutoff { get; set; } = 3;

    /// <summary>Which largest implausibility over the figures decides: 1 (the largest), 2 or 3 (one or two figures the model cannot reach do not rule a point out).</summary>
    public int Rank { get; set; } = 1;
}

/// <summary>ABC-SMC's settings.</summary>
public sealed class AbcSpec
{
    /// <summary>Particles per generation.</summary>
    public int Population { get; set; } = 64;

    /// <summary>Each threshold is this weighted quantile of the previous generation's distances.</summary>
    public double Quantile { get; set; } = 0.5;

    /// <summary>Stop at this threshold: 1 means the figures met, as a weighted root-mean-square, within one standard uncertainty.</summary>
    public double MinEpsilon { get; set; } = 1;

    /// <summary>Stop when a generation accepts fewer than this share of its proposals.</summary>
    public double MinAcceptance { get; set; } = 0.02;

    /// <summary>Generations after the prior sample.</summary>
    public int MaxGenerations { get; set; } = 6;
}
