using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>
/// The repository and the built <c>marketsim</c> program, run as a separate process as a user or a batch job would.
/// Shared by the test projects that start the program (linked source, so each keeps its own copy of the binary).
/// </summary>
internal static class MarketSimProcess
{
    /// <summary>What the program returned and printed.</summary>
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

    /// <summary>A new empty folder under the system's temporary folder; <paramref name="group"/> keeps projects apart.</summary>
    public static string NewTempFolder(string group)
    {
        string path = Path.Combine(Path.GetTempPath(), group, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// How to start the program. <c>CI=true</c> makes it log plain lines instead of drawing a progress bar, as it
    /// would with output redirected anyway.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "marketsim.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        return psi;
    }

    /// <summary>Runs the program to its end (at most five minutes, then it is killed and the test fails).</summary>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"marketsim {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Result Run(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args).GetAwaiter().GetResult();
}
