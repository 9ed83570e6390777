namespace MarketSim.Scenarios;

/// <summary>
/// A complete what-if: tiers, platforms, population, behaviour, calendar, interventions and alliances.
/// Property names map to snake_case keys in scenario files (<c>TrafficShare</c> ↔ <c>traffic_share</c>).
/// Keyed collections are ordered maps so that a derived scenario can override one entry by its id.
/// </summary>
public sealed class Scenario
{
    /// <summary>Short name; used as the output folder name, so it is restricted to [a-z0-9_-].</summary>
    public string Name { get; set; } = "";

    /// <summary>Free text shown in reports.</summary>
    public string Description { get; set; } = "";

    /// <summary>Display name for chart titles and reports, e.g. "JD.com–Kuaishou alliance"; empty = use <see cref="Name"/>.</summary>
    public string Title { get; set; } = "";

    /// <summary>The title, or the name when the scenario has no title.</summary>
    public string DisplayName() => Title.Trim().Length > 0 ? Title.Trim() : Name;

    /// <summary>Path of the scenario this one extends, relative to this file. Resolved by the loader.</summary>
    public string? Extends { get; set; }

    /// <summary>Master seed of every random stream of the run.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Start, step length, horizon and festivals.</summary>
    public CalendarSpec Calendar { get; set; } = new();

    /// <summary>City tiers by id, in display order.</summary>
    public OrderedDictionary<string, TierSpec> Tiers { get; set; } = new();

    /// <summary>Platforms by id, in display order. At most <see cref="ScenarioLimits.MaxPlatforms"/>.</summary>
    public OrderedDictionary<string, PlatformSpec> Platforms { get; set; } = new();

    /// <summary>Agent count and trait distributions.</summary>
    public PopulationSpec Population { get; set; } = new();

    /// <summary>Decision rules shared by all consumers.</summary>
    public BehaviourSpec Behaviour { get; set; } = new();

    /// <summary>Streamer communities by id.</summary>
    public OrderedDictionary<string, StreamerSpec> Streamers { get; set; } = new();

    /// <summary>Scheduled changes to platform attributes (subsidies, logistics build-out, prices).</summary>
    public OrderedDictionary<string, InterventionSpec> Interventions { get; set; } = new();

    /// <summary>
    /// Where the scenario's values come from, keyed by the path <c>--set</c> and sweeps use
    /// (<c>alliances.jd-kuaishou.supply[0].share</c>; a key above several values, such as <c>platforms.jd.reach</c>,
    /// covers each of them): a source, a plausible range, or both. A plausible range is what is believed, inside the
    /// validator's limits (what is allowed); the studio's sliders span it.
    /// </summary>
    public OrderedDictionary<string, AssumptionSpec> Assumptions { get; set; } = new();

    /// <summary>Alliances between platforms by id.</summary>
    public OrderedDictionary<string, AllianceSpec> Alliances { get; set; } = new();

    /// <summary>Published figures the run is compared against.</summary>
    public List<CalibrationTargetSpec> Calibration { get; set; } = new();

    /// <summary>
    /// The calibration file whose fitted values this scenario carries (`marketsim calibrate` writes them; the scenario
    /// marks each one), or empty when nothing is fitted. Reports say which it is.
    /// </summary>
    public string FittedBy { get; set; } = "";

    /// <summary>Which outputs to write.</summary>
    public OutputSpec Outputs { get; set; } = new();
}

/// <summary>Hard limits of the engine's state layout.</summary>
public static class ScenarioLimits
{
    /// <summary>Platforms are a bit set in one byte per agent.</summary>
    public const int MaxPlatforms = 8;

    /// <summary>Tiers are stored per chunk; more than this is not a city-tier model any more.</summary>
    public const int MaxTiers = 16;

    /// <summary>Cohort ids are 16-bit per agent.</summary>
    public const int MaxCohortsPerTier = 65536;

    /// <summary>
    /// Earliest date a scenario may name. Dates far from today are a typo, and the model looks a year before the
    /// start (annual festivals) and lead days before each festival, which must stay within <see cref="DateOnly"/>.
    /// </summary>
    public static readonly DateOnly MinDate = new(1900, 1, 1);

    /// <summary>Latest date a scenario may name, and latest end of its calendar (start + steps × step_days).</summary>
    public static readonly DateOnly MaxDate = new(2999, 12, 31);

