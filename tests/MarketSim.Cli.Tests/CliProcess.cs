using System.Diagnostics;

namespace MarketSim.Tests;

/// <summary>The CLI tests' temporary folders, and the program started in the background to be signalled.</summary>
internal static class CliProcess
{
    public static string NewTempFolder() => MarketSimProcess.NewTempFolder("marketsim-tests");

    /// <summary>A program started in the background, its stderr collected; <see cref="Progressed"/> completes at the first progress line.</summary>
    public sealed class Running : IDisposable
    {
        private readonly System.Text.StringBuilder log = new();
        private readonly TaskCompletionSource progressed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Running(string workingDirectory, string[] args)
        {
            Process = Process.Start(MarketSimProcess.StartInfo(workingDirectory, null, args))!;
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
