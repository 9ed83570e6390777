namespace MarketSim.Tests;

/// <summary>A temporary folder holding the repository's default scenarios plus files a test writes beside them.</summary>
internal sealed class TempScenarios : IDisposable
{
    public TempScenarios()
    {
        Folder = Path.Combine(Path.GetTempPath(), "marketsim-scenario-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "scenarios"), "*.yaml"))
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
        // The baseline names its calibration targets file relative to itself.
        Directory.CreateDirectory(Path.Combine(Folder, "data"));
        File.Copy(Path.Combine(RepositoryRoot, "scenarios", "data", "targets.csv"), Path.Combine(Folder, "data", "targets.csv"));
    }

    public string Folder { get; }

    public string Baseline => Path.Combine(Folder, "baseline.yaml");

    public string Alliance => Path.Combine(Folder, "jd-kuaishou-alliance.yaml");

    /// <summary>Writes a file (lines joined with \n) and returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        string path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) return dir.FullName;
            throw new InvalidOperationException("MarketSim.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
