using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>Runs the built <c>marketsim</c> program as a separate process, as a batch job would.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MarketSim.sln not found above the test folder");
        }
    }

    public static string Scenario(string name) => Path.Combine(RepositoryRoot, "scenarios", name);

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? env, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "marketsim.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    public static Result Run(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args).GetAwaiter().GetResult();

    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, env, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"marketsim {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static string NewTempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "marketsim-sweep-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

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

/// <summary>A fact that needs Node.js and npm (to run DuckDB as an independent reader); skipped without them.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!OnPath("node") || !OnPath("npm")) Skip = "Node.js and npm are not on PATH: DuckDB check skipped";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));
}
