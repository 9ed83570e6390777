namespace MarketSim.Tests;

/// <summary>The cluster files in deploy/ as shipped: Kubernetes manifests against the Kubernetes schemas, offline.</summary>
public class DeployFilesTests
{
    [NodeFact]
    public void KubernetesManifests_ValidAgainstSchemas_ShardCountInAgreement()
    {
        var check = NodeTools.Run(NodeTools.Kubernetes, "check.mjs");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("Job marketsim-sweep matches the batch/v1 schema", check.Output);
        Assert.Contains("all checks passed", check.Output);
    }

    [Fact]
    public void SlurmScript_ShardsFromOnePlace_ArrayMatches()
    {
        // The array header and SHARDS default are the two numbers a user edits together; they must agree as shipped.
        string script = File.ReadAllText(Path.Combine(MarketSimProcess.RepositoryRoot, "deploy", "slurm", "sweep.sbatch"));
        var array = System.Text.RegularExpressions.Regex.Match(script, @"#SBATCH --array=0-([0-9]+)\n");
        var shards = System.Text.RegularExpressions.Regex.Match(script, @"SHARDS=\$\{SHARDS:-([0-9]+)\}");
        Assert.True(array.Success && shards.Success, "sweep.sbatch must declare --array=0-(N-1) and SHARDS=${SHARDS:-N}");
        Assert.Equal(int.Parse(shards.Groups[1].Value) - 1, int.Parse(array.Groups[1].Value));
        Assert.Contains("--shards \"$SHARDS\"", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --open-mode=append", script, StringComparison.Ordinal);
    }
}
