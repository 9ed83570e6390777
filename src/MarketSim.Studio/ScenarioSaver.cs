using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Studio;

/// <summary>
/// "Save scenario": a YAML file in the starting scenario's folder that <c>extends:</c> it and sets only what changed,
/// as a hand-written what-if does. <c>extends</c> replaces lists whole, so a change inside a list (a clause's share)
/// writes that list as the starting scenario resolves it, with the change.
/// </summary>
internal static partial class ScenarioSaver
{
    /// <summary>First line of every file the studio writes; a file without it is never overwritten.</summary>
    public const string Marker = "# Written by marketsim-studio";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    /// <summary>Null when <paramref name="name"/> may name a saved scenario, else why not.</summary>
    public static string? CheckName(string name) =>
        NamePattern().IsMatch(name)
            ? null
            : "a name of 1 to 64 letters, digits, '-' or '_', starting with a letter or digit (no folder, no extension: the file is NAME.yaml beside the starting scenario)";

    /// <summary>The YAML text of a saved what-if.</summary>
    public static string Yaml(WhatIfEngine engine, string name, ScenarioOverrides sets)
    {
        var resolved = new YamlStream();
        resolved.Load(new StringReader(ScenarioYaml.Write(engine.Start)));
        var full = (YamlMappingNode)resolved.Documents[0].RootNode;
        var root = new YamlMappingNode();
        foreach (var (path, value) in sets) Set(root, full, Steps(path), Parse(value));

        var text = new StringBuilder();
        string start = Path.GetFileName(engine.ScenarioPath);
        string baseline = Path.GetRelativePath(Directory.GetCurrentDirectory(), engine.BaselinePath);
        text.Append(Marker).Append(": ").Append(start).Append(" with what the studio changed.\n");
        text.Append(CultureInfo.InvariantCulture,
            $"# The studio compared it with {Path.GetFileName(engine.BaselinePath)}: marketsim compare {Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(engine.ScenarioFolder, name + ".yaml"))} " +
            $"--baseline {baseline} --agents {engine.Settings.Agents} --replications {engine.Settings.Replications}\n");
        text.Append("extends: ").Append(start).Append('\n');
        text.Append("name: ").Append(name).Append('\n');
        if (root.Children.Count > 0)
        {
            var doc = new YamlStream(new YamlDocument(root));
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            doc.Save(writer, assignAnchors: false);
            string body = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
            if (body.EndsWith("...\n", StringComparison.Ordinal)) body = body[..^4];
            text.Append(body);
        }
        return text.ToString();
    }

    /// <summary>Writes the file atomically; null when written, else why not (the file exists and is not the studio's).</summary>
    public static async Task<string?> SaveAsync(string file, string yaml, CancellationToken ct)
    {
        if (File.Exists(file))
        {
            string first = File.ReadLines(file).FirstOrDefault() ?? "";
            if (!first.StartsWith(Marker, StringComparison.Ordinal))
                return $"{Path.GetFileName(file)} exists and was not written by the studio; choose another name";
        }
        await AtomicFile.WriteTextAsync(file, yaml, ct);
        return null;
    }

    private static List<object> Steps(string path)
    {
        var steps = new List<object>();
        foreach (var segment in path.Split('.'))
        {
            int bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket < 0) { steps.Add(segment); continue; }
            steps.Add(segment[..bracket]);
            foreach (var index in segment[(bracket + 1)..^1].Split("]["))
                steps.Add(int.Parse(index, CultureInfo.InvariantCulture));
        }
        return steps;
    }

    /// <summary>A normalised knob value (a scalar, a flow list of ids or null) as a node; null stays "~" (removes the key).</summary>
    private static YamlNode Parse(string value)
    {
        if (value == "null") return new YamlScalarNode("~") { Style = ScalarStyle.Plain };
        if (value.StartsWith('['))
        {
            var seq = new YamlSequenceNode { Style = SequenceStyle.Flow };
            foreach (var id in value[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                seq.Add(new YamlScalarNode(id));
            return seq;
        }
        return new YamlScalarNode(value) { Style = ScalarStyle.Plain };
    }

    private static void Set(YamlMappingNode root, YamlMappingNode full, List<object> steps, YamlNode value)
    {
        int list = steps.FindIndex(s => s is int);
        YamlNode current = root;
        YamlNode? source = full;
        for (int i = 0; i < steps.Count; i++)
        {
            bool last = i == steps.Count - 1;
            if (steps[i] is string key)
            {
                var map = (YamlMappingNode)current;
                var keyNode = new YamlScalarNode(key);
                source = source is YamlMappingNode sm && sm.Children.TryGetValue(keyNode, out var s) ? s : null;
                if (last) { map.Children[keyNode] = value; return; }
                if (!map.Children.TryGetValue(keyNode, out var next))
                {
                    // The list enclosing the change is copied whole from the resolved scenario (extends replaces lists).
                    next = i + 1 == list && source is YamlSequenceNode whole ? Copy(whole) : new YamlMappingNode();
                    map.Children[keyNode] = next;
                }
                current = next;
            }
            else
            {
                int index = (int)steps[i];
                var seq = (YamlSequenceNode)current;
                source = source is YamlSequenceNode ss && index < ss.Children.Count ? ss.Children[index] : null;
                if (last) { seq.Children[index] = value; return; }
                current = seq.Children[index];
            }
        }
    }

    private static YamlNode Copy(YamlNode node) => node switch
    {
        YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style },
        YamlSequenceNode q => new YamlSequenceNode(q.Children.Select(Copy)) { Style = q.Style },
        YamlMappingNode m => new YamlMappingNode(m.Children.Select(kv => new KeyValuePair<YamlNode, YamlNode>(Copy(kv.Key), Copy(kv.Value)))) { Style = m.Style },
        _ => throw new InvalidOperationException("unexpected YAML node"),
    };
}
