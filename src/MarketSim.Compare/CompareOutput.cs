using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MarketSim.Output;

namespace MarketSim.Compare;

/// <summary>Timings of a comparison, for compare.json only (never in the Parquet file or the report).</summary>
/// <param name="SimulateSeconds">Running the 2R simulations.</param>
/// <param name="StatisticsSeconds">Computing the differences.</param>
/// <param name="ReportSeconds">Charts and report text.</param>
/// <param name="TotalSeconds">Everything, loading included.</param>
/// <param name="ConcurrentRuns">Simulations run at once.</param>
/// <param name="ThreadsPerRun">Threads of each simulation.</param>
/// <param name="AgentSteps">Agent-steps simulated in all runs.</param>
/// <param name="StartedUtc">Start.</param>
/// <param name="FinishedUtc">End.</param>
public sealed record CompareTimings(double SimulateSeconds, double StatisticsSeconds, double ReportSeconds, double TotalSeconds,
    int ConcurrentRuns, int ThreadsPerRun, long AgentSteps, DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc);

/// <summary>
/// Publishes a comparison folder: comparison.parquet, the charts, report.md, report.html and compare.json, each
/// through a hidden temporary file and a rename, then <c>_SUCCESS</c> last.
/// </summary>
public static class CompareOutput
{
    /// <summary>Marker written last.</summary>
    public const string SuccessFileName = "_SUCCESS";

    /// <summary>Markdown report.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>Self-contained HTML report.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>Run description with timings.</summary>
    public const string JsonFileName = "compare.json";

    /// <summary>Every file a comparison may write, so a rerun into the same folder removes a previous one's first.</summary>
    public static IReadOnlyList<string> KnownFiles { get; } =
    [
        ComparisonFile.FileName, TotalsFile.FileName, ReplicationsFile.FileName, MarkdownFileName, HtmlFileName, JsonFileName, "annual_active_difference.png", "annual_active_difference_by_tier.png",
        "primary_share_difference.png", "difference_by_tier.png", "net_switching.png", AttributionFile.FileName,
    ];

    /// <summary>Default folder: output/compare/&lt;scenario&gt;-vs-&lt;baseline&gt;/&lt;UTC time&gt;-&lt;hash of both scenarios&gt;.</summary>
    public static string DefaultFolder(string root, CompareManifest manifest, DateTime utcNow)
    {
        string key = $"{manifest.ScenarioSha256}/{manifest.BaselineSha256}/{manifest.Replications}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
        string parent = Path.GetFullPath(Path.Combine(root, "output", "compare", $"{manifest.ScenarioName}-vs-{manifest.BaselineName}"));
        string stem = $"{utcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{hash}";
        string folder = Path.Combine(parent, stem);
        for (int n = 2; Directory.Exists(folder); n++) folder = Path.Combine(parent, $"{stem}-{n.ToString(CultureInfo.InvariantCulture)}");
        return folder;
    }

    /// <summary>Creates the folder and removes a previous comparison's files, so a half-rewritten folder never looks complete.</summary>
    public static void Prepare(string folder)
    {
        Directory.CreateDirectory(folder);
        TryDelete(Path.Combine(folder, SuccessFileName));
        foreach (var name in KnownFiles) TryDelete(Path.Combine(folder, name));
    }

