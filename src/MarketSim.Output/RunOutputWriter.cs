using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Output;

/// <summary>
/// Streams a run's results into a folder of Parquet files while the simulation steps, so output memory does not
/// grow with the number of steps, and publishes them atomically: readers either see a complete run (with
/// <c>_SUCCESS</c>) or no Parquet files at all.
/// </summary>
/// <remarks>
/// Files are written under hidden names (<c>.metrics.parquet.tmp</c>) that pyarrow, Spark and DuckDB globs ignore,
/// and renamed by <see cref="CompleteAsync"/>. Disposing without completing deletes them. Parquet files contain no
/// wall-clock time, so two identical runs produce byte-identical files; timings go to <c>run.json</c>.
/// Not thread-safe: call from one logical thread, as a run steps sequentially anyway.
/// </remarks>
public sealed class RunOutputWriter : IAsyncDisposable
{
    /// <summary>Version of the file layout and column set, bumped when a column is renamed, removed or retyped.</summary>
    public const string SchemaVersion = "2";

    /// <summary>Marker written last; its presence means every other file in the folder is complete.</summary>
    public const string SuccessFileName = "_SUCCESS";

    /// <summary>Run description with timings and the file list.</summary>
    public const string RunJsonFileName = "run.json";

    /// <summary>The resolved scenario, to rerun exactly this run.</summary>
    public const string ScenarioFileName = "scenario.resolved.yaml";

    /// <summary>Units statement stored in every file, so a file read on its own is not misread as agent counts.</summary>
    public const string UnitsDescription =
        "Counts are people = agents x people_per_agent (DOUBLE); gmv_yuan and supplied_gmv_yuan are yuan (people-scaled); shares are fractions 0..1.";

    private static readonly string[] KnownOutputs = [.. OutputTables.All.Select(t => t.FileName), RunJsonFileName, ScenarioFileName];

    private readonly string folder;
    private readonly ModelDimensions dims;
    private readonly RunManifest manifest;
    private readonly IReadOnlyDictionary<string, string> metadata, lookupMetadata;
    private readonly List<StepTable> tables = [];
    private readonly List<string> published = [];
    private int steps;
    private bool completed;
    private bool disposed;

    private RunOutputWriter(string folder, ModelDimensions dims, RunManifest manifest, AgentSnapshotRecorder? agents)
    {
        Agents = agents;
        this.folder = folder;
        this.dims = dims;
        this.manifest = manifest;
        metadata = BuildMetadata(manifest);
        lookupMetadata = LookupMetadata(metadata);
    }

    /// <summary>Folder the run is written to.</summary>
    public string Folder => folder;

    /// <summary>The agent snapshots this run records and writes as agents.parquet, or null when it takes none.</summary>
    public AgentSnapshotRecorder? Agents { get; }

