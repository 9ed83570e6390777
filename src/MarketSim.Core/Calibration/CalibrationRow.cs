using System.Globalization;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>One published figure set against the simulated value of the same definition (docs/calibration.md).</summary>
/// <param name="Target">Index of the target in the scenario's calibration list.</param>
/// <param name="PeriodStart">First day of the reported period for flow metrics; null for levels at a date.</param>
/// <param name="Date">The date of a level, or the last day of the reported period.</param>
/// <param name="Platform">Platform id, or "all".</param>
/// <param name="With">Second platform of an overlap target; empty otherwise.</param>
/// <param name="Tiers">Tier ids joined by ';', or "all".</param>
/// <param name="Metric">One of <see cref="CalibrationMetric.All"/>.</param>
/// <param name="Unit">Unit of both values (<see cref="CalibrationMetric.UnitOf"/>).</param>
/// <param name="Reported">Published value.</param>
/// <param name="Simulated">Simulated value by the metric's definition (accounts for platform user counts).</param>
/// <param name="Tolerance">Relative error the scenario claims to meet.</param>
/// <param name="Weight">Weight in a calibration objective.</param>
/// <param name="InSample">False for a validation-only figure.</param>
/// <param name="Source">Where the published value comes from.</param>
public sealed record CalibrationRow(
    int Target,
    DateOnly? PeriodStart,
    DateOnly Date,
    string Platform,
    string With,
    string Tiers,
    string Metric,
    string Unit,
    double Reported,
    double Simulated,
    double Tolerance,
    double Weight,
    bool InSample,
    string Source)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The <see cref="Tiers"/> text of a target: "all" or the ids joined by ';'.</summary>
    public static string TierText(IReadOnlyList<string> tiers) => tiers.Count == 0 ? "all" : string.Join(';', tiers);

    /// <summary>(simulated − reported) / reported.</summary>
    public double RelativeError => (Simulated - Reported) / Reported;

    /// <summary>ln(simulated / reported): symmetric in over- and under-shooting; −∞ when nothing is simulated.</summary>
    public double LogRatio => Math.Log(Simulated / Reported);

    /// <summary>True when |relative error| ≤ tolerance.</summary>
    public bool WithinTolerance => Math.Abs(RelativeError) <= Tolerance;

    /// <summary>What the figure is, e.g. "JD.com GMV 2019-01-01…2019-12-31" or "JD.com users in t3;t4;t5;t6".</summary>
    /// <param name="platformName">Display name of a platform id.</param>
    public string Label(Func<string, string> platformName)
    {
        ArgumentNullException.ThrowIfNull(platformName);
        string who = Platform == "all" ? "all platforms" : platformName(Platform);
        string tiers = Tiers == "all" ? "" : $" ({Tiers.Replace(";", "+", StringComparison.Ordinal)})";
        return Metric switch
        {
            CalibrationMetric.OnlineShoppers => "Online shoppers" + tiers,
            CalibrationMetric.AnnualActive => $"{who} annual-active{tiers}",
            CalibrationMetric.Gmv => $"{who} GMV{tiers}",
            CalibrationMetric.SpendPerBuyer => $"{who} spend per buyer{tiers}",
            CalibrationMetric.UsersShare => $"{who} users in{tiers}",
            CalibrationMetric.GmvShare => $"{who} GMV from{tiers}",
            CalibrationMetric.NewCustomersShare => $"{who} new customers from{tiers}",
            CalibrationMetric.Overlap => $"{who} ∩ {platformName(With)} (of the smaller){tiers}",
            _ => $"{who} {Metric}{tiers}",
        };
    }

    /// <summary>The period as text: "2019-12-31" for a level, "2019-01-01…2019-12-31" for a flow.</summary>
    public string Period => PeriodStart is { } s ? $"{s:yyyy-MM-dd}…{Date:yyyy-MM-dd}" : Date.ToString("yyyy-MM-dd", Inv);

    /// <summary>A value of this row in its unit, for reports: "362.0 M", "2,085 bn yuan", "1,720 yuan", "60.0 %".</summary>
    public string Show(double value) => Unit switch
    {
        "millions" => value.ToString("N1", Inv) + " M",
        "billion_yuan" => value.ToString("N0", Inv) + " bn yuan",
        "yuan" => value.ToString("N0", Inv) + " yuan",
        "share" => (100 * value).ToString("0.0", Inv) + " %",
        _ => value.ToString("G4", Inv),
    };
}