    /// <summary>
    /// Largest order value in yuan (draws of <c>order_value_yuan</c> are truncated to [0, this]). With income index
    /// ≤ 10, price level ≤ 10 and basket ≤ 5 one order is at most 5 × 10^7 fen, so the value of a step's orders of one kind (at most
    /// 17, weekly or through a streamer) fits the hot loop's 32-bit lanes, and a step's GMV tally over at most
    /// <see cref="MaxAgentSlots"/> agents with up to 35 orders each stays below 2^63 fen: GMV cannot wrap or saturate.
    /// </summary>
    public const double MaxOrderValueYuan = 1_000;

    /// <summary>Most agents a scenario may ask for (<c>population.agents</c>).</summary>
    public const long MaxAgents = 4_000_000_000;

    /// <summary>
    /// Most agent slots (the starting agents plus every arrival over the calendar): bounds the GMV tallies (see
    /// <see cref="MaxOrderValueYuan"/>) and keeps the memory estimate far from overflowing.
    /// </summary>
    public const long MaxAgentSlots = 4_000_000_000;
}

/// <summary>The simulated calendar.</summary>
public sealed class CalendarSpec
{
    /// <summary>Date of the first step (inclusive).</summary>
    public DateOnly Start { get; set; } = new(2019, 1, 7);

    /// <summary>Length of a step in days (7 = weekly); 3 to 31, since purchase recency is kept in one byte of steps.</summary>
    public int StepDays { get; set; } = 7;

    /// <summary>Number of steps simulated.</summary>
    public int Steps { get; set; } = 156;

    /// <summary>
    /// Steps run before the first step, with the conditions of the start date frozen, no arrivals and nothing written:
    /// the initial state (from penetration figures) moves to the model's own steady state, so that trajectories show
    /// events rather than the drift of an initial state the model would not keep. 0 = none.
    /// </summary>
    public int BurnInSteps { get; set; }

    /// <summary>Festivals by id.</summary>
    public OrderedDictionary<string, FestivalSpec> Festivals { get; set; } = new();
}

/// <summary>A shopping festival or slump: a window of days that changes spending and attention.</summary>
public sealed class FestivalSpec
{
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Month and day of a festival held every year, as "MM-DD" (for example "11-11").</summary>
    public string? Annual { get; set; }

    /// <summary>
    /// Month and day in the Chinese lunisolar calendar, as "MM-DD" (for example "01-01", the Spring Festival), for a
    /// festival held every lunar year: its Gregorian dates are computed for any year of the run (<see cref="LunarCalendar"/>).
    /// </summary>
    public string? Lunar { get; set; }

    /// <summary>
    /// True when the festival exists only because of what the scenario asks about (e.g. a promotion its alliance creates),
    /// so that it belongs to the scenario arm of a comparison alone. Unset (the default) for festivals that happen in the
    /// market either way: a comparison whose arms differ by such a festival says so and flags the gains resting on it.
    /// </summary>
    public bool? WhatIf { get; set; }

    /// <summary>Explicit dates, for one-off events or a festival whose dates are listed by hand.</summary>
    public List<DateOnly> Dates { get; set; } = new();

    /// <summary>Days of the window before the festival day; the window is [day - lead_days, day].</summary>
    public int LeadDays { get; set; }

    /// <summary>Multiplier on the order rate for the days in the window.</summary>
    public double SpendMultiplier { get; set; } = 1.0;

    /// <summary>Multiplier on the probability of re-evaluating platforms for days in the window.</summary>
    public double AttentionMultiplier { get; set; } = 1.0;

    /// <summary>
    /// The platform whose own festival this is (Kuaishou 616): its spend multiplier acts on that platform's primary
    /// users and its streamers' sales; null = a market-wide festival that raises every platform's spend.
    /// </summary>
    public string? Platform { get; set; }

    /// <summary>
    /// With <see cref="Platform"/>: the share of the festival's uplift (spend_multiplier − 1) that reaches the other
    /// platforms (0 … 1, default 0): shoppers drawn into buying by one platform's festival buy a little elsewhere too.
    /// </summary>
    public double SpillOver { get; set; }

