using System.Text.RegularExpressions;

namespace MarketSim.Tests;

/// <summary>
/// Damages YAML text the way people and tools do (lines lost, duplicated, mis-indented or cut off; values replaced by
/// wrong types; stray punctuation), for fuzz tests of the loaders. Shared by the test projects by file link.
/// </summary>
internal static partial class YamlMutator
{
    private static readonly string[] Replacements =
        ["-1", "0", "abc", "~", "[]", "{}", "1e400", ".nan", "-.inf", "\"", "2019-02-30", "99999999999999999999", "[1, [2]]", "{a: 1}", "''", "&a x", "*nope", "../../etc/passwd", "/tmp/x"];

    [GeneratedRegex(@"(?<=: )[^\s{}\[\],#]+")]
    private static partial Regex ScalarValue();

    /// <summary>One to three random mutations of <paramref name="text"/>.</summary>
    public static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        int count = random.Next(1, 4);
        for (int k = 0; k < count; k++)
        {
            if (lines.Count == 0) lines.Add("");
            int at = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 2:
                    var matches = ScalarValue().Matches(lines[at]);
                    if (matches.Count > 0)
                    {
                        var m = matches[random.Next(matches.Count)];
                        lines[at] = lines[at][..m.Index] + Replacements[random.Next(Replacements.Length)] + lines[at][(m.Index + m.Length)..];
                    }
                    break;
                case 3:
                    if (lines[at].Length > 0)
                    {
                        int pos = random.Next(lines[at].Length);
                        lines[at] = lines[at][..pos] + "{}[]:,-#&*!|>'\" \t"[random.Next(17)] + lines[at][pos..];
                    }
                    break;
                case 4:
                    lines[at] = lines[at].StartsWith("  ", StringComparison.Ordinal) ? lines[at][2..] : "  " + lines[at];
                    break;
                default:
                    lines = lines.Take(at).ToList();
                    break;
            }
        }
        return string.Join('\n', lines);
    }
}
