using MarketSim.Cli.Input;
using Microsoft.Extensions.Logging;

namespace MarketSim.Tests;

/// <summary>
/// The command line, response files and environment variables as untrusted input: every refusal is exit 2 (3 for
/// memory) with one short message naming the option or variable as typed, no stack trace, and nothing written.
/// </summary>
public sealed class InputBoundaryTests
{
    private static readonly string Alliance = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");

    /// <summary>Runs the program in a fresh folder and checks the refusal: exit code, message, no trace, nothing written.</summary>
    internal static MarketSimProcess.Result Refused(int exitCode, string expected, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string work = CliProcess.NewTempFolder();
        var result = MarketSimProcess.RunAsync(work, environment, args).GetAwaiter().GetResult();
        AssertRefusal(result, exitCode, expected);
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        return result;
    }

    /// <summary>Exit code, the expected words on stderr, and neither an internal error nor a stack trace.</summary>
    internal static void AssertRefusal(MarketSimProcess.Result result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}:\n{result.StdErr}");
        Assert.Contains(expected, result.StdErr);
        Assert.DoesNotContain("internal error", result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.True(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 6, result.StdErr);
    }

    [Theory]
    [InlineData("error: --agents abc: expected a whole number from 1 to 4,000,000,000", "run", "--resume", "x", "--agents", "abc")]
    [InlineData("error: --checkpoint-every 99999999999: out of range: expected a whole number from 0 to 2,147,483,647", "run", "SCENARIO", "--checkpoint-every", "99999999999")]
    [InlineData("error: --threads -1: out of range: expected a whole number from 0 to 4,096", "run", "SCENARIO", "--threads", "-1")]
    [InlineData("error: --seed 18446744073709551616: out of range", "run", "SCENARIO", "--seed", "18446744073709551616")]
    [InlineData("error: --replications 1.5: expected a whole number", "compare", "SCENARIO", "--replications", "1.5")]
    [InlineData("error: --parallel-runs 99999999999999999999999: out of range", "sweep", "SWEEP", "--parallel-runs", "99999999999999999999999")]
    [InlineData("error: --shards 0: out of range", "sweep", "SWEEP", "--shards", "0")]
    [InlineData("error: --bootstrap 5: out of range: expected a whole number from 10 to 100,000", "analyze", ".", "--bootstrap", "5")]
    [InlineData("error: --steps x: expected a whole number", "bench", "--steps", "x")]
    [InlineData("error: --threads 5000: out of range", "calibrate", "CAL", "--threads", "5000")]
    public void Number_NotAWholeNumberOrOutOfRange_ParseErrorNamingTheOption(string expected, params string[] args)
    {
        var filled = args.Select(a => a switch
        {
            "SCENARIO" => Alliance,
            "SWEEP" => MarketSimProcess.Scenario("sweeps/alliance-traffic-supply.yaml"),
            "CAL" => MarketSimProcess.Scenario("calibration/default.yaml"),
            _ => a,
        }).ToArray();
        var result = Refused(2, expected, null, filled);
        Assert.Contains("--help'.", result.StdErr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("compare")]
    public void SetPath_ListIndexBeyondAnyInteger_RefusedNamingTheSet(string command)
    {
        const string set = "alliances.jd-kuaishou.supply[99999999999].share=0.1";
        Refused(2, $"error: --set {set}: list index [99999999999] is out of range", null, command, Alliance, "--set", set);
    }

    [Fact]
    public void SweepParameterPath_ListIndexBeyondAnyInteger_RefusedAtTheParameter()
    {
        string work = CliProcess.NewTempFolder();
        string sweep = Path.Combine(work, "big-index.yaml");
        File.WriteAllText(sweep, $"name: big-index\nscenario: {Alliance}\n" +
                                 "parameters:\n  alliances.jd-kuaishou.supply[99999999999].share: {values: [0.1, 0.2]}\ndesign: {type: grid}\n");
        var result = MarketSimProcess.Run(work, "sweep", sweep, "--dry-run");
        AssertRefusal(result, 2, "big-index.yaml:4:3: parameters.alliances.jd-kuaishou.supply[99999999999].share: list index [99999999999] is out of range");
    }

    [Fact]
    public void MorrisDesign_ZeroTrajectories_RefusedAtTheKey()
    {
        string work = CliProcess.NewTempFolder();
        string sweep = Path.Combine(work, "morris.yaml");
        File.WriteAllText(sweep, $"name: morris0\nscenario: {Alliance}\n" +
                                 "parameters:\n  behaviour.attention: {min: 0.005, max: 0.04}\n  behaviour.inertia: {min: 2, max: 4}\n" +
                                 "design: {type: morris, trajectories: 0}\n");
        var result = MarketSimProcess.Run(work, "sweep", sweep, "--dry-run");
        AssertRefusal(result, 2, "morris.yaml:6:");
        Assert.Contains("design.trajectories: expected a whole number from 2 to 1000000, found 0", result.StdErr);
    }

    [Fact]
    public void LogLevel_NotALevel_RefusedNamingTheVariable()
    {
        Refused(2, "error: MARKETSIM_LOGLEVEL=Bogus: expected one of Trace, Debug, Information, Warning, Error, Critical, None",
            new Dictionary<string, string> { ["MARKETSIM_LOGLEVEL"] = "Bogus" }, "run", Alliance, "--dry-run");
    }

    [Theory]
    [InlineData("warning", true, LogLevel.Warning)]
    [InlineData(" Debug ", true, LogLevel.Debug)]
    [InlineData("", true, LogLevel.Information)]
    [InlineData(null, true, LogLevel.Information)]
    [InlineData("3", false, LogLevel.Information)]       // Enum.TryParse would take a number as a level
    [InlineData("Informational", false, LogLevel.Information)]
    public void TryLogLevel_NamesAndNumbers(string? text, bool ok, LogLevel expected)
    {
        Assert.Equal(ok, EnvironmentInput.TryLogLevel(text, out var level, out string? problem));
        Assert.Equal(expected, level);
        Assert.Equal(ok, problem is null);
    }

    [Theory]
    [InlineData("/dev/zero", "is a character device, expected a regular file")]
    [InlineData("FIFO", "is a named pipe (FIFO), expected a regular file")]
    [InlineData("BIG", "is 2,097,156 bytes; at most 1,048,576 bytes (1 MiB) are accepted")]
    [InlineData("MISSING", "file not found")]
    [InlineData("FOLDER", "is a folder, expected a file")]
    public void ResponseFile_NotASmallRegularFile_Refused(string which, string expected)
    {
        string dir = CliProcess.NewTempFolder();
        string path = which switch
        {
            "FIFO" => Path.Combine(dir, "args.fifo"),
            "BIG" => Path.Combine(dir, "big.rsp"),
            "MISSING" => Path.Combine(dir, "missing.rsp"),
            "FOLDER" => dir,
            _ => which,
        };
        if (which == "FIFO") System.Diagnostics.Process.Start("mkfifo", [path])!.WaitForExit();
        if (which == "BIG") File.WriteAllText(path, "run " + new string('a', 2 << 20));
        // A FIFO with no writer would block a reader that opened it: the test fails by timeout if the check comes too late.
        Refused(2, $"error: response file @{path}: {expected}", null, "run", "@" + path);
    }

    [Fact]
    public void ResponseFile_Regular_ItsTokensAreUsed()
    {
        string dir = CliProcess.NewTempFolder();
        string rsp = Path.Combine(dir, "args.rsp");
        File.WriteAllText(rsp, $"{Alliance}\n--agents 2000\n--dry-run\n--json\n");
        var result = MarketSimProcess.Run(dir, "run", "@" + rsp);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("\"agents\":2000", result.StdOut.Replace(" ", ""));
    }

    [Fact]
    public void ShardIndices_TwoSchedulersDisagree_Refused()
    {
        Refused(2, "error: JOB_COMPLETION_INDEX='1' and SLURM_ARRAY_TASK_ID='2' disagree on this shard's index",
            new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1", ["SLURM_ARRAY_TASK_ID"] = "2" },
            "sweep", MarketSimProcess.Scenario("sweeps/alliance-traffic-supply.yaml"), "--shards", "4", "--dry-run");
    }

    [Theory]
    [InlineData("7", 0, 10, true)]
    [InlineData("-1", 0, 10, false)]
    [InlineData("11", 0, 10, false)]
    [InlineData("99999999999999999999999999999", 0, 10, false)]
    [InlineData("+3", 0, 10, true)]
    [InlineData("3.0", 0, 10, false)]
    [InlineData("1e3", 0, 10000, false)]
    [InlineData("", 0, 10, false)]
    public void TryRead_WideThenRange(string text, int min, int max, bool ok)
    {
        Assert.Equal(ok, CliOptions.TryRead(text, min, max, out int value, out string? problem));
        if (ok) Assert.Equal(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture), value);
        else Assert.Contains($"from {min:N0} to {max:N0}", problem);
    }
}
