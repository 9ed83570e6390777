
namespace MarketSim.Tests;

/// <summary>The sweep tests' temporary folders and the files of a dataset.</summary>
internal static class Cli
{
    public static string NewTempFolder() => MarketSimProcess.NewTempFolder("marketsim-sweep-tests");

    /// <summary>Every file under a folder, relative path → bytes.</summary>
    public static SortedDictionary<string, byte[]> Files(string folder, Func<string, bool>? include = null) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Where(f => include?.Invoke(f) ?? true)
                .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(folder, f))),
            StringComparer.Ordinal);

    /// <summary>Files a dataset reader sees or a user compares: everything except the markers, which hold timings.</summary>
    public static bool Dataset(string relative) => !relative.StartsWith("_runs/", StringComparison.Ordinal);
}
