using MarketSim.ScenarioFiles;

namespace MarketSim.Sweeps;

/// <summary>
/// A sweep file as written (snake_case keys), bound by the scenario binder so that unknown keys, wrong types and
/// positions are reported as for scenario files. Sections whose shape depends on their content stay
/// <see cref="RawYaml"/> and <see cref="SweepFile.Load"/> interprets them: <c>parameters</c> and <c>overrides</c>
/// (keys are scenario paths), <c>outputs</c> (table switches mixed with named-output mappings), <c>effect_of</c> (one
/// path or a list).
/// </summary>
internal sealed class SweepFileSpec
{
    /// <summary>The sweep's name (letters, digits, '-', '_', '.').</summary>
    public string? Name { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }

    /// <summary>The base scenario, relative to the sweep file.</summary>
    public string? Scenario { get; set; }

    /// <summary>Scenario paths to {min:, max:, levels:} or {values: [...]}.</summary>
    public RawYaml? Parameters { get; set; }

    /// <summary>How the points are chosen.</summary>
    public SweepDesignFileSpec? Design { get; set; }

    /// <summary>Runs per point.</summary>
    public int? Replications { get; set; }

    /// <summary>Seed of the replication seeds.</summary>
    public ulong? MasterSeed { get; set; }

    /// <summary>Shorthand for the override <c>population.agents</c>.</summary>
    public long? Agents { get; set; }

    /// <summary>Fixed scenario paths to values.</summary>
    public RawYaml? Overrides { get; set; }

    /// <summary>Table switches and named outputs.</summary>
    public RawYaml? Outputs { get; set; }

    /// <summary>Parts switched off in each run's baseline arm.</summary>
    public RawYaml? EffectOf { get; set; }

    /// <summary>Sensitivity analysis after the sweep.</summary>
    public SweepAnalysisFileSpec? Analysis { get; set; }
}

/// <summary>A sweep file's <c>design:</c> as written.</summary>
internal sealed class SweepDesignFileSpec
{
    /// <summary>grid, random, lhs, sobol, saltelli, morris or points.</summary>
    public string? Type { get; set; }

    /// <summary>Points of a random, LHS or Sobol design.</summary>
    public int? Points { get; set; }

    /// <summary>Seed of a random, LHS or Morris design.</summary>
    public ulong? Seed { get; set; }

    /// <summary>Base points N of a Saltelli design.</summary>
    public int? Base { get; set; }

    /// <summary>Trajectories r of a Morris design.</summary>
    public int? Trajectories { get; set; }

    /// <summary>Grid levels of a Morris design.</summary>
    public int? Levels { get; set; }

    /// <summary>Second-order indices of a Saltelli design.</summary>
    public bool? SecondOrder { get; set; }

    /// <summary>The CSV file of a points design, relative to the sweep file.</summary>
    public string? File { get; set; }
}

/// <summary>A sweep file's <c>analysis:</c> as written.</summary>
internal sealed class SweepAnalysisFileSpec
{
    /// <summary>Analyse when the sweep completes.</summary>
    public bool? AfterSweep { get; set; }

    /// <summary>Bootstrap resamples.</summary>
    public int? Bootstrap { get; set; }

    /// <summary>Seed of the bootstrap.</summary>
    public ulong? Seed { get; set; }

    /// <summary>Bins of the main-effect estimates.</summary>
    public int? Bins { get; set; }
}
