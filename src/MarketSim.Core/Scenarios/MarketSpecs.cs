namespace MarketSim.Scenarios;

/// <summary>A city tier.</summary>
public sealed class TierSpec
{
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Online shoppers in the tier at the start, millions of people.</summary>
    [Limit(0, double.PositiveInfinity, MinOpen = true)]
    public double OnlineShoppersMillions { get; set; }

    /// <summary>New online shoppers per year, millions of people.</summary>
    [Limit(0, double.PositiveInfinity)]
    public double NewShoppersMillionsPerYear { get; set; }

    /// <summary>Income relative to the national average (1 = average); divides price sensitivity and scales basket size.</summary>
    [Limit(0, 10, MinOpen = true)]
    public double IncomeIndex { get; set; } = 1.0;

    /// <summary>Distribution of a new shopper's first platform (shares summing to 1).</summary>
    [Limit(0, 1)]
    public OrderedDictionary<string, double> FirstPlatformMix { get; set; } = new();
}

/// <summary>A platform's attributes; per-tier attributes are maps from tier id to value.</summary>
public sealed class PlatformSpec
{
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Chart colour as "#RRGGBB", the same in every chart.</summary>
    public string Color { get; set; } = "#808080";

    /// <summary>Alternative-specific constant of the utility (brand, habit, everything not modelled).</summary>
    public double Brand { get; set; }

    /// <summary>Price index, 1 = market average.</summary>
    public double PriceLevel { get; set; } = 1.0;

    /// <summary>Order value index (category mix), 1 = the consumer's typical order; GMV only, not the utility.</summary>
    public double Basket { get; set; } = 1.0;

    /// <summary>Perceived quality and authenticity, 0..1.</summary>
    public double Quality { get; set; } = 0.5;

    /// <summary>Breadth of assortment, 0..1.</summary>
    public double Assortment { get; set; } = 0.5;

    /// <summary>Content and live-stream strength, 0..1.</summary>
    public double Content { get; set; }

    /// <summary>Social and group-buying strength, 0..1.</summary>
    public double Social { get; set; }

    /// <summary>Share of price paid by platform subsidies, 0..0.9.</summary>
    public double Subsidy { get; set; }

    /// <summary>
    /// Bass external adoption rate p per week: a consumer who does not use the platform adds it to its set with hazard
    /// p × the tier's reach (plus the imitation term); 0 = no adoption outside re-evaluations (docs/model.md §3).
    /// </summary>
    public double AdoptionExternal { get; set; }

    /// <summary>
    /// Bass imitation rate q per week: the adoption hazard's term q × the share of the consumer's locality that uses the
    /// platform (its set, at the start of the step).
    /// </summary>
    public double AdoptionImitation { get; set; }

    /// <summary>Typical delivery time in days, per tier.</summary>
    public OrderedDictionary<string, double> DeliveryDays { get; set; } = new();

    /// <summary>Marketing reach per tier, 0..1: the weight with which a re-evaluating consumer considers the platform.</summary>
    public OrderedDictionary<string, double> Reach { get; set; } = new();

    /// <summary>Share of the tier's online shoppers that are annual-active on the platform at the start, 0..1.</summary>
    [Limit(0, 1)]
    public OrderedDictionary<string, double> InitialPenetration { get; set; } = new();

    /// <summary>Reported accounts per simulated user (reported figures count accounts, and some people hold several).</summary>
    [Limit(1, 5)]
    public double AccountsPerUser { get; set; } = 1.0;

    /// <summary>
    /// Published annual-active accounts at the start date, in millions. When given, <see cref="InitialPenetration"/> is
    /// the tier profile only: it is scaled so that the platform's users at the start are this figure ÷
    /// <see cref="AccountsPerUser"/> (the data set the level, an assumption its split over tiers).
    /// </summary>
    public double? InitialAccountsMillions { get; set; }
}

/// <summary>A community of streamers on one platform and the consumers who follow them.</summary>
public sealed class StreamerSpec
{
    /// <summary>Home platform.</summary>
    public string Platform { get; set; } = "";

    /// <summary>Share of the tier's consumers who follow these streamers (scaled by content affinity / its mean).</summary>
    [Limit(0, 1)]
    public OrderedDictionary<string, double> FollowerShare { get; set; } = new();

    /// <summary>Selling sessions per week.</summary>
    [Limit(0, 100)]
    public double SessionsPerWeek { get; set; } = 2.0;

    /// <summary>Probability a follower watches a session.</summary>
    [Limit(0, 1)]
    public double Attendance { get; set; } = 0.3;

    /// <summary>Probability a watched session ends in an order, at the home platform's own quality.</summary>
    [Limit(0, 1)]
    public double Conversion { get; set; } = 0.03;

    /// <summary>Utility bonus of the home platform for followers.</summary>
    [Limit(0, 50)]
    public double Pull { get; set; } = 0.5;

    /// <summary>
    /// When the community starts selling (for example the launch of a platform's shop); null = from before the run.
    /// Before it the community neither sells nor pulls its followers toward its platform.
    /// </summary>
    public DateOnly? Start { get; set; }

    /// <summary>Days over which its sessions ramp in linearly from <see cref="Start"/>.</summary>
    [Limit(0, int.MaxValue)]
    public int RampDays { get; set; }
}
