using System.Text.Encodings.Web;
using System.Text.Json;

namespace MarketSim.Cli.Runs;

/// <summary>One JSON object on stdout (<c>--json</c>): plans and summaries for scripts, instead of the tables people read.</summary>
internal static class JsonOut
{
    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        stdout.Write("\n"u8);
    }

    /// <summary>A parameter value as its JSON type (number or string).</summary>
    public static void Value(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case double d: json.WriteNumber(name, d); break;
            case long l: json.WriteNumber(name, l); break;
            default: json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }
}
