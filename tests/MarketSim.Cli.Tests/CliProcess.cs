using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>Runs the built <c>marketsim</c> program as a separate process, as a user or a batch job would.</summary>
internal static class CliProcess
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

    public static Result Run(string workingDirectory, params string[] args) => RunWith(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the program with extra environment variables (e.g. the runtime's instruction-set switches).</summary>
    public static Result RunWith(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
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
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"marketsim {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string NewTempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "marketsim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A program started in the background, its stderr collected; <see cref="Progressed"/> completes at the first progress line.</summary>
    public sealed class Running : IDisposable
    {
        private readonly System.Text.StringBuilder log = new();
        private readonly TaskCompletionSource progressed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Running(string workingDirectory, string[] args)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "marketsim.dll"));
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["CI"] = "true";
            Process = Process.Start(psi)!;
            Process.ErrorDataReceived += (_, e) =>
            {
                lock (log) log.AppendLine(e.Data);
                if (e.Data?.Contains("ETA", StringComparison.Ordinal) == true) progressed.TrySetResult();
            };
            Process.BeginErrorReadLine();
            _ = Process.StandardOutput.ReadToEndAsync();
        }

        public Process Process { get; }

        public Task Progressed => progressed.Task;

        public string Log
        {
            get { lock (log) return log.ToString(); }
        }

        public void Signal(string signal) => Process.Start("kill", [$"-{signal}", Process.Id.ToString()])!.WaitForExit();

        public async Task<int> ExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await Process.WaitForExitAsync(timeout.Token);
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    public static Running Start(string workingDirectory, params string[] args) => new(workingDirectory, args);
}