    /// <summary>
    /// Creates the folder (not its parents' parents beyond what <see cref="Directory.CreateDirectory(string)"/> does),
    /// removes a previous run's <c>_SUCCESS</c> and known outputs so the folder never claims a mix of two runs is
    /// complete, and opens the selected tables under temporary names.
    /// </summary>
    /// <param name="folder">Run folder.</param>
    /// <param name="dims">Tier and platform ids, in the order of the <see cref="StepMetrics"/> arrays.</param>
    /// <param name="manifest">Run identity, stored in every file's key-value metadata.</param>
    /// <param name="selection">Optional tables to write; calibration.parquet is always written.</param>
    /// <param name="stepsPerRowGroup">Steps per row group; 0 (default): every step in one row group, up to about a million rows.</param>
    /// <param name="ct">Cancels opening the files.</param>
    /// <param name="agents">Agent snapshots to record (see <see cref="RunPipeline"/>) and write at completion; null for none.</param>
    public static async Task<RunOutputWriter> CreateAsync(string folder, ModelDimensions dims, RunManifest manifest,
        OutputSelection selection, int stepsPerRowGroup = 0, AgentSnapshotRecorder? agents = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentOutOfRangeException.ThrowIfNegative(stepsPerRowGroup);

        Directory.CreateDirectory(folder);
        AtomicFile.TryDelete(Path.Combine(folder, SuccessFileName));
        foreach (var name in KnownOutputs) AtomicFile.TryDelete(Path.Combine(folder, name));

        var writer = new RunOutputWriter(folder, dims, manifest, agents);
        try
        {
            foreach (var table in OutputTables.All)
                if (table.StepWriter is { } create && selection.Includes(table)) writer.tables.Add(create(dims, stepsPerRowGroup));
            foreach (var t in writer.tables)
                t.Table = await ParquetTable.CreateAsync(folder, t.Name, t.Columns, t.Capacity, writer.metadata, ct, t.Level)
                    .ConfigureAwait(false);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return writer;
    }

    /// <summary>
    /// Buffers one step's rows; every <c>stepsPerRowGroup</c> steps the buffers are written as a row group.
    /// The metrics object may be reused by the caller once the returned task completes.
    /// </summary>
    /// <param name="m">The step's metrics, in agents; scaled to people here.</param>
    /// <param name="ct">Cancels a row-group write.</param>
    public async Task WriteStepAsync(StepMetrics m, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(m);
        EnsureOpen();
        if (m.Tiers != dims.Tiers || m.Platforms != dims.Platforms)
            throw new ArgumentException(
                $"Step metrics have {m.Tiers} tiers × {m.Platforms} platforms; the run has {dims.Tiers} × {dims.Platforms}.", nameof(m));
        foreach (var t in tables) await t.AppendAsync(m, ct).ConfigureAwait(false);
        steps++;
    }

    /// <summary>
    /// Finishes the run: flushes and closes the step tables, writes calibration.parquet, renames every table to its
    /// public name, writes run.json and scenario.resolved.yaml, and writes <c>_SUCCESS</c> last.
    /// </summary>
    /// <param name="calibration">Published figures against simulated values; may be empty.</param>
    /// <param name="timings">Timings, recorded in run.json only.</param>
    /// <param name="ct">Cancels completion; the run is then left incomplete and disposing removes its files.</param>
    public async Task CompleteAsync(IReadOnlyList<CalibrationRow> calibration, RunTimings timings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(timings);
        EnsureOpen();

        foreach (var t in tables) await t.Table.CloseAsync(ct).ConfigureAwait(false);
        await using var calibrationTable = await CalibrationWriter.WriteAsync(folder, calibration, lookupMetadata, ct).ConfigureAwait(false);
        await using var agentsTable = Agents is null ? null : await Agents.WriteAsync(folder, metadata, ct).ConfigureAwait(false);

        var dimensions = await DimensionsWriter.WriteAsync(folder, dims, lookupMetadata, ct).ConfigureAwait(false);

        var files = new List<(string Name, long Rows, int RowGroups)>();
        var complete = tables.Select(t => t.Table).Append(calibrationTable);
        if (agentsTable is not null) complete = complete.Append(agentsTable);
        foreach (var table in complete)
        {
            ct.ThrowIfCancellationRequested();
            File.Move(table.TempPath, table.FinalPath, overwrite: true);
            published.Add(table.FinalPath);
            files.Add((Path.GetFileName(table.FinalPath), table.RowsWritten, table.RowGroups));
        }
        File.Move(dimensions.TempPath, dimensions.FinalPath, overwrite: true);
        published.Add(dimensions.FinalPath);
        files.Add((Path.GetFileName(dimensions.FinalPath), dimensions.Rows, 1));

        await AtomicFile.WriteTextAsync(Path.Combine(folder, RunJsonFileName), RunJson(files, timings), ct).ConfigureAwait(false);
        await AtomicFile.WriteTextAsync(Path.Combine(folder, ScenarioFileName), manifest.ResolvedScenarioYaml, ct).ConfigureAwait(false);
        await AtomicFile.WriteAsync(Path.Combine(folder, SuccessFileName), ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        completed = true;
    }

    /// <summary>
    /// Releases the files. If <see cref="CompleteAsync"/> did not finish, deletes the temporary files and anything
    /// already published, so an interrupted run leaves no Parquet that looks complete.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in tables)
        {
            if (t.Table is not null) await t.Table.DisposeAsync().ConfigureAwait(false);
        }
        if (completed) return;
        AtomicFile.TryDelete(Path.Combine(folder, ParquetTable.TempName("calibration")));
        AtomicFile.TryDelete(Path.Combine(folder, ParquetTable.TempName(AgentSnapshotRecorder.TableName)));
        AtomicFile.TryDelete(Path.Combine(folder, ParquetTable.TempName(DimensionsWriter.Name)));
        foreach (var path in published) AtomicFile.TryDelete(path);
        foreach (var name in new[] { RunJsonFileName, ScenarioFileName }) AtomicFile.TryDelete(Path.Combine(folder, name));
    }

    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (completed) throw new InvalidOperationException("The run output is already complete.");
    }

