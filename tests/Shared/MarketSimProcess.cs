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

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> created = new();

    static MarketSimProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveCreated();

    /// <summary>
    /// A new empty folder under the system's temporary folder; <paramref name="group"/> keeps projects apart. Every
    /// folder made here is removed when the test process ends, whatever the tests' outcome.
    /// </summary>
    public static string NewTempFolder(string group)
    {
        string path = Path.Combine(Path.GetTempPath(), group, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        created.Add(path);
        return path;
    }

    private static void RemoveCreated()
    {
        foreach (var path in created)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            }
            catch (IOException) { }   // a child still writing: nothing to do at exit
            catch (UnauthorizedAccessException) { }
        }
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

    /// <summary>
    /// Runs the program to its end. It may take as long as it needs while it makes progress (prints, uses CPU time or
    /// changes files in its working folder); two minutes without any of these and it is killed and the test fails.
    /// </summary>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var result = await ChildProcess.RunAsync(StartInfo(workingDirectory, environment, args), TimeSpan.FromMinutes(2),
            () => ChildProcess.FolderProgress(workingDirectory));
        return new Result(result.ExitCode, result.StdOut, result.StdErr);
    }

    public static Result Run(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args).GetAwaiter().GetResult();
}
