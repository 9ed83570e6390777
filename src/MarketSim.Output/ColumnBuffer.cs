using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>One column of a row group being assembled; typed so that flushing needs no boxing or conversion.</summary>
internal abstract class ColumnBuffer(DataField field)
{
    public DataField Field { get; } = field;

    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken ct);

    /// <summary>Grows the buffer (at least doubling) so it holds <paramref name="rows"/> rows, keeping its contents.</summary>
    public abstract void EnsureCapacity(int rows);
}

/// <summary>
/// An array holding one row group's values, grown as rows arrive up to the row-group size and reused for every row
/// group, so output memory is bounded by one row group however many steps a run has. The subclasses differ only in
/// how Parquet.Net is asked to write the values.
/// </summary>
internal abstract class ArrayColumnBuffer<TValue>(DataField field, int capacity) : ColumnBuffer(field)
{
    public TValue[] Values { get; private set; } = new TValue[capacity];

    public override void EnsureCapacity(int rows)
    {
        if (rows <= Values.Length) return;
        var grown = Values;
        Array.Resize(ref grown, Math.Max(rows, 2 * Values.Length));
        Values = grown;
    }
}

/// <summary>A required column of a value type.</summary>
internal sealed class ColumnBuffer<T>(DataField field, int capacity) : ArrayColumnBuffer<T>(field, capacity) where T : struct
{
    public override async Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken ct) =>
        await rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T>(Values, 0, count), null, null, ct).ConfigureAwait(false);
}

/// <summary>A nullable column of a value type: <c>null</c> is written as a Parquet NULL.</summary>
internal sealed class NullableColumnBuffer<T>(DataField field, int capacity) : ArrayColumnBuffer<T?>(field, capacity) where T : struct
{
    public override async Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken ct) =>
        await rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(Values, 0, count), null, null, ct).ConfigureAwait(false);
}

/// <summary>
/// A nullable string column. Parquet.Net writes a null <see cref="ReadOnlyMemory{T}"/> of chars as an empty string, not
/// as NULL, so nullable strings go through its string overload (entries are shared id strings: nothing per row).
/// </summary>
internal sealed class NullableStringBuffer(DataField field, int capacity) : ArrayColumnBuffer<string?>(field, capacity)
{
    public override async Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken ct) =>
        await rowGroup.WriteAsync(Field, new ArraySegment<string>(Values!, 0, count), null).ConfigureAwait(false);
}
