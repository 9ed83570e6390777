using System.Diagnostics;
using System.Text;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// Hostile scenario files: each must give one problem naming the file (and the line where there is one), never a
/// crash, a hang or a read to the end of a device. Run on a worker with a time bound: a FIFO opened naively blocks.
/// </summary>
public sealed class ParserLimitTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    private static string Nest(int depth, bool flow) => flow
        ? "deep: " + new string('[', depth) + new string(']', depth)
        : "deep:\n  " + string.Concat(Enumerable.Repeat("- ", depth)) + "x";

    private static string Laughs()
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++)
            sb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        return sb.ToString();
    }

    public static TheoryData<string> Cases => new()
    {
        "deep-flow", "deep-block", "laughs", "recursive-alias", "complex-key", "alias-key", "too-large", "invalid-utf8",
        "unclosed-flow", "extends-nul", "extends-not-yaml", "extends-fifo", "extends-device", "extends-folder",
    };

    /// <summary>Case name → (file bytes, expected line or 0 for "any", words the message must contain).</summary>
    private (byte[] Bytes, int Line, string[] Words) Build(string name)
    {
        string head = "extends: baseline.yaml\nname: hostile\n";
        byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        switch (name)
        {
            case "deep-flow": return (U(head + Nest(100_000, flow: true)), 3, ["nest more than 64"]);
            case "deep-block": return (U(head + Nest(5_000, flow: false)), 0, ["nest more than 64"]);
            case "laughs": return (U(head + Laughs()), 0, ["aliases expand to more than"]);
            case "recursive-alias": return (U(head + "loop: &x [1, *x]\n"), 3, ["contains it"]);
            case "complex-key": return (U(head + "? [a, b]\n: 1\n"), 3, ["plain key"]);
            case "alias-key": return (U(head + "k: &k x\n*k : 2\n"), 4, ["plain key"]);
            case "too-large": return (U(head + "# " + new string('x', InputFiles.MaxBytes) + "\n"), 0, ["1 MiB"]);
            case "invalid-utf8":
                {
                    var bytes = new List<byte>(U(head + "description: caf"));
                    bytes.Add(0xE9);   // Latin-1 é: not UTF-8
                    bytes.AddRange(U("\n"));
                    return ([.. bytes], 3, ["invalid UTF-8", "0xE9"]);
                }
            case "unclosed-flow": return (U(head + "platforms: {jd: {quality: [0.5\n"), 0, ["invalid YAML"]);
            case "extends-nul": return (U("extends: \"base\\0line.yaml\"\nname: hostile\n"), 1, ["extends", "invalid character (U+0000)"]);
            case "extends-not-yaml": return (U("extends: /etc/passwd\nname: hostile\n"), 1, ["extends", ".yaml or .yml"]);
            case "extends-fifo":
                Process.Start("mkfifo", [Path.Combine(files.Folder, "pipe.yaml")])!.WaitForExit();
                return (U("extends: pipe.yaml\nname: hostile\n"), 1, ["named pipe", "regular file"]);
            case "extends-device":
                File.CreateSymbolicLink(Path.Combine(files.Folder, "zero.yaml"), "/dev/zero");
                return (U("extends: zero.yaml\nname: hostile\n"), 1, ["character device", "regular file"]);
            case "extends-folder":
                Directory.CreateDirectory(Path.Combine(files.Folder, "dir.yaml"));
                return (U("extends: dir.yaml\nname: hostile\n"), 1, ["folder"]);
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Load_HostileFile_GivesOneLocatedProblem(string name)
    {
        if (name is "extends-fifo" or "extends-device" && !OperatingSystem.IsLinux()) return;
        var (bytes, line, words) = Build(name);
        string path = Path.Combine(files.Folder, name + ".yaml");
        File.WriteAllBytes(path, bytes);

        // A thread of its own with a large stack is not given: the loader must not need one.
        var result = await Task.Run(() => ScenarioLoader.Load(path)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.File);
        if (line > 0) Assert.Equal(line, problem.Line);
        foreach (var w in words) Assert.Contains(w, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PathWithNul_IsAProblemNotAnException()
    {
        var result = ScenarioLoader.Load("scen\0ario.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Contains("invalid character", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModestAliasesAndNesting_StillAccepted()
    {
        // The limits must not refuse ordinary YAML: an anchor reused a few times and 20 levels of nesting.
        string deep = "description: " + new string('[', 20) + new string(']', 20);
        var path = files.Write("fine.yaml", "extends: baseline.yaml", "name: fine",
            "platforms:", "  jd: &jd {quality: 0.7}", "  pdd: *jd");
        var result = ScenarioLoader.Load(path);
        Assert.True(result.Ok, string.Join("\n", result.Problems));

        Assert.Null(YamlLimits.Check("a: " + new string('[', YamlLimits.MaxDepth - 1) + new string(']', YamlLimits.MaxDepth - 1), "x"));
        Assert.NotNull(YamlLimits.Check("a: " + new string('[', YamlLimits.MaxDepth) + new string(']', YamlLimits.MaxDepth), "x"));
        Assert.Null(YamlLimits.Check(deep, "x"));
    }
}
