using MarketSim.Output;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Compare;

/// <summary>
/// Writes and reads replications.parquet: every value of comparison.parquet for each replication on its own (scenario,
/// baseline and their difference), so that any statistic over replications can be recomputed (schema: docs/compare.md).
/// The key is (draw, replication, step, metric, tier, platform, counterpart): <c>draw</c> is the posterior parameter set
/// (0 without a posterior), <c>replication</c> the replication within it; readers should group by the key columns they
/// mean rather than assume there are no others.
/// </summary>
public static class ReplicationsFile
{
    /// <summary>File name in a comparison folder.</summary>
    public const string FileName = "replications.parquet";

    private static readonly DataField<int> DrawField = new("draw");
    private static readonly DataField<int> ReplicationField = new("replication");
    private static readonly DataField<ulong> SeedField = new("seed");
    private static readonly DataField<int> StepField = new("step");
    private static readonly DataField<DateOnly> DateField = new("date");
    private static readonly DataField<string> MetricField = new("metric", nullable: false);
    private static readonly DataField<string> UnitField = new("unit", nullable: false);
    private static readonly DataField<string> TierField = new("tier", nullable: false);
    private static readonly DataField<string> PlatformField = new("platform", nullable: false);
    private static readonly DataField<string> CounterpartField = new("counterpart", nullable: true);
    private static readonly DataField<double> ScenarioField = new("scenario");
    private static readonly DataField<double> BaselineField = new("baseline");
    private static readonly DataField<double> DiffField = new("difference");

    private static DataField[] Fields =>
    [
        DrawField, ReplicationField, SeedField, StepField, DateField, MetricField, UnitField, TierField, PlatformField, CounterpartField,
        ScenarioField, BaselineField, DiffField,
    ];

