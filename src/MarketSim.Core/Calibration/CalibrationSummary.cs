using System.Globalization;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>
/// How far a run's figures can be trusted, computed from its calibration rows: how many published figures it is
/// checked against, how well it meets them, up to which date, and what no published figure covers. One wording for
/// the run's console summary and the comparison report.
/// </summary>
public sealed class CalibrationSummary
{
    /// <summary>The band reported besides each target's own tolerance.</summary>
    public const double Band = 0.05;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Summarises calibration rows.</summary>
    /// <param name="rows">The comparisons.</param>
    /// <param name="fittedBy">The calibration file whose fitted values the scenario carries (its <c>fitted_by</c>), or empty.</param>
    public CalibrationSummary(IReadOnlyList<CalibrationRow> rows, string fittedBy = "")
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows = rows;
        FittedBy = fittedBy ?? "";
        WithinTolerance = rows.Count(r => r.WithinTolerance);
        WithinBand = rows.Count(r => Math.Abs(r.RelativeError) <= Band);
        LastDate = rows.Count > 0 ? rows.Max(r => r.Date) : null;
        FirstDate = rows.Count > 0 ? rows.Min(r => r.Date) : null;
        WorstError = rows.Count > 0 ? rows.Max(r => Math.Abs(r.RelativeError)) : null;
    }

    /// <summary>The rows.</summary>
    public IReadOnlyList<CalibrationRow> Rows { get; }

    /// <summary>Targets met within their own tolerance.</summary>
    public int WithinTolerance { get; }

    /// <summary>Targets met within ±<see cref="Band"/>.</summary>
    public int WithinBand { get; }

    /// <summary>Date of the last target; null without targets.</summary>
    public DateOnly? LastDate { get; }

    /// <summary>Date of the first target; null without targets.</summary>
    public DateOnly? FirstDate { get; }

    /// <summary>The calibration file whose fitted values the scenario carries, or empty.</summary>
    public string FittedBy { get; }

    /// <summary>Largest |relative error|; null without targets.</summary>
    public double? WorstError { get; }

    /// <summary>True when <paramref name="date"/> lies after the last target (or there is none): the model extrapolates there.</summary>
    public bool Beyond(DateOnly date) => LastDate is not { } last || date > last;

    /// <summary>
    /// The trust statement in a few sentences, e.g. "Calibration targets: 22 published figures (…) from 31 Mar 2019
    /// to 31 Mar 2020; within ±5 %: 6; within their own tolerance: 10; …".
    /// </summary>
    /// <param name="platformName">Display name of a platform id ("all" stands for all online shoppers).</param>
    public IReadOnlyList<string> Sentences(Func<string, string> platformName)
    {
        ArgumentNullException.ThrowIfNull(platformName);
        if (Rows.Count == 0)
            return ["Calibration targets: none. No figure of this run is checked against a published figure: treat every level as illustrative.",
                    FittedBy.Length > 0
                        ? $"Some parameters are fitted by `marketsim calibrate {FittedBy}` (docs/calibration.md); this run has no target to check them against."
                        : "Nothing in the model is fitted to data yet: its parameters are set by hand from published figures (scenarios/data/SOURCES.md)."];
        var covered = Rows.Select(r => Kind(r, platformName)).Distinct().ToList();
        string worst = (100 * WorstError!.Value).ToString("0.#", Inv);
        var metrics = Rows.Select(r => r.Metric).ToHashSet();
        var missing = new List<string>();
        if (!metrics.Contains(CalibrationMetric.Gmv) && !metrics.Contains(CalibrationMetric.SpendPerBuyer)) missing.Add("GMV");
        missing.Add("supplied GMV");
        if (!metrics.Overlaps([CalibrationMetric.UsersShare, CalibrationMetric.GmvShare, CalibrationMetric.NewCustomersShare])) missing.Add("tier splits");
        missing.Add("primary shares and switching");
        return
        [
            $"Calibration targets: {Rows.Count.ToString(Inv)} published figures ({string.Join(", ", covered)}) dated {Day(FirstDate!.Value)} to {Day(LastDate!.Value)}; " +
            $"within ±{(100 * Band).ToString("0", Inv)} %: {WithinBand.ToString(Inv)}; within their own tolerance: {WithinTolerance.ToString(Inv)} of {Rows.Count.ToString(Inv)}; " +
            $"largest error {worst} %.",
            FittedBy.Length > 0
                ? $"Some parameters are fitted to these figures by `marketsim calibrate {FittedBy}` (the scenario marks them; docs/calibration.md " +
                  "says which figures were fitted and which held out); the others are set by hand from published figures or are assumptions."
                : "Nothing in the model is fitted to these figures yet: its parameters are set by hand, and the targets only check the result " +
                  "(`marketsim calibrate` fits them: docs/calibration.md).",
            $"Not covered by any target: everything after {Day(LastDate.Value)} (the model extrapolates), {string.Join(", ", missing)}. " +
            "Read those as the model's logic at work, not as measured levels.",
        ];
    }

    /// <summary>The kind of figure a row is, without its date: "online shoppers", "JD.com annual-active users", "Pinduoduo GMV".</summary>
    private static string Kind(CalibrationRow r, Func<string, string> platformName) => r.Metric switch
    {
        CalibrationMetric.OnlineShoppers => "online shoppers",
        CalibrationMetric.AnnualActive => $"{platformName(r.Platform)} annual-active users",
        _ => r.Label(platformName),
    };

    private static string Day(DateOnly d) => d.ToString("d MMM yyyy", Inv);
}
