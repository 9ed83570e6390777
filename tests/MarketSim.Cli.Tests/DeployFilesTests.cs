using System.Text.RegularExpressions;

namespace MarketSim.Tests;

/// <summary>
/// The container build as shipped: bases pinned by digest (a moving tag would let two nodes of a cluster run
/// different images under one name), a non-root user, and a build context without build outputs. No Docker here, so
/// the files are checked, not built.
/// </summary>
public partial class DeployFilesTests
{
    private static string Root => MarketSimProcess.RepositoryRoot;

    [GeneratedRegex(@"^ARG (\w+)=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex Arg();

    [GeneratedRegex(@"^FROM (\S+)", RegexOptions.Multiline)]
    private static partial Regex From();

    [GeneratedRegex(@"^[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex Pinned();

    [Fact]
    public void Dockerfile_EveryBaseImagePinnedByDigest_RunsAsNonRoot()
    {
        string text = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        var args = Arg().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var froms = From().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, froms.Count);
        foreach (string from in froms)
        {
            string image = from.StartsWith("${", StringComparison.Ordinal) ? args[from[2..^1]] : from;
            Assert.True(Pinned().IsMatch(image), $"FROM {from} = {image}: not pinned by digest (tag@sha256:<64 hex>)");
        }
        var user = Regex.Matches(text, @"^USER (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).LastOrDefault();
        Assert.NotNull(user);
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsAndGitOutOfTheContext()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (string required in new[] { ".git", "**/bin", "**/obj", "output" })
            Assert.Contains(required, lines);
    }
}

/// <summary>Issue 29, item 8: the restore is a layer of its own, cluster prerequisites are said, Slurm has a container path.</summary>
public class DeployPrerequisiteTests
{
    private static string Root => MarketSimProcess.RepositoryRoot;

    [Fact]
    public void Dockerfile_RestoresFromEveryProjectFileBeforeCopyingSources()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "deploy", "Dockerfile"));
        int restore = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        int sources = Array.FindIndex(lines, l => l.StartsWith("COPY src/ src/", StringComparison.Ordinal));
        int publish = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        Assert.True(restore > 0 && restore < sources && sources < publish, "restore must be a RUN of its own before the sources are copied");
        Assert.Contains("--no-restore", lines[publish], StringComparison.Ordinal);
        // Every project the CLI builds from is copied before the restore (a missing one would fail the restore).
        foreach (var csproj in Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            // The studio (ASP.NET Core) is not part of the batch image, which has the plain .NET runtime only.
            if (File.ReadAllText(csproj).Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal)) continue;
            string rel = Path.GetRelativePath(Root, csproj).Replace('\\', '/');
            Assert.Contains(lines[..restore], l => l.StartsWith($"COPY {rel} ", StringComparison.Ordinal));
        }
        // The CLI embeds the scenarios (marketsim init): they are in the build context of the publish.
        Assert.Contains(lines[..publish], l => l.StartsWith("COPY scenarios/ scenarios/", StringComparison.Ordinal));
    }

    [Fact]
    public void ClusterFiles_SayTheirPrerequisites_AndSlurmHasAnApptainerImage()
    {
        string job = File.ReadAllText(Path.Combine(Root, "deploy", "kubernetes", "sweep-job.yaml"));
        Assert.Contains("Kubernetes >= 1.29", job, StringComparison.Ordinal);
        Assert.Contains("ReadWriteMany", job, StringComparison.Ordinal);
        string sbatch = File.ReadAllText(Path.Combine(Root, "deploy", "slurm", "sweep.sbatch"));
        Assert.Contains(".NET 10 runtime", sbatch, StringComparison.Ordinal);
        Assert.Contains("deploy/apptainer/marketsim.def", sbatch, StringComparison.Ordinal);
        string def = File.ReadAllText(Path.Combine(Root, "deploy", "apptainer", "marketsim.def"));
        Assert.Contains("docker build -f deploy/Dockerfile -t marketsim:0.1.0 .", def, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Bootstrap: docker-daemon\s*$", def);
        Assert.Matches(@"(?m)^From: marketsim:0\.1\.0\s*$", def);
        string docs = File.ReadAllText(Path.Combine(Root, "docs", "sweeps.md"));
        Assert.Contains("Kubernetes ≥ 1.29", docs, StringComparison.Ordinal);
        Assert.Contains("apptainer", docs, StringComparison.Ordinal);
    }
}
