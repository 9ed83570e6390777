using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MarketSim.ScenarioFiles;

/// <summary>
/// Structural limits of the YAML the program reads, checked on YamlDotNet's parser events (which carry no recursion)
/// before any tree is built, so that no later recursive step can overflow the stack or be made to walk a billion nodes:
/// nesting depth, aliases expanded, aliases that refer to the node containing them, and keys that are lists or mappings.
/// </summary>
public static class YamlLimits
{
    /// <summary>Deepest nesting of lists and mappings accepted; the default scenarios nest 5 levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes a document may stand for once its aliases are expanded (anchors reused by <c>*name</c>).</summary>
    public const long MaxExpandedNodes = 1_000_000;

    /// <summary>
    /// Null when <paramref name="text"/> is well-formed YAML within the limits; otherwise the first problem, located
    /// in <paramref name="file"/>.
    /// </summary>
    public static ScenarioProblem? Check(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(new StringReader(text));
        // Per open collection: its anchor (if any), the nodes it stands for so far, and whether the next event is a key.
        var open = new Stack<(string? Anchor, long Nodes, bool IsMap, bool ExpectKey)>();
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var opening = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        ParsingEvent? last = null;
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                last = ev;
                var at = ev.Start;
                ScenarioProblem Problem(string message) => new(file, (int)at.Line, (int)at.Column, "", message);

                bool isKey = false;
                if (ev is NodeEvent && open.Count > 0)
                {
                    var top = open.Pop();
                    isKey = top.IsMap && top.ExpectKey;
                    open.Push(top with { ExpectKey = top.IsMap && !top.ExpectKey });
                }
                switch (ev)
                {
                    case AnchorAlias alias:
                        {
                            if (isKey) return Problem($"expected a plain key (text), found the alias '*{alias.Value.Value}' used as a key");
                            if (opening.Contains(alias.Value.Value))
                                return Problem($"alias '*{alias.Value.Value}' refers to the list or mapping that contains it");
                            long size = anchors.TryGetValue(alias.Value.Value, out long n) ? n : 1;
                            if (Count(size)) return Problem($"aliases expand to more than {MaxExpandedNodes:N0} nodes; write the values out or use 'extends'");
                            break;
                        }
                    case Scalar scalar:
                        if (Count(1)) return Problem($"the document has more than {MaxExpandedNodes:N0} nodes");
                        if (!scalar.Anchor.IsEmpty) anchors[scalar.Anchor.Value] = 1;
                        break;
                    case MappingStart or SequenceStart:
                        {
                            if (isKey) return Problem("expected a plain key (text), found a list or mapping used as a key");
                            if (open.Count >= MaxDepth)
                                return Problem($"lists and mappings nest more than {MaxDepth} levels deep");
                            var anchor = ((NodeEvent)ev).Anchor;
                            string? name = anchor.IsEmpty ? null : anchor.Value;
                            if (name is not null) opening.Add(name);
                            open.Push((name, 1, ev is MappingStart, ev is MappingStart));
                            break;
                        }
                    case MappingEnd or SequenceEnd:
                        {
                            var closed = open.Pop();
                            if (closed.Anchor is { } name)
                            {
                                opening.Remove(name);
                                anchors[name] = closed.Nodes;
                            }
                            if (open.Count > 0) AddToTop(closed.Nodes);
                            else total += closed.Nodes;
                            if (total > MaxExpandedNodes) return Problem($"the document has more than {MaxExpandedNodes:N0} nodes");
                            break;
                        }
                }
            }
        }
        catch (YamlException e)
        {
            return new ScenarioProblem(file, (int)e.Start.Line, (int)e.Start.Column, "", YamlTree.CleanMessage(e.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on some unterminated flow collections.
            var at = last?.End ?? default;
            return new ScenarioProblem(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "",
                "invalid YAML: a list '[' or mapping '{' is not closed");
        }
        return null;

        // Adds to the innermost open collection (or the document); true when the limit is passed.
        bool Count(long nodes)
        {
            if (open.Count > 0) AddToTop(nodes);
            else total += nodes;
            long inner = open.Count > 0 ? open.Peek().Nodes : 0;
            return total > MaxExpandedNodes || inner > MaxExpandedNodes;
        }

        void AddToTop(long nodes)
        {
            var top = open.Pop();
            open.Push(top with { Nodes = Math.Min(top.Nodes + nodes, MaxExpandedNodes + 1) });
        }
    }
}
