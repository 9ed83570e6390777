namespace MarketSim.Scenarios;

/// <summary>Which outputs to write.</summary>
public sealed class OutputSpec
{
    /// <summary>Per step × tier × platform metrics.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Primary-switch flows.</summary>
    public bool Flows { get; set; } = true;

    /// <summary>Pairwise multi-homing overlap.</summary>
    public bool Overlap { get; set; } = true;

    /// <summary>PNG charts.</summary>
    public bool Charts { get; set; } = true;

    /// <summary>Agent-level snapshots at chosen dates (agents.parquet); none unless dates are given.</summary>
    public AgentSnapshotSpec AgentSnapshots { get; set; } = new();
}

/// <summary>
/// Agent snapshots for micro-level analysis: the state of a sample of agents after the steps that contain the given
/// dates. The sample is drawn per agent from the seed, so the same agents are in every snapshot of a run, at any
/// thread count, and in both arms of a comparison.
/// </summary>
public sealed class AgentSnapshotSpec
{
    /// <summary>Dates to snapshot; each selects the step whose period contains it. Empty: no snapshots.</summary>
    public List<DateOnly> Dates { get; set; } = new();

    /// <summary>Fraction of agents sampled, in (0, 1].</summary>
    [Limit(0, 1, MinOpen = true)]
    public double Sample { get; set; } = 0.01;
}
