namespace MarketSim.Scenarios;

/// <summary>
/// A published figure the simulation should reproduce: a level at a date (<see cref="Date"/>) or a flow over a period
/// (<see cref="PeriodStart"/> to <see cref="Date"/>). Scenario files list them inline or name a CSV
/// (<c>calibration: {targets: data/targets.csv}</c>) that the loader reads into this list. Definitions of the metrics:
/// docs/calibration.md and <see cref="CalibrationMetric"/>.
/// </summary>
public sealed class CalibrationTargetSpec
{
    /// <summary>First day of the reported period, for flow metrics (gmv, spend_per_buyer, gmv_share, new_customers_share); null for levels.</summary>
    public DateOnly? PeriodStart { get; set; }

    /// <summary>The date of a level, or the last day of a period.</summary>
    public DateOnly Date { get; set; }

    /// <summary>Platform id, or "all" (online shoppers; GMV of every platform).</summary>
    public string Platform { get; set; } = "";

    /// <summary>The second platform of an <c>overlap</c> target; empty otherwise.</summary>
    public string With { get; set; } = "";

    /// <summary>Tier ids the figure covers; empty means all tiers.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Metric, one of <see cref="CalibrationMetric.All"/>.</summary>
    public string Metric { get; set; } = "annual_active";

    /// <summary>Reported value in <see cref="Unit"/>.</summary>
    public double Value { get; set; }

    /// <summary>Unit of <see cref="Value"/>; must be the metric's (<see cref="CalibrationMetric.UnitOf"/>), so that 60 is not read as 60 %.</summary>
    public string Unit { get; set; } = "";

    /// <summary>Relative error the scenario claims to meet, 0..1.</summary>
    [Limit(0, 1, MinOpen = true)]
    public double Tolerance { get; set; } = 0.1;

    /// <summary>Weight of the target in a calibration objective (0 = reported only).</summary>
    [Limit(0, 1e6)]
    public double Weight { get; set; } = 1;

    /// <summary>False for a figure kept for validation only: reported, never fitted.</summary>
    public bool InSample { get; set; } = true;

    /// <summary>Where the figure comes from.</summary>
    public string Source { get; set; } = "";
}

/// <summary>The metrics a calibration target can name, with their units.</summary>
public static class CalibrationMetric
{
    /// <summary>Annual-active accounts (users × the platform's accounts_per_user), millions, at a date.</summary>
    public const string AnnualActive = "annual_active";

    /// <summary>Online shoppers (platform "all"), millions, at a date.</summary>
    public const string OnlineShoppers = "online_shoppers";

    /// <summary>GMV over a period, billion yuan.</summary>
    public const string Gmv = "gmv";

    /// <summary>Period GMV ÷ annual-active accounts at the period's end, yuan.</summary>
    public const string SpendPerBuyer = "spend_per_buyer";

    /// <summary>Share of the platform's annual-active users that are in the target's tiers, at a date.</summary>
    public const string UsersShare = "users_share";

    /// <summary>Share of the platform's period GMV from the target's tiers.</summary>
    public const string GmvShare = "gmv_share";

    /// <summary>Share of the platform's new customers over the period from the target's tiers.</summary>
    public const string NewCustomersShare = "new_customers_share";

    /// <summary>Of the smaller platform's annual-active users (of the two), the share also annual-active on the other, at a date.</summary>
    public const string Overlap = "overlap";

    /// <summary>Every metric.</summary>
    public static IReadOnlyList<string> All { get; } =
        [AnnualActive, OnlineShoppers, Gmv, SpendPerBuyer, UsersShare, GmvShare, NewCustomersShare, Overlap];

    /// <summary>The unit a metric's value is given in.</summary>
    public static string UnitOf(string metric) => metric switch
    {
        AnnualActive or OnlineShoppers => "millions",
        Gmv => "billion_yuan",
        SpendPerBuyer => "yuan",
        _ => "share",
    };

    /// <summary>True for metrics over a period (they need a period start); false for levels at a date.</summary>
    public static bool IsFlow(string metric) => metric is Gmv or SpendPerBuyer or GmvShare or NewCustomersShare;

    /// <summary>True for metrics that are a share of the tiers (they need a tier subset).</summary>
    public static bool IsTierShare(string metric) => metric is UsersShare or GmvShare or NewCustomersShare;
}
