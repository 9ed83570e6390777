using MarketSim.Scenarios;
using YamlDotNet.Core;

namespace MarketSim.ScenarioFiles;

/// <summary>
/// Reads a calibration-targets CSV (<c>calibration: {targets: data/targets.csv}</c>) into the inline list form of
/// <c>calibration:</c>, each cell keeping its CSV file, line and column, so the binder and the validator report a bad
/// cell as <c>targets.csv:7:4: calibration[5].value: …</c>. Expanding before binding keeps one target type and one
/// evaluator, and puts the target values themselves into the resolved scenario and its hash.
/// </summary>
public static class TargetsCsv
{
    /// <summary>Columns a targets file may have; <c>period_end</c> (or <c>date</c>), platform, metric, value and unit are required.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["period_start", "period_end", "date", "platform", "with", "tiers", "metric", "value", "unit", "tolerance", "weight", "in_sample", "source", "note"];

    private static readonly string[] Required = ["platform", "metric", "value", "unit"];

    /// <summary>
    /// Replaces a <c>calibration: {targets: FILE}</c> mapping in <paramref name="root"/> by the file's targets; the path is
    /// relative to <paramref name="directory"/> and shown relative to <paramref name="displayDirectory"/>.
    /// </summary>
    internal static void Expand(YMap root, string directory, string displayDirectory, List<ScenarioProblem> problems)
    {
        if (!root.Entries.TryGetValue("calibration", out var entry) || entry.Value is not YMap map) return;
        foreach (var (key, e) in map.Entries)
            if (key != "targets")
            {
                Problem(problems, e.KeyMark, "calibration." + key, $"unknown key '{key}'{KeySuggestions.For(key, ["targets"])}: expected 'targets: FILE.csv' or a list of targets");
                return;
            }
        if (!map.Entries.TryGetValue("targets", out var t) || t.Value is not YScalar { IsNull: false } file)
        {
            Problem(problems, map.Mark, "calibration.targets", "expected 'targets: FILE.csv', the targets file relative to this scenario");
            return;
        }
        if (InputFiles.CheckPath(file.Value) is { } bad || !file.Value.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            Problem(problems, file.Mark, "calibration.targets", $"expected the path of a .csv file, found {YamlTree.Show(file)}");
            return;
        }
        string full = Path.GetFullPath(Path.Combine(directory, file.Value));
        string display = Path.IsPathRooted(file.Value) ? file.Value : Path.Combine(displayDirectory, file.Value);
        if (InputFiles.TryReadText(full, out var fault) is not { } text)
        {
            if (fault!.Line > 0) problems.Add(new ScenarioProblem(display, fault.Line, fault.Column, "", fault.Message));
            else Problem(problems, file.Mark, "calibration.targets", $"cannot read '{display}': {fault.Message}");
            return;
        }
        if (Parse(text, display, problems) is { } seq)
            root.Entries["calibration"] = new YEntry(entry.KeyMark, seq);
    }

