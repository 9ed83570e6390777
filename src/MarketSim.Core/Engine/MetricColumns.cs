namespace MarketSim.Engine;

/// <summary>What a metric column's values are measured in.</summary>
public enum MetricUnit
{
    /// <summary>People: agents × people per agent.</summary>
    People,
    /// <summary>Orders, people-scaled: agents' orders × people per agent.</summary>
    Orders,
    /// <summary>Yuan: fen per agent × people per agent ÷ 100.</summary>
    Yuan,
    /// <summary>A fraction in [0, 1] of two agent counts (the scaling cancels); 0 when the denominator is 0.</summary>
    Fraction,
}

/// <summary>
/// The conversions from the engine's integers (agents, fen per agent) to people and yuan: the one place they are
/// written. Every output, report, chart and calibration figure scales through these, so a reader's sum over
/// metrics.parquet equals what a sweep, a comparison or a calibration computed.
/// </summary>
public static class MetricScale
{
    /// <summary>Fen in a yuan.</summary>
    public const double FenPerYuan = 100.0;

    /// <summary>People that <paramref name="agents"/> stand for.</summary>
    public static double People(long agents, double peoplePerAgent) => agents * peoplePerAgent;

    /// <summary>People that a (weighted, fractional) number of agents stands for.</summary>
    public static double People(double agents, double peoplePerAgent) => agents * peoplePerAgent;

    /// <summary>Yuan per fen of one agent: the factor from the engine's GMV tallies to yuan of people.</summary>
    public static double YuanPerFen(double peoplePerAgent) => peoplePerAgent / FenPerYuan;

    /// <summary>Yuan that <paramref name="fen"/> fen per agent stand for: fen × (people per agent ÷ 100).</summary>
    public static double Yuan(long fen, double peoplePerAgent) => fen * YuanPerFen(peoplePerAgent);

    /// <summary>
    /// Yuan as (fen × people per agent) ÷ 100: the same quantity as <see cref="Yuan"/> associated the other way, which
    /// can differ from it in the last bit. Attribution's GMV and the calibration tracker's GMV have always been computed
    /// so; they keep it so their files stay byte-identical, and move to <see cref="Yuan"/> the next time outputs change
    /// on purpose (a model change regenerating the golden checksums).
    /// </summary>
    public static double YuanScaledFirst(double fen, double peoplePerAgent) => fen * peoplePerAgent / FenPerYuan;

    /// <summary>Yuan of a per-agent amount in fen, without scaling to people (spend per buyer).</summary>
    public static double FenToYuan(double fen) => fen / FenPerYuan;

    /// <summary>The factor from an agent tally to the column's unit (1 for fractions, which scale cancels).</summary>
    public static double Factor(MetricUnit unit, double peoplePerAgent) => unit switch
    {
        MetricUnit.Yuan => YuanPerFen(peoplePerAgent),
        MetricUnit.Fraction => 1.0,
        _ => peoplePerAgent,
    };

    /// <summary>part / whole, defined as 0 for an empty denominator so that shares never carry NaN into analyses.</summary>
    public static double Ratio(long part, long whole) => whole == 0 ? 0.0 : (double)part / whole;

    /// <summary><see cref="Ratio"/> in percent (100 · part / whole), as comparisons report shares.</summary>
    public static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;

    /// <summary>A share as a fraction 0..1 (0 when the whole is empty): comparison and attribution files, as metrics.parquet.</summary>
    public static double Fraction(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}

/// <summary>
/// One column of metrics.parquet: its name, unit, the engine tally it reads from <see cref="StepMetrics"/> and its
/// documentation line. The catalogue <see cref="MetricColumns"/> drives the metrics table's writer and reader, the
/// sweeps' named outputs, the comparison's metrics, the charts' scaling and the calibration tracker's reads.
/// </summary>
public sealed class MetricColumn
{
    private readonly Func<StepMetrics, long[]> cells;

