using MarketSim.Engine;

namespace MarketSim.Output;

/// <summary>Writes calibration.parquet in one row group: it has a few dozen rows known only at the end of a run.</summary>
internal static class CalibrationWriter
{
    public static async Task<ParquetTable> WriteAsync(string folder, IReadOnlyList<CalibrationRow> rows,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        int n = rows.Count;
        // period_end, not date: in the step tables date is a step's first day; a published figure is for a period ending here.
        var date = Col.Date("period_end", n);
        var platform = Col.String("platform", n);
        var metric = Col.String("metric", n);
        var reported = Col.Double("reported_millions", n);
        var simulated = Col.Double("simulated_millions", n);
        var error = Col.Double("relative_error", n);
        var tolerance = Col.Double("tolerance", n);
        var within = Col.Bool("within_tolerance", n);
        var source = Col.String("source", n);
        for (int i = 0; i < n; i++)
        {
            var r = rows[i];
            date.Values[i] = r.Date;
            platform.Values[i] = r.Platform.AsMemory();
            metric.Values[i] = r.Metric.AsMemory();
            reported.Values[i] = r.ReportedMillions;
            simulated.Values[i] = r.SimulatedMillions;
            error.Values[i] = r.RelativeError;
            tolerance.Values[i] = r.Tolerance;
            within.Values[i] = r.WithinTolerance;
            source.Values[i] = r.Source.AsMemory();
        }
        var table = await ParquetTable.CreateAsync(folder, "calibration",
            [date, platform, metric, reported, simulated, error, tolerance, within, source], n, metadata, ct).ConfigureAwait(false);
        try
        {
            table.Advance(n);
            await table.CloseAsync(ct).ConfigureAwait(false);
            return table;
        }
        catch
        {
            await table.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
