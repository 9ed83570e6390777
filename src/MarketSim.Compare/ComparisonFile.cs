using MarketSim.Output;
using System.Globalization;
using MarketSim.Engine;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Compare;

/// <summary>Run identity stored in comparison.parquet's key-value metadata and stated in the report.</summary>
/// <param name="ScenarioName">Scenario name.</param>
/// <param name="BaselineName">Baseline name.</param>
/// <param name="ScenarioSha256">SHA-256 of the scenario resolved for replication 0.</param>
/// <param name="BaselineSha256">SHA-256 of the baseline resolved for replication 0.</param>
/// <param name="ScenarioYaml">Resolved scenario (replication 0).</param>
/// <param name="BaselineYaml">Resolved baseline (replication 0).</param>
/// <param name="Seeds">Seed of each replication (the same for both arms).</param>
/// <param name="Agents">Agents per run.</param>
/// <param name="ScenarioPeoplePerAgent">People per agent in the scenario.</param>
/// <param name="BaselinePeoplePerAgent">People per agent in the baseline.</param>
/// <param name="ProgramVersion">Program version.</param>
/// <param name="ScenarioTitle">Scenario display name (its <c>title</c>, else its name).</param>
/// <param name="BaselineTitle">Baseline display name.</param>
public sealed record CompareManifest(string ScenarioName, string BaselineName, string ScenarioSha256, string BaselineSha256,
    string ScenarioYaml, string BaselineYaml, IReadOnlyList<ulong> Seeds, long Agents, double ScenarioPeoplePerAgent,
    double BaselinePeoplePerAgent, string ProgramVersion, string ScenarioTitle = "", string BaselineTitle = "")
{
    /// <summary>The scenario's display name.</summary>
    public string ScenarioDisplay => ScenarioTitle.Length > 0 ? ScenarioTitle : ScenarioName;

    /// <summary>The baseline's display name.</summary>
    public string BaselineDisplay => BaselineTitle.Length > 0 ? BaselineTitle : BaselineName;

    /// <summary>Version of comparison.parquet's columns; bumped when one is renamed, removed or retyped.</summary>
    public const string SchemaVersion = "2";

    /// <summary>Units sentence stored in the file.</summary>
    public const string Units =
        "Differences are scenario - baseline. annual_active, net_flow, cumulative_net_flow: people (agents x people_per_agent); " +
        "gmv, supplied_gmv: yuan per step; primary_share: a fraction 0..1 as in metrics.parquet (levels and differences; x 100 for percentage points).";

    /// <summary>Replications.</summary>
    public int Replications => Seeds.Count;

    /// <summary>Builds the manifest of a plan.</summary>
    public static CompareManifest Of(ComparePlan plan, CompareRuns runs, string programVersion) => new(
        plan.Scenario.Name, plan.Baseline.Name, plan.ScenarioLoad.Sha256, plan.BaselineLoad.Sha256,
        plan.ScenarioLoad.ResolvedYaml, plan.BaselineLoad.ResolvedYaml, plan.Seeds, plan.Agents,
        runs.Get(0, Arm.Scenario).PeoplePerAgent, runs.Get(0, Arm.Baseline).PeoplePerAgent, programVersion,
        plan.Scenario.DisplayName(), plan.Baseline.DisplayName());

    /// <summary>Key-value metadata: no wall-clock time, so identical inputs give identical bytes.</summary>
    public IReadOnlyDictionary<string, string> Metadata(int? firstDifferentStep, DateOnly[] dates) => new Dictionary<string, string>
    {
        ["marketsim.version"] = ProgramVersion,
        ["marketsim.schema_version"] = SchemaVersion,
        ["marketsim.kind"] = "comparison",
        [RunOutputWriter.ScenarioKey] = ScenarioYaml,
        ["marketsim.scenario_name"] = ScenarioName,
        ["marketsim.scenario_sha256"] = ScenarioSha256,
        ["marketsim.baseline"] = BaselineYaml,
        ["marketsim.baseline_name"] = BaselineName,
        ["marketsim.baseline_sha256"] = BaselineSha256,
        ["marketsim.seed"] = Seeds[0].ToString(CultureInfo.InvariantCulture),
        ["marketsim.seeds"] = string.Join(",", Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))),
        ["marketsim.replications"] = Replications.ToString(CultureInfo.InvariantCulture),
        ["marketsim.agents"] = Agents.ToString(CultureInfo.InvariantCulture),
        ["marketsim.people_per_agent"] = ScenarioPeoplePerAgent.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.baseline_people_per_agent"] = BaselinePeoplePerAgent.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.confidence"] = ComparisonTable.Confidence.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.first_difference_date"] = firstDifferentStep is { } k ? dates[k].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
        ["marketsim.units"] = Units,
    };
}