    internal MetricColumn(int index, string name, MetricUnit unit, Func<StepMetrics, long[]> cells, string doc,
        bool perTier = false, bool flow = false, MetricColumn? of = null)
    {
        Index = index;
        Name = name;
        Unit = unit;
        this.cells = cells;
        Doc = doc;
        PerTier = perTier;
        IsFlow = flow;
        Of = of;
    }

    /// <summary>Position in <see cref="MetricColumns.All"/> (and among metrics.parquet's value columns).</summary>
    public int Index { get; }

    /// <summary>Column name in metrics.parquet, e.g. <c>gmv_yuan</c>.</summary>
    public string Name { get; }

    /// <summary>The name without its unit suffix (<c>gmv</c>): the <c>metric</c> value of comparison and totals files.</summary>
    public string Quantity => Name.EndsWith("_yuan", StringComparison.Ordinal) ? Name[..^5] : Name;

    /// <summary>Unit of the column's values.</summary>
    public MetricUnit Unit { get; }

    /// <summary>The unit as docs/output.md writes it: people, orders, yuan or fraction.</summary>
    public string UnitName => Unit switch
    {
        MetricUnit.People => "people",
        MetricUnit.Orders => "orders",
        MetricUnit.Yuan => "yuan",
        _ => "fraction",
    };

    /// <summary>One line of documentation: the Meaning cell of docs/output.md's metrics.parquet table (a test pins it).</summary>
    public string Doc { get; }

    /// <summary>True when the tally is per tier (the same value on every platform row of the tier).</summary>
    public bool PerTier { get; }

    /// <summary>True for a per-step flow (orders, GMV, new users …) that adds up over steps; false for a level at the step.</summary>
    public bool IsFlow { get; }

    /// <summary>For a fraction: the column whose tally is the denominator (the tally of this column is the numerator).</summary>
    public MetricColumn? Of { get; }

    /// <summary>The engine's tally array (agents or fen per agent), [tier * P + platform], or [tier] when <see cref="PerTier"/>.</summary>
    public long[] Cells(StepMetrics m) => cells(m);

    /// <summary>The tally of one tier and platform, in agents (or fen per agent); a fraction's numerator.</summary>
    public long Agents(StepMetrics m, int tier, int platform)
    {
        ArgumentNullException.ThrowIfNull(m);
        return PerTier ? cells(m)[tier] : cells(m)[tier * m.Platforms + platform];
    }

    /// <summary>The factor from the tally to the column's unit.</summary>
    public double Factor(double peoplePerAgent) => MetricScale.Factor(Unit, peoplePerAgent);

    /// <summary>The value metrics.parquet holds for one tier and platform of a step.</summary>
    public double Value(StepMetrics m, int tier, int platform, double peoplePerAgent) =>
        Of is { } whole
            ? MetricScale.Ratio(Agents(m, tier, platform), whole.Agents(m, tier, platform))
            : Agents(m, tier, platform) * Factor(peoplePerAgent);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The catalogue of metrics.parquet's value columns, in file order (after <c>step</c>, <c>date</c>, <c>tier</c>,
/// <c>platform</c>). A new column is the engine's tally on <see cref="StepMetrics"/> plus one entry here (and its row
/// in docs/output.md, which a test compares with this list).
/// </summary>
public static class MetricColumns
{
    private static int _next;

    private static MetricColumn Add(string name, MetricUnit unit, Func<StepMetrics, long[]> cells, string doc,
        bool perTier = false, bool flow = false, MetricColumn? of = null) =>
        new(_next++, name, unit, cells, doc, perTier, flow, of);

    /// <summary>Online shoppers in the tier.</summary>
    public static MetricColumn Consumers { get; } = Add("consumers", MetricUnit.People, m => m.Consumers,
        "online shoppers in the tier at the end of the step — **the same value on every platform row of a tier**: when " +
        "aggregating, take it once per tier (`any_value`/`first`), do not sum it over platforms", perTier: true);

