using System.Globalization;
using System.Text.Json;

namespace MarketSim.Tests;

/// <summary>
/// A Parquet file read by DuckDB (tests/duckdb/dump.mjs), a reader that shares no code with the project's: tests that pin
/// written values read them through it, so a writer and a reader that agree on a wrong column cannot hide each other.
/// Needs Node.js and npm (<see cref="Available"/>); it runs through <see cref="NodeTools"/>.
/// </summary>
internal sealed class DuckDbTable
{
    private DuckDbTable(List<Dictionary<string, JsonElement>> rows) => Rows = rows;

    /// <summary>Rows in file order, by column name.</summary>
    public IReadOnlyList<Dictionary<string, JsonElement>> Rows { get; }

    /// <summary>True when node and npm are on PATH.</summary>
    public static bool Available => NodeTools.Available;

    /// <summary>A DOUBLE column's value (null for NULL), bit for bit as written.</summary>
    public double? Double(int row, string column) => Rows[row][column] switch
    {
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } v => double.Parse(v.GetRawText(), CultureInfo.InvariantCulture),
        var v => double.Parse(v.GetString()!, CultureInfo.InvariantCulture), // NaN and infinities come as strings
    };

    /// <summary>An integer column's value (INT32 as a number, INT64 as a string), null for NULL.</summary>
    public long? Long(int row, string column) => Rows[row][column] switch
    {
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } v => v.GetInt64(),
        var v => long.Parse(v.GetString()!, CultureInfo.InvariantCulture),
    };

    /// <summary>A string or date column's text, null for NULL.</summary>
    public string? Text(int row, string column) => Rows[row][column].ValueKind == JsonValueKind.Null ? null : Rows[row][column].ToString();

    /// <summary>A BOOLEAN column's value, null for NULL.</summary>
    public bool? Bool(int row, string column) => Rows[row][column].ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        var k => throw new InvalidDataException($"{column}: expected a boolean, found {k}"),
    };

    /// <summary>Reads every row of <paramref name="parquetFile"/> with DuckDB.</summary>
    public static DuckDbTable Read(string parquetFile)
    {
        var dump = NodeTools.Run(NodeTools.DuckDb, "dump.mjs", Path.GetFullPath(parquetFile));
        if (dump.ExitCode != 0) throw new InvalidOperationException("DuckDB could not read " + parquetFile + ": " + dump.Output);
        return new DuckDbTable(JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(dump.StdOut)!);
    }
}
