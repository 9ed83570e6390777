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
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> reaped = new();

    static MarketSimProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveCreated();

    /// <summary>
    /// A new empty folder under the system's temporary folder; <paramref name="group"/> keeps projects apart. Every
    /// folder made here is removed when the test process ends, whatever the tests' outcome: <c>dotnet test</c> ends the
    /// test host without waiting for ProcessExit handlers (microsoft/vstest#1900; a run of ReliabilityTests left 13
    /// folders), so a detached watcher removes this process's folders (named after its id) once it has gone.
    /// </summary>
    public static string NewTempFolder(string group)
    {
        string root = Path.Combine(Path.GetTempPath(), group);
        string path = Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        created.Add(path);
        if (reaped.TryAdd(root, true)) StartReaper(root);
        return path;
    }

    /// <summary>
    /// Starts a shell, in a session of its own so that ending the test host's process tree leaves it, that waits for this
    /// process to end and then removes the folders under <paramref name="root"/> named after its id (only those: other
    /// test runs on the machine keep theirs). Not on Windows, where the ProcessExit handler is the only cleanup.
    /// </summary>
    private static void StartReaper(string root)
    {
        if (OperatingSystem.IsWindows()) return;
        const string script = "exec </dev/null >/dev/null 2>&1; while kill -0 \"$1\"; do sleep 1; done; rm -rf \"$2\"/\"$1\"-*";
        bool setsid = File.Exists("/usr/bin/setsid") || File.Exists("/bin/setsid");
        var psi = new ProcessStartInfo(setsid ? "setsid" : "sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (setsid ? new[] { "sh" } : []).Concat(["-c", script, "marketsim-test-reaper", Environment.ProcessId.ToString(), root]))
            psi.ArgumentList.Add(a);
        try { Process.Start(psi)?.Dispose(); }
        catch (System.ComponentModel.Win32Exception) { }   // no shell: the ProcessExit handler still tries
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
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "marketsim.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        // Tests kill the program on purpose; a killed .NET process leaves its diagnostics pipes in the temp folder.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
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
