using MarketSim.Output;

namespace MarketSim.Compare;

/// <summary>Writes and reads totals.parquet (schema: docs/compare.md).</summary>
public static class TotalsFile
{
    /// <summary>File name in a comparison folder.</summary>
    public const string FileName = "totals.parquet";

    // One row: the table and a row index into its columns.
    private static readonly OneShotTable<(TotalsTable T, int I)> Table = new OneShotTable<(TotalsTable T, int I)>()
        .StringColumn("period", x => x.T.Periods[x.T.Keys(x.I).Period].Id)
        .DateColumn("period_start", x => x.T.Periods[x.T.Keys(x.I).Period].Start)
        .DateColumn("period_end", x => x.T.Periods[x.T.Keys(x.I).Period].End)
        .IntColumn("steps", x => x.T.Periods[x.T.Keys(x.I).Period].Steps)
        .StringColumn("metric", x => x.T.Keys(x.I).Metric.Id)
        .StringColumn("unit", x => x.T.Keys(x.I).Metric.Unit)
        .StringColumn("tier", x => x.T.Keys(x.I).Tier is var t && t < x.T.Dimensions.Tiers ? x.T.Dimensions.TierIds[t] : ComparisonFile.AllTiers)
        .StringColumn("platform", x => x.T.Dimensions.PlatformIds[x.T.Keys(x.I).Platform])
        .DoubleColumn("scenario_total", x => x.T.ScenarioTotal[x.I])
        .DoubleColumn("baseline_total", x => x.T.BaselineTotal[x.I])
        .DoubleColumn("mean_difference", x => x.T.MeanDifference[x.I])
        .NullableDoubleColumn("sd_difference", x => x.T.SdDifference[x.I])
        .NullableDoubleColumn("ci_low", x => x.T.CiLow[x.I])
        .NullableDoubleColumn("ci_high", x => x.T.CiHigh[x.I])
        .NullableBoolColumn("significant", x => x.T.Significant[x.I])
        .IntColumn("replications", x => x.T.Replications)
        .IntColumn("draws", x => x.T.Draws)
        .NullableDoubleColumn("parameter_share", x => x.T.ParameterShare[x.I]);

    /// <summary>Publishes the table as one row group (<see cref="AtomicFile"/>).</summary>
    public static Task WriteAsync(string path, TotalsTable table, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = Enumerable.Range(0, table.Rows).Select(i => (table, i)).ToList();
        return Table.WriteAsync(path, rows, new Dictionary<string, string>(metadata) { ["marketsim.kind"] = "totals" }, ct);
    }

    /// <summary>One row of totals.parquet as read back.</summary>
    public sealed record Row(string Period, DateOnly PeriodStart, DateOnly PeriodEnd, int Steps, string Metric, string Unit, string Tier,
        string Platform, double ScenarioTotal, double BaselineTotal, double MeanDifference, double? SdDifference, double? CiLow,
        double? CiHigh, bool? Significant, int Replications, int Draws = 0, double? ParameterShare = null);

    /// <summary>Reads every row and the key-value metadata (for tests and tools).</summary>
    public static async Task<(IReadOnlyList<Row> Rows, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(string path,
        CancellationToken ct = default)
    {
        var t = await Table.ReadAsync(path, ct);
        var (period, start, end, steps) = (t.Get<string?>("period"), t.Get<DateOnly>("period_start"), t.Get<DateOnly>("period_end"), t.Get<int>("steps"));
        var (metric, unit, tier, platform) = (t.Get<string?>("metric"), t.Get<string?>("unit"), t.Get<string?>("tier"), t.Get<string?>("platform"));
        var (st, bt, md) = (t.Get<double>("scenario_total"), t.Get<double>("baseline_total"), t.Get<double>("mean_difference"));
        var (sd, lo, hi, sig) = (t.Get<double?>("sd_difference"), t.Get<double?>("ci_low"), t.Get<double?>("ci_high"), t.Get<bool?>("significant"));
        var (reps, draws, share) = (t.Get<int>("replications"), t.Get<int>("draws"), t.Get<double?>("parameter_share"));
        var rows = new List<Row>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
            rows.Add(new Row(period[i]!, start[i], end[i], steps[i], metric[i]!, unit[i]!, tier[i]!, platform[i]!, st[i], bt[i], md[i],
                sd[i], lo[i], hi[i], sig[i], reps[i], draws[i], share[i]));
        return (rows, t.Metadata);
    }
}
