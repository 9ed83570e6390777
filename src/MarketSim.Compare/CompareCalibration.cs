using MarketSim.Calibration;

namespace MarketSim.Compare;

/// <summary>The published figures each arm is checked against, with the simulated value averaged over replications.</summary>
public static class CompareCalibration
{
    /// <summary>
    /// One row per target of <paramref name="arm"/> (as in a run's calibration.parquet), the simulated value being
    /// the mean over replications; empty when the arm has no targets.
    /// </summary>
    public static IReadOnlyList<CalibrationRow> Mean(CompareRuns runs, Arm arm)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var first = runs.Get(0, arm).Calibration;
        var rows = new List<CalibrationRow>(first.Count);
        for (int i = 0; i < first.Count; i++)
        {
            double sum = 0;
            for (int r = 0; r < runs.Replications; r++) sum += runs.Get(r, arm).Calibration[i].Simulated;
            rows.Add(first[i] with { Simulated = sum / runs.Replications });
        }
        return rows;
    }
}