    /// <summary>
    /// The festival days: the explicit dates, then the lunar date's days in years <paramref name="firstYear"/> to
    /// <paramref name="lastYear"/>, then the annual date in each of those years (skipped in years without that day, e.g.
    /// 29 February). Expects a valid "MM-DD".
    /// </summary>
    public IEnumerable<DateOnly> Days(int firstYear, int lastYear)
    {
        foreach (var d in Dates) yield return d;
        if (Lunar is { } lunar)
            foreach (var d in LunarCalendar.Days(lunar, firstYear, lastYear)) yield return d;
        if (Annual is not { } annual) yield break;
        int month = int.Parse(annual[..2], System.Globalization.CultureInfo.InvariantCulture);
        int day = int.Parse(annual[3..], System.Globalization.CultureInfo.InvariantCulture);
        for (int y = firstYear; y <= lastYear; y++)
            if (day <= DateTime.DaysInMonth(y, month)) yield return new DateOnly(y, month, day);
    }
}

/// <summary>A city tier.</summary>
public sealed class TierSpec
{
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Online shoppers in the tier at the start, millions of people.</summary>
    public double OnlineShoppersMillions { get; set; }

    /// <summary>New online shoppers per year, millions of people.</summary>
    public double NewShoppersMillionsPerYear { get; set; }

    /// <summary>Income relative to the national average (1 = average); divides price sensitivity and scales basket size.</summary>
    public double IncomeIndex { get; set; } = 1.0;

    /// <summary>Distribution of a new shopper's first platform (shares summing to 1).</summary>
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
    public OrderedDictionary<string, double> InitialPenetration { get; set; } = new();

    /// <summary>Reported accounts per simulated user (reported figures count accounts, and some people hold several).</summary>
    public double AccountsPerUser { get; set; } = 1.0;

    /// <summary>
    /// Published annual-active accounts at the start date, in millions. When given, <see cref="InitialPenetration"/> is
    /// the tier profile only: it is scaled so that the platform's users at the start are this figure ÷
    /// <see cref="AccountsPerUser"/> (the data set the level, an assumption its split over tiers).
    /// </summary>
    public double? InitialAccountsMillions { get; set; }
}

/// <summary>A continuous distribution of a consumer trait.</summary>
public sealed class DistributionSpec
{
    /// <summary>One of: constant, uniform, normal, lognormal, gamma, beta.</summary>
    public string Distribution { get; set; } = "constant";

    /// <summary>constant: the value.</summary>
    public double Value { get; set; }

    /// <summary>uniform: lower bound.</summary>
    public double Min { get; set; }

    /// <summary>uniform: upper bound.</summary>
    public double Max { get; set; }

    /// <summary>normal: mean.</summary>
    public double Mean { get; set; }

    /// <summary>normal: standard deviation.</summary>
    public double Sd { get; set; }

    /// <summary>lognormal: mean of the logarithm.</summary>
    public double Mu { get; set; }

    /// <summary>lognormal: standard deviation of the logarithm.</summary>
    public double Sigma { get; set; }

    /// <summary>gamma: shape k.</summary>
    public double Shape { get; set; }

    /// <summary>gamma: rate (1 / scale).</summary>
    public double Rate { get; set; }

    /// <summary>beta: first shape parameter.</summary>
    public double A { get; set; }

    /// <summary>beta: second shape parameter.</summary>
    public double B { get; set; }
}

/// <summary>Consumer traits, each a distribution drawn per cohort.</summary>
public sealed class TraitsSpec
{
    /// <summary>Weight of log effective price in the utility (before division by the tier's income index).</summary>
    public DistributionSpec PriceSensitivity { get; set; } = new() { Distribution = "lognormal", Mu = 0.7, Sigma = 0.4 };

    /// <summary>Weight of quality in the utility.</summary>
    public DistributionSpec QualitySensitivity { get; set; } = new() { Distribution = "lognormal", Mu = 0.5, Sigma = 0.4 };

    /// <summary>Weight of content and live-stream strength in the utility, and the chance of following streamers.</summary>
    public DistributionSpec ContentAffinity { get; set; } = new() { Distribution = "beta", A = 2, B = 3 };

    /// <summary>Weight of social strength and of word of mouth, 0..1.</summary>
    public DistributionSpec SocialPropensity { get; set; } = new() { Distribution = "beta", A = 2, B = 4 };

