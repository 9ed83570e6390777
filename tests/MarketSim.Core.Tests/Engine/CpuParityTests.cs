using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Randomness;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// The engine's AVX2 paths (eight-agent blocks, eight-lane re-evaluation, vector ageing and draws) against the scalar
/// forms, bit for bit. A process cannot switch its own CPU extensions off, so the suite is run again in a child
/// process with them off (as ImageSharp's FeatureTestRunner does): there every test must pass, and the probe below
/// must find the same metrics digests as this process computed with AVX2.
/// </summary>
public class CpuParityTests
{
    private const string ExpectedVariable = "MARKETSIM_PARITY_EXPECTED";

    /// <summary>Scenarios chosen for the paths they drive: falling satisfaction and many re-evaluations, random states, an alliance.</summary>
    private static IEnumerable<(string Name, Func<int, Simulation> Start, int Steps)> Cases()
    {
        yield return ("quality-cut", threads =>
        {
            // Taobao's quality falls to 30 %: its users' satisfaction falls order by order, and dissatisfied consumers
            // re-evaluate often, so both the satisfaction update and the re-evaluation see large, falling moves.
            var s = TestScenarios.Small(agents: 20_000, steps: 40);
            s.Behaviour.Attention = 0.2;
            s.Behaviour.DissatisfiedAttention = 0.6;
            s.Interventions["cut"] = new InterventionSpec { Platform = "taobao", Attribute = "quality", Multiply = 0.3, Start = new DateOnly(2019, 2, 4) };
            return new Simulation(new MarketModel(s), threads);
        }, 40);
        yield return ("random-states", threads =>
        {
            var s = TestScenarios.WithAlliance(TestScenarios.Small(agents: 20_000, steps: 8), new DateOnly(2019, 1, 1));
            s.Behaviour.Attention = 0.5;
            s.Behaviour.LocalitySize = 16;
            var sim = new Simulation(new MarketModel(s), threads);
            Randomise(sim);
            return sim;
        }, 8);
        yield return ("adoption", threads =>
        {
            // Bass adoption on every platform, localities of four (an eight-agent block spans two): the blocks hand
            // possible adopters to the scalar loop by the lower of the two localities' ranges.
            var s = TestScenarios.Small(agents: 20_000, steps: 30);
            foreach (var p in s.Platforms.Values) { p.AdoptionExternal = 0.01; p.AdoptionImitation = 0.12; }
            s.Behaviour.LocalitySize = 4;
            return new Simulation(new MarketModel(s), threads);
        }, 30);
        yield return ("alliance", threads =>
            new Simulation(new MarketModel(TestScenarios.WithAlliance(TestScenarios.Small(agents: 20_000, steps: 60), new DateOnly(2019, 4, 1))), threads), 60);
    }

    /// <summary>
    /// The quality cut at 200 000 agents (issue 12): a change of the scalar re-evaluation's summation order showed at this
    /// size, not at 20 000. Jingdong-scale numbers are not needed, only many agents whose satisfaction falls and who
    /// re-evaluate often; 30 steps keep it at a few seconds a run. Category=Slow: the child suite of
    /// <see cref="CoreSuite_WithAllHardwareIntrinsicsOff_PassesWithTheSameBits"/> leaves it out, the probes below run it.
    /// </summary>
    private const int LargeSteps = 30;

    private static Simulation LargeQualityCut(int threads)
    {
        var s = TestScenarios.Small(agents: 200_000, steps: LargeSteps);
        s.Behaviour.Attention = 0.2;
        s.Behaviour.DissatisfiedAttention = 0.6;
        s.Interventions["cut"] = new InterventionSpec { Platform = "taobao", Attribute = "quality", Multiply = 0.3, Start = new DateOnly(2019, 2, 4) };
        return new Simulation(new MarketModel(s), threads);
    }

    private const string LargeExpectedVariable = "MARKETSIM_PARITY_LARGE_EXPECTED";

    // Computed once per process with two threads: the parent's reference and the probe's two-thread run.
    private static readonly Lazy<string> LargeDigest = new(() => Digest(LargeQualityCut(2), LargeSteps));

