using System.Diagnostics;
using System.Text;
using MarketSim.ScenarioFiles;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>Hostile sweep files: one problem naming the file and (where there is one) the line; no crash, no hang.</summary>
public sealed class SweepParserLimitTests : IDisposable
{
    private readonly string folder = Cli.NewTempFolder();

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private const string Head = "name: t\nscenario: SCENARIO\ndesign: {type: grid}\n";

    public static TheoryData<string> Cases => new()
    {
        "deep-flow", "deep-block", "recursive-complex-key", "complex-key", "laughs", "unclosed-flow", "too-large",
        "invalid-utf8", "scenario-nul", "scenario-fifo", "scenario-device",
    };

    /// <summary>Case name → (sweep file bytes, expected line or 0 for "any", words the message must contain).</summary>
    private (byte[] Bytes, int Line, string[] Words) Build(string name)
    {
        string scenario = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        byte[] U(string s) => Encoding.UTF8.GetBytes(s.Replace("SCENARIO", scenario));
        switch (name)
        {
            case "deep-flow": return (U(Head + "parameters: " + new string('[', 100_000) + new string(']', 100_000)), 4, ["nest more than 64"]);
            case "deep-block": return (U(Head + "parameters:\n  " + string.Concat(Enumerable.Repeat("- ", 5_000)) + "x\n"), 0, ["nest more than 64"]);
            case "recursive-complex-key": return (U(Head + "? &k [*k]\n: 1\n"), 4, ["plain key"]);
            case "complex-key": return (U(Head + "? {a: 1}\n: 1\n"), 4, ["plain key"]);
            case "laughs":
                {
                    var sb = new StringBuilder(Head + "description: x\noverrides:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
                    for (int i = 1; i <= 9; i++) sb.Append($"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
                    return (U(sb.ToString()), 0, ["aliases expand"]);
                }
            case "unclosed-flow": return (U(Head + "parameters: {calendar.steps: {values: [20, 21\n"), 0, ["invalid YAML"]);
            case "too-large": return (U(Head + "# " + new string('x', InputFiles.MaxBytes) + "\n"), 0, ["1 MiB"]);
            case "invalid-utf8": return ([.. U(Head + "description: "), 0xFF, 0xFE, .. U("\n")], 4, ["invalid UTF-8"]);
            case "scenario-nul": return (U("name: t\nscenario: \"a\\0b.yaml\"\ndesign: {type: grid}\nparameters: {calendar.steps: {values: [20]}}\n"), 2, ["scenario", "invalid character"]);
            case "scenario-fifo":
                Process.Start("mkfifo", [Path.Combine(folder, "pipe.yaml")])!.WaitForExit();
                return (U("name: t\nscenario: pipe.yaml\ndesign: {type: grid}\nparameters: {calendar.steps: {values: [20]}}\n"), 2, ["scenario", "named pipe"]);
            case "scenario-device":
                return (U("name: t\nscenario: /dev/zero\ndesign: {type: grid}\nparameters: {calendar.steps: {values: [20]}}\n"), 2, ["scenario", "character device"]);
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Load_HostileSweepFile_GivesOneLocatedProblem(string name)
    {
        if (name is "scenario-fifo" or "scenario-device" && !OperatingSystem.IsLinux()) return;
        var (bytes, line, words) = Build(name);
        string path = Path.Combine(folder, name + ".yaml");
        File.WriteAllBytes(path, bytes);

        var result = await Task.Run(() => SweepFile.Load(path)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.File);
        if (line > 0) Assert.Equal(line, problem.Line);
        foreach (var w in words) Assert.Contains(w, problem.ToString(), StringComparison.Ordinal);
    }
}
