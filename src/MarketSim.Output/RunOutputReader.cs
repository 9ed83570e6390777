using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Scenarios;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>One row of metrics.parquet; counts in people, GMV in yuan.</summary>
/// <param name="Step">Step index, 0-based.</param>
/// <param name="Date">First day of the step.</param>
/// <param name="Tier">Tier id.</param>
/// <param name="Platform">Platform id.</param>
/// <param name="Values">The value columns, in the order of <see cref="MetricColumns.All"/>.</param>
public sealed record MetricsRow(int Step, DateOnly Date, string Tier, string Platform, IReadOnlyList<double> Values)
{
    /// <summary>The value of one catalogue column.</summary>
    public double this[MetricColumn column] => Values[(column ?? throw new ArgumentNullException(nameof(column))).Index];

    /// <summary>Online shoppers in the tier (repeated on each platform row).</summary>
    public double Consumers => this[MetricColumns.Consumers];

    /// <summary>Ordered on the platform in the last 52 weeks.</summary>
    public double AnnualActive => this[MetricColumns.AnnualActive];

    /// <summary>Ordered on the platform during the step.</summary>
    public double PeriodActive => this[MetricColumns.PeriodActive];

    /// <summary>Consumers whose primary platform this is.</summary>
    public double PrimaryUsers => this[MetricColumns.PrimaryUsers];

    /// <summary>PrimaryUsers / Consumers (0 when the tier is empty).</summary>
    public double PrimaryShare => this[MetricColumns.PrimaryShare];

    /// <summary>Became annual-active this step.</summary>
    public double NewUsers => this[MetricColumns.NewUsers];

    /// <summary>Stopped being annual-active this step.</summary>
    public double ChurnedUsers => this[MetricColumns.ChurnedUsers];

    /// <summary>Made this platform their primary this step.</summary>
    public double SwitchedIn => this[MetricColumns.SwitchedIn];

    /// <summary>Left this platform as primary this step.</summary>
    public double SwitchedOut => this[MetricColumns.SwitchedOut];

    /// <summary>Orders placed on the platform this step, people-scaled.</summary>
    public double Orders => this[MetricColumns.Orders];

    /// <summary>Gross merchandise value sold on the platform, yuan.</summary>
    public double GmvYuan => this[MetricColumns.Gmv];

    /// <summary>Part of other platforms' GMV that was this platform's goods, yuan.</summary>
    public double SuppliedGmvYuan => this[MetricColumns.SuppliedGmv];
}

/// <summary>One row of flows.parquet: primary switches from one platform to another, people.</summary>
/// <param name="Step">Step index.</param>
/// <param name="Date">First day of the step.</param>
/// <param name="Tier">Tier id.</param>
/// <param name="FromPlatform">Previous primary platform.</param>
/// <param name="ToPlatform">New primary platform.</param>
/// <param name="Switchers">People who switched, this step.</param>
public sealed record FlowRow(int Step, DateOnly Date, string Tier, string FromPlatform, string ToPlatform, double Switchers);

/// <summary>One row of overlap.parquet: annual-active users shared by two platforms (a before b in platform order).</summary>
/// <param name="Step">Step index.</param>
/// <param name="Date">First day of the step.</param>
/// <param name="Tier">Tier id.</param>
/// <param name="PlatformA">First platform.</param>
/// <param name="PlatformB">Second platform.</param>
/// <param name="UsersA">Annual-active on A.</param>
/// <param name="UsersB">Annual-active on B.</param>
/// <param name="UsersBoth">Annual-active on both.</param>
/// <param name="ShareOfA">UsersBoth / UsersA (0 when A has none).</param>
/// <param name="ShareOfB">UsersBoth / UsersB (0 when B has none).</param>
public sealed record OverlapRow(int Step, DateOnly Date, string Tier, string PlatformA, string PlatformB,
    double UsersA, double UsersB, double UsersBoth, double ShareOfA, double ShareOfB);

/// <summary>One row of agents.parquet: a sampled agent's state after a snapshot step.</summary>
/// <param name="Step">Step index.</param>
/// <param name="Date">First day of the step.</param>
/// <param name="Tier">Tier id.</param>
/// <param name="Agent">Index of the agent within its tier, the same at every snapshot.</param>
/// <param name="Cohort">Trait cohort.</param>
/// <param name="Streamer">Streamer community followed, or null.</param>
/// <param name="PrimaryPlatform">Primary platform id.</param>
/// <param name="Satisfaction">Satisfaction with the primary, 0..1.</param>
/// <param name="Uses">Per platform (in the run's platform order): in the agent's set.</param>
/// <param name="StepsSinceOrder">Per platform: steps since the last order (255 = 255 or more), null when not in the set.</param>
public sealed record AgentRow(int Step, DateOnly Date, string Tier, long Agent, int Cohort, string? Streamer,
    string PrimaryPlatform, double Satisfaction, bool[] Uses, int?[] StepsSinceOrder);

