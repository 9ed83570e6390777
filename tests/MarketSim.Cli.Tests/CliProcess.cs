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

        /// <summary>Waits for the exit as long as the program progresses (log lines or CPU time); two idle minutes fail the test.</summary>
        public async Task<int> ExitAsync()
        {
            await WhileProgressing(() => Process.HasExited);
            await Process.WaitForExitAsync();
            return Process.ExitCode;
        }

        /// <summary>
        /// Polls <paramref name="done"/> until it holds or the program exits; fails when the program neither logs nor
        /// uses CPU time for two minutes, so that a slow machine only makes the wait longer.
        /// </summary>
        public async Task WhileProgressing(Func<bool> done)
        {
            long lastChange = Environment.TickCount64, seen = -1;
            while (!done() && !Process.HasExited)
            {
                long now;
                try { now = Log.Length + Process.TotalProcessorTime.Ticks / TimeSpan.TicksPerMillisecond / 100; }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { break; }   // exited meanwhile (either, by timing)
                if (now != seen) { seen = now; lastChange = Environment.TickCount64; }
                else if (Environment.TickCount64 - lastChange > 120_000) throw new TimeoutException($"no progress for two minutes:\n{Log}");
                await Task.Delay(10);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    public static Running Start(string workingDirectory, params string[] args) => new(workingDirectory, args);
}
