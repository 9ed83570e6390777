using System.Globalization;
using MarketSim.Output;

namespace MarketSim.Compare;

/// <summary>
/// attribution.parquet: one row per metric × platform × clause (then total, not_attributed, scenario_minus_baseline),
/// means over replications with 95 % intervals; written with the project's Parquet options.
/// </summary>
public static class AttributionFile
{
    /// <summary>File name in the comparison folder.</summary>
    public const string FileName = "attribution.parquet";

    // A row, the replications it is over (per draw under a posterior) and the draws (the same for every row).
    private static readonly OneShotTable<(AttributionRow Row, int Replications, int Draws)> Table = new OneShotTable<(AttributionRow Row, int Replications, int Draws)>()
        .StringColumn("metric", x => x.Row.Metric)
        .StringColumn("platform", x => x.Row.Platform)
        .StringColumn("clause", x => x.Row.Clause)
        .DoubleColumn("mean", x => x.Row.Mean)
        .NullableDoubleColumn("sd", x => x.Row.Sd)
        .NullableDoubleColumn("ci_low", x => x.Row.Low)
        .NullableDoubleColumn("ci_high", x => x.Row.High)
        .IntColumn("replications", x => x.Replications)
        .IntColumn("draws", x => x.Draws)
        .NullableDoubleColumn("parameter_share", x => x.Row.ParameterShare);

    /// <summary>Publishes the file (<see cref="AtomicFile"/>).</summary>
    public static Task WriteAsync(string folder, Attribution attribution, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        int perDraw = attribution.Draws > 0 ? attribution.Replications / attribution.Draws : attribution.Replications;
        var rows = attribution.Rows().Select(r => (r, perDraw, attribution.Draws)).ToList();
        var meta = new Dictionary<string, string>(metadata)
        {
            ["marketsim.kind"] = "attribution",
            ["marketsim.clauses"] = string.Join(",", attribution.Clauses),
            ["marketsim.attribution_runs"] = ((1 << attribution.Clauses.Count) * attribution.Replications).ToString(CultureInfo.InvariantCulture),
        };
        return Table.WriteAsync(Path.Combine(folder, FileName), rows, meta, ct);
    }

    /// <summary>Reads the rows back (for tests and tools).</summary>
    public static async Task<IReadOnlyList<AttributionRow>> ReadAsync(string path, CancellationToken ct = default)
    {
        var t = await Table.ReadAsync(path, ct);
        var (metric, platform, clause) = (t.Get<string?>("metric"), t.Get<string?>("platform"), t.Get<string?>("clause"));
        var (mean, sd, low, high) = (t.Get<double>("mean"), t.Get<double?>("sd"), t.Get<double?>("ci_low"), t.Get<double?>("ci_high"));
        var share = t.Get<double?>("parameter_share");
        return Enumerable.Range(0, t.Rows).Select(i => new AttributionRow(metric[i]!, platform[i]!, clause[i]!, mean[i], sd[i], low[i], high[i], share[i])).ToList();
    }
}