    /// <summary>
    /// Publishes the per-replication values of <paramref name="runs"/> in the row layout of <paramref name="table"/>
    /// (replication by replication, whole steps per row group of about 100 000 rows). The values are computed by the
    /// same code as the table's, so the mean of <c>difference</c> over replications is the table's mean_difference.
    /// </summary>
    public static async Task WriteAsync(string path, ComparisonTable table, CompareRuns runs, IReadOnlyList<ulong> seeds,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(runs);
        await AtomicFile.WriteAsync(path, async (stream, _) =>
        {
            var options = ParquetDefaults.Options(Fields);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Fields), stream, options, false, ct);
            writer.CustomMetadata = new Dictionary<string, string>(metadata) { ["marketsim.kind"] = "replications" };
            var dims = table.Dimensions;
            int perStep = table.RowsPerStep, stepsPerGroup = Math.Max(1, 100_000 / perStep);
            var metricIds = CompareMetric.PerStep.ToDictionary(m => m, m => m.Id.AsMemory());
            var unitIds = CompareMetric.PerStep.ToDictionary(m => m, m => m.Unit.AsMemory());
            var tierIds = dims.TierIds.Append(ComparisonFile.AllTiers).Select(s => s.AsMemory()).ToArray();
            var platformIds = dims.PlatformIds.Select(s => s.AsMemory()).ToArray();
            int perDraw = runs.Draws > 0 ? runs.Replications / runs.Draws : runs.Replications;
            for (int r = 0; r < runs.Replications; r++)
            {
                var arms = new[] { runs.Get(r, Arm.Scenario), runs.Get(r, Arm.Baseline) };
                var cumulative = new[] { new long[arms[0].Steps[0].Flows.Length], new long[arms[1].Steps[0].Flows.Length] };
                for (int first = 0; first < table.Dates.Length; first += stepsPerGroup)
                {
                    int steps = Math.Min(stepsPerGroup, table.Dates.Length - first), n = steps * perStep;
                    var step = new int[n];
                    var date = new DateOnly[n];
                    var metric = new ReadOnlyMemory<char>[n];
                    var unit = new ReadOnlyMemory<char>[n];
                    var tier = new ReadOnlyMemory<char>[n];
                    var platform = new ReadOnlyMemory<char>[n];
                    var counterpart = new string?[n];
                    var scenario = new double[n];
                    var baseline = new double[n];
                    var difference = new double[n];
                    var values = new[] { new double[perStep], new double[perStep] };
                    for (int s = 0; s < steps; s++)
                    {
                        int k = first + s;
                        for (int a = 0; a < 2; a++)
                        {
                            var slice = arms[a].Steps[k];
                            for (int i = 0; i < cumulative[a].Length; i++) cumulative[a][i] += slice.Flows[i];
                            table.FillStep(slice, cumulative[a], arms[a].PeoplePerAgent, values[a]);
                        }
                        for (int i = 0; i < perStep; i++)
                        {
                            int row = s * perStep + i;
                            var (_, m, t, p, q) = table.Keys(k * perStep + i);
                            step[row] = k;
                            date[row] = table.Dates[k];
                            metric[row] = metricIds[m];
                            unit[row] = unitIds[m];
                            tier[row] = tierIds[t];
                            platform[row] = platformIds[p];
                            counterpart[row] = q >= 0 ? dims.PlatformIds[q] : null;
                            scenario[row] = values[0][i];
                            baseline[row] = values[1][i];
                            difference[row] = values[0][i] - values[1][i];
                        }
                    }
                    ct.ThrowIfCancellationRequested();
                    using var rg = writer.CreateRowGroup();
                    await rg.WriteAsync<int>(DrawField, Enumerable.Repeat(r / perDraw, n).ToArray(), null, null, ct);
                    await rg.WriteAsync<int>(ReplicationField, Enumerable.Repeat(r % perDraw, n).ToArray(), null, null, ct);
                    await rg.WriteAsync<ulong>(SeedField, Enumerable.Repeat(seeds[r], n).ToArray(), null, null, ct);
                    await rg.WriteAsync<int>(StepField, step, null, null, ct);
                    await rg.WriteAsync<DateOnly>(DateField, date, null, null, ct);
                    await rg.WriteAsync<ReadOnlyMemory<char>>(MetricField, metric, null, null, ct);
                    await rg.WriteAsync<ReadOnlyMemory<char>>(UnitField, unit, null, null, ct);
                    await rg.WriteAsync<ReadOnlyMemory<char>>(TierField, tier, null, null, ct);
                    await rg.WriteAsync<ReadOnlyMemory<char>>(PlatformField, platform, null, null, ct);
                    await rg.WriteAsync(CounterpartField, counterpart, null);
                    await rg.WriteAsync<double>(ScenarioField, scenario, null, null, ct);
                    await rg.WriteAsync<double>(BaselineField, baseline, null, null, ct);
                    await rg.WriteAsync<double>(DiffField, difference, null, null, ct);
                    rg.CompleteValidate();
                }
            }
        }, ct);
    }

    /// <summary>One row of replications.parquet as read back.</summary>
    public sealed record Row(int Draw, int Replication, ulong Seed, int Step, DateOnly Date, string Metric, string Unit, string Tier, string Platform,
        string? Counterpart, double Scenario, double Baseline, double Difference);

    /// <summary>Reads every row (for tests and tools).</summary>
    public static async Task<IReadOnlyList<Row>> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true }, ct);
        var rows = new List<Row>();
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var c = new RowGroupColumns(rg, fields, ct);
            var draw = await c.Read<int>("draw");
            var rep = await c.Read<int>("replication");
            var seed = await c.Read<ulong>("seed");
            var step = await c.Read<int>("step");
            var date = await c.Read<DateOnly>("date");
            var metric = await c.ReadString("metric");
            var unit = await c.ReadString("unit");
            var tier = await c.ReadString("tier");
            var platform = await c.ReadString("platform");
            var counterpart = await c.ReadString("counterpart");
            var s = await c.Read<double>("scenario");
            var b = await c.Read<double>("baseline");
            var d = await c.Read<double>("difference");
            for (int i = 0; i < c.Rows; i++)
                rows.Add(new Row(draw[i], rep[i], seed[i], step[i], date[i], metric[i]!, unit[i]!, tier[i]!, platform[i]!, counterpart[i], s[i], b[i], d[i]));
        }
        return rows;
    }
}