    /// <summary>Average order value in yuan at income index 1.</summary>
    public DistributionSpec OrderValueYuan { get; set; } = new() { Distribution = "lognormal", Mu = 4.6, Sigma = 0.5 };

    /// <summary>Orders per week over all platforms (Poisson rate; the step's purchase probability is 1 - exp(-rate × weeks)).</summary>
    public DistributionSpec OrdersPerWeek { get; set; } = new() { Distribution = "gamma", Shape = 2.5, Rate = 2.0 };
}

/// <summary>The agent population.</summary>
public sealed class PopulationSpec
{
    /// <summary>Agents standing for the online shoppers at the start; arrivals add agents at the same scale.</summary>
    public long Agents { get; set; } = 1_000_000;

    /// <summary>Trait cohorts per tier: agents share traits within a cohort, which keeps agent state small.</summary>
    public int CohortsPerTier { get; set; } = 1024;

    /// <summary>Trait distributions.</summary>
    public TraitsSpec Traits { get; set; } = new();
}

/// <summary>Decision rules.</summary>
public sealed class BehaviourSpec
{
    /// <summary>Probability per week that a consumer re-evaluates its platforms.</summary>
    public double Attention { get; set; } = 0.04;

    /// <summary>Extra weekly re-evaluation probability of a fully dissatisfied consumer (scaled by 1 - satisfaction).</summary>
    public double DissatisfiedAttention { get; set; } = 0.06;

    /// <summary>Utility bonus of the current primary platform, at full satisfaction.</summary>
    public double Inertia { get; set; } = 3.0;

    /// <summary>Utility penalty of a platform not yet in the consumer's set.</summary>
    public double SwitchingCost { get; set; } = 1.5;

    /// <summary>Utility per unit of local primary share, times social propensity.</summary>
    public double WordOfMouth { get; set; } = 2.0;

    /// <summary>Consumers per locality (social circle): consecutive agents of one tier. A power of two.</summary>
    public int LocalitySize { get; set; } = 256;

    /// <summary>Utility per day of delivery time.</summary>
    public double DeliveryWeight { get; set; } = 0.3;

    /// <summary>Utility of full assortment.</summary>
    public double AssortmentWeight { get; set; } = 1.0;

    /// <summary>Utility of full content strength for a consumer of content affinity 1.</summary>
    public double ContentWeight { get; set; } = 2.0;

    /// <summary>Utility of full social strength for a consumer of social propensity 1.</summary>
    public double SocialWeight { get; set; } = 2.0;

    /// <summary>
    /// How much of the established consumers' multi-homing a new online shopper brings: it has an account on each
    /// further platform with this fraction of the probability an initial consumer of its cohort uses it, not yet
    /// ordered on within the year. 0 = arrivals start with their first platform only.
    /// </summary>
    public double ArrivalMultihoming { get; set; } = 0.5;

    /// <summary>Probability that a platform newly adopted on re-evaluation also becomes the primary.</summary>
    public double AdoptAsPrimary { get; set; } = 0.35;

    /// <summary>Share of a consumer's orders placed on its primary platform (the rest spread over its other platforms).</summary>
    public double PrimaryOrderShare { get; set; } = 0.6;

    /// <summary>
    /// Weeks without a purchase after which a platform other than the primary drops out of the consumer's set.
    /// At least 52, since a platform bought from in the last year is in use by definition.
    /// </summary>
    public int InactivityWeeks { get; set; } = 78;

    /// <summary>Weight of the latest purchase experience in satisfaction (exponential smoothing), 0..1.</summary>
    public double SatisfactionLearning { get; set; } = 0.2;

    /// <summary>Delivery days at which the experience of a purchase falls to 1/e of its quality.</summary>
    public double DeliveryToleranceDays { get; set; } = 6.0;

    /// <summary>How strongly initial platform sets follow the cohort's utility (0 = independent of traits).</summary>
    public double InitialSorting { get; set; } = 1.0;
}

/// <summary>A community of streamers on one platform and the consumers who follow them.</summary>
public sealed class StreamerSpec
{
    /// <summary>Home platform.</summary>
    public string Platform { get; set; } = "";

    /// <summary>Share of the tier's consumers who follow these streamers (scaled by content affinity / its mean).</summary>
    public OrderedDictionary<string, double> FollowerShare { get; set; } = new();

