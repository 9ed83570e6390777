using MarketSim.Engine;
using MarketSim.Model;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>Column constructors shared by the tables, so types and nullability are identical across files.</summary>
internal static class Col
{
    public static ColumnBuffer<int> Int(string name, int capacity) => new(new DataField<int>(name), capacity);

    public static ColumnBuffer<DateOnly> Date(string name, int capacity) => new(new DataField<DateOnly>(name), capacity);

    public static ColumnBuffer<long> Long(string name, int capacity) => new(new DataField<long>(name), capacity);

    public static ColumnBuffer<double> Double(string name, int capacity) => new(new DataField<double>(name), capacity);

    /// <summary>An INT32 column that may hold NULL (a value that does not exist, as opposed to zero).</summary>
    public static NullableColumnBuffer<int> NullableInt(string name, int capacity) => new(new DataField<int?>(name), capacity);

    /// <summary>A string column that may hold NULL.</summary>
    public static NullableStringBuffer NullableString(string name, int capacity) =>
        new(new DataField<string>(name, nullable: true), capacity);

    public static ColumnBuffer<bool> Bool(string name, int capacity) => new(new DataField<bool>(name), capacity);

    /// <summary>Non-nullable strings: ids and names are always present, and required columns read simpler everywhere.</summary>
    public static ColumnBuffer<ReadOnlyMemory<char>> String(string name, int capacity) =>
        new(new DataField<string>(name, nullable: false), capacity);
}

/// <summary>A step table: fills its column buffers from one <see cref="StepMetrics"/> and flushes every N steps.</summary>
internal abstract class StepTable
{
    /// <summary>
    /// Rows per row group when the caller leaves it to the table: every step of a run in one row group, up to about a
    /// million rows. One group compresses best (the codec sees whole columns; with a group every 4 steps flows.parquet
    /// was half as large again) and reads fastest; buffers grow with the rows, so a short run stays small.
    /// </summary>
    public const int RowGroupRows = 1 << 20;

    protected StepTable(ModelDimensions dims, int rowsPerStep, int stepsPerRowGroup)
    {
        Dims = dims;
        RowsPerStep = rowsPerStep;
        if (stepsPerRowGroup <= 0) stepsPerRowGroup = Math.Max(1, RowGroupRows / Math.Max(1, rowsPerStep));
        Capacity = rowsPerStep * stepsPerRowGroup;
        InitialRows = rowsPerStep * Math.Min(stepsPerRowGroup, 16);
        Tiers = dims.TierIds.Select(s => s.AsMemory()).ToArray();
        Platforms = dims.PlatformIds.Select(s => s.AsMemory()).ToArray();
        Scale = dims.PeoplePerAgent;
    }

    protected ModelDimensions Dims { get; }

    /// <summary>Ids as memory once, so filling string columns copies a struct rather than allocating.</summary>
    protected ReadOnlyMemory<char>[] Tiers { get; }

    protected ReadOnlyMemory<char>[] Platforms { get; }

    protected double Scale { get; }

    public int RowsPerStep { get; }

    /// <summary>Rows per row group: the table flushes when the next step would not fit.</summary>
    public int Capacity { get; }

    /// <summary>Rows the column buffers start with; they grow (doubling) up to <see cref="Capacity"/>.</summary>
    protected int InitialRows { get; }

    public abstract string Name { get; }

    /// <summary>Zstd level (see <see cref="ParquetDefaults.Options"/>).</summary>
    public virtual System.IO.Compression.CompressionLevel Level => System.IO.Compression.CompressionLevel.Optimal;

    public abstract ColumnBuffer[] Columns { get; }

    public ParquetTable Table { get; set; } = null!;

    /// <summary>Writes the step's rows at <paramref name="row"/> onward.</summary>
    public abstract void Fill(StepMetrics m, int row);

    /// <summary>Appends one step and flushes a row group when the buffers are full.</summary>
    public Task AppendAsync(StepMetrics m, CancellationToken ct)
    {
        Table.Reserve(RowsPerStep);
        Fill(m, Table.Buffered);
        Table.Advance(RowsPerStep);
        return Table.Buffered + RowsPerStep > Table.Capacity ? Table.FlushAsync(ct) : Task.CompletedTask;
    }

    /// <summary>part / whole, 0 for an empty denominator (<see cref="MetricScale.Ratio"/>).</summary>
    protected static double Share(long part, long whole) => MetricScale.Ratio(part, whole);
}

/// <summary>metrics.parquet: the keys, then one DOUBLE column per entry of <see cref="MetricColumns"/>, in its order.</summary>
internal sealed class MetricsTable : StepTable
{
    private readonly ColumnBuffer<int> step;
    private readonly ColumnBuffer<DateOnly> date;
    private readonly ColumnBuffer<ReadOnlyMemory<char>> tier, platform;
    private readonly ColumnBuffer<double>[] values;

