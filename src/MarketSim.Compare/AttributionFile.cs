using MarketSim.Output;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Compare;

/// <summary>
/// attribution.parquet: one row per metric × platform × clause (then total, not_attributed, scenario_minus_baseline),
/// means over replications with 95 % intervals; written with the project's Parquet options.
/// </summary>
public static class AttributionFile
{
    /// <summary>File name in the comparison folder.</summary>
    public const string FileName = "attribution.parquet";

    /// <summary>Publishes the file (<see cref="AtomicFile"/>).</summary>
    public static async Task WriteAsync(string folder, Attribution attribution, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        var rows = attribution.Rows();
        var metric = new DataField<string>("metric", nullable: false);
        var platform = new DataField<string>("platform", nullable: false);
        var clause = new DataField<string>("clause", nullable: false);
        var mean = new DataField<double>("mean");
        var sd = new DataField<double?>("sd");
        var low = new DataField<double?>("ci_low");
        var high = new DataField<double?>("ci_high");
        var reps = new DataField<int>("replications");
        var fields = new DataField[] { metric, platform, clause, mean, sd, low, high, reps };
        string path = Path.Combine(folder, FileName);
        await AtomicFile.WriteAsync(path, async (stream, _) =>
        {
            await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, ParquetDefaults.Options(fields), append: false, ct))
            {
                writer.CustomMetadata = new Dictionary<string, string>(metadata)
                {
                    ["marketsim.kind"] = "attribution",
                    ["marketsim.clauses"] = string.Join(",", attribution.Clauses),
                    ["marketsim.attribution_runs"] = ((1 << attribution.Clauses.Count) * attribution.Replications).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                using var g = writer.CreateRowGroup();
                await g.WriteAsync<ReadOnlyMemory<char>>(metric, rows.Select(r => r.Metric.AsMemory()).ToArray(), null, null, ct);
                await g.WriteAsync<ReadOnlyMemory<char>>(platform, rows.Select(r => r.Platform.AsMemory()).ToArray(), null, null, ct);
                await g.WriteAsync<ReadOnlyMemory<char>>(clause, rows.Select(r => r.Clause.AsMemory()).ToArray(), null, null, ct);
                await g.WriteAsync<double>(mean, rows.Select(r => r.Mean).ToArray(), null, null, ct);
                await g.WriteAsync<double>(sd, rows.Select(r => r.Sd).ToArray().AsMemory(), null, null, ct);
                await g.WriteAsync<double>(low, rows.Select(r => r.Low).ToArray().AsMemory(), null, null, ct);
                await g.WriteAsync<double>(high, rows.Select(r => r.High).ToArray().AsMemory(), null, null, ct);
                await g.WriteAsync<int>(reps, rows.Select(r => attribution.Replications).ToArray(), null, null, ct);
                g.CompleteValidate();
            }
        }, ct);
    }

    /// <summary>Reads attribution.parquet back (tests and small tools).</summary>
    public static async Task<IReadOnlyList<AttributionRow>> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        var rg = reader.OpenRowGroupReader(0);
        int n = (int)rg.RowCount;
        var f = reader.Schema.DataFields.ToDictionary(d => d.Name);
        var metric = new string?[n];
        var platform = new string?[n];
        var clause = new string?[n];
        var mean = new double[n];
        var sd = new double?[n];
        var low = new double?[n];
        var high = new double?[n];
        await rg.ReadAsync(f["metric"], metric.AsMemory(), null, ct);
        await rg.ReadAsync(f["platform"], platform.AsMemory(), null, ct);
        await rg.ReadAsync(f["clause"], clause.AsMemory(), null, ct);
        await rg.ReadAsync<double>(f["mean"], mean.AsMemory(), null, ct);
        await rg.ReadAsync<double>(f["sd"], sd.AsMemory(), null, ct);
        await rg.ReadAsync<double>(f["ci_low"], low.AsMemory(), null, ct);
        await rg.ReadAsync<double>(f["ci_high"], high.AsMemory(), null, ct);
        return Enumerable.Range(0, n).Select(i => new AttributionRow(metric[i]!, platform[i]!, clause[i]!, mean[i], sd[i], low[i], high[i])).ToList();
    }
}
