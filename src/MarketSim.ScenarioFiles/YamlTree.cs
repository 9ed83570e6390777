using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MarketSim.ScenarioFiles;

/// <summary>Where a node was written: file and 1-based line and column (0 for values given on the command line).</summary>
internal readonly record struct SourceMark(string File, int Line, int Column);

/// <summary>
/// A YAML node that remembers where it was written. The loader works on its own small tree rather than YamlDotNet's
/// object model because merging (<c>extends</c>), overrides and error messages all need positions to survive edits.
/// </summary>
internal abstract class YNode(SourceMark mark)
{
    public SourceMark Mark { get; } = mark;
}

/// <summary>A mapping; keys keep the order of the file so that platforms and tiers keep theirs.</summary>
internal sealed class YMap(SourceMark mark) : YNode(mark)
{
    public OrderedDictionary<string, YEntry> Entries { get; } = new(StringComparer.Ordinal);
}

/// <summary>A key with its own position (unknown keys are reported where the key is, not its value).</summary>
internal sealed record YEntry(SourceMark KeyMark, YNode Value);

/// <summary>A sequence.</summary>
internal sealed class YSeq(SourceMark mark) : YNode(mark)
{
    public List<YNode> Items { get; } = [];
}

/// <summary>A scalar with its quoting style; a plain <c>~</c>, <c>null</c> or empty value is YAML's null.</summary>
internal sealed class YScalar(SourceMark mark, string value, ScalarStyle style) : YNode(mark)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public bool IsNull => Style is ScalarStyle.Plain or ScalarStyle.Any && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>Reads YAML text into <see cref="YNode"/> trees.</summary>
internal static class YamlTree
{
    /// <summary>Thrown for text that is not well-formed YAML or breaks the loader's rules (duplicate keys, non-scalar keys).</summary>
    internal sealed class SyntaxError(SourceMark mark, string message) : Exception(message)
    {
        public SourceMark Where { get; } = mark;
    }

    /// <summary>Parses one YAML document; an empty document gives an empty mapping.</summary>
    public static YNode Parse(string text, string file)
    {
        if (YamlLimits.Check(text, file) is { } limit)
            throw new SyntaxError(new SourceMark(file, limit.Line, limit.Column), limit.Message);
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return new YMap(new SourceMark(file, 1, 1));
            parser.Consume<DocumentStart>();
            YNode root = parser.Accept<DocumentEnd>(out _)
                ? new YMap(new SourceMark(file, 1, 1))
                : ReadNode(parser, file, anchors);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var at = parser.Current!.Start;
                throw new SyntaxError(new SourceMark(file, (int)at.Line, (int)at.Column),
                    "expected one YAML document, found a second one ('---')");
            }
            return root;
        }
        catch (YamlException e)
        {
            throw new SyntaxError(new SourceMark(file, (int)e.Start.Line, (int)e.Start.Column), CleanMessage(e.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on some unterminated flow collections; the last event it read is
            // the best position there is.
            var at = parser.Current?.End ?? default;
            throw new SyntaxError(new SourceMark(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column)),
                "invalid YAML: a list '[' or mapping '{' is not closed");
        }
    }

    internal static string CleanMessage(string message)
    {
        // YamlDotNet prefixes its messages with "(Line: 3, Col: 4, Idx: 20) - (...): "; the position is reported separately.
        int cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        string text = cut >= 0 ? message[(cut + 3)..] : message;
        return "invalid YAML: " + text.Trim().TrimEnd('.');
    }

    private static YNode ReadNode(IParser parser, string file, Dictionary<string, YNode> anchors)
    {
        var ev = parser.Current ?? throw new SyntaxError(new SourceMark(file, 0, 0), "unexpected end of file");
        var mark = new SourceMark(file, (int)ev.Start.Line, (int)ev.Start.Column);
        switch (ev)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new SyntaxError(mark, $"alias '*{alias.Value.Value}' names no anchor defined before it");
            case Scalar scalar:
                {
                    parser.MoveNext();
                    var node = new YScalar(mark, scalar.Value, scalar.Style);
                    if (!scalar.Anchor.IsEmpty) anchors[scalar.Anchor.Value] = node;
                    return node;
                }
            case SequenceStart seqStart:
                {
                    parser.MoveNext();
                    var seq = new YSeq(mark);
                    if (!seqStart.Anchor.IsEmpty) anchors[seqStart.Anchor.Value] = seq;
                    while (!parser.TryConsume<SequenceEnd>(out _)) seq.Items.Add(ReadNode(parser, file, anchors));
                    return seq;
                }
            case MappingStart mapStart:
                {
                    parser.MoveNext();
                    var map = new YMap(mark);
                    if (!mapStart.Anchor.IsEmpty) anchors[mapStart.Anchor.Value] = map;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyEvent = parser.Current!;
                        var keyMark = new SourceMark(file, (int)keyEvent.Start.Line, (int)keyEvent.Start.Column);
                        if (keyEvent is not Scalar keyScalar)
                            throw new SyntaxError(keyMark, "expected a plain key (text), found a list or mapping used as a key");
                        parser.MoveNext();
                        var value = ReadNode(parser, file, anchors);
                        if (keyScalar.Value == "<<")
                            throw new SyntaxError(keyMark, "merge keys ('<<') are not supported: use 'extends' or write the keys out");
                        if (!map.Entries.TryAdd(keyScalar.Value, new YEntry(keyMark, value)))
                            throw new SyntaxError(keyMark,
                                $"key '{keyScalar.Value}' appears twice in the same mapping (first on line {map.Entries[keyScalar.Value].KeyMark.Line})");
                    }
                    return map;
                }
            default:
                throw new SyntaxError(mark, $"unexpected YAML element {ev.GetType().Name}");
        }
    }

    /// <summary>A scalar's text as YAML would write it in a message: quoted, shortened.</summary>
    public static string Show(YNode node) => node switch
    {
        YScalar s when s.IsNull => "nothing",
        YScalar s => "'" + (s.Value.Length > 40 ? s.Value[..40] + "…" : s.Value) + "'",
        YSeq => "a list",
        YMap => "a mapping",
        _ => "?",
    };

    /// <summary>Formats a double the way it round-trips (shortest exact form).</summary>
    public static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
