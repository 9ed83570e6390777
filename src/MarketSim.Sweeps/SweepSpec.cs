using System.Globalization;
using MarketSim.Output;

namespace MarketSim.Sweeps;

/// <summary>How a design places its points in the parameter space.</summary>
public enum DesignType
{
    /// <summary>Every combination of every parameter's levels or values (last parameter varies fastest).</summary>
    Grid,
    /// <summary>Independent uniform draws from the design seed.</summary>
    Random,
    /// <summary>Latin hypercube: each parameter's range cut into N equal strata, each stratum used by exactly one point.</summary>
    Lhs,
    /// <summary>Sobol low-discrepancy sequence (Joe and Kuo direction numbers), skipping its first point (all zeros).</summary>
    Sobol,
    /// <summary>Saltelli (2010) sample for Sobol' indices: N base points give A, B and A_B^i, N·(k+2) points (N·(2k+2) with second order).</summary>
    Saltelli,
    /// <summary>Morris (1991) elementary-effects design: r trajectories of k+1 points on a p-level grid.</summary>
    Morris,
    /// <summary>
    /// Explicit points read from a CSV file (<c>file:</c>), one row per point: what a posterior calibration's wave, or
    /// any design made elsewhere, hands to a sweep so that it can be sharded across a cluster like any other.
    /// </summary>
    Points,
}

/// <summary>What a parameter's scenario field holds, which decides how values are drawn and stored.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Integer is the kind's name in sweep files and docs/sweeps.md.")]
public enum ParameterKind
{
    /// <summary>A real number (DOUBLE column in runs.parquet).</summary>
    Real,
    /// <summary>A whole number (BIGINT column); continuous designs draw uniformly over the integers min..max.</summary>
    Integer,
    /// <summary>Text, dates or booleans: only a <c>values</c> list is possible (VARCHAR column).</summary>
    Text,
}