    /// <summary>Selling sessions per week.</summary>
    public double SessionsPerWeek { get; set; } = 2.0;

    /// <summary>Probability a follower watches a session.</summary>
    public double Attendance { get; set; } = 0.3;

    /// <summary>Probability a watched session ends in an order, at the home platform's own quality.</summary>
    public double Conversion { get; set; } = 0.03;

    /// <summary>Utility bonus of the home platform for followers.</summary>
    public double Pull { get; set; } = 0.5;

    /// <summary>
    /// When the community starts selling (for example the launch of a platform's shop); null = from before the run.
    /// Before it the community neither sells nor pulls its followers toward its platform.
    /// </summary>
    public DateOnly? Start { get; set; }

    /// <summary>Days over which its sessions ramp in linearly from <see cref="Start"/>.</summary>
    public int RampDays { get; set; }
}

/// <summary>A change of one platform attribute over a period, in some tiers.</summary>
public sealed class InterventionSpec
{
    /// <summary>Platform changed.</summary>
    public string Platform { get; set; } = "";

    /// <summary>Attribute changed: price_level, quality, assortment, content, social, subsidy, delivery_days, reach or brand.</summary>
    public string Attribute { get; set; } = "";

    /// <summary>First day in force.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last day in force; open-ended when absent.</summary>
    public DateOnly? End { get; set; }

    /// <summary>Tiers affected; all when empty.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Value multiplied into the attribute (applied before <see cref="Add"/>).</summary>
    public double Multiply { get; set; } = 1.0;

    /// <summary>Value added to the attribute.</summary>
    public double Add { get; set; }

    /// <summary>Days over which the change ramps in linearly (a build-out rather than a switch).</summary>
    public int RampDays { get; set; }
}

/// <summary>An alliance between platforms over a period.</summary>
public sealed class AllianceSpec
{
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Platforms in the alliance (two or more).</summary>
    public List<string> Members { get; set; } = new();

    /// <summary>First day in force.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last day in force; open-ended when absent.</summary>
    public DateOnly? End { get; set; }

    /// <summary>Goods of a partner sold on a host: the host's quality, price and assortment move toward the partner's.</summary>
    public List<SupplySharingSpec> Supply { get; set; } = new();

    /// <summary>A partner delivering a host's orders: the host's delivery days move toward the partner's, per tier.</summary>
    public List<LogisticsSharingSpec> Logistics { get; set; } = new();

    /// <summary>A platform sending its users' attention to a partner.</summary>
    public List<TrafficSharingSpec> Traffic { get; set; } = new();

    /// <summary>Joint festival promotions.</summary>
    public CoPromotionSpec? CoPromotion { get; set; }

    /// <summary>Festivals the alliance launches (held only with it); null when it launches none.</summary>
    public LaunchSpec? Launch { get; set; }

    /// <summary>When true, no member may be in another alliance over an overlapping period.</summary>
    public bool Exclusive { get; set; }
}

/// <summary>Where one of the scenario's values comes from: a source, a plausible range, or both.</summary>
public sealed class AssumptionSpec
{
    /// <summary>
    /// What the value rests on, as a strategist could have had it on 27 May 2020 (an announcement, a company report, the
    /// seed article's figures); never an outcome after 31 March 2020. Empty when only a plausible range is given.
    /// </summary>
    public string Source { get; set; } = "";

    /// <summary>[low, high]: the values believed plausible; the scenario's value lies inside. Empty when only a source is given.</summary>
    public List<double> Plausible { get; set; } = new();

    /// <summary>True when the source is recalled, not checked against the publication (weigh it less).</summary>
    public bool Recalled { get; set; }
}

/// <summary>Supply sharing: <see cref="Share"/> of the orders of the host's named streamer communities are the partner's goods.</summary>
public sealed class SupplySharingSpec
{
    /// <summary>Platform whose storefront sells the goods.</summary>
    public string Host { get; set; } = "";

    /// <summary>Platform whose goods are sold.</summary>
    public string Partner { get; set; } = "";

    /// <summary>
    /// The host's streamer communities that sell the partner's goods: the supplied slice is made of their orders only.
    /// Required: a supply clause says which part of the host's sales it covers.
    /// </summary>
    public List<string> Streamers { get; set; } = new();

