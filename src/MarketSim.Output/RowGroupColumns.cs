using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>Reads whole columns of one row group by name: what the small read-back helpers of every table share.</summary>
/// <param name="rowGroup">The row group.</param>
/// <param name="fields">The file's data fields by name.</param>
/// <param name="ct">Cancels the reads.</param>
public sealed class RowGroupColumns(ParquetRowGroupReader rowGroup, IReadOnlyDictionary<string, DataField> fields, CancellationToken ct)
{
    /// <summary>Rows in the row group.</summary>
    public int Rows { get; } = checked((int)rowGroup.RowCount);

    /// <summary>A required column of values.</summary>
    public async Task<T[]> Read<T>(string name) where T : struct
    {
        var a = new T[Rows];
        await rowGroup.ReadAsync<T>(fields[name], a, null, ct).ConfigureAwait(false);
        return a;
    }

    /// <summary>An optional column of values (nulls kept).</summary>
    public async Task<T?[]> ReadNullable<T>(string name) where T : struct
    {
        var a = new T?[Rows];
        await rowGroup.ReadAsync<T>(fields[name], a, null, ct).ConfigureAwait(false);
        return a;
    }

    /// <summary>A string column.</summary>
    public async Task<string?[]> ReadString(string name)
    {
        var a = new string?[Rows];
        await rowGroup.ReadAsync(fields[name], a.AsMemory(), null, ct).ConfigureAwait(false);
        return a;
    }
}