/// <summary>One swept parameter: a path into the scenario and the values it takes.</summary>
/// <param name="Path">Dotted scenario path as in the sweep file, e.g. <c>alliances.jd-kuaishou.traffic[0].share</c>.</param>
/// <param name="Column">Column name in runs.parquet, e.g. <c>alliances_jd_kuaishou_traffic_0_share</c>.</param>
/// <param name="Kind">Type of the scenario field.</param>
/// <param name="Min">Lower end of a range (null for a values list).</param>
/// <param name="Max">Upper end of a range (null for a values list).</param>
/// <param name="Levels">Grid levels of a range (grid designs only).</param>
/// <param name="Values">Explicit values as YAML scalars (null for a range).</param>
public sealed record SweepParameter(string Path, string Column, ParameterKind Kind, double? Min, double? Max, int? Levels,
    IReadOnlyList<string>? Values)
{
    /// <summary>True when the parameter is a min/max range rather than a list.</summary>
    public bool IsRange => Values is null;

    /// <summary>Number of distinct grid values: the list's length or the range's levels.</summary>
    public int GridCount => Values?.Count ?? Levels ?? 0;

    /// <summary>The parameter's value at unit coordinate <paramref name="u"/> in [0, 1) for continuous designs.</summary>
    public object AtUnit(double u)
    {
        if (Values is { } values) return Typed(values[Math.Min(values.Count - 1, (int)(u * values.Count))]);
        double min = Min!.Value, max = Max!.Value;
        if (Kind == ParameterKind.Integer)
        {
            long lo = (long)min, hi = (long)max;
            long v = lo + (long)Math.Floor(u * (hi - lo + 1));
            return Math.Min(v, hi);
        }
        return min + u * (max - min);
    }

    /// <summary>The parameter's value given in its own units (a points design): a whole number for an integer field.</summary>
    public object AtValue(double value) => Kind == ParameterKind.Integer ? (object)(long)value : value;

    /// <summary>The parameter's <paramref name="level"/>-th grid value.</summary>
    public object AtLevel(int level)
    {
        if (Values is { } values) return Typed(values[level]);
        double min = Min!.Value, max = Max!.Value;
        double x = Levels == 1 ? min : min + (max - min) * level / (Levels!.Value - 1);
        if (level == Levels!.Value - 1) x = max; // exact end point despite rounding
        if (Kind == ParameterKind.Integer) return (long)Math.Round(x, MidpointRounding.AwayFromZero);
        // Grid levels are meant as decimals: 0.1 + 0.5·2/5 is 0.30000000000000004 in binary; keep 15 significant digits (0.3).
        return double.Parse(x.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private object Typed(string scalar) => Kind switch
    {
        ParameterKind.Real => double.Parse(scalar, NumberStyles.Float, CultureInfo.InvariantCulture),
        ParameterKind.Integer => (long)double.Parse(scalar, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => scalar,
    };

    /// <summary>A value as the YAML text of a scenario override (round-trip precision for reals).</summary>
    public static string OverrideText(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Plain scalars stay plain (dates, true/false); anything YAML could misread is single-quoted.</summary>
    internal static string Quote(string s)
    {
        bool plain = s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '+' or ':' or '/')
                     && !s.Contains(": ", StringComparison.Ordinal) && s[^1] != ':';
        return plain ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}

/// <summary>The design: its type, number of points (derived for grids) and seed (random and LHS only).</summary>
/// <param name="Type">Design type.</param>
/// <param name="Points">Design points; for a grid the product of the parameters' level counts.</param>
/// <param name="Seed">Seed of random, LHS and Morris designs (0 for grid, Sobol and Saltelli, which take none).</param>
/// <param name="Base">Saltelli: base points N; Morris: trajectories r; 0 for the other designs.</param>
/// <param name="Levels">Morris: grid levels p (even); 0 for the other designs.</param>
/// <param name="SecondOrder">Saltelli: also the B_A^i rows that second-order indices need.</param>
/// <param name="Values">A points design's values: [point][parameter] in the parameters' order and units; null for the other types.</param>
/// <param name="FileSha256">A points design's file hash (the plan's fingerprint: another file is another sweep); "" for the other types.</param>
public sealed record DesignSpec(DesignType Type, int Points, ulong Seed, int Base = 0, int Levels = 0, bool SecondOrder = false,
    IReadOnlyList<double[]>? Values = null, string FileSha256 = "")
{
    /// <summary>The design's name as in sweep files.</summary>
    public string Name => Type.ToString().ToLowerInvariant();

    /// <summary>True for the designs built for a sensitivity estimator (their points have a structure the analysis relies on).</summary>
    public bool IsSensitivity => Type is DesignType.Saltelli or DesignType.Morris;
}

/// <summary>A validated sweep file.</summary>
/// <param name="Name">Sweep name; the default output folder is <c>output/&lt;name&gt;</c>.</param>
/// <param name="SweepFilePath">Full path of the sweep file.</param>
/// <param name="ScenarioReference">The base scenario as written in the sweep file (relative to it).</param>
/// <param name="ScenarioPath">Full path of the base scenario.</param>
/// <param name="ScenarioSha256">Hash of the resolved base scenario (fixed overrides, parameters at their lower ends).</param>
/// <param name="Parameters">Swept parameters, in file order.</param>
/// <param name="Design">Design.</param>
/// <param name="Replications">Replications per design point.</param>
/// <param name="MasterSeed">Seed from which every replication's seed is derived.</param>
/// <param name="Overrides">Fixed overrides applied to every run (path → YAML value), in file order.</param>
/// <param name="Outputs">Switchable tables kept (calibration.parquet is always kept: it is small and judges each run).</param>
/// <param name="Named">Named outputs (one number per run each), written to summary.parquet; empty for none.</param>
/// <param name="EffectOf">
/// Parts of the scenario (alliances, alliance clauses, interventions: <see cref="MarketSim.Scenarios.ScenarioClauses"/>)
/// switched off in each run's baseline arm, run with the same seed; the named outputs are then scenario − baseline.
/// Empty: no baseline arm, the outputs are levels.
/// </param>
/// <param name="Analysis">Analysis options; null when the file has no <c>analysis:</c> section.</param>
public sealed record SweepSpec(string Name, string SweepFilePath, string ScenarioReference, string ScenarioPath,
    string ScenarioSha256, IReadOnlyList<SweepParameter> Parameters, DesignSpec Design, int Replications, ulong MasterSeed,
    IReadOnlyList<KeyValuePair<string, string>> Overrides, OutputSelection Outputs,
    IReadOnlyList<NamedOutput>? Named = null, IReadOnlyList<string>? EffectOf = null, AnalysisOptions? Analysis = null)
{
    /// <summary>Named outputs (never null).</summary>
    public IReadOnlyList<NamedOutput> NamedOutputs => Named ?? [];

    /// <summary>Parts switched off in the baseline arm (never null).</summary>
    public IReadOnlyList<string> Baseline => EffectOf ?? [];

    /// <summary>True when each run also runs its baseline arm.</summary>
    public bool HasBaselineArm => Baseline.Count > 0;
}
