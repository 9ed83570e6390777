using System.Text;
using MarketSim.Output;

namespace MarketSim.Analysis;

/// <summary>
/// Writes an analysis into <c>SWEEP_DIR/analysis/</c>: sensitivity.parquet, report.md, report.html, the charts and
/// <c>_SUCCESS</c>. Everything is written into a hidden folder first and swapped in whole, so the folder a reader sees is
/// always one complete analysis, and a killed analysis is simply run again.
/// </summary>
public static class AnalysisWriter
{
    /// <summary>Folder name inside the sweep folder.</summary>
    public const string FolderName = "analysis";

    /// <summary>The parquet file's name.</summary>
    public const string ParquetFileName = "sensitivity.parquet";

    /// <summary>Reads the sweep's summary, analyses it and writes the analysis folder; returns the report.</summary>
    public static async Task<AnalysisReportOutput> RunAsync(string sweepFolder, Sweeps.AnalysisOptions? options, string programVersion,
        CancellationToken ct = default)
    {
        var summary = await SweepSummary.ReadAsync(sweepFolder, ct).ConfigureAwait(false);
        var result = SweepAnalysis.Analyse(summary, options ?? summary.Options);
        ct.ThrowIfCancellationRequested();
        var report = AnalysisReport.Build(result, programVersion);
        string target = Path.Combine(sweepFolder, FolderName);
        string temp = Path.Combine(sweepFolder, $"_{FolderName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        string old = temp + ".old";
        try
        {
            Directory.CreateDirectory(temp);
            await SweepAnalysis.WriteParquetAsync(Path.Combine(temp, ParquetFileName), result, programVersion, ct).ConfigureAwait(false);
            foreach (var chart in report.Charts) AtomicFile.Write(Path.Combine(temp, chart.FileName), chart.Png);
            AtomicFile.Write(Path.Combine(temp, "report.md"), new UTF8Encoding(false).GetBytes(report.Markdown));
            AtomicFile.Write(Path.Combine(temp, "report.html"), new UTF8Encoding(false).GetBytes(report.Html));
            AtomicFile.Write(Path.Combine(temp, "_SUCCESS"), []);
            ct.ThrowIfCancellationRequested();
            if (Directory.Exists(target)) Directory.Move(target, old);
            Directory.Move(temp, target);
        }
        finally
        {
            TryDelete(temp);
            TryDelete(old);
        }
        return report;
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
