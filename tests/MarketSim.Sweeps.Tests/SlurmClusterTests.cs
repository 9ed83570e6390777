using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketSim.Tests;

/// <summary>
/// A fact that needs a real one-node Slurm: the Debian packages slurm-wlm and munge are installed with apt-get when
/// missing (once per test run, as root); skipped, with the reason, when that is impossible.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SlurmFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(SlurmCluster.EnsureInstalled);

    public SlurmFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason;
    }
}

/// <summary>
/// The shipped <c>deploy/slurm/sweep.sbatch</c> on a real Slurm (slurmctld + slurmd + munged started here, on free
/// ports, with every file in a temporary folder): the example sweep as the default 8-task array, one task cancelled
/// while running and requeued, and the dataset compared byte for byte with a single-process sweep.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SlurmClusterTests
{
    // Small runs so the test is about the cluster, not the model: the example sweep's 90 runs at 1 000 agents, 20 steps.
    private static readonly string[] Small = ["--agents", "1000", "--set", "calendar.steps=20"];

    [SlurmFact]
    public async Task SbatchArray_OneTaskCancelledAndRequeued_DatasetSameAsOneProcess()
    {
        string work = Cli.NewTempFolder();
        try
        {
            await using var cluster = await SlurmCluster.StartAsync(work);
            string sweep = MarketSimProcess.Scenario("sweeps/alliance-traffic-supply.yaml");
            string reference = Path.Combine(work, "reference"), output = Path.Combine(work, "slurm-out"), submit = Path.Combine(work, "submit");
            Directory.CreateDirectory(submit);
            var single = await MarketSimProcess.RunAsync(work, null, ["sweep", sweep, "--out", reference, .. Small]);
            Assert.True(single.ExitCode == 0, single.StdErr);

            // The shipped script with its own array (0-7) and SHARDS (8); only what a user sets per site is given.
            string marketsim = $"dotnet {Path.Combine(AppContext.BaseDirectory, "marketsim.dll")}";
            string script = Path.Combine(MarketSimProcess.RepositoryRoot, "deploy", "slurm", "sweep.sbatch");
            var env = new Dictionary<string, string>
            {
                ["SWEEP"] = sweep,
                ["OUT"] = output,
                ["MARKETSIM"] = marketsim,
                ["MARKETSIM_ARGS"] = string.Join(' ', Small),
                ["CI"] = "true",
            };
            // --cpus-per-task=1 lets the two-CPU node run two tasks at once.
            string job = (await cluster.RunAsync("sbatch", ["--parsable", "--cpus-per-task=1", $"--chdir={submit}", script], env)).Trim();
            Assert.Matches("^[0-9]+$", job);

            // Cancel a task once its shard has finished a run and is still running (mid-shard): shard K owns runs K, K+8, …
            int victim = -1;
            await cluster.WaitAsync("a running array task with a finished run", TimeSpan.FromMinutes(5), async () =>
            {
                foreach (var (task, state) in await cluster.TaskStatesAsync(job))
                    if (state == "RUNNING" && File.Exists(Path.Combine(output, "_runs", $"run={task:D6}.json"))
                        && !File.Exists(Path.Combine(output, "_runs", $"run={task + 8 * ((89 - task) / 8):D6}.json")))
                    {
                        victim = task;
                        return true;
                    }
                return false;
            });
            await cluster.RunAsync("scancel", [$"{job}_{victim}"]);
            await cluster.WaitAsync($"task {victim} cancelled", TimeSpan.FromMinutes(2), async () =>
                (await cluster.TaskStatesAsync(job)).GetValueOrDefault(victim) == "CANCELLED");
            int doneBefore = Directory.GetFiles(Path.Combine(output, "_runs")).Length;
            Assert.False(File.Exists(Path.Combine(output, "_SUCCESS")), "the sweep completed although a task was cancelled");

            await cluster.RunAsync("scontrol", ["requeue", $"{job}_{victim}"]);
            // Slurm holds a requeued job for two minutes (BeginTime); a user can wait or release it like this.
            await cluster.RunAsync("scontrol", ["update", $"jobid={job}_{victim}", "StartTime=now"]);
            // Every task to COMPLETED; progress is a new run marker, so a stuck cluster fails within minutes, not hours.
            await cluster.WaitForProgressAsync("every array task completed", Path.Combine(output, "_runs"), TimeSpan.FromMinutes(4), async () =>
            {
                var states = await cluster.TaskStatesAsync(job);
                var failed = states.Where(s => s.Value is "FAILED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY" || (s.Value == "CANCELLED" && s.Key != victim)).ToList();
                if (failed.Count > 0)
                    throw new InvalidOperationException($"array tasks failed: {string.Join(", ", failed.Select(f => $"{f.Key}={f.Value}"))}\n" + Logs(submit));
                return states.Count == 8 && states.Values.All(s => s == "COMPLETED");
            });

            string log = File.ReadAllText(Directory.GetFiles(submit, $"*_{victim}.log").Single());
            Assert.True(Regex.Matches(log, $"task {victim} of job {job} \\(restart [01]\\)").Count == 2,
                $"the requeued task's log should hold both attempts (--open-mode=append):\n{log}");
            Assert.Contains("Interrupted", log, StringComparison.Ordinal);
            Assert.True(Directory.GetFiles(Path.Combine(output, "_runs")).Length > doneBefore);
            Assert.True(File.Exists(Path.Combine(output, "_SUCCESS")), Logs(submit));

            var expected = Cli.Files(reference, Cli.Dataset);
            var actual = Cli.Files(output, Cli.Dataset);
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Logs(string folder) =>
        string.Join("\n", Directory.GetFiles(folder, "*.log").Order().Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
}

/// <summary>munged, slurmctld and slurmd of a one-node cluster whose configuration and state live in one folder.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SlurmCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly List<Process> _daemons = [];
    private readonly Dictionary<string, string> _env;

    private SlurmCluster(string folder)
    {
        _folder = folder;
        _env = new Dictionary<string, string> { ["SLURM_CONF"] = Path.Combine(folder, "slurm.conf") };
    }

    private static readonly string[] Programs = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "scontrol", "sinfo"];

    /// <summary>Installs slurm-wlm and munge when missing; null when ready, else why the test cannot run.</summary>
    public static string? EnsureInstalled()
    {
        if (!OperatingSystem.IsLinux()) return "Slurm test: Linux only";
        if (Programs.All(OnPath)) return null;
        if (Environment.UserName != "root") return $"Slurm test skipped: {string.Join(", ", Programs.Where(p => !OnPath(p)))} missing and not root, so slurm-wlm and munge cannot be installed with apt-get";
        if (!OnPath("apt-get")) return "Slurm test skipped: slurm-wlm and munge are missing and there is no apt-get to install them";
        foreach (var args in new[] { "update -qq", "install -y -qq --no-install-recommends slurm-wlm munge" })
        {
            var psi = new ProcessStartInfo("apt-get", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); return $"Slurm test skipped: apt-get {args} took more than 10 minutes"; }
            if (p.ExitCode != 0) return $"Slurm test skipped: apt-get {args} failed ({p.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}";
        }
        return Programs.All(OnPath) ? null : $"Slurm test skipped: after apt-get, {string.Join(", ", Programs.Where(p => !OnPath(p)))} still missing";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin").Append("/sbin")
        .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static string Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin").Append("/sbin")
        .Select(dir => Path.Combine(dir, program)).First(File.Exists);

    /// <summary>Writes the configuration, starts the daemons and waits for the node to be idle.</summary>
    public static async Task<SlurmCluster> StartAsync(string work)
    {
        string folder = Path.Combine(work, "slurm");
        var cluster = new SlurmCluster(folder);
        try
        {
            string munge = Path.Combine(folder, "munge");
            foreach (var d in new[] { munge, Path.Combine(folder, "state"), Path.Combine(folder, "spool") }) Directory.CreateDirectory(d);
            // munged insists that only its owner can read the key and that others can reach (not list) its socket.
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            string key = Path.Combine(munge, "munge.key");
            File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            string socket = Path.Combine(munge, "munge.socket.2");
            cluster.Start("munged", "-F", "-f", $"--socket={socket}", $"--key-file={key}", $"--log-file={Path.Combine(munge, "munged.log")}",
                $"--pid-file={Path.Combine(munge, "munged.pid")}", $"--seed-file={Path.Combine(munge, "munged.seed")}");
            await cluster.WaitAsync("munged's socket", TimeSpan.FromSeconds(30), () => Task.FromResult(File.Exists(socket)));

            string host = (await cluster.RunAsync("hostname", ["-s"])).Trim();
            long memoryMiB = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Select(l => long.Parse(Regex.Match(l, "[0-9]+").Value, System.Globalization.CultureInfo.InvariantCulture) / 1024).Single();
            var conf = new StringBuilder()
                .AppendLine("ClusterName=marketsimtest")
                .AppendLine($"SlurmctldHost={host}")
                .AppendLine($"SlurmctldPort={FreePort()}")
                .AppendLine($"SlurmdPort={FreePort()}")
                .AppendLine("AuthType=auth/munge").AppendLine($"AuthInfo=socket={socket}").AppendLine("CredType=cred/munge")
                .AppendLine("ProctrackType=proctrack/linuxproc").AppendLine("TaskPlugin=task/none")
                .AppendLine("SelectType=select/cons_tres").AppendLine("SelectTypeParameters=CR_Core")
                .AppendLine("SlurmUser=root").AppendLine("SlurmdUser=root")
                .AppendLine($"StateSaveLocation={Path.Combine(folder, "state")}").AppendLine($"SlurmdSpoolDir={Path.Combine(folder, "spool")}")
                .AppendLine($"SlurmctldPidFile={Path.Combine(folder, "slurmctld.pid")}").AppendLine($"SlurmdPidFile={Path.Combine(folder, "slurmd.pid")}")
                .AppendLine($"SlurmctldLogFile={Path.Combine(folder, "slurmctld.log")}").AppendLine($"SlurmdLogFile={Path.Combine(folder, "slurmd.log")}")
                .AppendLine("AccountingStorageType=accounting_storage/none").AppendLine("JobAcctGatherType=jobacct_gather/none")
                .AppendLine("JobCompType=jobcomp/none").AppendLine("MpiDefault=none").AppendLine("ReturnToService=2")
                .AppendLine("SchedulerType=sched/backfill").AppendLine("MinJobAge=3600").AppendLine("KillWait=30")
                .AppendLine($"NodeName={host} CPUs=2 RealMemory={memoryMiB * 8 / 10} State=UNKNOWN")
                .AppendLine($"PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP");
            string confPath = Path.Combine(folder, "slurm.conf");
            File.WriteAllText(confPath, conf.ToString());
            cluster.Start("slurmctld", "-D", "-i", "-f", confPath);
            cluster.Start("slurmd", "-D", "-f", confPath);
            await cluster.WaitAsync("sinfo to show the node idle", TimeSpan.FromSeconds(90), async () =>
                (await cluster.TryRunAsync("sinfo", ["-h", "-o", "%T"])).Trim() == "idle");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Start(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(Which(program)) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in _env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        string log = Path.Combine(_folder, program + ".out");
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (_daemons)
            {
                try { File.AppendAllText(log, e.Data + "\n"); }
                catch (IOException) { } // the folder is going away with the cluster
            }
        }
        p.OutputDataReceived += Append;
        p.ErrorDataReceived += Append;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _daemons.Add(p);
    }

    /// <summary>Runs a Slurm client command against this cluster; throws with its output when it fails.</summary>
    public async Task<string> RunAsync(string program, string[] args, IReadOnlyDictionary<string, string>? env = null)
    {
        var (code, stdout, stderr) = await ExecAsync(program, args, env);
        if (code != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {code}: {stderr}{stdout}\n{DaemonLogs()}");
        return stdout;
    }

    private async Task<string> TryRunAsync(string program, string[] args) => (await ExecAsync(program, args, null)).StdOut;

    private async Task<(int Code, string StdOut, string StdErr)> ExecAsync(string program, string[] args, IReadOnlyDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(Which(program)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in _env) psi.Environment[k] = v;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); return (-1, await stdout, $"{program} did not answer within a minute"); }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>State of every task of an array job, by task id (pending tasks not yet split off are not listed).</summary>
    public async Task<Dictionary<int, string>> TaskStatesAsync(string job)
    {
        var states = new Dictionary<int, string>();
        string text = await TryRunAsync("scontrol", ["-o", "show", "job", job]);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var task = Regex.Match(line, @"\bArrayTaskId=([0-9]+)\s");
            var state = Regex.Match(line, @"\bJobState=([A-Z_]+)");
            if (task.Success && state.Success) states[int.Parse(task.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = state.Groups[1].Value;
        }
        return states;
    }

    /// <summary>Polls <paramref name="done"/> until true; fails after <paramref name="limit"/> with what was awaited and the daemons' logs.</summary>
    public async Task WaitAsync(string what, TimeSpan limit, Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"waited {limit.TotalSeconds:F0} s for {what}\n{DaemonLogs()}");
            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
                throw new InvalidOperationException($"{dead.StartInfo.FileName} exited ({dead.ExitCode}) while waiting for {what}\n{DaemonLogs()}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Polls until true, failing when the folder gains no file for <paramref name="stall"/>: long sweeps may take their
    /// time, a stuck cluster fails soon.
    /// </summary>
    public async Task WaitForProgressAsync(string what, string folder, TimeSpan stall, Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        int seen = -1;
        while (!await done())
        {
            int now = Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
            if (now != seen) { seen = now; clock.Restart(); }
            if (clock.Elapsed > stall) throw new TimeoutException($"no progress for {stall.TotalSeconds:F0} s ({now} files in {folder}) waiting for {what}\n{DaemonLogs()}");
            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
                throw new InvalidOperationException($"{dead.StartInfo.FileName} exited ({dead.ExitCode}) while waiting for {what}\n{DaemonLogs()}");
            await Task.Delay(500);
        }
    }

    private string DaemonLogs()
    {
        var sb = new StringBuilder();
        foreach (var name in new[] { "slurmctld.log", "slurmd.log", "munge/munged.log", "munged.out", "slurmctld.out", "slurmd.out" })
        {
            string path = Path.Combine(_folder, name);
            if (!File.Exists(path)) continue;
            string[] lines;
            try { lines = File.ReadAllLines(path); } catch (IOException) { continue; }
            sb.AppendLine($"--- {name} (last lines)").AppendJoin('\n', lines.TakeLast(15)).AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>Cancels what is left of the jobs and stops the daemons it started, by their process ids.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_daemons.Count >= 3 && !_daemons[1].HasExited)
        {
            // Jobs first, so no task outlives its cluster: scancel every job of this cluster, wait for the queue to empty.
            await ExecAsync("scancel", ["--user=root"], null);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && (await TryRunAsync("squeue", ["-h"])).Trim().Length > 0) await Task.Delay(500);
        }
        foreach (var d in Enumerable.Reverse(_daemons))
        {
            try
            {
                if (!d.HasExited)
                {
                    d.Kill();   // SIGKILL to this PID only; the daemons keep nothing we need
                    await d.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (InvalidOperationException) { }
            catch (TimeoutException) { }
            d.Dispose();
        }
    }
}