/// <summary>
/// Reads a run folder back into rows. Meant for tests and small tools (the tables are a few thousand rows); analyses
/// should use DuckDB, pandas or Polars on the Parquet files directly.
/// </summary>
public static class RunOutputReader
{
    private static ParquetOptions Options => new() { UseDateOnlyTypeForDates = true };

    /// <summary>Reads agents.parquet of a run folder; <paramref name="platforms"/> are the run's platform ids in order.</summary>
    public static async Task<IReadOnlyList<AgentRow>> ReadAgentsAsync(string folder, IReadOnlyList<string> platforms,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var t = await ReadTableAsync(Path.Combine(folder, AgentSnapshotRecorder.TableName + ".parquet"), ct).ConfigureAwait(false);
        var (step, date, tier, agent, cohort) = (t.Int("step"), t.Date("date"), t.Str("tier"), t.Long("agent"), t.Int("cohort"));
        var (streamer, primary, satisfaction) = (t.NullableStr("streamer"), t.Str("primary_platform"), t.Dbl("satisfaction"));
        var uses = platforms.Select(p => t.Bool("uses_" + p)).ToArray();
        var since = platforms.Select(p => t.NullableInt("steps_since_order_" + p)).ToArray();
        var rows = new List<AgentRow>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
            rows.Add(new AgentRow(step[i], date[i], tier[i], agent[i], cohort[i], streamer[i], primary[i], satisfaction[i],
                uses.Select(u => u[i]).ToArray(), since.Select(s => s[i]).ToArray()));
        return rows;
    }

    /// <summary>Reads metrics.parquet of a run folder.</summary>
    /// <param name="folder">Run folder.</param>
    /// <param name="ct">Cancels reading.</param>
    public static Task<IReadOnlyList<MetricsRow>> ReadMetricsAsync(string folder, CancellationToken ct = default) =>
        ReadMetricsFileAsync(Path.Combine(folder, "metrics.parquet"), ct);

    /// <summary>Reads a metrics table from any file name (a sweep's <c>metrics/run=…/part-0.parquet</c>).</summary>
    /// <param name="file">The Parquet file.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<IReadOnlyList<MetricsRow>> ReadMetricsFileAsync(string file, CancellationToken ct = default)
    {
        var t = await ReadTableAsync(file, ct).ConfigureAwait(false);
        var (step, date, tier, platform) = (t.Int("step"), t.Date("date"), t.Str("tier"), t.Str("platform"));
        var values = MetricColumns.All.Select(c => t.Dbl(c.Name)).ToArray();
        var rows = new List<MetricsRow>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
            rows.Add(new MetricsRow(step[i], date[i], tier[i], platform[i], values.Select(v => v[i]).ToArray()));
        return rows;
    }

    /// <summary>Reads flows.parquet of a run folder.</summary>
    /// <param name="folder">Run folder.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<IReadOnlyList<FlowRow>> ReadFlowsAsync(string folder, CancellationToken ct = default)
    {
        var t = await ReadTableAsync(Path.Combine(folder, "flows.parquet"), ct).ConfigureAwait(false);
        var rows = new List<FlowRow>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
            rows.Add(new FlowRow(t.Int("step")[i], t.Date("date")[i], t.Str("tier")[i], t.Str("from_platform")[i],
                t.Str("to_platform")[i], t.Dbl("switchers")[i]));
        return rows;
    }

    /// <summary>Reads overlap.parquet of a run folder.</summary>
    /// <param name="folder">Run folder.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<IReadOnlyList<OverlapRow>> ReadOverlapAsync(string folder, CancellationToken ct = default)
    {
        var t = await ReadTableAsync(Path.Combine(folder, "overlap.parquet"), ct).ConfigureAwait(false);
        var rows = new List<OverlapRow>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
            rows.Add(new OverlapRow(t.Int("step")[i], t.Date("date")[i], t.Str("tier")[i], t.Str("platform_a")[i],
                t.Str("platform_b")[i], t.Dbl("users_a")[i], t.Dbl("users_b")[i], t.Dbl("users_both")[i],
                t.Dbl("share_of_a")[i], t.Dbl("share_of_b")[i]));
        return rows;
    }

