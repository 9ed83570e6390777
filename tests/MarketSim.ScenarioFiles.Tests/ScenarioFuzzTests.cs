using System.Text.RegularExpressions;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>Mutated scenario files must give problems or a scenario, never an unhandled exception.</summary>
public sealed partial class ScenarioFuzzTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    private static readonly string[] Replacements =
        ["-1", "0", "abc", "~", "[]", "{}", "1e400", ".nan", "-.inf", "\"", "2019-02-30", "99999999999999999999", "[1, [2]]", "{a: 1}", "''", "&a x", "*nope"];

    [GeneratedRegex(@"(?<=: )[^\s{}\[\],#]+")]
    private static partial Regex ScalarValue();

    [Theory]
    [InlineData("baseline.yaml", 1)]
    [InlineData("jd-kuaishou-alliance.yaml", 2)]
    public void Load_MutatedScenario_NeverThrows(string name, int seed)
    {
        string original = File.ReadAllText(Path.Combine(files.Folder, name));
        var random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 400; i++)
        {
            string text = Mutate(original, random);
            string path = files.Write($"fuzz-{seed}-{i}.yaml", text);

            var result = ScenarioLoader.Load(path);

            if (result.Ok)
            {
                // A scenario the validator accepts must also compile into a model: validation is the only gate.
                _ = new MarketSim.Model.MarketModel(result.Scenario!);
                accepted++;
            }
            else
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
                Assert.Null(result.Scenario);
            }
        }
        // Some mutations are harmless (a comment, a value still in range): the fuzzer must reach the validator too.
        Assert.InRange(accepted, 1, 399);
    }

    private static string Mutate(string text, Random random)
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
                    if (lines.Count == 0) lines.Add("");
                    break;
            }
        }
        return string.Join('\n', lines);
    }
}