    /// <summary>Annual-active users.</summary>
    public static MetricColumn AnnualActive { get; } = Add("annual_active", MetricUnit.People, m => m.AnnualActive,
        "ordered on the platform in the last 52 weeks (what companies report as \"annual active\")");

    /// <summary>Users who ordered during the step.</summary>
    public static MetricColumn PeriodActive { get; } = Add("period_active", MetricUnit.People, m => m.PeriodActive,
        "ordered on the platform during this step");

    /// <summary>Primary users.</summary>
    public static MetricColumn PrimaryUsers { get; } = Add("primary_users", MetricUnit.People, m => m.Primary,
        "consumers whose primary platform this is; sums over platforms to `consumers`");

    /// <summary>Primary share of the tier's online shoppers.</summary>
    public static MetricColumn PrimaryShare { get; } = Add("primary_share", MetricUnit.Fraction, m => m.Primary,
        "`primary_users / consumers` of the tier (0 when the tier has no consumers)", of: Consumers);

    /// <summary>Became annual-active this step.</summary>
    public static MetricColumn NewUsers { get; } = Add("new_users", MetricUnit.People, m => m.New,
        "became annual-active on the platform this step", flow: true);

    /// <summary>Stopped being annual-active this step.</summary>
    public static MetricColumn ChurnedUsers { get; } = Add("churned_users", MetricUnit.People, m => m.Churned,
        "stopped being annual-active this step (52 weeks without an order)", flow: true);

    /// <summary>Made the platform their primary this step.</summary>
    public static MetricColumn SwitchedIn { get; } = Add("switched_in", MetricUnit.People, m => m.SwitchedIn,
        "made this platform their primary this step, coming from another platform", flow: true);

    /// <summary>Stopped having the platform as primary this step.</summary>
    public static MetricColumn SwitchedOut { get; } = Add("switched_out", MetricUnit.People, m => m.SwitchedOut,
        "stopped having this platform as primary this step", flow: true);

    /// <summary>Orders placed during the step.</summary>
    public static MetricColumn Orders { get; } = Add("orders", MetricUnit.Orders, m => m.Orders,
        "orders placed on the platform during the step (people-scaled); a consumer can place several in a step, drawn " +
        "as a Poisson count from its order rate (docs/model.md)", flow: true);

    /// <summary>GMV sold on the platform during the step.</summary>
    public static MetricColumn Gmv { get; } = Add("gmv_yuan", MetricUnit.Yuan, m => m.GmvFen,
        "gross merchandise value sold on the platform during the step: orders × order value", flow: true);

    /// <summary>Other platforms' GMV that was this platform's goods, sold through an alliance.</summary>
    public static MetricColumn SuppliedGmv { get; } = Add("supplied_gmv_yuan", MetricUnit.Yuan, m => m.SuppliedGmvFen,
        "part of *other* platforms' GMV that was this platform's goods, sold through an alliance (the supplied slice of a streamer community)", flow: true);

    /// <summary>Orders of other platforms that were this platform's goods (a supplied slice).</summary>
    public static MetricColumn SuppliedOrders { get; } = Add("supplied_orders", MetricUnit.Orders, m => m.SuppliedOrders,
        "orders placed on *other* platforms, through a streamer community's supplied slice, that were this platform's " +
        "goods (people-scaled; the orders behind supplied_gmv_yuan)", flow: true);

    /// <summary>Every column, in file order.</summary>
    public static IReadOnlyList<MetricColumn> All { get; } =
    [
        Consumers, AnnualActive, PeriodActive, PrimaryUsers, PrimaryShare, NewUsers, ChurnedUsers, SwitchedIn, SwitchedOut,
        Orders, Gmv, SuppliedGmv, SuppliedOrders,
    ];

    /// <summary>The column of this name, or null.</summary>
    public static MetricColumn? Find(string name)
    {
        foreach (var c in All) if (c.Name == name) return c;
        return null;
    }
}
