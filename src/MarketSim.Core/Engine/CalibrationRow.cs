namespace MarketSim.Engine;

/// <summary>One published figure set against the simulated value at the same date.</summary>
/// <param name="Date">Last day of the reported period.</param>
/// <param name="Platform">Platform id, or "all" for all online shoppers.</param>
/// <param name="Metric">annual_active or online_shoppers.</param>
/// <param name="ReportedMillions">Published value, millions.</param>
/// <param name="SimulatedMillions">Simulated value at the step containing <paramref name="Date"/>, millions (accounts for platforms).</param>
/// <param name="Tolerance">Relative error the scenario claims to meet.</param>
/// <param name="Source">Where the published value comes from.</param>
public sealed record CalibrationRow(
    DateOnly Date,
    string Platform,
    string Metric,
    double ReportedMillions,
    double SimulatedMillions,
    double Tolerance,
    string Source)
{
    /// <summary>(simulated − reported) / reported.</summary>
    public double RelativeError => (SimulatedMillions - ReportedMillions) / ReportedMillions;

    /// <summary>True when |relative error| ≤ tolerance.</summary>
    public bool WithinTolerance => Math.Abs(RelativeError) <= Tolerance;
}