/// <summary>Writes and reads comparison.parquet (schema: docs/compare.md).</summary>
public static class ComparisonFile
{
    /// <summary>File name in a comparison folder.</summary>
    public const string FileName = "comparison.parquet";

    /// <summary>Name used for all tiers together in the <c>tier</c> column.</summary>
    public const string AllTiers = "all";

    private static readonly DataField<int> StepField = new("step");
    private static readonly DataField<DateOnly> DateField = new("date");
    private static readonly DataField<string> MetricField = new("metric", nullable: false);
    private static readonly DataField<string> UnitField = new("unit", nullable: false);
    private static readonly DataField<string> TierField = new("tier", nullable: false);
    private static readonly DataField<string> PlatformField = new("platform", nullable: false);
    private static readonly DataField<string> CounterpartField = new("counterpart", nullable: true);
    private static readonly DataField<double> ScenarioField = new("scenario_mean");
    private static readonly DataField<double> BaselineField = new("baseline_mean");
    private static readonly DataField<double> DiffField = new("mean_difference");
    private static readonly DataField<double?> SdField = new("sd_difference");
    private static readonly DataField<double?> LowField = new("ci_low");
    private static readonly DataField<double?> HighField = new("ci_high");
    private static readonly DataField<bool?> SignificantField = new("significant");
    private static readonly DataField<int> ReplicationsField = new("replications");

    private static DataField[] Fields =>
    [
        StepField, DateField, MetricField, UnitField, TierField, PlatformField, CounterpartField, ScenarioField, BaselineField,
        DiffField, SdField, LowField, HighField, SignificantField, ReplicationsField,
    ];

