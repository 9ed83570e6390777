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

    /// <summary>
    /// One structural mutation, as bytes: deep nesting (flow or block), alias bombs and self-referring aliases, complex
    /// keys, bytes that are not UTF-8, byte-order marks and UTF-16, or sizes around the 1 MiB limit.
    /// </summary>
    public static byte[] MutateStructure(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        int at = random.Next(lines.Count + 1);
        int depth = random.Next(2) == 0 ? random.Next(50, 80) : random.Next(1_000, 200_000);
        string Insert(string line)
        {
            lines.Insert(at, line);
            return string.Join('\n', lines);
        }
        var utf8 = System.Text.Encoding.UTF8;
        switch (random.Next(9))
        {
            case 0: return utf8.GetBytes(Insert("deep: " + new string('[', depth) + new string(']', depth)));
            case 1: return utf8.GetBytes(Insert("deep: " + string.Concat(Enumerable.Repeat("{a: ", Math.Min(depth, 20_000))) + "1" + new string('}', Math.Min(depth, 20_000))));
            case 2: return utf8.GetBytes(Insert("deep:\n  " + string.Concat(Enumerable.Repeat("- ", Math.Min(depth, 5_000))) + "x"));
            case 3:
                {
                    int levels = random.Next(3, 12), width = random.Next(2, 12);
                    var bomb = new List<string> { "b0: &b0 [x]" };
                    for (int i = 1; i < levels; i++) bomb.Add($"b{i}: &b{i} [{string.Join(", ", Enumerable.Repeat($"*b{i - 1}", width))}]");
                    lines.InsertRange(at, bomb);
                    return utf8.GetBytes(string.Join('\n', lines));
                }
            case 4: return utf8.GetBytes(Insert(random.Next(2) == 0 ? "self: &s [1, *s]" : "? &k [*k]\n: 1"));
            case 5: return utf8.GetBytes(Insert(random.Next(2) == 0 ? "? [a, b]\n: 1" : "? {a: 1}\n: 2"));
            case 6:
                {
                    var bytes = utf8.GetBytes(text).ToList();
                    int count = random.Next(1, 4);
                    for (int k = 0; k < count; k++) bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(0x80, 0x100));
                    return [.. bytes];
                }
            case 7:
                return random.Next(3) switch
                {
                    0 => [0xEF, 0xBB, 0xBF, .. utf8.GetBytes(text)],
                    1 => System.Text.Encoding.Unicode.GetBytes(text),
                    _ => [.. utf8.GetBytes(text), 0, 0],
                };
            default:
                {
                    int size = (1 << 20) + random.Next(-64, 64);
                    string padded = text + "\n# " + new string('x', Math.Max(0, size - text.Length - 3));
                    return utf8.GetBytes(padded);
                }
        }
    }
}