    /// <summary>Reads calibration.parquet of a run folder (relative error and within-tolerance are recomputed by the record).</summary>
    /// <param name="folder">Run folder.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<IReadOnlyList<CalibrationRow>> ReadCalibrationAsync(string folder, CancellationToken ct = default)
    {
        var t = await ReadTableAsync(Path.Combine(folder, "calibration.parquet"), ct).ConfigureAwait(false);
        var rows = new List<CalibrationRow>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
        {
            string metric = t.Str("metric")[i];
            rows.Add(new CalibrationRow(t.Int("target")[i], CalibrationMetric.IsFlow(metric) ? t.Date("period_start")[i] : null,
                t.Date("period_end")[i], t.Str("platform")[i], t.Str("with_platform")[i], t.Str("tiers")[i], metric, t.Str("unit")[i],
                t.Dbl("reported")[i], t.Dbl("simulated")[i], t.Dbl("tolerance")[i], t.Dbl("weight")[i], t.Bool("in_sample")[i], t.Str("source")[i]));
        }
        return rows;
    }

    /// <summary>Reads the key-value metadata of one Parquet file (the <c>marketsim.*</c> keys).</summary>
    /// <param name="parquetFile">Path of the file.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<IReadOnlyDictionary<string, string>> ReadMetadataAsync(string parquetFile, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(parquetFile, Options, ct).ConfigureAwait(false);
        return new Dictionary<string, string>(reader.CustomMetadata);
    }

    /// <summary>Number of row groups in a Parquet file, to check how a file was chunked.</summary>
    /// <param name="parquetFile">Path of the file.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<int> ReadRowGroupCountAsync(string parquetFile, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(parquetFile, Options, ct).ConfigureAwait(false);
        return reader.RowGroupCount;
    }

    /// <summary>Column names and CLR types of a Parquet file in schema order, for schema checks.</summary>
    /// <param name="parquetFile">Path of the file.</param>
    /// <param name="ct">Cancels reading.</param>
    public static async Task<IReadOnlyList<(string Name, Type Type)>> ReadSchemaAsync(string parquetFile, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(parquetFile, Options, ct).ConfigureAwait(false);
        return reader.Schema.DataFields.Select(f => (f.Name, f.ClrType)).ToList();
    }

    private static async Task<Table> ReadTableAsync(string path, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, Options, ct).ConfigureAwait(false);
        int total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) total += checked((int)reader.OpenRowGroupReader(g).RowCount);
        var table = new Table(total);
        foreach (var field in reader.Schema.DataFields)
        {
            Array values = field.ClrType == typeof(int) && field.IsNullable ? new int?[total]
                : field.ClrType == typeof(int) ? new int[total]
                : field.ClrType == typeof(long) ? new long[total]
                : field.ClrType == typeof(double) ? new double[total]
                : field.ClrType == typeof(bool) ? new bool[total]
                : field.ClrType == typeof(DateOnly) ? new DateOnly[total]
                : field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string) ? new string?[total]
                : throw new NotSupportedException($"{path}: column {field.Name} has unsupported type {field.ClrType}.");
            int offset = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                var rg = reader.OpenRowGroupReader(g);
                int n = (int)rg.RowCount;
                await ReadColumnAsync(rg, field, values, offset, n, ct).ConfigureAwait(false);
                offset += n;
            }
            // Required string columns read as non-null strings; nullable ones keep their nulls.
            table.Columns[field.Name] = values is string?[] strings && !field.IsNullable ? strings.Select(v => v ?? "").ToArray() : values;
        }
        return table;
    }

    private static async Task ReadColumnAsync(ParquetRowGroupReader rg, DataField field, Array values, int offset, int n,
        CancellationToken ct)
    {
        switch (values)
        {
            case int[] a: await rg.ReadAsync<int>(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
            case int?[] a: await rg.ReadAsync<int>(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
            case long[] a: await rg.ReadAsync<long>(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
            case double[] a: await rg.ReadAsync<double>(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
            case bool[] a: await rg.ReadAsync<bool>(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
            case DateOnly[] a: await rg.ReadAsync<DateOnly>(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
            case string?[] a: await rg.ReadAsync(field, a.AsMemory(offset, n), null, ct).ConfigureAwait(false); break;
        }
    }

    private sealed class Table(int rows)
    {
        public int Rows { get; } = rows;

        public Dictionary<string, Array> Columns { get; } = [];

        private Array Get(string name) => Columns.TryGetValue(name, out var a) ? a
            : throw new InvalidDataException($"Column {name} is missing.");

        public int[] Int(string name) => (int[])Get(name);

        public double[] Dbl(string name) => (double[])Get(name);

        public DateOnly[] Date(string name) => (DateOnly[])Get(name);

        public string[] Str(string name) => (string[])Get(name);

        public string?[] NullableStr(string name) => (string?[])Get(name);

        public long[] Long(string name) => (long[])Get(name);

        public bool[] Bool(string name) => (bool[])Get(name);

        public int?[] NullableInt(string name) => (int?[])Get(name);
    }
}
