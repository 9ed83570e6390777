using System.Diagnostics;
using System.Text;
using MarketSim.Analysis;
using MarketSim.Calibration;
using MarketSim.Cli.Input;
using MarketSim.ScenarioFiles;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>
/// Every reader of untrusted input fed damaged and foreign bytes: truncated, bit-flipped, overwritten, other writers'
/// and other tables' files. Each must answer with its documented refusal (problems with file and line, or its input
/// exception), never another exception: any other is what the program would report as an internal error. Seeded, so a
/// failure repeats; each reader's loop is bounded by a count and by time, so the class stays well under a minute.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class ReaderFuzzTests(SaltelliSweepFixture sweep) : IClassFixture<SaltelliSweepFixture>
{
    /// <summary>Wall-clock budget of one reader's loop (the count usually ends it first).</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);

    private static IEnumerable<int> Iterations(int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count && clock.Elapsed < Budget; i++) yield return i;
    }

    /// <summary>One damaged copy of <paramref name="bytes"/>: cut, bits flipped, a run overwritten, or garbage appended.</summary>
    internal static byte[] Damage(byte[] bytes, Random random)
    {
        var b = (byte[])bytes.Clone();
        switch (random.Next(5))
        {
            case 0:
                return b[..random.Next(b.Length + 1)];
            case 1:
                for (int k = random.Next(1, 9); k > 0 && b.Length > 0; k--) b[random.Next(b.Length)] ^= (byte)(1 << random.Next(8));
                return b;
            case 2:
                // The end of a Parquet file is its footer: damage there most often.
                if (b.Length == 0) return b;
                int at = random.Next(2) == 0 ? random.Next(b.Length) : Math.Max(0, b.Length - 1 - random.Next(Math.Min(b.Length, 600)));
                for (int k = at; k < Math.Min(b.Length, at + random.Next(1, 64)); k++) b[k] = (byte)random.Next(256);
                return b;
            case 3:
                var extra = new byte[random.Next(1, 200)];
                random.NextBytes(extra);
                return [.. b, .. extra];
            default:
                int from = random.Next(b.Length + 1), length = random.Next(b.Length - from + 1);
                return [.. b[..from], .. b[(from + length)..]];   // a piece cut out of the middle
        }
    }

    // A time-out, so that a decoder caught in a loop by some damage fails the test instead of stalling the run (it did once:
    // a footer declaring a list of two billion elements; ParquetInput now walks the footer before the decoder does).
    [Fact(Timeout = 120_000)]
    public async Task SummaryParquet_DamagedOrForeign_RefusedAsInput()
    {
        var original = File.ReadAllBytes(sweep.Summary);
        // Foreign files: the sweep's other tables (another schema), and any other Parquet file of the program.
        var foreign = Directory.EnumerateFiles(sweep.Folder, "*.parquet", SearchOption.AllDirectories)
            .Where(f => f != sweep.Summary).Select(File.ReadAllBytes).ToList();
        var random = new Random(31);
        string folder = CliProcess.NewTempFolder();
        string path = Path.Combine(folder, SummaryTable.FileName);
        int refused = 0, read = 0;
        foreach (int i in Iterations(400))
        {
            var source = i % 10 == 9 && foreign.Count > 0 ? foreign[random.Next(foreign.Count)] : original;
            File.WriteAllBytes(path, i % 20 == 19 ? source : Damage(source, random));
            try
            {
                var summary = await SweepSummary.ReadAsync(folder);
                // A file the reader takes must also analyse: the reader's checks are the analysis's only gate.
                SweepAnalysis.Analyse(summary, summary.Options);
                read++;
            }
            catch (AnalysisInputException e)
            {
                Assert.Contains(folder, e.Message);
                refused++;
            }
        }
        Assert.True(refused > 0 && read > 0, $"refused {refused}, read {read}: the damage must reach both outcomes");
    }

    [Fact]
    public async Task SummaryParquet_FooterDeclaringAHugeList_RefusedAtOnce()
    {
        // The damage the fuzz test first found: the footer's last bytes overwritten, which made the decoder read a
        // list of billions of elements from an exhausted buffer. Refused by the footer walk, within the second.
        var bytes = File.ReadAllBytes(sweep.Summary);
        for (int i = bytes.Length - 17; i < bytes.Length - 8; i++) bytes[i] = 0xF9;
        string folder = SaltelliSweepFixture.FolderWith(bytes);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AnalysisInputException>(() => SweepSummary.ReadAsync(folder));
        Assert.Contains("not a readable Parquet file", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed}");
    }

    [Fact]
    public void EvaluationLog_DamagedLines_RefusedWithFileAndLine()
    {
        string dir = CliProcess.NewTempFolder();
        var problem = CalibrationFile.Load(MarketSimProcess.Scenario("calibration/default.yaml")).Problem!;
        var evaluator = new CalibrationEvaluator(problem);
        using (var log = EvaluationLog.Open(dir, problem, evaluator))
            for (int k = 1; k <= 3; k++)
                log.Add(new Evaluation([.. problem.Parameters.Select(p => p.AtUnit(k / 4.0))], k, [.. problem.Targets.Select(_ => k * 1.5)]));
        string path = Path.Combine(dir, EvaluationLog.FileName);
        var original = File.ReadAllBytes(path);
        var random = new Random(32);
        int refused = 0, opened = 0;
        foreach (int _ in Iterations(300))
        {
            File.WriteAllBytes(path, Damage(original, random));
            try
            {
                using var log = EvaluationLog.Open(dir, problem, evaluator);
                opened++;
            }
            catch (EvaluationLogMismatchException e)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
        }
        Assert.True(refused > 0 && opened > 0, $"refused {refused}, opened {opened}");
    }

    [Fact]
    public void TargetsCsv_Damaged_ProblemsNotExceptions()
    {
        string dir = CliProcess.NewTempFolder();
        var original = File.ReadAllBytes(MarketSimProcess.Scenario("data/targets.csv"));
        string scenario = Path.Combine(dir, "s.yaml");
        File.WriteAllText(scenario, $"extends: {MarketSimProcess.Scenario("baseline.yaml")}\nname: s\ncalibration: {{targets: t.csv}}\n");
        var random = new Random(33);
        int ok = 0, refused = 0;
        foreach (int _ in Iterations(150))
        {
            File.WriteAllBytes(Path.Combine(dir, "t.csv"), Damage(original, random));
            var loaded = ScenarioLoader.Load(scenario);
            if (loaded.Ok) ok++;
            else
            {
                Assert.NotEmpty(loaded.Problems);
                refused++;
            }
        }
        Assert.True(refused > 0, $"refused {refused}, ok {ok}");
    }

    [Theory]
    [InlineData("calibration/default.yaml", 34)]
    [InlineData("sweeps/alliance-sensitivity.yaml", 35)]
    [InlineData("jd-kuaishou-alliance.yaml", 36)]
    public void YamlInputs_BytesDamaged_ProblemsNotExceptions(string file, int seed)
    {
        // Byte-level damage (the structure fuzzers of ScenarioFiles and Sweeps change YAML; this breaks its encoding too).
        string dir = CliProcess.NewTempFolder();
        string source = MarketSimProcess.Scenario(file);
        var original = Encoding.UTF8.GetBytes(File.ReadAllText(source).Replace("../", Path.GetDirectoryName(Path.GetDirectoryName(source))! + "/"));
        string path = Path.Combine(dir, Path.GetFileName(file));
        var random = new Random(seed);
        foreach (int _ in Iterations(60))
        {
            File.WriteAllBytes(path, Damage(original, random));
            IReadOnlyList<ScenarioProblem> problems = file.StartsWith("calibration", StringComparison.Ordinal) ? CalibrationFile.Load(path).Problems
                : file.StartsWith("sweeps", StringComparison.Ordinal) ? SweepFile.Load(path, path, null, 1L << 30).Problems
                : ScenarioLoader.Load(path).Problems;
            Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        }
    }

    [Fact]
    public void ResponseFiles_RandomBytes_TokensOrAnError()
    {
        string dir = CliProcess.NewTempFolder();
        var replacer = ResponseFiles.Replacer(new System.CommandLine.ParserConfiguration().ResponseFileTokenReplacer);
        var random = new Random(37);
        foreach (int i in Iterations(200))
        {
            string path = Path.Combine(dir, $"{i}.rsp");
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            File.WriteAllBytes(path, i % 2 == 0 ? bytes : Damage("run\nscenarios/x.yaml\n--agents 10\n# comment\n"u8.ToArray(), random));
            bool replaced = replacer(path, out var tokens, out string? error);
            Assert.True(replaced ? tokens is not null : !string.IsNullOrEmpty(error), path);
        }
    }

    [Fact]
    public void OptionsAndEnvironment_RandomText_RefusedInWords()
    {
        var random = new Random(38);
        string[] pieces = ["", "-", "+", "0", "9", "99999999999999999999", "1e3", "0x1F", " ", "٣", "abc", ".", "=", "~", "[", "]", "[99999999999]", "a.b", "\0"];
        string Text() => string.Concat(Enumerable.Range(0, random.Next(1, 5)).Select(_ => pieces[random.Next(pieces.Length)]));
        foreach (int __ in Iterations(2000))
        {
            string text = Text();
            if (!CliOptions.TryRead(text, 0L, long.MaxValue, out long _, out string? problem)) Assert.StartsWith("expected", problem!.Replace("out of range: ", ""));
            if (!EnvironmentInput.TryLogLevel(text, out _, out string? level)) Assert.Contains("MARKETSIM_LOGLEVEL=", level);
            var errors = new List<string>();
            ScenarioOverrides.FromOptions(null, null, [$"{Text()}={Text()}", Text()], errors);
            Assert.All(errors, e => Assert.StartsWith("--set ", e));
            var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = random.Next(2) == 0 ? Text() : null, ["SLURM_ARRAY_TASK_ID"] = random.Next(2) == 0 ? Text() : null };
            if (Shard.Resolve(random.Next(2) == 0 ? Text() : null, random.Next(3) == 0 ? null : random.Next(-2, 10), k => env.GetValueOrDefault(k), out string? shard) is null)
                Assert.False(string.IsNullOrWhiteSpace(shard));
        }
    }
}