    public MetricsTable(ModelDimensions dims, int stepsPerRowGroup) : base(dims, dims.Tiers * dims.Platforms, stepsPerRowGroup)
    {
        int n = InitialRows;
        step = Col.Int("step", n);
        date = Col.Date("date", n);
        tier = Col.String("tier", n);
        platform = Col.String("platform", n);
        values = MetricColumns.All.Select(c => Col.Double(c.Name, n)).ToArray();
        Columns = [step, date, tier, platform, .. values];
    }

    public override string Name => "metrics";

    public override ColumnBuffer[] Columns { get; }

    public override void Fill(StepMetrics m, int row)
    {
        var columns = MetricColumns.All;
        int p = Dims.Platforms;
        for (int t = 0; t < Dims.Tiers; t++)
        {
            for (int k = 0; k < p; k++, row++)
            {
                step.Values[row] = m.Step;
                date.Values[row] = m.Date;
                tier.Values[row] = Tiers[t];
                platform.Values[row] = Platforms[k];
                for (int c = 0; c < values.Length; c++) values[c].Values[row] = columns[c].Value(m, t, k, Scale);
            }
        }
    }
}

internal sealed class FlowsTable : StepTable
{
    private readonly ColumnBuffer<int> step;
    private readonly ColumnBuffer<DateOnly> date;
    private readonly ColumnBuffer<ReadOnlyMemory<char>> tier, from, to;
    private readonly ColumnBuffer<double> switchers;

    public FlowsTable(ModelDimensions dims, int stepsPerRowGroup)
        : base(dims, dims.Tiers * dims.Platforms * (dims.Platforms - 1), stepsPerRowGroup)
    {
        int n = InitialRows;
        step = Col.Int("step", n);
        date = Col.Date("date", n);
        tier = Col.String("tier", n);
        from = Col.String("from_platform", n);
        to = Col.String("to_platform", n);
        switchers = Col.Double("switchers", n);
        Columns = [step, date, tier, from, to, switchers];
    }

    public override string Name => "flows";

    /// <summary>Mostly zeros: level 19 costs little here and halves what level 3 leaves.</summary>
    public override System.IO.Compression.CompressionLevel Level => System.IO.Compression.CompressionLevel.SmallestSize;

    public override ColumnBuffer[] Columns { get; }

    public override void Fill(StepMetrics m, int row)
    {
        int p = Dims.Platforms;
        for (int t = 0; t < Dims.Tiers; t++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++)
                {
                    if (a == b) continue;
                    step.Values[row] = m.Step;
                    date.Values[row] = m.Date;
                    tier.Values[row] = Tiers[t];
                    from.Values[row] = Platforms[a];
                    to.Values[row] = Platforms[b];
                    switchers.Values[row] = MetricScale.People(m.Flows[(t * p + a) * p + b], Scale);
                    row++;
                }
    }
}

internal sealed class OverlapTable : StepTable
{
    private readonly ColumnBuffer<int> step;
    private readonly ColumnBuffer<DateOnly> date;
    private readonly ColumnBuffer<ReadOnlyMemory<char>> tier, a, b;
    private readonly ColumnBuffer<double> usersA, usersB, both, shareA, shareB;

    public OverlapTable(ModelDimensions dims, int stepsPerRowGroup)
        : base(dims, dims.Tiers * dims.Platforms * (dims.Platforms - 1) / 2, stepsPerRowGroup)
    {
        int n = InitialRows;
        step = Col.Int("step", n);
        date = Col.Date("date", n);
        tier = Col.String("tier", n);
        a = Col.String("platform_a", n);
        b = Col.String("platform_b", n);
        usersA = Col.Double("users_a", n);
        usersB = Col.Double("users_b", n);
        both = Col.Double("users_both", n);
        shareA = Col.Double("share_of_a", n);
        shareB = Col.Double("share_of_b", n);
        Columns = [step, date, tier, a, b, usersA, usersB, both, shareA, shareB];
    }

    public override string Name => "overlap";

    public override ColumnBuffer[] Columns { get; }

    public override void Fill(StepMetrics m, int row)
    {
        int p = Dims.Platforms;
        for (int t = 0; t < Dims.Tiers; t++)
            for (int a = 0; a < p; a++)
                for (int b = a + 1; b < p; b++)
                {
                    long ua = m.Overlap[(t * p + a) * p + a];
                    long ub = m.Overlap[(t * p + b) * p + b];
                    long both = m.Overlap[(t * p + a) * p + b];
                    step.Values[row] = m.Step;
                    date.Values[row] = m.Date;
                    tier.Values[row] = Tiers[t];
                    this.a.Values[row] = Platforms[a];
                    this.b.Values[row] = Platforms[b];
                    usersA.Values[row] = MetricScale.People(ua, Scale);
                    usersB.Values[row] = MetricScale.People(ub, Scale);
                    this.both.Values[row] = MetricScale.People(both, Scale);
                    shareA.Values[row] = Share(both, ua);
                    shareB.Values[row] = Share(both, ub);
                    row++;
                }
    }
}
