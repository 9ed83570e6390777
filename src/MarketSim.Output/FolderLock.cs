using System.Globalization;

namespace MarketSim.Output;

/// <summary>
/// An exclusive lock on an output folder, held while a process writes into it, so that a second writer (a mistaken
/// resubmission, a replacement pod while the old one is still terminating) refuses at once instead of both corrupting
/// the folder. It is the file system's lock on <c>.lock</c> (<see cref="FileShare.None"/>, which .NET takes with
/// <c>flock</c> on Unix): the kernel releases it when the process ends, even by SIGKILL, so a stale lock cannot remain.
/// The owner (pid, host, start) is written beside it, in <c>.lock.owner</c>, for the message of the one refused.
/// </summary>
public sealed class FolderLock : IDisposable
{
    /// <summary>The lock file's name inside the folder.</summary>
    public const string FileName = ".lock";

    private readonly FileStream stream;

    private FolderLock(FileStream stream) => this.stream = stream;

    /// <summary>The current process as an owner: pid, host and UTC start, one line.</summary>
    public static string Me => string.Create(CultureInfo.InvariantCulture,
        $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");

    /// <summary>Takes the lock of <paramref name="folder"/> (which must exist), or returns null with who holds it.</summary>
    public static FolderLock? TryAcquire(string folder, out string holder)
    {
        string path = Path.Combine(folder, FileName);
        holder = "";
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(path + ".owner", Me + "\n");
            return new FolderLock(stream);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && IsHeld(e))
        {
            try { holder = File.ReadAllText(path + ".owner").Trim(); }
            catch (IOException) { holder = "another process"; }
            if (holder.Length == 0) holder = "another process";
            return null;
        }
    }

    // EWOULDBLOCK from flock, or a sharing violation on Windows: the lock is held (not a missing folder or a full disk).
    private static bool IsHeld(IOException e) =>
        e.HResult is 11 or 32 or unchecked((int)0x80070020) || e.Message.Contains("being used by another process", StringComparison.Ordinal);

    /// <summary>
    /// Removes <paramref name="folder"/> when it holds nothing but its lock files: a run that created the folder and
    /// wrote nothing (refused, failed, interrupted) leaves no trace. Returns true when the folder is gone.
    /// </summary>
    public static bool DeleteIfOnlyLock(string folder)
    {
        if (!Directory.Exists(folder)) return true;
        if (Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Any(n => n is not (FileName or FileName + ".owner"))) return false;
        File.Delete(Path.Combine(folder, FileName + ".owner"));
        File.Delete(Path.Combine(folder, FileName));
        Directory.Delete(folder);
        return true;
    }

    /// <summary>Releases the lock (the files stay: deleting a lock file while others may open it would race).</summary>
    public void Dispose() => stream.Dispose();
}