    /// <summary>
    /// Writes everything, <c>_SUCCESS</c> last; with <paramref name="runs"/>, also the per-replication values
    /// (replications.parquet). Returns the files written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string folder, ComparisonTable table, TotalsTable totals, CompareManifest manifest,
        CompareReportOutput report, Func<IReadOnlyList<string>, CompareTimings> timings, CompareRuns? runs = null, CancellationToken ct = default)
    {
        var written = new List<string>();
        try
        {
            string parquet = Path.Combine(folder, ComparisonFile.FileName);
            await ComparisonFile.WriteAsync(parquet, table, manifest.Metadata(table.FirstDifferentStep, table.Dates), ct);
            written.Add(ComparisonFile.FileName);
            await TotalsFile.WriteAsync(Path.Combine(folder, TotalsFile.FileName), totals, manifest.Metadata(table.FirstDifferentStep, table.Dates), ct);
            written.Add(TotalsFile.FileName);
            if (runs is not null)
            {
                await ReplicationsFile.WriteAsync(Path.Combine(folder, ReplicationsFile.FileName), table, runs, manifest.Seeds,
                    manifest.Metadata(table.FirstDifferentStep, table.Dates), ct);
                written.Add(ReplicationsFile.FileName);
            }
            foreach (var chart in report.Charts)
            {
                ct.ThrowIfCancellationRequested();
                AtomicFile.Write(Path.Combine(folder, chart.FileName), chart.Png);
                written.Add(chart.FileName);
            }
            AtomicFile.Write(Path.Combine(folder, MarkdownFileName), Encoding.UTF8.GetBytes(report.Markdown));
            written.Add(MarkdownFileName);
            AtomicFile.Write(Path.Combine(folder, HtmlFileName), Encoding.UTF8.GetBytes(report.Html));
            written.Add(HtmlFileName);
            AtomicFile.Write(Path.Combine(folder, JsonFileName), Json(table, manifest, timings([.. written, JsonFileName]), [.. written, JsonFileName]));
            written.Add(JsonFileName);
            ct.ThrowIfCancellationRequested();
            AtomicFile.Write(Path.Combine(folder, SuccessFileName), []);
            written.Add(SuccessFileName);
            return written;
        }
        catch
        {
            foreach (var name in written) TryDelete(Path.Combine(folder, name));
            throw;
        }
    }

    private static byte[] Json(ComparisonTable table, CompareManifest m, CompareTimings t, IReadOnlyList<string> files)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema_version", CompareManifest.SchemaVersion);
            w.WriteString("program_version", m.ProgramVersion);
            w.WriteString("scenario_name", m.ScenarioName);
            w.WriteString("scenario_sha256", m.ScenarioSha256);
            w.WriteString("baseline_name", m.BaselineName);
            w.WriteString("baseline_sha256", m.BaselineSha256);
            w.WriteNumber("replications", m.ReplicationsPerDraw);
            w.WriteStartArray("seeds");
            foreach (var s in m.Seeds) w.WriteNumberValue(s);
            w.WriteEndArray();
            if (m.Draws > 0)
            {
                // Seeds are in run order: run i is replication i mod R of draw i div R.
                w.WriteStartObject("posterior");
                w.WriteString("ensemble", m.Posterior);
                w.WriteNumber("draws", m.Draws);
                w.WriteStartArray("parameter_sets");
                foreach (var r in m.DrawRows!) w.WriteNumberValue(r);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteNumber("agents", m.Agents);
            w.WriteNumber("people_per_agent", m.ScenarioPeoplePerAgent);
            w.WriteNumber("steps", table.Dates.Length);
            w.WriteNumber("step_days", table.Dimensions.StepDays);
            if (table.FirstDifferentStep is { } k) w.WriteString("first_difference_date", table.Dates[k].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            else w.WriteNull("first_difference_date");
            w.WriteNumber("rows", table.Rows);
            w.WriteStartObject("timings");
            Number(w, "simulate_seconds", t.SimulateSeconds);
            Number(w, "statistics_seconds", t.StatisticsSeconds);
            Number(w, "report_seconds", t.ReportSeconds);
            Number(w, "total_seconds", t.TotalSeconds);
            w.WriteNumber("concurrent_runs", t.ConcurrentRuns);
            w.WriteNumber("threads_per_run", t.ThreadsPerRun);
            w.WriteNumber("agent_steps", t.AgentSteps);
            w.WriteString("started_utc", t.StartedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("finished_utc", t.FinishedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartArray("files");
            foreach (var f in files) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, 3));
        else w.WriteNull(name);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
