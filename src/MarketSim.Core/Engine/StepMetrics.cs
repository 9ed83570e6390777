using MarketSim.Model;

namespace MarketSim.Engine;

/// <summary>
/// Results of one step, in agents (multiply by <see cref="ModelDimensions.PeoplePerAgent"/> for people).
/// Arrays indexed [tier * P + platform] unless stated; P is the platform count.
/// Counts are integers so that the reduction over chunks is exact and independent of order.
/// </summary>
public sealed class StepMetrics
{
    /// <summary>Creates zeroed metrics for the given dimensions.</summary>
    public StepMetrics(int tiers, int platforms)
    {
        Tiers = tiers;
        Platforms = platforms;
        int tp = tiers * platforms;
        Consumers = new long[tiers];
        Arrivals = new long[tiers];
        AnnualActive = new long[tp];
        PeriodActive = new long[tp];
        Primary = new long[tp];
        New = new long[tp];
        Churned = new long[tp];
        SwitchedIn = new long[tp];
        SwitchedOut = new long[tp];
        GmvFen = new long[tp];
        Orders = new long[tp];
        SuppliedGmvFen = new long[tp];
        SuppliedOrders = new long[tp];
        Flows = new long[tiers * platforms * platforms];
        Overlap = new long[tiers * platforms * platforms];
    }

    /// <summary>
    /// Every count array, in a fixed order: what a checkpoint saves and restores and what bit-parity checks hash. A
    /// metric added to this class goes here too, or a resumed run silently writes zeros for it.
    /// </summary>
    public IReadOnlyList<long[]> CountArrays =>
    [
        Consumers, Arrivals, AnnualActive, PeriodActive, Primary, New, Churned, SwitchedIn, SwitchedOut,
        GmvFen, Orders, SuppliedGmvFen, SuppliedOrders, Flows, Overlap,
    ];

    /// <summary>Number of tiers.</summary>
    public int Tiers { get; }

    /// <summary>Number of platforms.</summary>
    public int Platforms { get; }

    /// <summary>Step index, 0-based.</summary>
    public int Step { get; set; }

    /// <summary>First day of the step.</summary>
    public DateOnly Date { get; set; }

    /// <summary>Online shoppers present at the end of the step, per tier.</summary>
    public long[] Consumers { get; }

    /// <summary>Online shoppers who arrived during the step, per tier.</summary>
    public long[] Arrivals { get; }

    /// <summary>Consumers with an order on the platform in the last 52 weeks (as companies report "annual active").</summary>
    public long[] AnnualActive { get; }

    /// <summary>Consumers with an order on the platform during this step.</summary>
    public long[] PeriodActive { get; }

    /// <summary>Consumers whose primary platform this is.</summary>
    public long[] Primary { get; }

    /// <summary>Consumers who became annual-active on the platform this step.</summary>
    public long[] New { get; }

    /// <summary>Consumers who stopped being annual-active on the platform this step (52 weeks without an order).</summary>
    public long[] Churned { get; }

    /// <summary>Consumers whose primary became this platform this step (from another platform).</summary>
    public long[] SwitchedIn { get; }

    /// <summary>Consumers whose primary stopped being this platform this step.</summary>
    public long[] SwitchedOut { get; }

    /// <summary>Gross merchandise value sold on the platform, in fen (1/100 yuan), per agent (not yet scaled to people).</summary>
    public long[] GmvFen { get; }

    /// <summary>Orders placed on the platform this step; a consumer can place several in a step.</summary>
    public long[] Orders { get; }

    /// <summary>Part of other platforms' GMV that was this platform's goods (a supplied slice), sold through an alliance, in fen per agent.</summary>
    public long[] SuppliedGmvFen { get; }

    /// <summary>Orders of other platforms that were this platform's goods (a supplied slice), sold through an alliance.</summary>
    public long[] SuppliedOrders { get; }

    /// <summary>Primary switches, indexed [(tier * P + from) * P + to]; the diagonal is zero.</summary>
    public long[] Flows { get; }

    /// <summary>Consumers annual-active on both platforms, indexed [(tier * P + a) * P + b]; symmetric, diagonal = annual-active.</summary>
    public long[] Overlap { get; }

    /// <summary>Index into per tier × platform arrays.</summary>
    public int At(int tier, int platform) => tier * Platforms + platform;

    /// <summary>Index into per tier × platform × platform arrays.</summary>
    public int At(int tier, int a, int b) => (tier * Platforms + a) * Platforms + b;
}
