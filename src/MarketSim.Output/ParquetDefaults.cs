using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>
/// Writer options every MarketSim Parquet file uses (runs, sweeps, comparisons), so that all files are written alike.
/// </summary>
public static class ParquetDefaults
{
    /// <summary>
    /// Options for a file with the given fields: no compression, dictionary encoding for strings.
    /// Compression is off because Parquet.Net's Snappy codec chooses different (equally valid) matches depending on
    /// the CPU's instruction set: with SSE4.2 disabled the same rows compressed to other bytes, which breaks
    /// "same scenario and seed, identical files" across machines. Uncompressed output is identical everywhere, faster
    /// to write, and the files are small (dictionary-encoded ids, tens of rows per step).
    /// </summary>
    public static ParquetOptions Options(IEnumerable<DataField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.None };
        foreach (var field in fields)
            if (field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string))
                options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }
}