    /// <summary>
    /// Publishes the table as <paramref name="path"/> (<see cref="AtomicFile"/>).
    /// Whole steps per row group, about 100 000 rows each.
    /// </summary>
    public static async Task WriteAsync(string path, ComparisonTable table, IReadOnlyDictionary<string, string> metadata,
        CancellationToken ct = default)
    {
        await AtomicFile.WriteAsync(path, async (stream, _) =>
        {
            // The project's writer options (no compression: Parquet.Net's Snappy output depends on the CPU's
            // instruction set, which would break byte-identical files across machines; strings dictionary-encoded).
            var options = ParquetDefaults.Options(Fields);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Fields), stream, options, false, ct);
            writer.CustomMetadata = new Dictionary<string, string>(metadata);
            int stepsPerGroup = Math.Max(1, 100_000 / table.RowsPerStep);
            for (int first = 0; first < table.Dates.Length; first += stepsPerGroup)
            {
                int steps = Math.Min(stepsPerGroup, table.Dates.Length - first);
                await WriteGroupAsync(writer, table, first * table.RowsPerStep, steps * table.RowsPerStep, ct);
            }
        }, ct);
    }

    private static async Task WriteGroupAsync(ParquetWriter writer, ComparisonTable table, int start, int count, CancellationToken ct)
    {
        var dims = table.Dimensions;
        var step = new int[count];
        var date = new DateOnly[count];
        var metric = new ReadOnlyMemory<char>[count];
        var unit = new ReadOnlyMemory<char>[count];
        var tier = new ReadOnlyMemory<char>[count];
        var platform = new ReadOnlyMemory<char>[count];
        var counterpart = new string?[count];
        var metricIds = CompareMetrics.All.Select(m => CompareMetrics.Id(m).AsMemory()).ToArray();
        var unitIds = CompareMetrics.All.Select(m => CompareMetrics.Unit(m).AsMemory()).ToArray();
        var tierIds = dims.TierIds.Append(AllTiers).Select(s => s.AsMemory()).ToArray();
        var platformIds = dims.PlatformIds.Select(s => s.AsMemory()).ToArray();
        for (int i = 0; i < count; i++)
        {
            var (k, m, t, p, q) = table.Keys(start + i);
            step[i] = k;
            date[i] = table.Dates[k];
            metric[i] = metricIds[(int)m];
            unit[i] = unitIds[(int)m];
            tier[i] = tierIds[t];
            platform[i] = platformIds[p];
            counterpart[i] = q >= 0 ? dims.PlatformIds[q] : null;
        }
        var replications = Enumerable.Repeat(table.Replications, count).ToArray();
        using var rg = writer.CreateRowGroup();
        await rg.WriteAsync<int>(StepField, step, null, null, ct);
        await rg.WriteAsync<DateOnly>(DateField, date, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(MetricField, metric, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(UnitField, unit, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(TierField, tier, null, null, ct);
        await rg.WriteAsync<ReadOnlyMemory<char>>(PlatformField, platform, null, null, ct);
        await rg.WriteAsync(CounterpartField, counterpart, null);
        await rg.WriteAsync<double>(ScenarioField, table.ScenarioMean.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<double>(BaselineField, table.BaselineMean.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<double>(DiffField, table.MeanDifference.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<double>(SdField, table.SdDifference.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<double>(LowField, table.CiLow.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<double>(HighField, table.CiHigh.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<bool>(SignificantField, table.Significant.AsMemory(start, count), null, null, ct);
        await rg.WriteAsync<int>(ReplicationsField, replications, null, null, ct);
        rg.CompleteValidate();
    }

    /// <summary>One row of comparison.parquet as read back.</summary>
    public sealed record Row(int Step, DateOnly Date, string Metric, string Unit, string Tier, string Platform, string? Counterpart,
        double ScenarioMean, double BaselineMean, double MeanDifference, double? SdDifference, double? CiLow, double? CiHigh,
        bool? Significant, int Replications);

    /// <summary>Reads every row and the key-value metadata (for tests and tools; the report is built from memory).</summary>
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
            var step = await columns.Read<int>("step");
            var date = await columns.Read<DateOnly>("date");
            var metric = await columns.ReadString("metric");
            var unit = await columns.ReadString("unit");
            var tier = await columns.ReadString("tier");
            var platform = await columns.ReadString("platform");
            var counterpart = await columns.ReadString("counterpart");
            var sm = await columns.Read<double>("scenario_mean");
            var bm = await columns.Read<double>("baseline_mean");
            var md = await columns.Read<double>("mean_difference");
            var sd = await columns.ReadNullable<double>("sd_difference");
            var lo = await columns.ReadNullable<double>("ci_low");
            var hi = await columns.ReadNullable<double>("ci_high");
            var sig = await columns.ReadNullable<bool>("significant");
            var reps = await columns.Read<int>("replications");
            for (int i = 0; i < n; i++)
                rows.Add(new Row(step[i], date[i], metric[i]!, unit[i]!, tier[i]!, platform[i]!, counterpart[i], sm[i], bm[i], md[i],
                    sd[i], lo[i], hi[i], sig[i], reps[i]));
        }
        return (rows, new Dictionary<string, string>(reader.CustomMetadata));
    }
}
