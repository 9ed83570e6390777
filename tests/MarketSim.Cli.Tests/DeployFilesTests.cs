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
