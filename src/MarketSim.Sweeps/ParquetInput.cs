using MarketSim.ScenarioFiles;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Sweeps;

/// <summary>A column a Parquet input must have, and the value types accepted for it (any of them).</summary>
/// <param name="Name">Column name.</param>
/// <param name="Types">Accepted CLR types of its values (e.g. <c>int</c> and <c>long</c> for a count).</param>
public sealed record ParquetColumnSpec(string Name, params Type[] Types);

/// <summary>A Parquet file the program reads is not what it must be; the message names the file and the column.</summary>
public sealed class ParquetInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParquetInputException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ParquetInputException() { }

    /// <summary>Creates the exception.</summary>
    public ParquetInputException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The input boundary for Parquet files the program reads back (a sweep's summary.parquet, and any table a person may
/// hand it): every file is checked against its definition before a value is used. The file must be a regular file within
/// <see cref="MaxBytes"/> (devices and FIFOs refused before opening), decode as Parquet (a damaged footer, a truncated or
/// foreign file is refused, whatever the decoder throws), have a flat schema without repeated or duplicated columns, at
/// most <see cref="MaxRows"/> rows in any number of row groups (other writers, e.g. DuckDB, split tables differently), and
/// the required columns with accepted types. Values are read across row groups; a null where a value is needed is
/// refused by the caller with <see cref="Problem(string, string)"/>. Every refusal is a <see cref="ParquetInputException"/>
/// whose message names the file (and the column).
/// </summary>
public sealed class ParquetInput : IAsyncDisposable
{
    /// <summary>Largest Parquet input accepted.</summary>
    public const long MaxBytes = 4L << 30;

    /// <summary>Most rows accepted: a sweep has at most 100 000 000 runs; a footer may claim any number.</summary>
    public const long MaxRows = 100_000_000;

    private readonly Stream stream;
    private readonly ParquetReader reader;
    private readonly Dictionary<string, DataField> fields;

    private ParquetInput(string path, Stream stream, ParquetReader reader, Dictionary<string, DataField> fields, long rows)
    {
        Path = path;
        this.stream = stream;
        this.reader = reader;
        this.fields = fields;
        Rows = rows;
    }

    /// <summary>The file, as messages name it.</summary>
    public string Path { get; }

    /// <summary>Rows over all row groups.</summary>
    public long Rows { get; }

    /// <summary>The file's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata => reader.CustomMetadata;

    /// <summary>True when the file has a column of this name.</summary>
    public bool Has(string column) => fields.ContainsKey(column);

    /// <summary>The value type of a column (nullable unwrapped), or null when there is none.</summary>
    public Type? TypeOf(string column) => fields.TryGetValue(column, out var f) ? ValueType(f) : null;

    /// <summary>A field's value type, text as <c>string</c> whichever way the writer declared it.</summary>
    private static Type ValueType(DataField f) => f.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : f.ClrType;

    /// <summary>An exception naming this file and <paramref name="column"/> (empty: the file as a whole).</summary>
    public ParquetInputException Problem(string column, string message) =>
        new(column.Length == 0 ? $"{Path}: {message}" : $"{Path}: column '{column}': {message}");

    /// <summary>Opens and checks <paramref name="path"/> against the columns it must have.</summary>
    /// <exception cref="ParquetInputException">The file is not a readable Parquet file of that definition.</exception>
    public static async Task<ParquetInput> OpenAsync(string path, IEnumerable<ParquetColumnSpec> required, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(required);
        if (InputFiles.CheckFile(path, MaxBytes) is { } fault) throw new ParquetInputException($"{path}: {fault.Message}");
        Stream? stream = null;
        ParquetReader? reader = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (FooterProblem(stream) is { } damaged)
                throw new ParquetInputException($"{path}: not a readable Parquet file (damaged, truncated or another format: {damaged})");
            stream.Position = 0;
            var fields = new Dictionary<string, DataField>(StringComparer.Ordinal);
            long rows = 0;
            try
            {
                reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, ct).ConfigureAwait(false);
                foreach (var field in reader.Schema.Fields)
                {
                    if (field is not DataField data || data.IsArray)
                        throw new ParquetInputException($"{path}: column '{field.Name}': a nested or repeated column; expected a flat table");
                    if (!fields.TryAdd(data.Name, data))
                        throw new ParquetInputException($"{path}: column '{data.Name}': appears more than once");
                }
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    long n = reader.RowGroups[g].RowCount;
                    if (n < 0 || n > MaxRows || (rows += n) > MaxRows)
                        throw new ParquetInputException($"{path}: claims {(n < 0 ? n : rows):N0} rows; at most {MaxRows:N0} are accepted (damaged footer?)");
                }
                _ = reader.CustomMetadata;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException and not ParquetInputException)
            {
                // Whatever the decoder throws on these bytes, while reading the footer or making the schema of it (a Thrift
                // protocol error, an unsupported type code, an index out of range, an I/O error at a length the footer
                // claims), says the same thing: the file is damaged or not Parquet.
                throw new ParquetInputException($"{path}: not a readable Parquet file (damaged, truncated or another format: {e.Message.TrimEnd('.')})", e);
            }
            var input = new ParquetInput(path, stream, reader, fields, rows);
            foreach (var spec in required)
            {
                if (!fields.TryGetValue(spec.Name, out var f)) throw input.Problem(spec.Name, "missing");
                if (!spec.Types.Contains(ValueType(f)))
                    throw input.Problem(spec.Name, $"holds {TypeName(ValueType(f))}, expected {string.Join(" or ", spec.Types.Select(TypeName))}");
            }
            stream = null;
            reader = null;
            return input;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ParquetInputException($"{path}: cannot be read: {e.Message.TrimEnd('.')}", e);
        }
        finally
        {
            if (reader is not null) await reader.DisposeAsync().ConfigureAwait(false);
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Walks the footer (Thrift compact protocol) before the decoder sees it, with every size checked against the bytes
    /// that are left: a damaged footer can declare a list of two billion elements, which the decoder would try to read
    /// one by one from an exhausted buffer (found by the fuzz test: minutes of CPU for a 3 KB file). Null when the
    /// footer is well formed Thrift; otherwise why not.
    /// </summary>
    internal static string? FooterProblem(Stream stream)
    {
        long length = stream.Length;
        if (length < 12) return "shorter than a Parquet file's magic numbers and footer length";
        var tail = new byte[8];
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        if (!tail.AsSpan(4).SequenceEqual("PAR1"u8)) return "no closing magic number PAR1";
        long footer = BitConverter.ToUInt32(tail, 0);
        if (footer < 2 || footer > length - 12) return $"its footer length ({footer:N0} bytes) does not fit in the file";
        var bytes = new byte[footer];
        stream.Position = length - 8 - footer;
        stream.ReadExactly(bytes);
        var walker = new CompactWalker(bytes);
        return walker.Struct(0) ? null : $"its footer is not well formed ({walker.Problem} at byte {walker.Position} of {footer})";
    }

    /// <summary>A bounded walk over Thrift compact-protocol bytes: reads nothing it does not check first.</summary>
    private sealed class CompactWalker(byte[] bytes)
    {
        private const int MaxDepth = 32;
        private int at;

        public int Position => at;

        public string Problem { get; private set; } = "";

        private bool Fail(string why)
        {
            Problem = why;
            return false;
        }

        private bool Byte(out byte b)
        {
            b = 0;
            if (at >= bytes.Length) return Fail("it ends inside a value");
            b = bytes[at++];
            return true;
        }

        private bool Varint(out ulong value)
        {
            value = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                if (!Byte(out byte b)) return false;
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return true;
            }
            return Fail("a number longer than ten bytes");
        }

        private bool Skip(long count)
        {
            if (count < 0 || count > bytes.Length - at) return Fail($"a length of {count:N0} bytes where {bytes.Length - at:N0} are left");
            at += (int)count;
            return true;
        }

        /// <summary>A struct's fields up to its stop byte.</summary>
        public bool Struct(int depth)
        {
            if (depth > MaxDepth) return Fail("structures nested too deep");
            while (true)
            {
                if (!Byte(out byte header)) return false;
                if (header == 0) return true;
                int type = header & 0x0F;
                if (header >> 4 == 0 && !Varint(out _)) return false;   // a field id given in full
                if (!Value(type, depth, inList: false)) return false;
            }
        }

        private bool Value(int type, int depth, bool inList)
        {
            switch (type)
            {
                case 1 or 2:
                    return !inList || Skip(1);   // a boolean field's value is its type; in a list it takes a byte
                case 3:
                    return Skip(1);
                case 4 or 5 or 6:
                    return Varint(out _);
                case 7:
                    return Skip(8);
                case 8:
                    return Varint(out ulong n) && Skip(n > int.MaxValue ? -1 : (long)n);
                case 9 or 10:
                    {
                        if (!Byte(out byte h)) return false;
                        ulong size = (ulong)(h >> 4);
                        if (size == 15 && !Varint(out size)) return false;
                        return Elements(size, h & 0x0F, null, depth);
                    }
                case 11:
                    {
                        if (!Varint(out ulong size)) return false;
                        if (size == 0) return true;
                        if (!Byte(out byte kv)) return false;
                        return Elements(size, kv >> 4, kv & 0x0F, depth);
                    }
                case 12:
                    return Struct(depth + 1);
                default:
                    return Fail($"an unknown type code {type}");
            }
        }

        /// <summary>A container's elements (pairs for a map): each takes at least one byte, so the size is bounded first.</summary>
        private bool Elements(ulong size, int first, int? second, int depth)
        {
            if (size > (ulong)(bytes.Length - at)) return Fail($"a list of {size:N0} elements where {bytes.Length - at:N0} bytes are left");
            for (ulong i = 0; i < size; i++)
            {
                if (!Value(first, depth + 1, inList: true)) return false;
                if (second is { } valueType && !Value(valueType, depth + 1, inList: true)) return false;
            }
            return true;
        }
    }

    /// <summary>A column's values over all row groups, null where the file has none.</summary>
    /// <exception cref="ParquetInputException">The column is missing, of another type, or its pages cannot be decoded.</exception>
    public async Task<T?[]> ReadAsync<T>(string column, CancellationToken ct = default) where T : struct
    {
        var field = Field(column, typeof(T));
        var values = new T?[Rows];
        await ReadGroupsAsync(column, async (rg, offset, n) =>
        {
            if (field.IsNullable) await rg.ReadAsync<T>(field, values.AsMemory(offset, n), null, ct).ConfigureAwait(false);
            else
            {
                var dense = new T[n];
                await rg.ReadAsync<T>(field, dense.AsMemory(), null, ct).ConfigureAwait(false);
                for (int i = 0; i < n; i++) values[offset + i] = dense[i];
            }
        }).ConfigureAwait(false);
        return values;
    }

    /// <summary>A text column's values over all row groups, null where the file has none.</summary>
    /// <exception cref="ParquetInputException">The column is missing, not text, or its pages cannot be decoded.</exception>
    public async Task<string?[]> ReadStringsAsync(string column, CancellationToken ct = default)
    {
        var field = Field(column, typeof(string));
        var values = new string?[Rows];
        await ReadGroupsAsync(column, async (rg, offset, n) => await rg.ReadAsync(field, values.AsMemory(offset, n), null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return values;
    }

    private DataField Field(string column, Type type)
    {
        if (!fields.TryGetValue(column, out var f)) throw Problem(column, "missing");
        if (ValueType(f) != type) throw Problem(column, $"holds {TypeName(ValueType(f))}, expected {TypeName(type)}");
        return f;
    }

    private async Task ReadGroupsAsync(string column, Func<ParquetRowGroupReader, int, int, Task> read)
    {
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            try
            {
                using var rg = reader.OpenRowGroupReader(g);
                int n = checked((int)rg.RowCount);
                await read(rg, offset, n).ConfigureAwait(false);
                offset += n;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException and not ParquetInputException)
            {
                // The footer decoded but a page does not: damaged data, or an encoding this reader cannot decode.
                throw Problem(column, $"cannot be decoded in row group {g} ({e.Message.TrimEnd('.')})");
            }
        }
    }

    private static string TypeName(Type t) =>
        t == typeof(int) ? "32-bit integers" : t == typeof(long) ? "64-bit integers" : t == typeof(double) ? "doubles"
        : t == typeof(string) ? "text" : t == typeof(float) ? "floats" : t == typeof(bool) ? "booleans" : t.Name;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
    }
}
