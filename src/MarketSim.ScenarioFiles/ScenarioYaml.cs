using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using MarketSim.Scenarios;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MarketSim.ScenarioFiles;

/// <summary>
/// Writes a scenario as YAML with every parameter spelled out, defaults included. This "resolved" form is what a run
/// records beside its output and hashes into its metadata: it reproduces the run without the files it was composed from,
/// and it changes when a default changes, which the source files would not show.
/// </summary>
public static partial class ScenarioYaml
{
    /// <summary>The scenario as block-style YAML, keys in the model's order, numbers in their shortest exact form.</summary>
    public static string Write(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        WriteValue(emitter, scenario);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void WriteValue(IEmitter e, object? value)
    {
        switch (value)
        {
            case null:
                Plain(e, "~");
                return;
            case string s:
                e.Emit(new Scalar(null, null, s, NeedsQuotes(s) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));
                return;
            case double d:
                Plain(e, d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case int or long or ulong:
                Plain(e, Convert.ToString(value, CultureInfo.InvariantCulture)!);
                return;
            case bool b:
                Plain(e, b ? "true" : "false");
                return;
            case DateOnly date:
                Plain(e, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                e.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (DictionaryEntry entry in dictionary)
                {
                    WriteValue(e, (string)entry.Key);
                    WriteValue(e, entry.Value);
                }
                e.Emit(new MappingEnd());
                return;
            case IList list:
                bool simple = list.Cast<object>().All(x => x is string or double or int or long or bool or DateOnly);
                e.Emit(new SequenceStart(null, null, true, simple ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list) WriteValue(e, item);
                e.Emit(new SequenceEnd());
                return;
        }
        e.Emit(new MappingStart(null, null, true, MappingStyle.Block));
        foreach (var (key, property) in ScenarioBinder.Properties(value.GetType()))
        {
            var v = property.GetValue(value);
            if (v is null) continue;   // an absent optional (an open end date, no co-promotion) is written by leaving it out
            WriteValue(e, key);
            WriteValue(e, v);
        }
        e.Emit(new MappingEnd());
    }

    private static void Plain(IEmitter e, string text) => e.Emit(new Scalar(null, null, text, ScalarStyle.Plain, true, false));

    [GeneratedRegex(@"^([-+]?[0-9._]+([eE][-+]?[0-9]+)?|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|\.nan|\.inf|-\.inf|[0-9]{4}-[0-9]{2}-[0-9]{2})$")]
    private static partial Regex AmbiguousPattern();

    /// <summary>Text another YAML reader would take for a number, date, boolean or null must be quoted to stay text.</summary>
    private static bool NeedsQuotes(string s) => s.Length == 0 || AmbiguousPattern().IsMatch(s);
}