    /// <summary>Share of the named communities' orders that are the partner's goods, 0..1 (the slice).</summary>
    public double Share { get; set; }

    /// <summary>Days over which the share ramps in from the alliance start.</summary>
    public int RampDays { get; set; }
}

/// <summary>
/// Logistics sharing: <see cref="Share"/> of the supplied slice (the partner's goods sold on the host, a supply clause
/// of the same alliance) delivered by the partner, and <see cref="OwnGoodsShare"/> of the host's own goods — a separate
/// size, 0 unless the deal says the partner also delivers what it did not sell.
/// </summary>
public sealed class LogisticsSharingSpec
{
    /// <summary>Platform whose orders are delivered.</summary>
    public string Host { get; set; } = "";

    /// <summary>Platform delivering.</summary>
    public string Partner { get; set; } = "";

    /// <summary>Share of the supplied slice's orders delivered by the partner, 0..1.</summary>
    public double Share { get; set; }

    /// <summary>Share of the host's own goods' orders (outside the supplied slice) delivered by the partner, 0..1; default 0.</summary>
    public double OwnGoodsShare { get; set; }

    /// <summary>Tiers where the partner delivers; all when empty.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Days over which the share ramps in from the alliance start.</summary>
    public int RampDays { get; set; }
}

/// <summary>Traffic sharing: the source platform's users see the target platform.</summary>
public sealed class TrafficSharingSpec
{
    /// <summary>Platform giving traffic.</summary>
    public string From { get; set; } = "";

    /// <summary>Platform receiving traffic.</summary>
    public string To { get; set; } = "";

    /// <summary>Share of the source's users exposed, 0..1: raises the target's reach and utility for them.</summary>
    public double Share { get; set; }

    /// <summary>Tiers where traffic is shared; all when empty.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Days over which the share ramps in from the alliance start.</summary>
    public int RampDays { get; set; }
}

/// <summary>
/// An event the alliance itself creates (the 2020 Kuaishou 616, launched with the JD.com deal): festivals of the calendar,
/// each marked <c>what_if: true</c>, held only while this clause is in the scenario. Switching the clause off (attribution,
/// <c>effect_of</c>) removes them from the calendar with it, so the event's effect is the clause's attribution line, not a
/// difference between the arms that nothing owns.
/// </summary>
public sealed class LaunchSpec
{
    /// <summary>Ids of the calendar festivals the alliance launches.</summary>
    public List<string> Festivals { get; set; } = new();

    /// <summary>Where the claim that the alliance created the event comes from (the announcement, press coverage).</summary>
    public string Source { get; set; } = "";
}

/// <summary>
/// Joint promotion of the members during chosen occurrences of named festivals. Which occurrences is always said
/// explicitly (<see cref="Years"/>, <see cref="Dates"/> or <see cref="EveryOccurrence"/>): an alliance has no end date
/// as a rule, and a recurring festival co-promoted by default would make a yearly festival most of its effect.
/// </summary>
public sealed class CoPromotionSpec
{
    /// <summary>Festival ids during which the members promote together.</summary>
    public List<string> Festivals { get; set; } = new();

    /// <summary>Years whose occurrences of every listed festival are co-promoted (the year of the festival day).</summary>
    public List<int> Years { get; set; } = new();

    /// <summary>Festival days of single occurrences co-promoted (each the day of one of the listed festivals).</summary>
    public List<DateOnly> Dates { get; set; } = new();

    /// <summary>Co-promote every occurrence of the listed festivals while the alliance runs; excludes years and dates.</summary>
    public bool EveryOccurrence { get; set; }

    /// <summary>True when the occurrence of a listed festival whose festival day is <paramref name="day"/> is co-promoted.</summary>
    public bool Selects(DateOnly day) => EveryOccurrence || Years.Contains(day.Year) || Dates.Contains(day);

    /// <summary>Utility bonus of each member during those festivals.</summary>
    public double UtilityBoost { get; set; } = 0.5;

    /// <summary>Extra multiplier on purchase probability on the members during those festivals.</summary>
    public double SpendMultiplier { get; set; } = 1.2;
}

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
    public double Tolerance { get; set; } = 0.1;

    /// <summary>Weight of the target in a calibration objective (0 = reported only).</summary>
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
    public double Sample { get; set; } = 0.01;
}
