using MarketSim.Model;
using MarketSim.Engine;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>
/// Writes dimensions.parquet: one row per tier and per platform with its id, display name, order in the scenario and
/// (platforms) chart colour, so readers can label, order and colour results without the scenario file
/// (<c>JOIN … ON kind = 'platform' AND id = platform ORDER BY "order"</c>).
/// </summary>
internal static class DimensionsWriter
{
    public const string Name = "dimensions";

    private static readonly DataField[] Fields =
    [
        new DataField<string>("kind", nullable: false),
        new DataField<string>("id", nullable: false),
        new DataField<string>("name", nullable: false),
        new DataField<int>("order"),
        new DataField<string>("colour", nullable: true),
    ];

    /// <summary>Writes the file under its hidden temporary name; the caller renames it with the other tables.</summary>
    public static async Task<(string TempPath, string FinalPath, int Rows)> WriteAsync(string folder, ModelDimensions dims,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var kind = new List<string?>();
        var id = new List<string?>();
        var name = new List<string?>();
        var order = new List<int>();
        var colour = new List<string?>();
        for (int t = 0; t < dims.Tiers; t++)
        {
            kind.Add("tier"); id.Add(dims.TierIds[t]); name.Add(dims.TierNames[t]); order.Add(t); colour.Add(null);
        }
        for (int p = 0; p < dims.Platforms; p++)
        {
            kind.Add("platform"); id.Add(dims.PlatformIds[p]); name.Add(dims.PlatformNames[p]); order.Add(p);
            colour.Add(dims.PlatformColors[p]);
        }
        string temp = Path.Combine(folder, ParquetTable.TempName(Name)), final = Path.Combine(folder, Name + ".parquet");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Fields), stream, ParquetDefaults.Options(Fields),
                                 append: false, ct).ConfigureAwait(false))
                {
                    writer.CustomMetadata = new Dictionary<string, string>(metadata);
                    using var group = writer.CreateRowGroup();
                    await group.WriteAsync(Fields[0], kind).ConfigureAwait(false);
                    await group.WriteAsync(Fields[1], id).ConfigureAwait(false);
                    await group.WriteAsync(Fields[2], name).ConfigureAwait(false);
                    await group.WriteAsync<int>(Fields[3], order.ToArray(), null, null, ct).ConfigureAwait(false);
                    await group.WriteAsync(Fields[4], colour).ConfigureAwait(false);
                    group.CompleteValidate();
                }
                stream.Flush(flushToDisk: true);
            }
            return (temp, final, kind.Count);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }
}
