using Parquet;
using Parquet.Schema;

namespace MarketSim.Output;

/// <summary>
/// One column of a <see cref="OneShotTable{TRow}"/>: its Parquet field, how a row's value is taken when writing and how
/// the column is read back. Made by the table's column methods (<see cref="OneShotTable{TRow}.IntColumn"/>, …), so each column is
/// spelled once: name, type and getter on one line.
/// </summary>
/// <typeparam name="TRow">What one row is made from.</typeparam>
public abstract class TableColumn<TRow>
{
    private protected TableColumn(DataField field) => Field = field;

    /// <summary>The Parquet field (name, type, nullability).</summary>
    public DataField Field { get; }

    internal abstract Task WriteAsync(ParquetRowGroupWriter group, IEnumerable<TRow> rows, CancellationToken ct);

    internal abstract Task<Array> ReadAsync(RowGroupColumns columns);
}

/// <summary>
/// A Parquet table written whole in one go (comparisons, totals, attribution, sweep and calibration tables, dimensions):
/// the schema is a list of columns, each a name, a type and a getter over the rows; the file is one row group with the
/// project's writer options (<see cref="ParquetDefaults"/>), the given key-value metadata, published atomically
/// (<see cref="AtomicFile"/>), and read back by the same definition. Column order, types and write calls are those the
/// hand-written writers used, so the bytes are the same.
/// </summary>
/// <typeparam name="TRow">What one row is made from.</typeparam>
public sealed class OneShotTable<TRow>
{
    private readonly List<TableColumn<TRow>> columns = [];

    /// <summary>The schema's fields, in file order.</summary>
    public IReadOnlyList<DataField> Fields => [.. columns.Select(c => c.Field)];

    /// <summary>Appends a column; the table, so that columns are declared in a chain in file order.</summary>
    public OneShotTable<TRow> Add(TableColumn<TRow> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        columns.Add(column);
        return this;
    }

    /// <summary>
    /// Writes the rows to <paramref name="stream"/> as one row group (the caller publishes it).
    /// </summary>
    public Task WriteAsync(Stream stream, IReadOnlyList<TRow> rows, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default) =>
        WriteAsync(stream, rows, metadata, int.MaxValue, ct);

