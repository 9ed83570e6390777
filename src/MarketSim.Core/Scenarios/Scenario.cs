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
    [Limit(ScenarioValidator.MinStepDays, ScenarioValidator.MaxStepDays)]
    public int StepDays { get; set; } = 7;

    /// <summary>Number of steps simulated.</summary>
    [Limit(1, 5200)]
    public int Steps { get; set; } = 156;

    /// <summary>
    /// Steps run before the first step, with the conditions of the start date frozen, no arrivals and nothing written:
    /// the initial state (from penetration figures) moves to the model's own steady state, so that trajectories show
    /// events rather than the drift of an initial state the model would not keep. 0 = none.
    /// </summary>
    [Limit(0, 1040)]
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
    [Limit(0, 60)]
    public int LeadDays { get; set; }

    /// <summary>Multiplier on the order rate for the days in the window.</summary>
    [Limit(0, 20)]
    public double SpendMultiplier { get; set; } = 1.0;

    /// <summary>Multiplier on the probability of re-evaluating platforms for days in the window.</summary>
    [Limit(0, 20)]
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
    [Limit(0, 1)]
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
