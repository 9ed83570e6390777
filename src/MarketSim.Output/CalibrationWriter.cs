using MarketSim.Calibration;

namespace MarketSim.Output;

/// <summary>Writes calibration.parquet in one row group: it has a few dozen rows known only at the end of a run.</summary>
internal static class CalibrationWriter
{
    /// <summary>Column names in schema order (docs/output.md).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "target", "period_start", "period_end", "platform", "with_platform", "tiers", "metric", "unit", "reported", "simulated",
        "relative_error", "tolerance", "within_tolerance", "weight", "in_sample", "source",
    ];

    public static async Task<ParquetTable> WriteAsync(string folder, IReadOnlyList<CalibrationRow> rows,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        int n = rows.Count;
        var target = Col.Int("target", n);
        // A level is a period of one day (start = end), so the column needs no NULL and every row reads as a period.
        var start = Col.Date("period_start", n);
        // period_end, not date: in the step tables date is a step's first day; a published figure is for a period ending here.
        var date = Col.Date("period_end", n);
        var platform = Col.String("platform", n);
        var with = Col.String("with_platform", n);
        var tiers = Col.String("tiers", n);
        var metric = Col.String("metric", n);
        var unit = Col.String("unit", n);
        var reported = Col.Double("reported", n);
        var simulated = Col.Double("simulated", n);
        var error = Col.Double("relative_error", n);
        var tolerance = Col.Double("tolerance", n);
        var within = Col.Bool("within_tolerance", n);
        var weight = Col.Double("weight", n);
        var inSample = Col.Bool("in_sample", n);
        var source = Col.String("source", n);
        for (int i = 0; i < n; i++)
        {
            var r = rows[i];
            target.Values[i] = r.Target;
            start.Values[i] = r.PeriodStart ?? r.Date;
            date.Values[i] = r.Date;
            platform.Values[i] = r.Platform.AsMemory();
            with.Values[i] = r.With.AsMemory();
            tiers.Values[i] = r.Tiers.AsMemory();
            metric.Values[i] = r.Metric.AsMemory();
            unit.Values[i] = r.Unit.AsMemory();
            reported.Values[i] = r.Reported;
            simulated.Values[i] = r.Simulated;
            error.Values[i] = r.RelativeError;
            tolerance.Values[i] = r.Tolerance;
            within.Values[i] = r.WithinTolerance;
            weight.Values[i] = r.Weight;
            inSample.Values[i] = r.InSample;
            source.Values[i] = r.Source.AsMemory();
        }
        var table = await ParquetTable.CreateAsync(folder, "calibration",
            [target, start, date, platform, with, tiers, metric, unit, reported, simulated, error, tolerance, within, weight, inSample, source],
            n, metadata, ct).ConfigureAwait(false);
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
