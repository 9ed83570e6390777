using System.IO.Compression;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>
/// Writer options every MarketSim Parquet file uses (runs, sweeps, comparisons), so that all files are written alike.
/// </summary>
public static class ParquetDefaults
{
    /// <summary>
    /// Options for a file with the given fields: Zstandard at level 3 (<see cref="CompressionLevel.Optimal"/> in
    /// Parquet.Net 6.1, which uses the managed ZstdSharp port), dictionary encoding for strings.
    /// Why Zstd at a fixed level: the bytes must be the same on every machine. Parquet.Net's Snappy codec picked
    /// different, equally valid matches with SSE4.2 disabled; ZstdSharp's output at a fixed level did not change with
    /// hardware intrinsics off, AVX2 off or AVX-512 off (RunCommandTests runs the program that way and compares bytes).
    /// Level 3 rather than 19 (SmallestSize): 19 was 1–7 % smaller on metrics and 25 % on flows, but compresses several
    /// times slower, which a sweep of many small runs pays per run. A table of mostly zeros (flows) passes
    /// <see cref="CompressionLevel.SmallestSize"/>: its runs of zeros compress fast even at level 19, and at level 3 it
    /// stayed 1.5× DuckDB's rewrite. Sizes against DuckDB's ZSTD rewrite: docs/output.md.
    /// </summary>
    public static ParquetOptions Options(IEnumerable<DataField> fields, CompressionLevel level = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = level };
        foreach (var field in fields)
            if (field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string))
                options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }
}