    [Fact]
    [Trait("Category", "Slow")]
    public void LargeQualityCutDigest_OneAndTwoThreads_AgreeAndMatchTheParentProcess()
    {
        string one = Digest(LargeQualityCut(1), LargeSteps);
        // In the child (extensions off): the parent's two-thread digest, read from a file; here: this process's own.
        string reference = Environment.GetEnvironmentVariable(LargeExpectedVariable) is { Length: > 0 } expected
            ? File.ReadAllText(expected).Trim() : LargeDigest.Value;
        Assert.Equal(reference, one);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task LargeQualityCut_WithoutAvx2_SameBitsAsThisProcess()
    {
        var (passed, _, _, output) = await RunChild("FullyQualifiedName~LargeQualityCutDigest_OneAndTwoThreads", new() { ["DOTNET_EnableAVX2"] = "0" });
        Assert.True(passed == 1, $"the probe did not run in the child:\n{output}");
    }

    /// <summary>Every agent gets a random set, a primary in it, any satisfaction and recency lanes around the year's limit.</summary>
    private static void Randomise(Simulation sim)
    {
        int P = sim.Model.P, annual = sim.Model.AnnualSteps;
        ulong key = CounterRandom.StreamKey(99, StreamPurpose.Step, 1234);
        foreach (var ch in sim.Chunks)
        {
            Array.Clear(ch.LocalPrevious);
            for (int i = 0; i < ch.Arrived; i++)
            {
                ulong r = CounterRandom.At(key, CounterRandom.AgentIndex(ch.Tier, ch.FirstIndexInTier + i));
                int set = (int)(r & ((1u << P) - 1));
                if (set == 0) set = 1;
                int n = CounterRandom.Below(r, System.Numerics.BitOperations.PopCount((uint)set));
                int primary = Simulation.NthSetBit(set, n);
                ulong rec = ulong.MaxValue;
                for (int p = 0; p < P; p++)
                    if ((set >> p & 1) != 0)
                        rec = (rec & ~(0xFFUL << (8 * p))) | ((ulong)((r >> (16 + 6 * p)) % (ulong)(annual + 12)) << (8 * p));
                ch.Set[i] = (byte)set;
                ch.Primary[i] = (byte)primary;
                ch.Satisfaction[i] = (byte)(r >> 56);
                ch.Recency[i] = rec;
                ch.LocalPrevious[i / ch.LocalitySize * P + primary]++;
            }
        }
    }

    private static string Digest(Simulation sim, int steps)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int k = 0; k < steps; k++)
        {
            var m = sim.Step();
            foreach (var a in m.CountArrays)
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        }
        foreach (var ch in sim.Chunks)
        {
            hash.AppendData(ch.Set);
            hash.AppendData(ch.Primary);
            hash.AppendData(ch.Satisfaction);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ch.Recency.AsSpan()));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static List<string> Digests(int threads) => Cases().Select(c => $"{c.Name} {Digest(c.Start(threads), c.Steps)}").ToList();

    [Fact]
    public void ScalarWeeklyOrder_SameBitsAsTheEightAgentBlocks_InThisProcess()
    {
        // With AVX2 the blocks take most agents' weekly order; switched off, the scalar loop takes every agent's. Without
        // AVX2 both runs are the scalar loop, and the test compares it with itself.
        foreach (var (name, start, steps) in Cases())
        {
            var blocks = start(1);
            var scalar = start(1);
            scalar.OrderBlocks = false;
            Assert.True(Digest(blocks, steps) == Digest(scalar, steps), $"{name}: the scalar weekly order differs from the blocks'");
        }
    }

    [Fact]
    public void ParityDigests_OneAndTwoThreads_AgreeAndMatchTheParentProcess()
    {
        var one = Digests(1);
        Assert.Equal(one, Digests(2));
        // In a child started by the tests below, with CPU extensions off: the same bits as the parent found with them.
        if (Environment.GetEnvironmentVariable(ExpectedVariable) is { Length: > 0 } expected)
            Assert.Equal(File.ReadAllLines(expected), one);
    }

    /// <summary>Runs this test assembly's tests matching <paramref name="filter"/> in a child with <paramref name="environment"/>.</summary>
    private static async Task<(int Passed, int Failed, int Skipped, string Output)> RunChild(string filter, Dictionary<string, string> environment)
    {
        string work = Path.Combine(Path.GetTempPath(), "marketsim-tests", "parity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string expected = Path.Combine(work, "expected.txt");
            File.WriteAllLines(expected, Digests(2));
            string large = Path.Combine(work, "expected-large.txt");
            if (filter.Contains("LargeQualityCut", StringComparison.Ordinal)) File.WriteAllText(large, LargeDigest.Value);
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work };
            foreach (var a in new[] { "test", typeof(CpuParityTests).Assembly.Location, "--filter", filter, "--results-directory", work })
                psi.ArgumentList.Add(a);
            psi.Environment[ExpectedVariable] = expected;
            if (File.Exists(large)) psi.Environment[LargeExpectedVariable] = large;
            foreach (var (k, v) in environment) psi.Environment[k] = v;
            var result = await ChildProcess.RunAsync(psi, TimeSpan.FromMinutes(3));
            string output = result.StdOut + result.StdErr;
            var summary = Regex.Match(output, @"Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)");
            Assert.True(summary.Success, $"no test summary from the child (exit {result.ExitCode}):\n{output}");
            int failed = int.Parse(summary.Groups[1].Value), passed = int.Parse(summary.Groups[2].Value), skipped = int.Parse(summary.Groups[3].Value);
            Assert.True(result.ExitCode == 0 && failed == 0, $"the child failed:\n{output}");
            return (passed, failed, skipped, output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task CoreSuite_WithAllHardwareIntrinsicsOff_PassesWithTheSameBits()
    {
        // No SSE4.2, AVX2, BMI2 or POPCNT: every scalar fallback. The AVX2-only test must report itself skipped, which
        // also proves the switch reached the child.
        var (passed, _, skipped, output) = await RunChild("Category!=Slow", new() { ["DOTNET_EnableHWIntrinsic"] = "0" });
        Assert.True(passed >= 50, $"only {passed} tests ran in the child:\n{output}");
        Assert.True(skipped >= 1, $"nothing skipped: AVX2 was still on in the child?\n{output}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ParityDigests_WithoutAvx2_SameBitsAsThisProcess()
    {
        // AVX2 off but SSE and AVX on: Vector256 arithmetic still accelerated, the engine's AVX2 branches not taken.
        var (passed, _, _, output) = await RunChild("FullyQualifiedName~ParityDigests_OneAndTwoThreads", new() { ["DOTNET_EnableAVX2"] = "0" });
        Assert.True(passed == 1, $"the probe did not run in the child:\n{output}");
    }
}
