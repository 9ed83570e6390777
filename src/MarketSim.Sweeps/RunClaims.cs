using System.Diagnostics;
using System.Globalization;

namespace MarketSim.Sweeps;

/// <summary>
/// Per-run claims in a sweep's dataset, so that several processes on one dataset (two sweeps, a resubmission, a
/// replacement pod while the old one still runs) each take different runs instead of writing the same one twice. A
/// claim is a file <c>_claims/run=ID.claim</c> created exclusively (<see cref="FileMode.CreateNew"/>), naming its
/// owner (pid, host, a token), whose modification time is a heartbeat renewed every <see cref="Heartbeat"/>. It is
/// stale when its heartbeat is older than <see cref="Lease"/>, or at once when its owner is a process of this host that
/// no longer exists (killed with SIGKILL): a stale claim is taken over by renaming it away first, and only the process
/// whose rename moved that very claim (same token) goes on, so two processes cannot both take it.
/// </summary>
public sealed class RunClaims : IDisposable
{
    /// <summary>Folder of the claims (ignored by dataset readers: it starts with '_').</summary>
    public const string FolderName = "_claims";

    /// <summary>How often a held claim's heartbeat is renewed.</summary>
    public static TimeSpan Heartbeat { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claim without a heartbeat stays valid (owners on other hosts cannot be asked whether they live).</summary>
    public static TimeSpan Lease { get; } = TimeSpan.FromSeconds(60);

    private readonly string folder;
    private readonly string token = Guid.NewGuid().ToString("N");
    private readonly HashSet<string> held = [];
    private readonly Timer timer;

    /// <summary>Claims in <paramref name="datasetFolder"/> for this process.</summary>
    public RunClaims(string datasetFolder)
    {
        folder = Path.Combine(datasetFolder, FolderName);
        Directory.CreateDirectory(folder);
        timer = new Timer(_ => Renew(), null, Heartbeat, Heartbeat);
    }

    private string PathOf(SweepRun run) => Path.Combine(folder, $"run={run.Id}.claim");

    /// <summary>True when this process now holds the claim of <paramref name="run"/>; false when a live owner holds it.</summary>
    public bool TryClaim(SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string path = PathOf(run);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreate(path, run)) return true;
            string? owner = Read(path);
            if (owner is null) continue;   // released meanwhile: try again
            if (!IsStale(path, owner)) return false;
            // Take over: move the stale claim away; go on only if what moved is the claim judged stale.
            string moved = Path.Combine(folder, $".stale-{run.Id}-{Guid.NewGuid():N}");
            try { File.Move(path, moved); }
            catch (IOException) { continue; }
            string? movedOwner = Read(moved);
            if (movedOwner != owner)
            {
                // Another process took it over first and this rename moved its fresh claim: give it back.
                try { File.Move(moved, path); } catch (IOException) { }
                return false;
            }
            File.Delete(moved);
        }
        return false;
    }

    /// <summary>Releases the claim of <paramref name="run"/> (after its marker is written).</summary>
    public void Release(SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string path = PathOf(run);
        lock (held) held.Remove(path);
        if (Read(path) is { } owner && owner.Contains(token, StringComparison.Ordinal))
            try { File.Delete(path); } catch (IOException) { }
    }

    /// <summary>
    /// Removes the claim of a run that is already done when its owner is gone: a process killed after writing the run's
    /// marker and before releasing its claim leaves one, which no later process would otherwise touch (a done run is
    /// never claimed again). A live owner's claim is left alone; it releases it itself.
    /// </summary>
    public void ClearStale(SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string path = PathOf(run);
        if (Read(path) is { } owner && IsStale(path, owner))
            try { File.Delete(path); } catch (IOException) { }
    }

    /// <summary>True when <paramref name="run"/> has a claim that is not stale (held by a live process, maybe this one).</summary>
    public bool IsClaimed(SweepRun run)
    {
        string path = PathOf(run);
        return Read(path) is { } owner && !IsStale(path, owner);
    }

    private bool TryCreate(string path, SweepRun run)
    {
        try
        {
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var w = new StreamWriter(stream))
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"pid {Environment.ProcessId}\nhost {Environment.MachineName}\ntoken {token}\nrun {run.Id}\nclaimed {DateTime.UtcNow:O}\n"));
            lock (held) held.Add(path);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static bool IsStale(string path, string owner)
    {
        DateTime beat;
        try { beat = File.GetLastWriteTimeUtc(path); }
        catch (IOException) { return false; }
        if (DateTime.UtcNow - beat > Lease) return true;
        var lines = owner.Split('\n');
        string? host = lines.FirstOrDefault(l => l.StartsWith("host ", StringComparison.Ordinal))?[5..];
        string? pid = lines.FirstOrDefault(l => l.StartsWith("pid ", StringComparison.Ordinal))?[4..];
        if (host != Environment.MachineName || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id)) return false;
        if (id == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(id);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;   // no such process on this host
        }
    }

    private void Renew()
    {
        string[] paths;
        lock (held) paths = [.. held];
        foreach (var path in paths)
            try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
    }

    /// <summary>Stops the heartbeat and releases every claim still held.</summary>
    public void Dispose()
    {
        timer.Dispose();
        string[] paths;
        lock (held) { paths = [.. held]; held.Clear(); }
        foreach (var path in paths) try { File.Delete(path); } catch (IOException) { }
    }
}
