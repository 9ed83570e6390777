using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>
/// One Parquet file being written under a hidden temporary name. Rows are appended into preallocated column buffers
/// by the caller and flushed as one row group at a time; nothing per row is allocated.
/// </summary>
internal sealed class ParquetTable : IAsyncDisposable
{
    private readonly FileStream stream;
    private readonly ParquetWriter writer;
    private readonly ColumnBuffer[] columns;
    private bool closed;

    private ParquetTable(string name, string tempPath, string finalPath, FileStream stream, ParquetWriter writer,
        ColumnBuffer[] columns, int capacity)
    {
        Name = name;
        TempPath = tempPath;
        FinalPath = finalPath;
        this.stream = stream;
        this.writer = writer;
        this.columns = columns;
        Capacity = capacity;
    }

    /// <summary>File name without extension, e.g. "metrics".</summary>
    public string Name { get; }

    public string TempPath { get; }

    public string FinalPath { get; }

    /// <summary>Rows the buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>Rows buffered and not yet flushed.</summary>
    public int Buffered { get; private set; }

    /// <summary>Rows flushed to the file.</summary>
    public long RowsWritten { get; private set; }

    public int RowGroups { get; private set; }

    /// <summary>Hidden name that pyarrow, Spark and DuckDB globs skip until the file is complete.</summary>
    public static string TempName(string name) => $".{name}.parquet.tmp";

    public static async Task<ParquetTable> CreateAsync(string folder, string name, ColumnBuffer[] columns, int capacity,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct, System.IO.Compression.CompressionLevel level = System.IO.Compression.CompressionLevel.Optimal)
    {
        string tempPath = Path.Combine(folder, TempName(name));
        string finalPath = Path.Combine(folder, name + ".parquet");
        var fields = columns.Select(c => c.Field).ToArray();
        var stream = new FileStream(tempPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: false);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, ParquetDefaults.Options(fields, level),
                append: false, ct).ConfigureAwait(false);
            writer.CustomMetadata = new Dictionary<string, string>(metadata);
            return new ParquetTable(name, tempPath, finalPath, stream, writer, columns, capacity);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            AtomicFile.TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>Makes room in every column for <paramref name="rows"/> rows after those buffered.</summary>
    public void Reserve(int rows)
    {
        if (Buffered + rows > Capacity) throw new InvalidOperationException($"{Name}: row buffer overflow.");
        foreach (var column in columns) column.EnsureCapacity(Buffered + rows);
    }

    /// <summary>Marks <paramref name="rows"/> more buffered rows as filled by the caller.</summary>
    public void Advance(int rows)
    {
        if (Buffered + rows > Capacity) throw new InvalidOperationException($"{Name}: row buffer overflow.");
        Buffered += rows;
    }

    /// <summary>Writes the buffered rows as one row group; columns in schema order as the writer requires.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (Buffered == 0) return;
        using (var rowGroup = writer.CreateRowGroup())
        {
            foreach (var column in columns)
                await column.WriteAsync(rowGroup, Buffered, ct).ConfigureAwait(false);
            rowGroup.CompleteValidate();
        }
        RowsWritten += Buffered;
        RowGroups++;
        Buffered = 0;
    }

    /// <summary>Flushes, writes the footer and forces the bytes to disk so the rename that follows publishes a whole file.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        if (closed) return;
        await FlushAsync(ct).ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
        await stream.DisposeAsync().ConfigureAwait(false);
        closed = true;
    }

    /// <summary>Closes without caring about the content and removes the temporary file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!closed)
        {
            closed = true;
            try { await writer.DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* the file is being discarded; a half-written row group may make the footer fail */ }
            // Disposing flushes the stream's buffer, which fails again on a full disk; the file is deleted either way.
            try { await stream.DisposeAsync().ConfigureAwait(false); }
            catch (IOException) { }
        }
        AtomicFile.TryDelete(TempPath);
    }
}