    /// <summary>Reads targets CSV text into a list of target mappings; null (with problems) when the table itself is malformed.</summary>
    internal static YSeq? Parse(string text, string display, List<ScenarioProblem> problems)
    {
        var records = Records(text, display, problems);
        if (records is null) return null;
        var seq = new YSeq(new SourceMark(display, 1, 1));
        if (records.Count == 0)
        {
            problems.Add(new ScenarioProblem(display, 1, 1, "", "expected a header line such as 'period_start,period_end,platform,tiers,metric,value,unit,…'"));
            return null;
        }
        var header = records[0];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        bool ok = true;
        for (int c = 0; c < header.Count; c++)
        {
            var (name, mark) = (header[c].Text.Trim(), header[c].Mark);
            if (!Columns.Contains(name))
            {
                problems.Add(new ScenarioProblem(display, mark.Line, mark.Column, name, $"unknown column '{name}'{KeySuggestions.For(name, Columns)}"));
                ok = false;
            }
            else if (!index.TryAdd(name, c))
            {
                problems.Add(new ScenarioProblem(display, mark.Line, mark.Column, name, $"column '{name}' appears twice"));
                ok = false;
            }
        }
        foreach (var name in Required.Where(r => !index.ContainsKey(r)))
        {
            problems.Add(new ScenarioProblem(display, 1, 1, name, $"missing column '{name}'"));
            ok = false;
        }
        if (!index.ContainsKey("period_end") && !index.ContainsKey("date"))
        {
            problems.Add(new ScenarioProblem(display, 1, 1, "period_end", "missing column 'period_end' (the date of a level, or the last day of a period)"));
            ok = false;
        }
        if (index.ContainsKey("period_end") && index.TryGetValue("date", out int dateColumn))
        {
            var m = header[dateColumn].Mark;
            problems.Add(new ScenarioProblem(display, m.Line, m.Column, "date", "give either 'period_end' or 'date', not both"));
            ok = false;
        }
        if (!ok) return null;

        for (int r = 1; r < records.Count; r++)
        {
            var row = records[r];
            var first = row[0].Mark;
            if (row.Count == 1 && row[0].Text.Trim().Length == 0) continue; // blank line
            if (row.Count != header.Count)
            {
                problems.Add(new ScenarioProblem(display, first.Line, first.Column, "",
                    $"expected {header.Count} fields as in the header, found {row.Count} (quote a field that holds a comma)"));
                continue;
            }
            var map = new YMap(first);
            foreach (var (name, c) in index)
            {
                string value = row[c].Text.Trim();
                var mark = row[c].Mark;
                if (value.Length == 0 || name == "note") continue;
                string key = name == "period_end" ? "date" : name;
                YNode node;
                if (name == "tiers")
                {
                    var tiers = new YSeq(mark);
                    if (value != "all")
                        foreach (var tier in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                            tiers.Items.Add(new YScalar(mark, tier, ScalarStyle.DoubleQuoted));
                    node = tiers;
                }
                else
                {
                    // Text columns are quoted so that an id such as 'no' or '618' stays text; numbers, dates and flags stay plain.
                    bool isText = name is "platform" or "with" or "metric" or "unit" or "source";
                    node = new YScalar(mark, value, isText ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain);
                }
                map.Entries[key] = new YEntry(mark, node);
            }
            seq.Items.Add(map);
        }
        return seq;
    }

    private readonly record struct Cell(string Text, SourceMark Mark);

    /// <summary>RFC 4180 records: fields separated by commas, double quotes around fields holding commas, quotes or line breaks.</summary>
    private static List<List<Cell>>? Records(string text, string display, List<ScenarioProblem> problems)
    {
        var records = new List<List<Cell>>();
        var row = new List<Cell>();
        var field = new System.Text.StringBuilder();
        int line = 1, col = 1, fieldLine = 1, fieldCol = 1;
        bool quoted = false, wasQuoted = false;
        int i = 0;
        void EndField()
        {
            row.Add(new Cell(field.ToString(), new SourceMark(display, fieldLine, fieldCol)));
            field.Clear();
            wasQuoted = false;
        }
        while (i < text.Length)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; col += 2; continue; }
                if (ch == '"') { quoted = false; i++; col++; continue; }
                field.Append(ch);
                if (ch == '\n') { line++; col = 1; } else col++;
                i++;
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = wasQuoted = true;
                    i++; col++;
                    continue;
                case '"':
                    problems.Add(new ScenarioProblem(display, line, col, "", "a double quote inside an unquoted field: quote the whole field and double the quote"));
                    return null;
                case ',':
                    EndField();
                    i++; col++;
                    fieldLine = line; fieldCol = col;
                    continue;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    i++;
                    continue;
                case '\n':
                    EndField();
                    records.Add(row);
                    row = new List<Cell>();
                    i++; line++; col = 1;
                    fieldLine = line; fieldCol = col;
                    continue;
                default:
                    if (wasQuoted)
                    {
                        problems.Add(new ScenarioProblem(display, line, col, "", "text after a closing double quote: expected ',' or the end of the line"));
                        return null;
                    }
                    field.Append(ch);
                    i++; col++;
                    continue;
            }
        }
        if (quoted)
        {
            problems.Add(new ScenarioProblem(display, fieldLine, fieldCol, "", "a double-quoted field is not closed"));
            return null;
        }
        if (field.Length > 0 || row.Count > 0) { EndField(); records.Add(row); }
        return records;
    }

    private static void Problem(List<ScenarioProblem> problems, SourceMark mark, string key, string message) =>
        problems.Add(new ScenarioProblem(mark.File, mark.Line, mark.Column, key, message));
}
