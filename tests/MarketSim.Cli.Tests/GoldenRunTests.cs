using System.Security.Cryptography;

namespace MarketSim.Tests;

/// <summary>
/// The golden run: tests/golden/golden.yaml (the alliance scenario, 20 000 agents, 60 steps, fixed seed) must write
/// Parquet files whose SHA-256 are those pinned in tests/golden/golden.sha256. Any change of the model's arithmetic,
/// of the random streams or of the Parquet encoding shows here. When such a change is intended, regenerate with
/// <c>scripts/regenerate-golden.sh</c> (which sets MARKETSIM_REGENERATE_GOLDEN=1 for this test) and say in the commit
/// why the outputs change.
/// </summary>
public class GoldenRunTests
{
    private static readonly string[] Files = ["metrics.parquet", "flows.parquet", "overlap.parquet"];

    [Fact]
    public async Task GoldenRun_FixedSeed_ParquetChecksumsAsPinned()
    {
        string golden = Path.Combine(MarketSimProcess.RepositoryRoot, "tests", "golden");
        string pinned = Path.Combine(golden, "golden.sha256");
        string work = CliProcess.NewTempFolder();
        try
        {
            string output = Path.Combine(work, "run");
            var run = await MarketSimProcess.RunAsync(work, null, "run", Path.Combine(golden, "golden.yaml"), "--out", output, "--no-charts");
            Assert.True(run.ExitCode == 0, run.StdErr);
            // sha256sum's format, so that `sha256sum -c golden.sha256` in a run folder checks it too.
            var actual = Files.Select(f => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(output, f))))}  {f}").ToArray();
            if (Environment.GetEnvironmentVariable("MARKETSIM_REGENERATE_GOLDEN") == "1")
            {
                File.WriteAllLines(pinned, actual);
                return;
            }
            Assert.True(File.Exists(pinned), $"{pinned} missing: run scripts/regenerate-golden.sh");
            var expected = File.ReadAllLines(pinned).Where(l => l.Length > 0).ToArray();
            for (int i = 0; i < Files.Length; i++)
                Assert.True(expected.Contains(actual[i]),
                    $"{Files[i]} of the golden run changed: {actual[i].Split(' ')[0]}, pinned {string.Join(", ", expected.Where(l => l.EndsWith(Files[i])))}. " +
                    "If the change is intended, run scripts/regenerate-golden.sh and say why in the commit.");
            Assert.Equal(Files.Length, expected.Length);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
