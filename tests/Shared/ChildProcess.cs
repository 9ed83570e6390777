using System.Diagnostics;
using System.Text;

namespace MarketSim.Tests;

/// <summary>
/// Runs a child process to its end, waiting as long as it makes progress: it is killed (and the test fails) only
/// after <c>stall</c> without a line of output and without a change in what <c>progress</c> reports (for example the
/// files of an output folder). A busy machine makes a child slower, not silent, so this holds at any load where a
/// fixed wall-clock limit either fails or waits far too long.
/// </summary>
internal static class ChildProcess
{
    /// <summary>What the child returned and printed.</summary>
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Standard output then standard error: for failure messages and checks of what was said.</summary>
        public string Output => StdOut + StdErr;
    }

    public static async Task<Result> RunAsync(ProcessStartInfo psi, TimeSpan stall, Func<long>? progress = null)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        long lastActivity = Environment.TickCount64;
        void Append(StringBuilder to, string? line)
        {
            if (line is null) return;
            lock (to) to.AppendLine(line);
            Interlocked.Exchange(ref lastActivity, Environment.TickCount64);
        }
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // CPU time is progress too: a child computing a long step prints nothing for a while, a hung one uses no CPU.
        long Probe()
        {
            long cpu;
            try { cpu = process.TotalProcessorTime.Ticks / TimeSpan.TicksPerMillisecond / 100; }
            // Exited meanwhile: .NET reports it as InvalidOperationException, or as Win32Exception when /proc/<pid> has
            // already gone between its checks (seen in CI).
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { cpu = 0; }
            return unchecked((progress?.Invoke() ?? 0) * 31 + cpu);
        }
        long seen = Probe();
        var exited = process.WaitForExitAsync();
        while (await Task.WhenAny(exited, Task.Delay(500)) != exited)
        {
            {
                long now = Probe();
                if (now != seen)
                {
                    seen = now;
                    Interlocked.Exchange(ref lastActivity, Environment.TickCount64);
                }
            }
            if (Environment.TickCount64 - Interlocked.Read(ref lastActivity) > stall.TotalMilliseconds)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} made no progress for {stall.TotalSeconds:F0} s\n{stderr}");
            }
        }
        process.WaitForExit();   // drains the redirected streams
        lock (stdout) lock (stderr) return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A number that changes whenever a file under <paramref name="folder"/> appears, grows or is rewritten.</summary>
    public static long FolderProgress(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        long h = 17;
        try
        {
            foreach (var f in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
                h = unchecked(h * 31 + f.Length * 7 + f.LastWriteTimeUtc.Ticks + f.Name.GetHashCode(StringComparison.Ordinal));
        }
        catch (IOException) { }   // a file renamed while listed: progress anyway
        catch (UnauthorizedAccessException) { }
        return h;
    }
}