    /// <summary>Key-value metadata of every file; deliberately free of timestamps so identical runs give identical bytes.</summary>
    internal static IReadOnlyDictionary<string, string> BuildMetadata(RunManifest m) => new Dictionary<string, string>
    {
        ["marketsim.version"] = m.ProgramVersion,
        [ScenarioKey] = m.ResolvedScenarioYaml,
        ["marketsim.scenario_name"] = m.ScenarioName,
        ["marketsim.scenario_sha256"] = m.ScenarioSha256,
        ["marketsim.seed"] = m.Seed.ToString(CultureInfo.InvariantCulture),
        ["marketsim.agents"] = m.Agents.ToString(CultureInfo.InvariantCulture),
        ["marketsim.people_per_agent"] = m.PeoplePerAgent.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.replication"] = m.Replication.ToString(CultureInfo.InvariantCulture),
        ["marketsim.schema_version"] = SchemaVersion,
        ["marketsim.units"] = UnitsDescription,
    };

    /// <summary>
    /// The metadata of the small tables (calibration.parquet, dimensions.parquet): every key but the resolved scenario,
    /// which is 17 KB at the default scenario, more than the tables' rows (4.8 KB and 1.1 KB in DuckDB's ZSTD rewrite).
    /// They keep its name and SHA-256, which match scenario.resolved.yaml and the per-step tables that carry it.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> LookupMetadata(IReadOnlyDictionary<string, string> all) =>
        all.Where(kv => kv.Key != ScenarioKey).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>The key of the resolved scenario YAML in the per-step tables' metadata.</summary>
    public const string ScenarioKey = "marketsim.scenario";

    private string RunJson(List<(string Name, long Rows, int RowGroups)> files, RunTimings t)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("schema_version", SchemaVersion);
            json.WriteString("program_version", manifest.ProgramVersion);
            json.WriteString("scenario_name", manifest.ScenarioName);
            json.WriteString("scenario_sha256", manifest.ScenarioSha256);
            json.WriteNumber("seed", manifest.Seed);
            json.WriteNumber("agents", manifest.Agents);
            WriteDouble(json, "people_per_agent", manifest.PeoplePerAgent);
            json.WriteNumber("replication", manifest.Replication);
            json.WriteNumber("steps", steps);
            json.WriteNumber("tiers", dims.Tiers);
            json.WriteNumber("platforms", dims.Platforms);
            json.WriteNumber("step_days", dims.StepDays);
            json.WriteString("units", UnitsDescription);
            json.WriteStartObject("timings");
            WriteDouble(json, "initialise_seconds", t.InitialiseSeconds);
            WriteDouble(json, "step_seconds", t.StepSeconds);
            WriteDouble(json, "aggregate_seconds", t.AggregateSeconds);
            WriteDouble(json, "write_seconds", t.WriteSeconds);
            WriteDouble(json, "chart_seconds", t.ChartSeconds);
            WriteDouble(json, "total_seconds", t.TotalSeconds);
            json.WriteNumber("threads", t.Threads);
            WriteDouble(json, "agent_steps_per_second", t.AgentStepsPerSecond);
            json.WriteString("started_utc", Utc(t.StartedUtc));
            json.WriteString("finished_utc", Utc(t.FinishedUtc));
            json.WriteEndObject();
            json.WriteStartArray("files");
            foreach (var (name, rows, groups) in files)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteNumber("rows", rows);
                json.WriteNumber("row_groups", groups);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>JSON has no NaN or infinity; a broken timing must not fail an otherwise complete run.</summary>
    private static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
