using MarketSim.Model;

namespace MarketSim.Output;

/// <summary>
/// Writes dimensions.parquet: one row per tier and per platform with its id, display name, order in the scenario and
/// (platforms) chart colour, so readers can label, order and colour results without the scenario file
/// (<c>JOIN … ON kind = 'platform' AND id = platform ORDER BY "order"</c>).
/// </summary>
internal static class DimensionsWriter
{
    public const string Name = "dimensions";

    private static readonly OneShotTable<(string Kind, string Id, string Name, int Order, string? Colour)> Table =
        new OneShotTable<(string Kind, string Id, string Name, int Order, string? Colour)>()
            .StringColumn("kind", r => r.Kind)
            .StringColumn("id", r => r.Id)
            .StringColumn("name", r => r.Name)
            .IntColumn("order", r => r.Order)
            .NullableStringColumn("colour", r => r.Colour);

    public static async Task<(string TempPath, string FinalPath, int Rows)> WriteAsync(string folder, ModelDimensions dims,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var rows = new List<(string Kind, string Id, string Name, int Order, string? Colour)>();
        for (int t = 0; t < dims.Tiers; t++) rows.Add(("tier", dims.TierIds[t], dims.TierNames[t], t, null));
        for (int p = 0; p < dims.Platforms; p++) rows.Add(("platform", dims.PlatformIds[p], dims.PlatformNames[p], p, dims.PlatformColors[p]));
        string temp = Path.Combine(folder, ParquetTable.TempName(Name)), final = Path.Combine(folder, Name + ".parquet");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                await Table.WriteAsync(stream, rows, metadata, ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            return (temp, final, rows.Count);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }
}
