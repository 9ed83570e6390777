using MarketSim.Output;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Compare;

/// <summary>Writes and reads totals.parquet (schema: docs/compare.md).</summary>
public static class TotalsFile
{
    /// <summary>File name in a comparison folder.</summary>
    public const string FileName = "totals.parquet";

    private static readonly DataField<string> PeriodField = new("period", nullable: false);
    private static readonly DataField<DateOnly> StartField = new("period_start");
    private static readonly DataField<DateOnly> EndField = new("period_end");
    private static readonly DataField<int> StepsField = new("steps");
    private static readonly DataField<string> MetricField = new("metric", nullable: false);
    private static readonly DataField<string> UnitField = new("unit", nullable: false);
    private static readonly DataField<string> TierField = new("tier", nullable: false);
    private static readonly DataField<string> PlatformField = new("platform", nullable: false);
    private static readonly DataField<double> ScenarioField = new("scenario_total");
    private static readonly DataField<double> BaselineField = new("baseline_total");
    private static readonly DataField<double> DiffField = new("mean_difference");
    private static readonly DataField<double?> SdField = new("sd_difference");
    private static readonly DataField<double?> LowField = new("ci_low");
    private static readonly DataField<double?> HighField = new("ci_high");
    private static readonly DataField<bool?> SignificantField = new("significant");
    private static readonly DataField<int> ReplicationsField = new("replications");

    private static DataField[] Fields =>
    [
        PeriodField, StartField, EndField, StepsField, MetricField, UnitField, TierField, PlatformField, ScenarioField, BaselineField,
        DiffField, SdField, LowField, HighField, SignificantField, ReplicationsField,
    ];

    /// <summary>Publishes the table as one row group (<see cref="AtomicFile"/>).</summary>
    public static async Task WriteAsync(string path, TotalsTable table, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        await AtomicFile.WriteAsync(path, async (stream, _) =>
        {
            var options = ParquetDefaults.Options(Fields);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Fields), stream, options, false, ct);
            writer.CustomMetadata = new Dictionary<string, string>(metadata) { ["marketsim.kind"] = "totals" };
            await WriteGroupAsync(writer, table, ct);
        }, ct);
    }

    private static async Task WriteGroupAsync(ParquetWriter writer, TotalsTable table, CancellationToken ct)
    {
        var dims = table.Dimensions;
        int n = table.Rows;
        var period = new ReadOnlyMemory<char>[n];
        var start = new DateOnly[n];
        var end = new DateOnly[n];
        var steps = new int[n];
        var metric = new ReadOnlyMemory<char>[n];
        var unit = new ReadOnlyMemory<char>[n];
        var tier = new ReadOnlyMemory<char>[n];
        var platform = new ReadOnlyMemory<char>[n];
        var tierIds = dims.TierIds.Append(ComparisonFile.AllTiers).Select(s => s.AsMemory()).ToArray();
        for (int i = 0; i < n; i++)
        {
            var (pi, m, t, p) = table.Keys(i);
            var pr = table.Periods[pi];
            period[i] = pr.Id.AsMemory();
            start[i] = pr.Start;
            end[i] = pr.End;
            steps[i] = pr.Steps;
            metric[i] = m.Id.AsMemory();
            unit[i] = m.Unit.AsMemory();
            tier[i] = tierIds[t];
            platform[i] = dims.PlatformIds[p].AsMemory();
        }
        using var rg = writer.CreateRowGroup();
        await rg.WriteAsync<ReadOnlyMemory<char>>(PeriodField, period, null, null, ct);
        await rg.WriteAsync<DateOnly>(StartField, start, null, null, ct);
        await rg.WriteAsync<DateOnly>(EndField, end, null, null, ct);
        await rg.WriteAsync<int>(StepsField, steps, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(MetricField, metric, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(UnitField, unit, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(TierField, tier, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(PlatformField, platform, null, null, ct);
        await rg.WriteAsync<double>(ScenarioField, table.ScenarioTotal, null, null, ct);
        await rg.WriteAsync<double>(BaselineField, table.BaselineTotal, null, null, ct);
        await rg.WriteAsync<double>(DiffField, table.MeanDifference, null, null, ct);
        await rg.WriteAsync<double>(SdField, table.SdDifference, null, null, ct);
        await rg.WriteAsync<double>(LowField, table.CiLow, null, null, ct);
        await rg.WriteAsync<double>(HighField, table.CiHigh, null, null, ct);
        await rg.WriteAsync<bool>(SignificantField, table.Significant, null, null, ct);
        await rg.WriteAsync<int>(ReplicationsField, Enumerable.Repeat(table.Replications, n).ToArray(), null, null, ct);
        rg.CompleteValidate();
    }

    /// <summary>One row of totals.parquet as read back.</summary>
    public sealed record Row(string Period, DateOnly PeriodStart, DateOnly PeriodEnd, int Steps, string Metric, string Unit, string Tier,
        string Platform, double ScenarioTotal, double BaselineTotal, double MeanDifference, double? SdDifference, double? CiLow,
        double? CiHigh, bool? Significant, int Replications);

    /// <summary>Reads every row and the key-value metadata (for tests and tools).</summary>
    public static async Task<(IReadOnlyList<Row> Rows, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(string path,
        CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true }, ct);
        var rows = new List<Row>();
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            var columns = new RowGroupColumns(rg, fields, ct);
            var period = await columns.ReadString("period");
            var start = await columns.Read<DateOnly>("period_start");
            var end = await columns.Read<DateOnly>("period_end");
            var steps = await columns.Read<int>("steps");
            var metric = await columns.ReadString("metric");
            var unit = await columns.ReadString("unit");
            var tier = await columns.ReadString("tier");
            var platform = await columns.ReadString("platform");
            var st = await columns.Read<double>("scenario_total");
            var bt = await columns.Read<double>("baseline_total");
            var md = await columns.Read<double>("mean_difference");
            var sd = await columns.ReadNullable<double>("sd_difference");
            var lo = await columns.ReadNullable<double>("ci_low");
            var hi = await columns.ReadNullable<double>("ci_high");
            var sig = await columns.ReadNullable<bool>("significant");
            var reps = await columns.Read<int>("replications");
            for (int i = 0; i < n; i++)
                rows.Add(new Row(period[i]!, start[i], end[i], steps[i], metric[i]!, unit[i]!, tier[i]!, platform[i]!, st[i], bt[i], md[i],
                    sd[i], lo[i], hi[i], sig[i], reps[i]));
        }
        return (rows, new Dictionary<string, string>(reader.CustomMetadata));
    }
}
