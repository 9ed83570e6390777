using YamlDotNet.Core;

namespace MarketSim.ScenarioFiles;

/// <summary>Where a YAML node or key was written, for problems about it.</summary>
/// <param name="File">The file as messages name it.</param>
/// <param name="Line">1-based line (0 for values from the command line).</param>
/// <param name="Column">1-based column.</param>
public readonly record struct YamlPosition(string File, int Line, int Column)
{
    /// <summary>A problem at this position about <paramref name="key"/>.</summary>
    public ScenarioProblem Problem(string key, string message) => new(File, Line, Column, key, message);

    internal static YamlPosition Of(SourceMark mark) => new(mark.File, mark.Line, mark.Column);
}

/// <summary>
/// A YAML node the binder passes through as written: a settings property of this type takes a section whose shape
/// depends on its content (a sweep's <c>outputs:</c> mixes table switches with named-output mappings), and the
/// settings' own code interprets it. Read-only; keys keep the file's order.
/// </summary>
public sealed class RawYaml
{
    private readonly YNode node;

    internal RawYaml(YNode node) => this.node = node;

    /// <summary>Where the node starts.</summary>
    public YamlPosition Position => YamlPosition.Of(node.Mark);

    /// <summary>True for YAML's null (nothing, <c>~</c>, <c>null</c>).</summary>
    public bool IsNull => node is YScalar { IsNull: true };

    /// <summary>True for a scalar, YAML's null included.</summary>
    public bool IsScalar => node is YScalar;

    /// <summary>True for a list.</summary>
    public bool IsList => node is YSeq;

    /// <summary>True for a mapping.</summary>
    public bool IsMapping => node is YMap;

    /// <summary>A scalar's text as written, quotes removed (<c>~</c> for a written null, empty for nothing); null for a list or mapping.</summary>
    public string? Text => node is YScalar s ? s.Value : null;

    /// <summary>True for a scalar written in single or double quotes.</summary>
    public bool Quoted => node is YScalar { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted };

    /// <summary>A list's items; empty for anything else.</summary>
    public IReadOnlyList<RawYaml> Items => node is YSeq seq ? seq.Items.Select(i => new RawYaml(i)).ToList() : [];

    /// <summary>A mapping's entries in the file's order; empty for anything else.</summary>
    public IReadOnlyList<RawYamlEntry> Entries => node is YMap map
        ? map.Entries.Select(e => new RawYamlEntry(e.Key, YamlPosition.Of(e.Value.KeyMark), new RawYaml(e.Value.Value))).ToList()
        : [];

    /// <summary>The node as a message shows it: a scalar quoted and shortened, "a list", "a mapping" or "nothing".</summary>
    public string Show() => YamlTree.Show(node);

    /// <summary>A problem at this node about <paramref name="key"/>.</summary>
    public ScenarioProblem Problem(string key, string message) => Position.Problem(key, message);
}

/// <summary>One key of a raw mapping.</summary>
/// <param name="Key">The key's text.</param>
/// <param name="KeyPosition">Where the key is written (unknown keys are reported there).</param>
/// <param name="Value">Its value, as written.</param>
public sealed record RawYamlEntry(string Key, YamlPosition KeyPosition, RawYaml Value);