    /// <summary>Writes the rows to <paramref name="stream"/> in row groups of <paramref name="rowsPerGroup"/> rows.</summary>
    public async Task WriteAsync(Stream stream, IReadOnlyList<TRow> rows, IReadOnlyDictionary<string, string> metadata, int rowsPerGroup,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerGroup, 1);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Fields.ToArray()), stream, ParquetDefaults.Options(Fields),
            append: false, ct).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string>(metadata);
        for (int first = 0; first == 0 || first < rows.Count; first += rowsPerGroup)
        {
            int count = Math.Min(rowsPerGroup, rows.Count - first);
            using var group = writer.CreateRowGroup();
            foreach (var column in columns) await column.WriteAsync(group, rows.Skip(first).Take(count), ct).ConfigureAwait(false);
            group.CompleteValidate();
            if (count == 0) break;
        }
    }

    /// <summary>Publishes the rows at <paramref name="path"/> whole or not at all (<see cref="AtomicFile"/>).</summary>
    public Task WriteAsync(string path, IReadOnlyList<TRow> rows, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default) =>
        WriteAsync(path, rows, metadata, int.MaxValue, ct);

    /// <summary>Publishes the rows at <paramref name="path"/> in row groups of <paramref name="rowsPerGroup"/> rows.</summary>
    public Task WriteAsync(string path, IReadOnlyList<TRow> rows, IReadOnlyDictionary<string, string> metadata, int rowsPerGroup,
        CancellationToken ct = default) =>
        AtomicFile.WriteAsync(path, (stream, token) => WriteAsync(stream, rows, metadata, rowsPerGroup, token), ct);

    /// <summary>Reads a file of this table back: each column's values (all row groups) by name, and the metadata.</summary>
    public async Task<TableContents> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true }, ct)
            .ConfigureAwait(false);
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
        var parts = columns.Select(_ => new List<Array>()).ToArray();
        int rows = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var columns = new RowGroupColumns(group, fields, ct);
            rows += columns.Rows;
            for (int c = 0; c < this.columns.Count; c++) parts[c].Add(await this.columns[c].ReadAsync(columns).ConfigureAwait(false));
        }
        var values = new Dictionary<string, Array>();
        for (int c = 0; c < columns.Count; c++)
        {
            var whole = Array.CreateInstance(parts[c].Count > 0 ? parts[c][0].GetType().GetElementType()! : typeof(object), rows);
            int at = 0;
            foreach (var part in parts[c])
            {
                Array.Copy(part, 0, whole, at, part.Length);
                at += part.Length;
            }
            values[columns[c].Field.Name] = whole;
        }
        return new TableContents(rows, values, new Dictionary<string, string>(reader.CustomMetadata));
    }

    /// <summary>A required INT32 column.</summary>
    public OneShotTable<TRow> IntColumn(string name, Func<TRow, int> get) => Add(new ValueCol<int>(new DataField<int>(name), get));

    /// <summary>A required INT64 column.</summary>
    public OneShotTable<TRow> LongColumn(string name, Func<TRow, long> get) => Add(new ValueCol<long>(new DataField<long>(name), get));

    /// <summary>A required unsigned INT64 column.</summary>
    public OneShotTable<TRow> ULongColumn(string name, Func<TRow, ulong> get) => Add(new ValueCol<ulong>(new DataField<ulong>(name), get));

    /// <summary>A required DOUBLE column.</summary>
    public OneShotTable<TRow> DoubleColumn(string name, Func<TRow, double> get) => Add(new ValueCol<double>(new DataField<double>(name), get));

    /// <summary>A required BOOLEAN column.</summary>
    public OneShotTable<TRow> BoolColumn(string name, Func<TRow, bool> get) => Add(new ValueCol<bool>(new DataField<bool>(name), get));

    /// <summary>A required DATE column.</summary>
    public OneShotTable<TRow> DateColumn(string name, Func<TRow, DateOnly> get) => Add(new ValueCol<DateOnly>(new DataField<DateOnly>(name), get));

    /// <summary>An optional DOUBLE column (NULL for a value that does not exist).</summary>
    public OneShotTable<TRow> NullableDoubleColumn(string name, Func<TRow, double?> get) =>
        Add(new NullableCol<double>(new DataField<double?>(name), get));

    /// <summary>An optional INT32 column.</summary>
    public OneShotTable<TRow> NullableIntColumn(string name, Func<TRow, int?> get) => Add(new NullableCol<int>(new DataField<int?>(name), get));

    /// <summary>An optional BOOLEAN column.</summary>
    public OneShotTable<TRow> NullableBoolColumn(string name, Func<TRow, bool?> get) => Add(new NullableCol<bool>(new DataField<bool?>(name), get));

    /// <summary>A required string column (dictionary-encoded).</summary>
    public OneShotTable<TRow> StringColumn(string name, Func<TRow, string> get) =>
        Add(new StringCol(new DataField<string>(name, nullable: false), get));

    /// <summary>An optional string column (NULL allowed).</summary>
    public OneShotTable<TRow> NullableStringColumn(string name, Func<TRow, string?> get) =>
        Add(new StringCol(new DataField<string>(name, nullable: true), get));

    private sealed class ValueCol<T>(DataField field, Func<TRow, T> get) : TableColumn<TRow>(field) where T : struct
    {
        internal override Task WriteAsync(ParquetRowGroupWriter group, IEnumerable<TRow> rows, CancellationToken ct) =>
            group.WriteAsync<T>(Field, rows.Select(get).ToArray(), null, null, ct);

        internal override async Task<Array> ReadAsync(RowGroupColumns columns) => await columns.Read<T>(Field.Name).ConfigureAwait(false);
    }

    private sealed class NullableCol<T>(DataField field, Func<TRow, T?> get) : TableColumn<TRow>(field) where T : struct
    {
        internal override Task WriteAsync(ParquetRowGroupWriter group, IEnumerable<TRow> rows, CancellationToken ct) =>
            group.WriteAsync<T>(Field, rows.Select(get).ToArray(), null, null, ct);

        internal override async Task<Array> ReadAsync(RowGroupColumns columns) => await columns.ReadNullable<T>(Field.Name).ConfigureAwait(false);
    }

    private sealed class StringCol(DataField field, Func<TRow, string?> get) : TableColumn<TRow>(field)
    {
        // Required strings go in as character memory, optional ones through the string overload (which takes nulls):
        // the calls the hand-written writers made.
        internal override Task WriteAsync(ParquetRowGroupWriter group, IEnumerable<TRow> rows, CancellationToken ct) =>
            Field.IsNullable
                ? group.WriteAsync(Field, rows.Select(get).ToArray())
                : group.WriteAsync<ReadOnlyMemory<char>>(Field, rows.Select(r => get(r)!.AsMemory()).ToArray(), null, null, ct);

        internal override async Task<Array> ReadAsync(RowGroupColumns columns) => await columns.ReadString(Field.Name).ConfigureAwait(false);
    }
}

/// <summary>A one-shot table read back: its rows' column values by name and its key-value metadata.</summary>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Columns">Each column's values, as the column's type (nullable for optional columns, strings as string?).</param>
/// <param name="Metadata">The file's key-value metadata.</param>
public sealed record TableContents(int Rows, IReadOnlyDictionary<string, Array> Columns, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The values of a column.</summary>
    public T[] Get<T>(string name) => (T[])Columns[name];
}
